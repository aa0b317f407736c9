// The README's "Permissions" table: every permission the manifest asks for, and why.

/** Permission (or host pattern) -> its justification, from the first table under `## Permissions`. */
export function parsePermissionsTable(readme: string): Map<string, string> {
  const section = /^## Permissions\s*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1];
  if (section === undefined) throw new Error('the README has no "## Permissions" section');
  const rows = section
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('|'));
  if (rows.length < 2) throw new Error('the README\'s Permissions section has no table');
  const table = new Map<string, string>();
  // rows[0] is the header, rows[1] the |---| separator.
  for (const row of rows.slice(2)) {
    const [name = '', why = ''] = row.replace(/^\||\|$/g, '').split('|').map((cell) => cell.trim());
    const permission = name.replace(/`/g, '').trim();
    if (permission === '') throw new Error(`a Permissions row names no permission: ${row}`);
    if (table.has(permission)) throw new Error(`the Permissions table lists ${permission} twice`);
    table.set(permission, why);
  }
  return table;
}

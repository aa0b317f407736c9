// What the Chrome Web Store and MV3 require of an extension page's content security policy:
// scripts only from the package itself (MV3 refuses remote code), no eval.

/** Sources allowed in script-src / worker-src / object-src of an extension page. */
const ALLOWED_SCRIPT_SOURCES = new Set(["'self'", "'wasm-unsafe-eval'", "'none'"]);
const SCRIPT_DIRECTIVES = ['script-src', 'script-src-elem', 'worker-src', 'object-src'];

/** Directive name -> its sources. */
export function parseCsp(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

/** Everything wrong with an `extension_pages` policy; empty when it is fine. */
export function cspProblems(policy: string | undefined): string[] {
  if (policy === undefined || policy.trim() === '') return ['no content_security_policy.extension_pages'];
  const directives = parseCsp(policy);
  const problems: string[] = [];
  if (!directives.has('script-src') && !directives.has('default-src')) problems.push('neither script-src nor default-src is set');
  // default-src governs scripts only where script-src is not set.
  const governing = directives.has('script-src') ? SCRIPT_DIRECTIVES : [...SCRIPT_DIRECTIVES, 'default-src'];
  for (const name of governing) {
    for (const source of directives.get(name) ?? []) {
      if (!ALLOWED_SCRIPT_SOURCES.has(source)) problems.push(`${name} allows ${source} (only 'self' may run code)`);
    }
  }
  return problems;
}

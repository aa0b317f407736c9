/**
 * The shortcuts the options page lists, from chrome.commands.getAll(): each command's
 * description and key, or null where the user set none (Chrome gives an empty string).
 */

/** What chrome.commands.getAll() gives for one command. */
export interface CommandInfo {
  name?: string;
  description?: string;
  shortcut?: string;
}

export interface ShortcutRow {
  name: string;
  /** Chrome's localised description; null for the toolbar button's command, which has none. */
  description: string | null;
  shortcut: string | null;
}

/** One row per named command, in Chrome's order (the manifest's). */
export function shortcutRows(commands: readonly CommandInfo[]): ShortcutRow[] {
  return commands
    .filter((command) => command.name)
    .map((command) => ({
      name: command.name!,
      description: command.description?.trim() || null,
      shortcut: command.shortcut?.trim() || null,
    }));
}

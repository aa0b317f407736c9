/**
 * What each save control (popup length buttons, shortcuts, context menu) offers and saves, from
 * the settings. Pure, so the service worker and the popup cannot drift from each other.
 */
import type { ClipFormat } from '../clip/clip-formats';
import type { Settings } from './settings';
import { english, type Say } from '../i18n/english';

/** Clip lengths always offered besides the default one. */
export const FIXED_CLIP_SEC = [10, 30, 60] as const;

/** A save a control asks for. */
export interface ControlSave {
  seconds: number;
  format: ClipFormat;
}

type LengthSettings = Pick<Settings, 'defaultClipSec' | 'gifDefaultSec'>;

/** The popup's length choices: the fixed lengths and the default, ascending, each once. */
export function clipLengthChoices(defaultClipSec: number): number[] {
  return [...new Set([...FIXED_CLIP_SEC, defaultClipSec])].sort((a, b) => a - b);
}

// ---- Shortcuts (manifest.json "commands") -----------------------------------------------------

/** The commands that do something other than save. */
export const NON_SAVE_COMMANDS = ['toggle-pause', 'open-library', 'toggle-record'] as const;

/** The save a shortcut asks for, or null for a command that does not save. */
export function commandSave(command: string, settings: LengthSettings): ControlSave | null {
  switch (command) {
    case 'save-clip':
      return { seconds: settings.defaultClipSec, format: 'mp4' };
    case 'save-gif':
      return { seconds: settings.gifDefaultSec, format: 'gif' };
    default:
      return null;
  }
}

// ---- Context menu ----------------------------------------------------------------------------

/** Every entry exists from install on; the fixed one equal to the default is hidden, not removed. */
export const MENU_IDS = ['save-default', 'save-10', 'save-30', 'save-60', 'save-gif'] as const;
export type MenuId = (typeof MENU_IDS)[number];

export interface MenuEntry {
  id: MenuId;
  title: string;
  visible: boolean;
}

/** The context menu for these settings: titles say the lengths the entries will save, in `say`'s language. */
export function menuEntries(settings: LengthSettings, say: Say = english): MenuEntry[] {
  return [
    { id: 'save-default', title: say('bg_menu_save_last', settings.defaultClipSec), visible: true },
    ...FIXED_CLIP_SEC.map((seconds) => ({
      id: `save-${seconds}` as const,
      title: say('bg_menu_save_last', seconds),
      visible: seconds !== settings.defaultClipSec,
    })),
    { id: 'save-gif', title: say('bg_menu_save_gif', settings.gifDefaultSec), visible: true },
  ];
}

/** The save a menu entry asks for, read from the settings at click time; null for an unknown id. */
export function menuSave(menuItemId: string | number, settings: LengthSettings): ControlSave | null {
  switch (menuItemId) {
    case 'save-default':
      return { seconds: settings.defaultClipSec, format: 'mp4' };
    case 'save-gif':
      return { seconds: settings.gifDefaultSec, format: 'gif' };
    default: {
      const fixed = FIXED_CLIP_SEC.find((seconds) => menuItemId === `save-${seconds}`);
      return fixed === undefined ? null : { seconds: fixed, format: 'mp4' };
    }
  }
}

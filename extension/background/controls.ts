/**
 * The keyboard shortcuts and the context menu: thin shells over the same handlers the popup
 * uses. Lengths are read from the settings when the control fires, and the menu titles follow
 * the settings, so neither can promise a length it will not save.
 */
import { errorMessage } from '../../src/contract/errors';
import type { OkReply, SaveReply } from '../../src/contract/messages';
import type { Settings } from '../../src/settings/settings';
import { commandSave, menuEntries, menuSave, type ControlSave } from '../../src/settings/save-controls';
import { loadSettings } from '../settings-store';
import { showError } from './badge';
import * as handlers from './handlers';
import { openLibraryPage } from './library-page';

/** The icon's right-click menu also opens the library. */
const LIBRARY_MENU_ID = 'open-library';

type MenuContext = `${chrome.contextMenus.ContextType}`;
const MENU_CONTEXTS: [MenuContext, ...MenuContext[]] =
  ['page', 'frame', 'selection', 'link', 'editable', 'image', 'video', 'audio', 'action'];

/** Saves for a shortcut or menu, where there is no popup to show the result: errors go to the badge. */
async function saveFromControl({ seconds, format }: ControlSave): Promise<SaveReply> {
  const reply = await handlers.save(seconds, format).catch((error: unknown) => ({ ok: false as const, error: errorMessage(error) }));
  if (!reply.ok) await showError(reply.error);
  return reply;
}

/** Runs a manifest command; the reply is for tests (Puppeteer cannot press a shortcut). */
export async function runCommand(command: string): Promise<SaveReply | OkReply | null> {
  if (command === 'open-library') return openLibraryPage();
  if (command === 'toggle-pause') {
    const reply = await handlers.togglePause();
    if (!reply.ok) await showError(reply.error);
    return reply;
  }
  const save = commandSave(command, (await loadSettings()).settings);
  return save ? saveFromControl(save) : null;
}

/** Runs a context-menu entry; the reply is for tests (Puppeteer cannot click a menu). */
export async function runMenuItem(menuItemId: string | number): Promise<SaveReply | OkReply | null> {
  if (menuItemId === LIBRARY_MENU_ID) return openLibraryPage();
  const save = menuSave(menuItemId, (await loadSettings()).settings);
  return save ? saveFromControl(save) : null;
}

/** Creates every menu entry afresh (on install and update), titled from the current settings. */
export async function createMenus(): Promise<void> {
  await chrome.contextMenus.removeAll();
  const { settings } = await loadSettings();
  for (const { id, title, visible } of menuEntries(settings)) {
    chrome.contextMenus.create({ id, title, visible, contexts: MENU_CONTEXTS });
  }
  chrome.contextMenus.create({ id: LIBRARY_MENU_ID, title: 'Open library', contexts: ['action'] });
}

/** Retitles the menu after a settings change; recreates it if an entry is missing. */
export async function updateMenus(settings: Settings): Promise<void> {
  try {
    await Promise.all(menuEntries(settings).map(({ id, title, visible }) => chrome.contextMenus.update(id, { title, visible })));
  } catch {
    await createMenus();
  }
}

/**
 * The keyboard shortcuts and the context menu: thin shells over the same handlers the popup
 * uses. Lengths are read from the settings when the control fires, and the menu titles follow
 * the settings, so neither can promise a length it will not save.
 */
import type { OkReply, RecordStopReply, SaveReply } from '../../src/contract/messages';
import type { Settings } from '../../src/settings/settings';
import { commandSave, menuEntries, menuSave, type ControlSave } from '../../src/settings/save-controls';
import { loadSettings } from '../settings-store';
import { failureText, t } from '../i18n';
import { showError } from './badge';
import * as handlers from './handlers';
import { toggleRecord } from './record-handlers';
import { openLibraryPage } from './library-page';

/** The icon's right-click menu also opens the library. */
const LIBRARY_MENU_ID = 'open-library';
/** And starts or stops a recording to disk. */
const RECORD_MENU_ID = 'toggle-record';

type MenuContext = `${chrome.contextMenus.ContextType}`;
const MENU_CONTEXTS: [MenuContext, ...MenuContext[]] =
  ['page', 'frame', 'selection', 'link', 'editable', 'image', 'video', 'audio', 'action'];

/** Saves for a shortcut or menu, where there is no popup to show the result: errors go to the badge (and a notification). */
async function saveFromControl({ seconds, format }: ControlSave): Promise<SaveReply> {
  const reply = await handlers.save(seconds, format, 'control');
  if (!reply.ok) await showError(failureText(reply));
  return reply;
}

/** A shortcut or menu has no popup to show a failure: it goes to the badge. */
async function reportRecord(reply: OkReply | RecordStopReply): Promise<OkReply | RecordStopReply> {
  if (!reply.ok) await showError(failureText(reply));
  return reply;
}

/** Runs a manifest command; the reply is for tests (Puppeteer cannot press a shortcut). */
export async function runCommand(command: string): Promise<SaveReply | OkReply | RecordStopReply | null> {
  if (command === 'open-library') return openLibraryPage();
  if (command === 'toggle-record') return reportRecord(await toggleRecord());
  if (command === 'toggle-pause') {
    const reply = await handlers.togglePause();
    if (!reply.ok) await showError(failureText(reply));
    return reply;
  }
  const save = commandSave(command, (await loadSettings()).settings);
  return save ? saveFromControl(save) : null;
}

/** Runs a context-menu entry; the reply is for tests (Puppeteer cannot click a menu). */
export async function runMenuItem(menuItemId: string | number): Promise<SaveReply | OkReply | RecordStopReply | null> {
  if (menuItemId === LIBRARY_MENU_ID) return openLibraryPage();
  if (menuItemId === RECORD_MENU_ID) return reportRecord(await toggleRecord());
  const save = menuSave(menuItemId, (await loadSettings()).settings);
  return save ? saveFromControl(save) : null;
}

/** Creates every menu entry afresh (on install and update), titled from the current settings. */
export async function createMenus(): Promise<void> {
  await chrome.contextMenus.removeAll();
  const { settings } = await loadSettings();
  for (const { id, title, visible } of menuEntries(settings, t)) {
    chrome.contextMenus.create({ id, title, visible, contexts: MENU_CONTEXTS });
  }
  chrome.contextMenus.create({ id: LIBRARY_MENU_ID, title: t('bg_menu_open_library'), contexts: ['action'] });
  // Not on the icon: Chrome shows at most six entries there, and the saves and the library fill them.
  chrome.contextMenus.create({ id: RECORD_MENU_ID, title: t('bg_menu_toggle_record'), contexts: ['page', 'frame', 'video', 'audio'] });
}

/** Retitles the menu after a settings change; recreates it if an entry is missing. */
export async function updateMenus(settings: Settings): Promise<void> {
  try {
    await Promise.all(menuEntries(settings, t).map(({ id, title, visible }) => chrome.contextMenus.update(id, { title, visible })));
  } catch {
    await createMenus();
  }
}

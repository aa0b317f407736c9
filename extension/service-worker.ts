/**
 * Looptab's service worker: owns the controls (action, shortcuts, menus, downloads, badge) and
 * keeps no state of its own; the offscreen document records, chrome.storage.session remembers.
 */
import { showError, showProgress } from './background/badge';
import { loadSettings } from './background/settings-store';
import type { ClipFormat } from '../src/clip/clip-formats';
import * as handlers from './background/handlers';
import { dispatch, type Handlers } from '../src/contract/dispatch';
import { errorMessage } from '../src/contract/errors';
import { parsePublicRequest, type PublicReplies, type PublicRequest } from '../src/contract/messages';
import { isAddressedTo, parseServiceWorkerEvent, type ServiceWorkerEvent } from '../src/contract/offscreen-messages';

const MENU_SECONDS = [10, 30, 60] as const;
const COMMAND_SECONDS: Record<string, number> = { 'save-last-30': 30 };

const publicHandlers: Handlers<PublicRequest, PublicReplies> = {
  status: () => handlers.status(),
  arm: ({ tabId }) => handlers.arm(tabId),
  disarm: () => handlers.disarm(),
  pause: () => handlers.pause(),
  resume: () => handlers.resume(),
  cancel: () => handlers.cancel(),
  save: ({ seconds, format }) => handlers.save(seconds, format),
};

/** Only our own pages may drive the recorder (no content scripts, no externally_connectable). */
function fromOwnExtensionPage(sender: chrome.runtime.MessageSender): boolean {
  // A content script's sender.url is the web page's, so this also refuses anything a page injects.
  return sender.id === chrome.runtime.id && (sender.url ?? '').startsWith(chrome.runtime.getURL(''));
}

/** Events from the offscreen document (they need no reply). */
const eventHandlers: Handlers<ServiceWorkerEvent, { state: void; progress: void }> = {
  async state({ state, error }) {
    if (state === 'ended' || state === 'error') await showError(error ?? 'capture stopped; the buffer can still be saved.');
  },
  progress: ({ fraction }) => showProgress(fraction),
};

chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
  if (isAddressedTo(message, 'offscreen')) return false;
  if (sender.id !== chrome.runtime.id) return false;
  if (isAddressedTo(message, 'service-worker')) {
    const event = parseServiceWorkerEvent(message);
    if (event.ok) void dispatch(eventHandlers, event.value);
    else console.error(`Looptab: a malformed event from the recorder: ${event.error}`);
    return false;
  }
  if (!fromOwnExtensionPage(sender)) {
    sendResponse({ ok: false, error: 'Looptab only accepts requests from its own pages.' });
    return false;
  }
  const parsed = parsePublicRequest(message);
  if (!parsed.ok) {
    sendResponse({ ok: false, error: parsed.error });
    return false;
  }
  dispatch(publicHandlers, parsed.value).then(sendResponse, (error: unknown) => sendResponse({ ok: false, error: errorMessage(error) }));
  return true; // the reply comes asynchronously
});

/** Saves from a shortcut or menu, where there is no popup to show the result: use the badge. */
async function saveFromControl(seconds: number | 'gif-default', format: ClipFormat): Promise<void> {
  const length = seconds === 'gif-default' ? (await loadSettings()).settings.gifDefaultSec : seconds;
  const reply = await handlers.save(length, format).catch((error: unknown) => ({ ok: false as const, error: errorMessage(error) }));
  if (!reply.ok) await showError(reply.error);
}

chrome.commands.onCommand.addListener((command) => {
  if (command === 'toggle-pause') {
    void handlers.togglePause().then(async (reply) => {
      if (!reply.ok) await showError(reply.error);
    });
    return;
  }
  if (command === 'save-gif') {
    void saveFromControl('gif-default', 'gif');
    return;
  }
  const seconds = COMMAND_SECONDS[command];
  if (seconds !== undefined) void saveFromControl(seconds, 'mp4');
});

chrome.runtime.onInstalled.addListener(() => {
  void chrome.contextMenus.removeAll().then(() => {
    const menu = (id: string, title: string) =>
      chrome.contextMenus.create({ id, title, contexts: ['page', 'frame', 'selection', 'link', 'editable', 'image', 'video', 'audio', 'action'] });
    for (const seconds of MENU_SECONDS) menu(`save-${seconds}`, `Save last ${seconds} s`);
    menu('save-gif', 'Save last 10 s as GIF');
  });
});

chrome.contextMenus.onClicked.addListener((info) => {
  if (info.menuItemId === 'save-gif') {
    void saveFromControl(10, 'gif');
    return;
  }
  const match = /^save-(\d+)$/.exec(String(info.menuItemId));
  if (match) void saveFromControl(Number(match[1]), 'mp4');
});

chrome.downloads.onChanged.addListener((delta) => {
  const state = delta.state?.current;
  if (state === 'complete' || state === 'interrupted') void handlers.downloadEnded(delta.id);
});

chrome.tabs.onRemoved.addListener((tabId) => {
  void handlers.tabClosed(tabId);
});

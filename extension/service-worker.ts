/**
 * Looptab's service worker: owns the controls (action, shortcuts, menus, downloads, badge) and
 * keeps no state of its own; the offscreen document records, chrome.storage.session remembers.
 */
import { showError, showProgress } from './background/badge';
import { createMenus, runCommand, runMenuItem, updateMenus } from './background/controls';
import { onSettingsChange } from './settings-store';
import * as handlers from './background/handlers';
import * as libraryHandlers from './background/library-handlers';
import { exportEdit } from './background/export-handlers';
import { recordingChanged, recordStart, recordStop } from './background/record-handlers';
import { forgetRegion, region, regionFrame } from './background/region-handlers';
import { downloadEnded } from './background/downloads';
import { runNoticeClick } from './background/notifications';
import { dispatch, type Handlers } from '../src/contract/dispatch';
import { failure, failureOf } from '../src/contract/errors';
import { parsePublicRequest, type PublicReplies, type PublicRequest } from '../src/contract/messages';
import { isAddressedTo, parseServiceWorkerEvent, type ServiceWorkerEvent } from '../src/contract/offscreen-messages';

const publicHandlers: Handlers<PublicRequest, PublicReplies> = {
  status: () => handlers.status(),
  arm: ({ tabId }) => handlers.arm(tabId),
  disarm: () => handlers.disarm(),
  pause: () => handlers.pause(),
  resume: () => handlers.resume(),
  cancel: () => handlers.cancel(),
  save: ({ seconds, format }) => handlers.save(seconds, format, 'page'),
  export: ({ type: _type, ...spec }) => exportEdit(spec),
  'record-start': ({ includeBufferedSec }) => recordStart(includeBufferedSec),
  'record-stop': () => recordStop(),
  region: ({ rect }) => region(rect),
  'region-frame': () => regionFrame(),
  library: () => libraryHandlers.library(),
  'library-download': ({ id }) => libraryHandlers.libraryDownload(id),
  'library-rename': ({ id, title }) => libraryHandlers.libraryRename(id, title),
  'library-delete': ({ ids }) => libraryHandlers.libraryDelete(ids),
};

/** Only our own pages may drive the recorder (no content scripts, no externally_connectable). */
function fromOwnExtensionPage(sender: chrome.runtime.MessageSender): boolean {
  // A content script's sender.url is the web page's, so this also refuses anything a page injects.
  return sender.id === chrome.runtime.id && (sender.url ?? '').startsWith(chrome.runtime.getURL(''));
}

/** Events from the offscreen document (they need no reply). */
const eventHandlers: Handlers<ServiceWorkerEvent, { state: void; progress: void; recording: void }> = {
  async state({ state, error, errorText }) {
    if (state === 'ended' || state === 'error') await showError(errorText ?? error ?? { key: 'bg_capture_stopped' });
  },
  progress: ({ fraction }) => showProgress(fraction),
  recording: ({ active, elapsedSec, error, errorText }) => recordingChanged(active, elapsedSec, errorText ?? error),
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
    sendResponse(failure('err_own_pages_only'));
    return false;
  }
  const parsed = parsePublicRequest(message);
  if (!parsed.ok) {
    sendResponse({ ok: false, error: parsed.error });
    return false;
  }
  dispatch(publicHandlers, parsed.value).then(sendResponse, (error: unknown) => sendResponse(failureOf(error)));
  return true; // the reply comes asynchronously
});

chrome.commands.onCommand.addListener((command) => void runCommand(command));
chrome.contextMenus.onClicked.addListener((info) => void runMenuItem(info.menuItemId));
chrome.runtime.onInstalled.addListener(() => void createMenus());
// Top level, so a settings change wakes the worker to retitle the menu.
onSettingsChange(({ settings }) => void updateMenus(settings));

chrome.notifications.onButtonClicked.addListener((id, index) => void runNoticeClick(id, index));
chrome.notifications.onClicked.addListener((id) => void runNoticeClick(id, 'body'));

// Puppeteer can neither press a shortcut, click a menu entry nor click a notification: tests
// call these through the worker's evaluate, so they run exactly what the real controls run.
Object.assign(globalThis, { looptabControls: { runCommand, runMenuItem, runNoticeClick } });

chrome.downloads.onChanged.addListener((delta) => {
  const state = delta.state?.current;
  if (state === 'complete' || state === 'interrupted') void downloadEnded(delta.id);
});

chrome.tabs.onRemoved.addListener((tabId) => {
  void handlers.tabClosed(tabId);
  void forgetRegion(tabId);
});

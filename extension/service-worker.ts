/**
 * Looptab's service worker: owns the controls (action, shortcuts, menus, downloads, badge) and
 * keeps no state of its own; the offscreen document records, chrome.storage.session remembers.
 */
import { showError, showProgress } from './background/badge';
import { createMenus, runCommand, runMenuItem, updateMenus } from './background/controls';
import { onSettingsChange } from './settings-store';
import * as handlers from './background/handlers';
import {
  assertNever,
  errorMessage,
  isOffscreenRequest,
  isWorkerEvent,
  parsePublicRequest,
  type PublicReplies,
  type PublicRequest,
  type WorkerEvent,
} from '../src/contract/messages';

async function dispatch(request: PublicRequest): Promise<PublicReplies[PublicRequest['type']]> {
  switch (request.type) {
    case 'status':
      return handlers.status();
    case 'arm':
      return handlers.arm(request.tabId);
    case 'disarm':
      return handlers.disarm();
    case 'pause':
      return handlers.pause();
    case 'resume':
      return handlers.resume();
    case 'cancel':
      return handlers.cancel();
    case 'save':
      return handlers.save(request.seconds, request.format);
    default:
      return assertNever(request);
  }
}

/** Only our own pages may drive the recorder (no content scripts, no externally_connectable). */
function fromOwnExtensionPage(sender: chrome.runtime.MessageSender): boolean {
  // A content script's sender.url is the web page's, so this also refuses anything a page injects.
  return sender.id === chrome.runtime.id && (sender.url ?? '').startsWith(chrome.runtime.getURL(''));
}

async function onWorkerEvent(event: WorkerEvent): Promise<void> {
  switch (event.type) {
    case 'state':
      if (event.state === 'ended' || event.state === 'error') {
        await showError(event.error ?? 'capture stopped; the buffer can still be saved.');
      }
      return;
    case 'progress':
      await showProgress(event.fraction);
      return;
    default:
      return assertNever(event);
  }
}

chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
  if (isOffscreenRequest(message)) return false; // addressed to the offscreen document
  if (sender.id !== chrome.runtime.id) return false;
  if (isWorkerEvent(message)) {
    void onWorkerEvent(message);
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
  dispatch(parsed.value).then(sendResponse, (error: unknown) => sendResponse({ ok: false, error: errorMessage(error) }));
  return true; // the reply comes asynchronously
});

chrome.commands.onCommand.addListener((command) => void runCommand(command));
chrome.contextMenus.onClicked.addListener((info) => void runMenuItem(info.menuItemId));
chrome.runtime.onInstalled.addListener(() => void createMenus());
// Top level, so a settings change wakes the worker to retitle the menu.
onSettingsChange(({ settings }) => void updateMenus(settings));

// Puppeteer can neither press a shortcut nor click a menu entry: tests call these through the
// worker's evaluate, so they run exactly what the real controls run.
Object.assign(globalThis, { looptabControls: { runCommand, runMenuItem } });

chrome.downloads.onChanged.addListener((delta) => {
  const state = delta.state?.current;
  if (state === 'complete' || state === 'interrupted') void handlers.downloadEnded(delta.id);
});

chrome.tabs.onRemoved.addListener((tabId) => {
  void handlers.tabClosed(tabId);
});

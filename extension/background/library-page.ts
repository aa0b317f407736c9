/** Opens the library page, or brings forward the tab that already shows it. */
import type { OkReply } from '../../src/contract/messages';
import { readState, updateState } from './state';

const LIBRARY_PATH = 'library.html';
/** Two presses at once share one new tab. */
let opening: Promise<OkReply> | null = null;

/** The tab showing the library: the one this opened last, else any found among our pages. */
async function findLibraryTab(url: string): Promise<number | null> {
  const { libraryTabId } = await readState();
  if (libraryTabId !== null) {
    const tab = await chrome.tabs.get(libraryTabId).catch(() => null);
    // Still showing the library (not closed, not navigated away).
    if (tab && (tab.url ?? tab.pendingUrl)?.startsWith(url)) return libraryTabId;
  }
  const [open] = await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.TAB], documentUrls: [url] });
  return open && open.tabId >= 0 ? open.tabId : null;
}

async function open(): Promise<OkReply> {
  const url = chrome.runtime.getURL(LIBRARY_PATH);
  const tabId = await findLibraryTab(url);
  if (tabId !== null) {
    const tab = await chrome.tabs.update(tabId, { active: true });
    if (tab?.windowId !== undefined) await chrome.windows.update(tab.windowId, { focused: true });
    return { ok: true };
  }
  const tab = await chrome.tabs.create({ url });
  await updateState(() => ({ libraryTabId: tab.id ?? null }));
  return { ok: true };
}

export function openLibraryPage(): Promise<OkReply> {
  opening ??= open().finally(() => {
    opening = null;
  });
  return opening;
}

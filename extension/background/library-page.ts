/** Opens the library page (on one clip, `library.html#<id>`), or brings forward the tab that already shows it. */
import type { OkReply } from '../../src/contract/messages';
import { oneAtATime } from '../../src/async/one-at-a-time';
import { readState, updateState } from './state';

const LIBRARY_PATH = 'library.html';
/** Opens run one after another: two presses at once share one new tab. */
const opens = oneAtATime();

/** The tab showing the library: the one this opened last, else any found among our pages. */
async function findLibraryTab(url: string): Promise<number | null> {
  const { libraryTabId } = await readState();
  if (libraryTabId !== null) {
    const tab = await chrome.tabs.get(libraryTabId).catch(() => null);
    // Still showing the library (not closed, not navigated away).
    if (tab && (tab.url ?? tab.pendingUrl)?.startsWith(url)) return libraryTabId;
  }
  // documentUrls matches whole URLs, and a library tab's may end in #<clip id>.
  const tabs = await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.TAB] });
  const open = tabs.find((context) => context.tabId >= 0 && context.documentUrl?.startsWith(url));
  return open ? open.tabId : null;
}

async function open(clipId: string | null): Promise<OkReply> {
  const url = chrome.runtime.getURL(LIBRARY_PATH);
  const target = clipId === null ? url : `${url}#${encodeURIComponent(clipId)}`;
  const tabId = await findLibraryTab(url);
  // A change of the hash alone is no reload: the page scrolls to the clip (its hashchange).
  const tab = tabId !== null
    ? await chrome.tabs.update(tabId, { active: true, ...(clipId === null ? {} : { url: target }) })
    : await chrome.tabs.create({ url: target });
  if (tabId === null) await updateState(() => ({ libraryTabId: tab?.id ?? null }));
  // From a notification, the browser window may be behind another application's.
  if (tab?.windowId !== undefined) await chrome.windows.update(tab.windowId, { focused: true });
  return { ok: true };
}

/** Opens the library, on the clip `clipId` when given (scrolled to, focused and marked). */
export function openLibraryPage(clipId: string | null = null): Promise<OkReply> {
  return opens(() => open(clipId));
}

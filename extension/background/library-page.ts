/** Opens the library page, or brings forward the tab that already shows it. */
import type { OkReply } from '../../src/contract/messages';

const LIBRARY_PATH = 'library.html';

export async function openLibraryPage(): Promise<OkReply> {
  const url = chrome.runtime.getURL(LIBRARY_PATH);
  const [open] = await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.TAB], documentUrls: [url] });
  if (open && open.tabId >= 0) {
    await chrome.tabs.update(open.tabId, { active: true });
    if (open.windowId >= 0) await chrome.windows.update(open.windowId, { focused: true });
  } else {
    await chrome.tabs.create({ url });
  }
  return { ok: true };
}

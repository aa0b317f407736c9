/**
 * The comparison recorder's service worker: a toolbar click gets the tab's capture stream id and
 * opens the offscreen document with it (in its URL's hash), where the bench starts MediaRecorder.
 * A failure is kept in `benchError` for the bench to read.
 */
const scope = globalThis as typeof globalThis & { benchError?: string };

chrome.action.onClicked.addListener((tab) => {
  void (async () => {
    if (tab.id === undefined) throw new Error('the clicked tab has no id');
    const streamId = await chrome.tabCapture.getMediaStreamId({ targetTabId: tab.id });
    const open = await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] });
    if (open.length > 0) await chrome.offscreen.closeDocument();
    await chrome.offscreen.createDocument({
      url: `offscreen.html#${encodeURIComponent(streamId)}`,
      reasons: [chrome.offscreen.Reason.USER_MEDIA],
      justification: 'Record the tab with MediaRecorder, for comparison with Looptab.',
    });
  })().catch((error: unknown) => {
    scope.benchError = error instanceof Error ? error.message : String(error);
  });
});

/**
 * The service worker's side of the offscreen document: create it on demand, find it with
 * chrome.runtime.getContexts (the service worker keeps no handle across restarts), talk to it.
 */
import { LocalError } from '../../src/contract/errors';
import type { OffscreenReplies, OffscreenRequest } from '../../src/contract/offscreen-messages';

const OFFSCREEN_PATH = 'offscreen.html';
let creating: Promise<void> | null = null;

export async function hasOffscreenDocument(): Promise<boolean> {
  const contexts = await chrome.runtime.getContexts({
    contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT],
    documentUrls: [chrome.runtime.getURL(OFFSCREEN_PATH)],
  });
  return contexts.length > 0;
}

export async function ensureOffscreenDocument(): Promise<void> {
  if (await hasOffscreenDocument()) return;
  // Two arms at once must not both create it: only one offscreen document may exist.
  creating ??= chrome.offscreen
    .createDocument({
      url: OFFSCREEN_PATH,
      reasons: [chrome.offscreen.Reason.USER_MEDIA, chrome.offscreen.Reason.BLOBS],
      justification: 'Capture the armed tab, keep the last seconds encoded in memory, and keep saved clips in the library.',
    })
    .finally(() => {
      creating = null;
    });
  await creating;
}

export async function closeOffscreenDocument(): Promise<void> {
  if (await hasOffscreenDocument()) await chrome.offscreen.closeDocument();
}

export async function askOffscreen<R extends OffscreenRequest>(request: R): Promise<OffscreenReplies[R['type']]> {
  const reply = (await chrome.runtime.sendMessage({ ...request, target: 'offscreen' })) as OffscreenReplies[R['type']] | undefined;
  if (reply === undefined) throw new LocalError('err_recorder_no_answer');
  return reply;
}

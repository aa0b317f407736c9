/**
 * The public requests, one named async function each. The popup, the shortcut and the context
 * menu all end up here, so they behave the same.
 */
import { fitCaptureSize } from '../../src/codec/codecs';
import { BYTES_PER_MB } from '../../src/units';
import { clipFilename } from '../../src/settings/filename-template';
import type { ClipFormat } from '../../src/clip/clip-formats';
import { errorMessage, failure, failureOf, noticeEnglish, statusError, type Failure } from '../../src/contract/errors';
import { localize } from '../../src/i18n/english';
import { failureText } from '../i18n';
import { idleStatus, type OkReply, type SaveReply, type Status } from '../../src/contract/messages';
import { flashSaved, showArmed, showError, showIdle, showPaused } from './badge';
import { downloadBlobUrl } from './downloads';
import { announceFailed, announceSaved, type SaveSource } from './notifications';
import { askOffscreen, closeOffscreenDocument, ensureOffscreenDocument, hasOffscreenDocument } from './offscreen-client';
import { loadSettings } from '../settings-store';
import { keptRegion } from './region-handlers';
import { readState, updateState } from './state';
import { isProtectedPage } from '../../src/capture/protected-page';
import { oneAtATime } from '../../src/async/one-at-a-time';

/**
 * Arms and disarms run one at a time: two arms of one tab at once (the popup opened twice in
 * quick succession arms each time) would each take a stream id, and the second start would stop
 * the first capture and then be refused by Chrome: the tab's capture request was already used.
 */
const captureChanges = oneAtATime();

/** Turns Chrome's capture errors into what a user can act on. */
function armFailure(error: unknown): Failure {
  const message = errorMessage(error);
  if (/chrome pages cannot be captured|cannot be captured|not been invoked|cannot access/i.test(message)) {
    return failure('err_protected_page');
  }
  if (/active stream/i.test(message)) return failure('err_tab_busy');
  return failure('err_arm_failed', message);
}

/** A failed arm: on the tab's badge, and why in the reply (the popup shows it). */
async function armFailed(failed: Failure, tabId: number): Promise<Failure> {
  await showError(failureText(failed), tabId);
  return failed;
}


export async function status(): Promise<Status> {
  const [state, { settings }] = await Promise.all([readState(), loadSettings()]);
  if (!(await hasOffscreenDocument())) {
    let lastError = state.lastError;
    if (state.armedTabId !== null) {
      // Armed, yet the recorder is gone (Chrome closed it, or it crashed): say so once, reset.
      const lost = localize('err_recorder_lost');
      lastError = lost;
      await updateState(() => ({ armedTabId: null, tabTitle: null, tabClosed: false, lastError }));
      await showError(lost);
    }
    return idleStatus(lastError, settings.maxBufferMB * BYTES_PER_MB, settings.windowSec);
  }
  const recorder = await askOffscreen({ type: 'status' });
  if (recorder.lastError !== null) return recorder;
  return { ...recorder, ...statusError(state.tabClosed ? localize('err_tab_closed') : state.lastError) };
}

export function arm(tabId: number): Promise<OkReply> {
  return captureChanges(() => armNow(tabId));
}

async function armNow(tabId: number): Promise<OkReply> {
  const state = await readState();
  if (state.armedTabId === tabId && !state.tabClosed && (await hasOffscreenDocument())) {
    const current = await askOffscreen({ type: 'status' });
    if (current.state === 'armed' || current.state === 'starting') return { ok: true };
  }

  let tab: chrome.tabs.Tab;
  try {
    tab = await chrome.tabs.get(tabId);
  } catch {
    return failure('err_no_tab', tabId);
  }
  // Every arm follows a user gesture (toolbar, popup, shortcut) that grants activeTab, which
  // reveals the tab's URL. Chrome withholds that grant on protected pages (chrome://, the Web
  // Store, other extensions), yet getMediaStreamId may still hand out a stream of a page that
  // never paints: a hidden URL is the reliable sign. Without the "tabs" permission, by design.
  if (isProtectedPage(tab.url)) {
    return armFailed(failure('err_protected_page'), tabId);
  }

  let streamId: string;
  try {
    // A stream id is single use and expires within seconds: ask for it right before use.
    streamId = await chrome.tabCapture.getMediaStreamId({ targetTabId: tabId });
  } catch (error) {
    return armFailed(armFailure(error), tabId);
  }

  // Arming another tab replaces the recording: the old capture must stop first.
  if (await hasOffscreenDocument()) await askOffscreen({ type: 'stop' });
  await ensureOffscreenDocument();
  const { settings } = await loadSettings();
  const size = fitCaptureSize(tab.width, tab.height, settings.maxWidth, settings.maxHeight);
  const tabTitle = tab.title ?? null;
  const reply = await askOffscreen({ type: 'start', streamId, tabId, tabTitle: tabTitle ?? '', settings, captureSize: size, region: await keptRegion(tabId) });
  if (!reply.ok) {
    const failed = armFailure(reply.error);
    await updateState(() => ({ armedTabId: null, lastError: failed.errorText ?? failed.error }));
    return armFailed(failed, tabId);
  }
  await updateState(() => ({ armedTabId: tabId, tabTitle, sourceOrigin: originOf(tab.url), tabClosed: false, lastError: null }));
  await showArmed(tabTitle);
  return { ok: true };
}

export function disarm(): Promise<OkReply> {
  return captureChanges(disarmNow);
}

async function disarmNow(): Promise<OkReply> {
  if (await hasOffscreenDocument()) {
    await askOffscreen({ type: 'stop' });
    await closeOffscreenDocument();
  }
  await updateState(() => ({ armedTabId: null, tabTitle: null, sourceOrigin: null, tabClosed: false, lastError: null, pendingDownloads: {} }));
  await showIdle();
  return { ok: true };
}

export async function pause(): Promise<OkReply> {
  if (!(await hasOffscreenDocument())) return failure('err_not_recording');
  const reply = await askOffscreen({ type: 'pause' });
  if (reply.ok) await showPaused();
  return reply;
}

export async function resume(): Promise<OkReply> {
  if (!(await hasOffscreenDocument())) return failure('err_not_recording');
  const reply = await askOffscreen({ type: 'resume' });
  if (reply.ok) await showArmed((await readState()).tabTitle);
  return reply;
}

/** The shortcut's single key: pause when recording, resume when paused. */
export async function togglePause(): Promise<OkReply> {
  if (!(await hasOffscreenDocument())) return failure('err_not_recording');
  const { state } = await askOffscreen({ type: 'status' });
  return state === 'paused' ? resume() : pause();
}

/** Cancels the GIF being made; nothing is downloaded. */
export async function cancel(): Promise<OkReply> {
  if (!(await hasOffscreenDocument())) return failure('err_nothing_saving');
  return askOffscreen({ type: 'cancel' });
}

/**
 * Saves the last `seconds`; the reply comes once the download has started. A notification
 * follows (announceSaved: once the file is written and the thumbnail made), or says why it failed.
 */
export async function save(seconds: number, format: ClipFormat, source: SaveSource): Promise<SaveReply> {
  const { reply, downloadId } = await saveClip(seconds, format).catch((error: unknown) => ({ reply: failureOf(error), downloadId: null }));
  if (reply.ok && downloadId !== null) void announceSaved(reply, downloadId);
  else if (!reply.ok) void announceFailed(reply, source);
  return reply;
}

async function saveClip(seconds: number, format: ClipFormat): Promise<{ reply: SaveReply; downloadId: number | null }> {
  if (!(await hasOffscreenDocument())) {
    return { reply: failure('err_not_recording'), downloadId: null };
  }
  const [state, { settings }] = await Promise.all([readState(), loadSettings()]);
  const clip = await askOffscreen({
    type: 'save',
    seconds,
    format,
    postRollSec: settings.postRollSec,
    gif: { widthPx: settings.gifWidthPx, fps: settings.gifFps },
    library: { title: state.tabTitle ?? 'tab', sourceOrigin: state.sourceOrigin, capBytes: settings.libraryCapMB * BYTES_PER_MB },
  });
  if (!clip.ok) return { reply: clip, downloadId: null };

  const filename = clipFilename(
    settings.filenameTemplate,
    { title: state.tabTitle ?? 'tab', date: new Date(), seconds: clip.durationSec },
    format,
  );
  // The download and the library's copy of the clip run at the same time.
  const download = await downloadBlobUrl(clip.url, filename);
  const kept = await askOffscreen({ type: 'kept', url: clip.url });
  const libraryId = kept.ok ? kept.libraryId : null;
  const libraryError = kept.ok ? null : kept.error;
  if (!download.ok) return { reply: failure(libraryId ? 'err_download_start_clip_kept' : 'err_download_start', download.reason), downloadId: null };
  if (libraryError) void showError({ key: 'bg_clip_not_kept', substitutions: [libraryError] });
  else void flashSaved();
  const reply: SaveReply = {
    ok: true,
    filename,
    bytes: clip.bytes,
    format,
    requestedSec: clip.requestedSec,
    durationSec: clip.durationSec,
  };
  if (clip.note) reply.note = clip.note;
  if (clip.noteText) reply.noteText = clip.noteText;
  if (libraryId) reply.libraryId = libraryId;
  if (libraryError) {
    reply.libraryErrorText = localize('err_clip_not_kept', libraryError);
    reply.libraryError = noticeEnglish(reply.libraryErrorText);
  }
  return { reply, downloadId: download.downloadId };
}

function originOf(url: string | undefined): string | null {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
}

export async function tabClosed(tabId: number): Promise<void> {
  const state = await readState();
  if (state.armedTabId !== tabId) return;
  await updateState(() => ({ tabClosed: true }));
  await showError({ key: 'bg_tab_closed' });
}

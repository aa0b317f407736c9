/**
 * The public requests, one named async function each. The popup, the shortcut and the context
 * menu all end up here, so they behave the same.
 */
import { fitCaptureSize } from '../../src/codec/codecs';
import { BYTES_PER_MB } from '../../src/units';
import { clipFilename } from '../../src/settings/filename-template';
import type { ClipFormat } from '../../src/clip/clip-formats';
import { errorMessage, NOT_RECORDING_ERROR } from '../../src/contract/errors';
import { idleStatus, type OkReply, type SaveReply, type Status } from '../../src/contract/messages';
import { flashSaved, showArmed, showError, showIdle, showPaused } from './badge';
import { downloadBlobUrl } from './downloads';
import { announceFailed, announceSaved, type SaveSource } from './notifications';
import { askOffscreen, closeOffscreenDocument, ensureOffscreenDocument, hasOffscreenDocument } from './offscreen-client';
import { loadSettings } from '../settings-store';
import { keptRegion } from './region-handlers';
import { readState, updateState } from './state';

const PROTECTED_URL = /^(chrome|chrome-extension|chrome-untrusted|devtools|edge|about|view-source):|^https:\/\/(chromewebstore\.google\.com|chrome\.google\.com\/webstore)/;

const PROTECTED_PAGE_ERROR =
  'Chrome does not let extensions record this page (chrome:// pages, the Web Store and other ' +
  "extensions' pages are protected). Open a normal web page and click Looptab there.";

/** Turns Chrome's capture errors into what a user can act on. */
function armErrorMessage(error: unknown): string {
  const message = errorMessage(error);
  if (/chrome pages cannot be captured|cannot be captured|not been invoked|cannot access/i.test(message)) {
    return PROTECTED_PAGE_ERROR;
  }
  if (/active stream/i.test(message)) {
    return 'This tab is already being captured (by Looptab or another extension). Stop that capture first.';
  }
  return `Could not start recording: ${message}`;
}


export async function status(): Promise<Status> {
  const [state, { settings }] = await Promise.all([readState(), loadSettings()]);
  if (!(await hasOffscreenDocument())) {
    let lastError = state.lastError;
    if (state.armedTabId !== null) {
      // Armed, yet the recorder is gone (Chrome closed it, or it crashed): say so once, reset.
      lastError = 'The recorder stopped unexpectedly and its buffer was lost. Click Looptab on a tab to arm it again.';
      await updateState(() => ({ armedTabId: null, tabTitle: null, tabClosed: false, lastError }));
      await showError(lastError);
    }
    return idleStatus(lastError, settings.maxBufferMB * BYTES_PER_MB, settings.windowSec);
  }
  const recorder = await askOffscreen({ type: 'status' });
  const closedNote = state.tabClosed ? 'The recorded tab was closed; what was buffered can still be saved.' : null;
  return { ...recorder, lastError: recorder.lastError ?? closedNote ?? state.lastError };
}

export async function arm(tabId: number): Promise<OkReply> {
  const state = await readState();
  if (state.armedTabId === tabId && !state.tabClosed && (await hasOffscreenDocument())) {
    const current = await askOffscreen({ type: 'status' });
    if (current.state === 'armed' || current.state === 'starting') return { ok: true };
  }

  let tab: chrome.tabs.Tab;
  try {
    tab = await chrome.tabs.get(tabId);
  } catch {
    return { ok: false, error: `There is no tab ${tabId}.` };
  }
  // Every arm follows a user gesture (toolbar, popup, shortcut) that grants activeTab, which
  // reveals the tab's URL. Chrome withholds that grant on protected pages (chrome://, the Web
  // Store, other extensions), yet getMediaStreamId may still hand out a stream of a page that
  // never paints: a hidden URL is the reliable sign. Without the "tabs" permission, by design.
  if (!tab.url || PROTECTED_URL.test(tab.url)) {
    await showError(PROTECTED_PAGE_ERROR, tabId);
    return { ok: false, error: PROTECTED_PAGE_ERROR };
  }

  let streamId: string;
  try {
    // A stream id is single use and expires within seconds: ask for it right before use.
    streamId = await chrome.tabCapture.getMediaStreamId({ targetTabId: tabId });
  } catch (error) {
    const message = armErrorMessage(error);
    await showError(message, tabId);
    return { ok: false, error: message };
  }

  // Arming another tab replaces the recording: the old capture must stop first.
  if (await hasOffscreenDocument()) await askOffscreen({ type: 'stop' });
  await ensureOffscreenDocument();
  const { settings } = await loadSettings();
  const size = fitCaptureSize(tab.width, tab.height, settings.maxWidth, settings.maxHeight);
  const tabTitle = tab.title ?? null;
  const reply = await askOffscreen({ type: 'start', streamId, tabId, tabTitle: tabTitle ?? '', settings, captureSize: size, region: await keptRegion(tabId) });
  if (!reply.ok) {
    const message = armErrorMessage(reply.error);
    await updateState(() => ({ armedTabId: null, lastError: message }));
    await showError(message, tabId);
    return { ok: false, error: message };
  }
  await updateState(() => ({ armedTabId: tabId, tabTitle, sourceOrigin: originOf(tab.url), tabClosed: false, lastError: null }));
  await showArmed(tabTitle);
  return { ok: true };
}

export async function disarm(): Promise<OkReply> {
  if (await hasOffscreenDocument()) {
    await askOffscreen({ type: 'stop' });
    await closeOffscreenDocument();
  }
  await updateState(() => ({ armedTabId: null, tabTitle: null, sourceOrigin: null, tabClosed: false, lastError: null, pendingDownloads: {} }));
  await showIdle();
  return { ok: true };
}

export async function pause(): Promise<OkReply> {
  if (!(await hasOffscreenDocument())) return { ok: false, error: NOT_RECORDING_ERROR };
  const reply = await askOffscreen({ type: 'pause' });
  if (reply.ok) await showPaused();
  return reply;
}

export async function resume(): Promise<OkReply> {
  if (!(await hasOffscreenDocument())) return { ok: false, error: NOT_RECORDING_ERROR };
  const reply = await askOffscreen({ type: 'resume' });
  if (reply.ok) await showArmed((await readState()).tabTitle);
  return reply;
}

/** The shortcut's single key: pause when recording, resume when paused. */
export async function togglePause(): Promise<OkReply> {
  if (!(await hasOffscreenDocument())) return { ok: false, error: NOT_RECORDING_ERROR };
  const { state } = await askOffscreen({ type: 'status' });
  return state === 'paused' ? resume() : pause();
}

/** Cancels the GIF being made; nothing is downloaded. */
export async function cancel(): Promise<OkReply> {
  if (!(await hasOffscreenDocument())) return { ok: false, error: 'Nothing is being saved.' };
  return askOffscreen({ type: 'cancel' });
}

/**
 * Saves the last `seconds`; the reply comes once the download has started. A notification
 * follows (announceSaved: once the file is written and the thumbnail made), or says why it failed.
 */
export async function save(seconds: number, format: ClipFormat, source: SaveSource): Promise<SaveReply> {
  const { reply, downloadId } = await saveClip(seconds, format).catch((error: unknown) => ({ reply: { ok: false as const, error: errorMessage(error) }, downloadId: null }));
  if (reply.ok && downloadId !== null) void announceSaved(reply, downloadId);
  else if (!reply.ok) void announceFailed(reply.error, source);
  return reply;
}

async function saveClip(seconds: number, format: ClipFormat): Promise<{ reply: SaveReply; downloadId: number | null }> {
  if (!(await hasOffscreenDocument())) {
    return { reply: { ok: false, error: NOT_RECORDING_ERROR }, downloadId: null };
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
  if (!download.ok) return { reply: { ok: false, error: libraryId ? `${download.error} The clip was kept in the library.` : download.error }, downloadId: null };
  if (libraryError) void showError(`the clip was downloaded but not kept in the library: ${libraryError}`);
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
  if (libraryId) reply.libraryId = libraryId;
  if (libraryError) reply.libraryError = `The clip was downloaded but not kept in the library: ${libraryError}`;
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
  await showError('the recorded tab was closed; the buffer can still be saved from the popup.');
}

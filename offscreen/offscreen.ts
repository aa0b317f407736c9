/**
 * The offscreen document: answers the service worker's requests for the one Recorder and for
 * the clip library (offscreen/library/library-service.ts).
 */
import { dispatch, type Handlers } from '../src/contract/dispatch';
import { errorMessage, failure, failureOf, noticeEnglish, statusError, type Notice } from '../src/contract/errors';
import { localize } from '../src/i18n/english';
import { idleStatus, type OkReply } from '../src/contract/messages';
import {
  isAddressedTo,
  parseOffscreenRequest,
  type OffscreenReplies,
  type OffscreenRequest,
  type ServiceWorkerEvent,
} from '../src/contract/offscreen-messages';
import { ExportService } from './editor/export-service';
import { keepInLibrary, libraryFileUrl, openLibrary, revokeLibraryUrl, thumbnailDataUrl } from './library/library-service';
import { Recorder } from './recorder';
import { recoverRecordings } from './recording/recording-service';

let recorder: Recorder | null = null;

function notifyServiceWorker(event: ServiceWorkerEvent): void {
  chrome.runtime.sendMessage({ ...event, target: 'service-worker' }).catch(() => undefined);
}

const exports = new ExportService((fraction) => notifyServiceWorker({ type: 'progress', fraction }));
const idle = idleStatus(null, 0, 0);
const notRecording: OkReply = failure('err_not_recording');

async function stopRecorder(): Promise<void> {
  await recorder?.stop();
  recorder = null;
}

const handlers: Handlers<OffscreenRequest, OffscreenReplies> = {
  async start({ streamId, tabId, tabTitle, settings, captureSize, region }) {
    await stopRecorder();
    const started = new Recorder(tabId, tabTitle, settings, captureSize, {
      onStateChange: (state, error) => notifyServiceWorker(error ? { type: 'state', state, error: noticeEnglish(error), errorText: error } : { type: 'state', state, error: null }),
      onProgress: (fraction) => notifyServiceWorker({ type: 'progress', fraction }),
      keep: keepInLibrary,
      onRecording: (active, elapsedSec, error) => {
        const { lastError, lastErrorText } = statusError(error);
        notifyServiceWorker({ type: 'recording', active, elapsedSec, error: lastError, ...(lastErrorText ? { errorText: lastErrorText } : {}) });
      },
    });
    recorder = started;
    try {
      await started.start(streamId, region);
      return { ok: true };
    } catch (error) {
      await stopRecorder();
      return { ok: false, error: errorMessage(error) };
    }
  },
  async stop() {
    await stopRecorder();
    return { ok: true };
  },
  pause() {
    if (!recorder) return notRecording;
    recorder.pause();
    return { ok: true };
  },
  resume() {
    if (!recorder) return notRecording;
    recorder.resume();
    return { ok: true };
  },
  status() {
    const status = recorder?.status() ?? idle;
    const withNote = status.lastError === null && recoveryNote ? { ...status, ...statusError(recoveryNote) } : status;
    return status.export ? withNote : { ...withNote, export: exports.current };
  },
  async 'record-start'(request) {
    if (!recorder) return notRecording;
    await recovery;
    return recorder.startRecording(request);
  },
  'record-stop'() {
    if (!recorder) return failure('err_not_recording_to_disk');
    return recorder.stopRecording();
  },
  region(request) {
    return recorder ? recorder.setRegion(request) : notRecording;
  },
  'region-frame'({ viewportCss }) {
    return recorder ? recorder.regionFrame(viewportCss) : notRecording;
  },
  save({ seconds, format, postRollSec, gif, library: target }) {
    if (!recorder) return notRecording;
    return recorder.save({ seconds, format, postRollSec, gif, library: target });
  },
  cancel() {
    const cancelled = [recorder?.cancelExports() ?? false, exports.cancel()];
    if (!cancelled.includes(true)) return failure('err_nothing_saving_or_exporting');
    return { ok: true };
  },
  revoke({ url }) {
    if (!revokeLibraryUrl(url) && !exports.revoke(url)) recorder?.revoke(url);
    return { ok: true };
  },
  async kept({ url }) {
    const exported = await exports.kept(url);
    if (exported) return exported;
    if (!recorder) return notRecording;
    return recorder.kept(url);
  },
  export: ({ spec, gif, capBytes, editedWord }) => exports.export(spec, gif, capBytes, editedWord),
  async library() {
    return { ok: true, ...(await (await openLibrary()).list()) };
  },
  'library-file': ({ id }) => libraryFileUrl(id),
  thumbnail: ({ id }) => thumbnailDataUrl(id),
  async 'library-rename'({ id, title }) {
    const renamed = await (await openLibrary()).rename(id, title);
    return renamed.ok ? { ok: true } : renamed;
  },
  async 'library-delete'({ ids }) {
    const removed = await (await openLibrary()).remove(ids);
    return removed.ok ? { ok: true } : removed;
  },
};

/** What a crash left of a recording is finished when the document starts, and the user told. */
let recoveryNote: Notice | null = null;
const recovery = (async () => {
  try {
    const store = await openLibrary();
    // The library size is applied at the next save (this document cannot read the settings).
    const messages = await recoverRecordings(Number.MAX_SAFE_INTEGER, (id) => store.has(id), (note) => store.report(note));
    // One notice keeps its local form; several are said together in English.
    if (messages.length > 0) recoveryNote = messages.length === 1 ? messages[0]! : messages.map(noticeEnglish).join(' ');
  } catch (error) {
    recoveryNote = localize('err_recovery_check_failed', errorMessage(error));
  }
})();

chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id || !isAddressedTo(message, 'offscreen')) return false;
  const parsed = parseOffscreenRequest(message);
  if (!parsed.ok) {
    sendResponse({ ok: false, error: parsed.error });
    return false;
  }
  dispatch(handlers, parsed.value).then(sendResponse, (error: unknown) => sendResponse(failureOf(error)));
  return true;
});

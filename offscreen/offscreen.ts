/**
 * The offscreen document: answers the service worker's requests for the one Recorder.
 */
import { assertNever, errorMessage, idleStatus, type OffscreenReplies, type OffscreenRequest, type WorkerEvent } from '../src/contract/messages';
import { GifClient } from './gif/gif-client';
import { MuxClient } from './mux-client';
import { Recorder } from './recorder';

const muxer = new MuxClient();
const gifs = new GifClient();
let recorder: Recorder | null = null;

type WorkerEventBody = WorkerEvent extends infer E ? (E extends WorkerEvent ? Omit<E, 'target'> : never) : never;

function notifyWorker(event: WorkerEventBody): void {
  chrome.runtime.sendMessage({ ...event, target: 'worker' }).catch(() => undefined);
}

const idle = idleStatus(null, 0, 0);

async function handle(request: OffscreenRequest): Promise<OffscreenReplies[OffscreenRequest['type']]> {
  switch (request.type) {
    case 'start': {
      await recorder?.stop();
      recorder = new Recorder(request.tabId, request.tabTitle, request.settings, muxer, gifs, {
        onStateChange: (state, error) => notifyWorker({ type: 'state', state, error }),
        onProgress: (fraction) => notifyWorker({ type: 'progress', fraction }),
      });
      try {
        await recorder.start(request.streamId);
        return { ok: true };
      } catch (error) {
        await recorder.stop();
        recorder = null;
        return { ok: false, error: errorMessage(error) };
      }
    }
    case 'stop':
      await recorder?.stop();
      recorder = null;
      return { ok: true };
    case 'pause':
    case 'resume':
      if (!recorder) return { ok: false, error: 'Looptab is not recording: arm a tab first.' };
      if (request.type === 'pause') recorder.pause();
      else recorder.resume();
      return { ok: true };
    case 'status':
      return recorder?.status() ?? idle;
    case 'save':
      if (!recorder) return { ok: false, error: 'Looptab is not recording: arm a tab first.' };
      return recorder.save(request.seconds, request.postRollSec, request.format, request.gif);
    case 'cancel':
      if (!recorder?.cancelExports()) return { ok: false, error: 'No GIF is being made.' };
      return { ok: true };
    case 'inject-fault':
      if (!recorder) return { ok: false, error: 'nothing is recording' };
      recorder.injectEncoderError();
      return { ok: true };
    case 'revoke':
      recorder?.revoke(request.url);
      return { ok: true };
    default:
      return assertNever(request);
  }
}

chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id) return false;
  if (typeof message !== 'object' || message === null || (message as { target?: unknown }).target !== 'offscreen') return false;
  handle(message as OffscreenRequest).then(sendResponse, (error: unknown) =>
    sendResponse({ ok: false, error: errorMessage(error) }),
  );
  return true;
});

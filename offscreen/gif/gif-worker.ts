/// <reference lib="webworker" />
/**
 * The GIF worker's entry: checks each request at the boundary, runs encodes one at a time in
 * arrival order (two at once would only share the same two cores), and answers cancels.
 * The encode itself is encode-gif.ts.
 */
import {
  gifRequestId,
  parseGifRequest,
  type GifEncodeRequest,
  type GifRequest,
  type GifResponse,
} from '../../src/contract/gif-worker-protocol';
import { dispatch, type Handlers } from '../../src/contract/dispatch';
import { errorMessage } from '../../src/contract/errors';
import { DecodeJob } from './decode-scheduler';
import { encodeGif } from './encode-gif';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(response: GifResponse, transfer: Transferable[] = []): void {
  scope.postMessage(response, transfer);
}

/** An encode request and the job that decodes it. */
interface QueuedEncode {
  request: GifEncodeRequest;
  job: DecodeJob;
}

let active: QueuedEncode | null = null;
/** Encodes waiting for the active one, in arrival order. */
const waiting: QueuedEncode[] = [];

async function drain(): Promise<void> {
  if (active) return;
  for (let next = waiting.shift(); next; next = waiting.shift()) {
    active = next;
    const { request, job } = next;
    const { id } = request;
    try {
      job.check();
      const result = await encodeGif(job, request, (fraction) => post({ id, type: 'progress', fraction }));
      post({ id, type: 'done', ...result }, [result.data.buffer as ArrayBuffer]);
    } catch (error) {
      if (job.cancelled) post({ id, type: 'cancelled' });
      else post({ id, type: 'error', error: `GIF encoding failed: ${errorMessage(job.failure ?? error)}` });
    } finally {
      job.close();
      active = null;
    }
  }
}

const handlers: Handlers<GifRequest, { encode: void; cancel: void }> = {
  encode(request) {
    waiting.push({ request, job: new DecodeJob() });
    void drain();
  },
  cancel({ id }) {
    if (active?.request.id === id) {
      active.job.cancel();
      return;
    }
    const index = waiting.findIndex((queued) => queued.request.id === id);
    if (index >= 0) {
      waiting.splice(index, 1);
      post({ id, type: 'cancelled' });
    }
  },
};

scope.onmessage = (event: MessageEvent<unknown>) => {
  const parsed = parseGifRequest(event.data);
  if (!parsed.ok) {
    post({ id: gifRequestId(event.data), type: 'error', error: parsed.error });
    return;
  }
  dispatch(handlers, parsed.value).catch((error: unknown) => post({ id: parsed.value.id, type: 'error', error: errorMessage(error) }));
};

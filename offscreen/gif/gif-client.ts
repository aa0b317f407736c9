/**
 * Runs GIF encoding in a worker so a save never blocks the capture loop on this thread.
 */
import type { GifCancelRequest, GifEncodeRequest, GifResponse, GifResult } from '../../src/contract/gif-worker-protocol';
import { WorkerRequests } from '../worker-requests';

export type { GifResult } from '../../src/contract/gif-worker-protocol';

/** What {@link GifClient.encode} needs: an encode request without its id (the client assigns one). */
export type GifEncodeParams = Omit<GifEncodeRequest, 'id' | 'type'>;

/** A running encode: a promise of the GIF that also carries the id to {@link GifClient.cancel} it with. */
export type GifEncoding = Promise<GifResult> & { readonly id: number };

/** The error an encode rejects with when it was cancelled. */
export class GifCancelledError extends Error {
  constructor() {
    super('The GIF was cancelled.');
    this.name = 'GifCancelledError';
  }
}

interface Waiter {
  resolve(result: GifResult): void;
  reject(error: Error): void;
  onProgress: ((fraction: number) => void) | undefined;
}

/** What each response does to the request waiting for it; `done` settles the request. */
const responseHandlers: {
  [T in GifResponse['type']]: (response: Extract<GifResponse, { type: T }>, waiter: Waiter, done: () => void) => void;
} = {
  progress({ fraction }, waiter) {
    waiter.onProgress?.(fraction);
  },
  done({ id: _id, type: _type, ...result }, waiter, done) {
    done();
    waiter.resolve(result);
  },
  error({ error }, waiter, done) {
    done();
    waiter.reject(new Error(error));
  },
  cancelled(_response, waiter, done) {
    done();
    waiter.reject(new GifCancelledError());
  },
};

function onResponse<T extends GifResponse['type']>(type: T, response: Extract<GifResponse, { type: T }>, waiter: Waiter, done: () => void): void {
  responseHandlers[type](response, waiter, done);
}

export class GifClient {
  readonly #requests: WorkerRequests<GifResponse, Waiter>;

  /** `workerUrl` is relative to the page (dist/ lays gif-worker.js beside offscreen.html). */
  constructor(workerUrl = 'gif-worker.js') {
    this.#requests = new WorkerRequests<GifResponse, Waiter>(workerUrl, 'GIF encoder', (response, waiter, done) =>
      onResponse(response.type, response, waiter, done),
    );
  }

  /** Starts the worker ahead of the first encode. */
  warm(): void {
    this.#requests.warm();
  }

  /**
   * Encodes a clip to a GIF. The video chunk bytes are transferred (the caller must not use them
   * after). `onProgress` gets fractions in (0, 1]. Rejects with {@link GifCancelledError} after
   * {@link cancel}, or with the worker's error. The returned promise's `id` is what to cancel.
   */
  encode(params: GifEncodeParams, onProgress?: (fraction: number) => void): GifEncoding {
    let id = 0;
    const promise = new Promise<GifResult>((resolve, reject) => {
      id = this.#requests.send(
        { resolve, reject, onProgress },
        (requestId) => ({ id: requestId, type: 'encode', ...params }) satisfies GifEncodeRequest,
        [params.video.chunks.bytes.buffer as ArrayBuffer],
      );
    });
    return Object.assign(promise, { id });
  }

  /**
   * Cancels encode `id` (`encoding.id`): its promise rejects with {@link GifCancelledError} once
   * the worker has closed every decoder and frame. Unknown or finished ids are ignored.
   */
  cancel(id: number): void {
    this.#requests.post(id, { id, type: 'cancel' } satisfies GifCancelRequest);
  }

  /** Ends the worker; encodes in flight reject. */
  close(): void {
    this.#requests.close();
  }
}

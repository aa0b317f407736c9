/**
 * Runs GIF encoding in a worker so a save never blocks the capture loop on this thread.
 */
import type { GifRequest, GifResponse } from './gif-worker';
import { WorkerRequests } from './worker-requests';

type EncodeRequest = Extract<GifRequest, { type: 'encode' }>;

/** What {@link GifClient.encode} needs: an encode request without its id (the client assigns one). */
export type GifEncodeParams = Omit<EncodeRequest, 'id' | 'type'>;

/** A finished GIF. */
export type GifResult = Omit<Extract<GifResponse, { type: 'done' }>, 'id' | 'type'>;

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

export class GifClient {
  readonly #requests: WorkerRequests<GifResponse, Waiter>;

  /** `workerUrl` is relative to the page (dist/ lays gif-worker.js beside offscreen.html). */
  constructor(workerUrl = 'gif-worker.js') {
    this.#requests = new WorkerRequests<GifResponse, Waiter>(workerUrl, 'GIF encoder', (response, waiter, done) => {
      switch (response.type) {
        case 'progress':
          waiter.onProgress?.(response.fraction);
          return;
        case 'done': {
          done();
          const { id: _id, type: _type, ...result } = response;
          waiter.resolve(result);
          return;
        }
        case 'error':
          done();
          waiter.reject(new Error(response.error));
          return;
        case 'cancelled':
          done();
          waiter.reject(new GifCancelledError());
          return;
      }
    });
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
        (requestId) => ({ id: requestId, type: 'encode', ...params }) satisfies EncodeRequest,
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
    this.#requests.post(id, { id, type: 'cancel' } satisfies GifRequest);
  }

  /** Ends the worker; encodes in flight reject. */
  close(): void {
    this.#requests.close();
  }
}

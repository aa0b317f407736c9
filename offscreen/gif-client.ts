/**
 * Runs GIF encoding in a worker so a save never blocks the capture loop on this thread.
 */
import type { GifRequest, GifResponse } from './gif-worker';

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
  readonly #workerUrl: string;
  #worker: Worker | null = null;
  #nextId = 1;
  #waiting = new Map<number, Waiter>();

  /** `workerUrl` is relative to the page (dist/ lays gif-worker.js beside offscreen.html). */
  constructor(workerUrl = 'gif-worker.js') {
    this.#workerUrl = workerUrl;
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(this.#workerUrl);
    worker.onmessage = (event: MessageEvent<GifResponse>) => {
      const response = event.data;
      const waiter = this.#waiting.get(response.id);
      if (!waiter) return;
      switch (response.type) {
        case 'progress':
          waiter.onProgress?.(response.fraction);
          return;
        case 'done': {
          this.#waiting.delete(response.id);
          const { id: _id, type: _type, ...result } = response;
          waiter.resolve(result);
          return;
        }
        case 'error':
          this.#waiting.delete(response.id);
          waiter.reject(new Error(response.error));
          return;
        case 'cancelled':
          this.#waiting.delete(response.id);
          waiter.reject(new GifCancelledError());
          return;
      }
    };
    worker.onerror = (event) => {
      // A crashed worker fails every encode in flight; the next encode starts a new one.
      const error = new Error(`The GIF encoder crashed: ${event.message}`);
      for (const waiter of this.#waiting.values()) waiter.reject(error);
      this.#waiting.clear();
      worker.terminate();
      this.#worker = null;
    };
    this.#worker = worker;
    return worker;
  }

  /** Starts the worker ahead of the first encode. */
  warm(): void {
    this.#ensureWorker();
  }

  /**
   * Encodes a clip to a GIF. The video chunk bytes are transferred (the caller must not use them
   * after). `onProgress` gets fractions in (0, 1]. Rejects with {@link GifCancelledError} after
   * {@link cancel}, or with the worker's error. The returned promise's `id` is what to cancel.
   */
  encode(params: GifEncodeParams, onProgress?: (fraction: number) => void): GifEncoding {
    const id = this.#nextId++;
    const worker = this.#ensureWorker();
    const request: GifRequest = { id, type: 'encode', ...params };
    const promise = new Promise<GifResult>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject, onProgress });
      worker.postMessage(request, [params.video.chunks.bytes.buffer as ArrayBuffer]);
    });
    return Object.assign(promise, { id });
  }

  /**
   * Cancels encode `id` (`encoding.id`): its promise rejects with {@link GifCancelledError} once
   * the worker has closed every decoder and frame. Unknown or finished ids are ignored.
   */
  cancel(id: number): void {
    if (!this.#waiting.has(id) || !this.#worker) return;
    this.#worker.postMessage({ id, type: 'cancel' } satisfies GifRequest);
  }

  /** Ends the worker; encodes in flight reject. */
  close(): void {
    this.#worker?.terminate();
    this.#worker = null;
    for (const waiter of this.#waiting.values()) waiter.reject(new Error('The recorder stopped.'));
    this.#waiting.clear();
  }
}

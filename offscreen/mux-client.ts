/**
 * Runs muxing in a worker so a save never blocks the capture loop on this thread.
 */
import type { ClipInput } from '../src/clip/clip-input';
import type { MuxRequest, MuxResponse } from '../src/contract/mux-worker-protocol';
import { WorkerRequests } from './worker-requests';

interface Waiter {
  resolve(blob: Blob): void;
  reject(error: Error): void;
}

export class MuxClient {
  readonly #requests = new WorkerRequests<MuxResponse, Waiter>('mux-worker.js', 'muxer', (response, waiter, done) => {
    done();
    if (response.ok) waiter.resolve(response.blob);
    else waiter.reject(new Error(response.error));
  });

  /** Starts the worker ahead of the first save: loading the muxer costs ~200 ms once. */
  warm(): void {
    this.#requests.warm();
  }

  /** Muxes a clip; its chunk buffers are transferred (the caller must not use them after). */
  mux(clip: ClipInput): Promise<Blob> {
    const transfer: Transferable[] = [clip.video.chunks.bytes.buffer as ArrayBuffer];
    if (clip.audio) transfer.push(clip.audio.chunks.bytes.buffer as ArrayBuffer);
    return new Promise((resolve, reject) => {
      this.#requests.send({ resolve, reject }, (id) => ({ id, clip }) satisfies MuxRequest, transfer);
    });
  }

  close(): void {
    this.#requests.close();
  }
}

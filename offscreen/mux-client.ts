/**
 * Runs muxing in a worker so a save never blocks the capture loop on this thread.
 */
import type { ClipInput } from '../src/mux';
import type { MuxRequest, MuxResponse } from './mux-worker';

export class MuxClient {
  #worker: Worker | null = null;
  #nextId = 1;
  #waiting = new Map<number, { resolve(blob: Blob): void; reject(error: Error): void }>();

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker('mux-worker.js');
    worker.onmessage = (event: MessageEvent<MuxResponse>) => {
      const response = event.data;
      const waiter = this.#waiting.get(response.id);
      if (!waiter) return;
      this.#waiting.delete(response.id);
      if (response.ok) waiter.resolve(response.blob);
      else waiter.reject(new Error(response.error));
    };
    worker.onerror = (event) => {
      // A crashed worker fails every save in flight; the next save starts a new one.
      const error = new Error(`The muxer crashed: ${event.message}`);
      for (const waiter of this.#waiting.values()) waiter.reject(error);
      this.#waiting.clear();
      worker.terminate();
      this.#worker = null;
    };
    this.#worker = worker;
    return worker;
  }

  /** Starts the worker ahead of the first save: loading the muxer costs ~200 ms once. */
  warm(): void {
    this.#ensureWorker();
  }

  /** Muxes a clip; its chunk buffers are transferred (the caller must not use them after). */
  mux(clip: ClipInput): Promise<Blob> {
    const id = this.#nextId++;
    const worker = this.#ensureWorker();
    const request: MuxRequest = { id, clip };
    const transfer: Transferable[] = [clip.video.chunks.bytes.buffer as ArrayBuffer];
    if (clip.audio) transfer.push(clip.audio.chunks.bytes.buffer as ArrayBuffer);
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      worker.postMessage(request, transfer);
    });
  }

  close(): void {
    this.#worker?.terminate();
    this.#worker = null;
    for (const waiter of this.#waiting.values()) waiter.reject(new Error('The recorder stopped.'));
    this.#waiting.clear();
  }
}

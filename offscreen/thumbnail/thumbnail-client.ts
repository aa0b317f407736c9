/** Runs thumbnails in a worker, so making one never blocks the capture loop on this thread. */
import type { ClipFormat } from '../../src/clip/clip-formats';
import type { ThumbnailRequest, ThumbnailResponse } from '../../src/contract/thumbnail-worker-protocol';
import { WorkerRequests } from '../worker-requests';

interface Waiter {
  resolve(image: Blob): void;
  reject(error: Error): void;
}

export class ThumbnailClient {
  readonly #requests = new WorkerRequests<ThumbnailResponse, Waiter>('thumbnail-worker.js', 'thumbnail maker', (response, waiter, done) => {
    done();
    if (response.ok) waiter.resolve(response.image);
    else waiter.reject(new Error(response.error));
  });

  /** A thumbnail of a saved clip file (a Blob is passed by reference, not copied). */
  make(format: ClipFormat, file: Blob): Promise<Blob> {
    return new Promise((resolve, reject) => {
      this.#requests.send({ resolve, reject }, (id) => ({ id, format, file }) satisfies ThumbnailRequest, []);
    });
  }

  close(): void {
    this.#requests.close();
  }
}

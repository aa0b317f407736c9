/** Runs editor exports in the export worker: one job in, progress, then the made clip or an error. */
import type { ExportJobRequest, ExportWorkerResponse } from '../../src/contract/export-worker-protocol';
import { WorkerRequests } from '../worker-requests';

export type ExportDone = Extract<ExportWorkerResponse, { type: 'done'; ok: true }>;

interface Waiter {
  resolve(done: ExportDone): void;
  reject(error: Error): void;
  onProgress(fraction: number): void;
}

export class ExportCancelledError extends Error {}

export class ExportClient {
  readonly #requests = new WorkerRequests<ExportWorkerResponse, Waiter>('export-worker.js', 'export worker', (response, waiter, done) => {
    if (response.type === 'progress') return waiter.onProgress(response.fraction);
    done();
    if (response.ok) waiter.resolve(response);
    else waiter.reject(response.cancelled ? new ExportCancelledError(response.error) : new Error(response.error));
  });

  /** Starts job; the returned id cancels it. */
  run(job: Omit<ExportJobRequest, 'id' | 'type'>, onProgress: (fraction: number) => void): { id: number; done: Promise<ExportDone> } {
    let id = 0;
    const done = new Promise<ExportDone>((resolve, reject) => {
      id = this.#requests.send({ resolve, reject, onProgress }, (requestId) => ({ type: 'export', id: requestId, ...job }) satisfies ExportJobRequest, []);
    });
    return { id, done };
  }

  cancel(id: number): void {
    this.#requests.post(id, { type: 'cancel', id });
  }
}

/** The offscreen document's side of the disk worker: requests with answers, packets without. */
import type { DiskEvent, DiskReply, DiskRequest } from '../../src/contract/disk-worker-protocol';
import type { RoutedPacket } from '../../src/recording/recording-router';
import { WorkerRequests } from '../worker-requests';

type Ok = Extract<DiskReply, { ok: true }>;
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

interface Waiter {
  resolve(reply: Ok): void;
  reject(error: Error): void;
}

export class DiskClient {
  readonly #requests: WorkerRequests<DiskReply, Waiter>;

  constructor(onEvent: (event: DiskEvent) => void) {
    this.#requests = new WorkerRequests<DiskReply, Waiter>(
      'disk-worker.js',
      'disk writer',
      (reply, waiter, done) => {
        done();
        if (reply.ok) waiter.resolve(reply);
        else waiter.reject(new Error(reply.error));
      },
      (message) => onEvent(message as DiskEvent),
    );
  }

  request<T extends Ok['type']>(message: DistributiveOmit<Exclude<DiskRequest, { type: 'packets' }>, 'id'>, expect: T): Promise<Extract<Ok, { type: T }>> {
    return new Promise((resolve, reject) => {
      this.#requests.send(
        {
          resolve: (reply) => (reply.type === expect ? resolve(reply as Extract<Ok, { type: T }>) : reject(new Error(`The disk writer answered ${reply.type}, not ${expect}.`))),
          reject,
        },
        (id) => ({ ...message, id }),
        [],
      );
    });
  }

  /** Hands packets over; their buffers move to the worker (the router's copies). */
  packets(packets: RoutedPacket[]): void {
    if (packets.length === 0) return;
    const message: DiskRequest = { id: 0, type: 'packets', packets };
    this.#requests.postOneWay(message, packets.map((packet) => packet.data.buffer as ArrayBuffer));
  }

  close(): void {
    this.#requests.close();
  }
}

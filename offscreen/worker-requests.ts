/**
 * Requests to a worker and their pending answers, shared by the mux and GIF clients: the worker
 * starts on first use, every request gets an id, a crash fails what is in flight (the next
 * request starts a new worker), and close() ends the worker and fails what is left.
 */
export interface Pending {
  reject(error: Error): void;
}

export class WorkerRequests<Response extends { id: number }, Waiter extends Pending> {
  #worker: Worker | null = null;
  #nextId = 1;
  readonly #waiting = new Map<number, Waiter>();

  /**
   * @param url the worker script, relative to the page
   * @param what names the worker in the crash message ("The <what> crashed")
   * @param onResponse handles a response to a request still waiting; it calls `done` when the
   *   request is settled (resolved or rejected) and will get no further responses
   * @param onEvent gets what the worker sends unasked (a message with no waiting id)
   */
  constructor(
    private readonly url: string,
    private readonly what: string,
    private readonly onResponse: (response: Response, waiter: Waiter, done: () => void) => void,
    private readonly onEvent?: (message: unknown) => void,
  ) {}

  /** Starts the worker ahead of the first request (loading it costs once). */
  warm(): void {
    this.#ensureWorker();
  }

  /** Sends `message(id)` with `waiter` waiting for its answers; returns the id. */
  send(waiter: Waiter, message: (id: number) => unknown, transfer: Transferable[]): number {
    const id = this.#nextId++;
    const worker = this.#ensureWorker();
    this.#waiting.set(id, waiter);
    worker.postMessage(message(id), transfer);
    return id;
  }

  /** Posts a message that gets no answer (a crash still fails what waits). */
  postOneWay(message: unknown, transfer: Transferable[]): void {
    this.#ensureWorker().postMessage(message, transfer);
  }

  /** Posts a follow-up about request `id` (a cancel), if it still waits. */
  post(id: number, message: unknown): void {
    if (this.#waiting.has(id)) this.#worker?.postMessage(message);
  }

  close(): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.#failAll(new Error('The recorder stopped.'));
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(this.url);
    worker.onmessage = (event: MessageEvent<Response>) => {
      const response = event.data;
      const waiter = this.#waiting.get(response.id);
      if (waiter) this.onResponse(response, waiter, () => this.#waiting.delete(response.id));
      else this.onEvent?.(response);
    };
    worker.onerror = (event) => {
      // A crashed worker fails every request in flight; the next request starts a new one.
      worker.terminate();
      this.#worker = null;
      this.#failAll(new Error(`The ${this.what} crashed: ${event.message}`));
    };
    this.#worker = worker;
    return worker;
  }

  #failAll(error: Error): void {
    for (const waiter of this.#waiting.values()) waiter.reject(error);
    this.#waiting.clear();
  }
}

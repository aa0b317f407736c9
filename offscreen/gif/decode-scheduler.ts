/**
 * Runs VideoDecoders for one encode job: decoded frames reach this thread one at a time and in
 * order, the decoders are fed only as fast as frames are handled (backpressure), and whatever
 * ends the job (done, error, cancel) closes every decoder and frame it opened.
 *
 * The decoder works on its own thread, so while this thread handles one frame the next ones
 * decode: the two cores work at once.
 */
import { errorMessage } from '../../src/contract/errors';

/**
 * Chunks queued in a decoder plus decoded frames waiting for this thread, at most: enough to
 * keep the decoder's thread busy while this one works, few frames in memory.
 */
const MAX_IN_FLIGHT = 6;

/** What a job's frames go through; it owns the frame and must {@link DecodeJob.release} it. */
export type FrameHandler = (frame: VideoFrame) => Promise<void> | void;

/**
 * Lets queued tasks run before continuing (a macrotask, not a microtask). The VideoDecoder is
 * fed from this thread's event loop, so it idles while JavaScript runs here: long work is cut
 * into steps of a few milliseconds with a yield between them.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Thrown inside a job that was cancelled, to unwind it. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/** Wakes whoever waits for "something changed" (queue space, a frame done, a stop). */
class Signal {
  #waiters: (() => void)[] = [];

  wait(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}

/**
 * One encode's decoding: its cancel flag, its first failure, and every decoder and VideoFrame it
 * opened, so that however it ends {@link close} leaves nothing open.
 */
export class DecodeJob {
  cancelled = false;
  /** First out-of-band failure (decoder error, exception while handling a frame). */
  failure: Error | null = null;
  readonly changed = new Signal();
  readonly #decoders = new Set<VideoDecoder>();
  readonly #frames = new Set<VideoFrame>();

  /** Throws if the job must stop: cancelled, or a failure arrived out of band. */
  check(): void {
    if (this.cancelled) throw new Cancelled();
    if (this.failure) throw this.failure;
  }

  get stopped(): boolean {
    return this.cancelled || this.failure !== null;
  }

  fail(error: unknown): void {
    this.failure ??= error instanceof Error ? error : new Error(errorMessage(error));
    this.#stop();
  }

  cancel(): void {
    this.cancelled = true;
    this.#stop();
  }

  /** Closing the decoders drops their queues and rejects pending flushes: the job unwinds at once. */
  #stop(): void {
    for (const decoder of this.#decoders) if (decoder.state !== 'closed') decoder.close();
    this.changed.notify();
  }

  /**
   * A decoder whose frames go, in order, through `handle` on this thread, one at a time.
   * Frames of a stopped job are released unseen.
   */
  pipeline(config: VideoDecoderConfig, handle: FrameHandler): FramePipeline {
    let pipeline: FramePipeline | null = null;
    const decoder = new VideoDecoder({
      output: (frame) => {
        this.#frames.add(frame);
        if (this.stopped) this.release(frame);
        else pipeline!.push(frame);
      },
      error: (error) => this.fail(new Error(`Decoding failed: ${error.message}`)),
    });
    decoder.addEventListener('dequeue', () => this.changed.notify());
    this.#decoders.add(decoder);
    decoder.configure(config);
    pipeline = new FramePipeline(this, decoder, handle);
    return pipeline;
  }

  release(frame: VideoFrame): void {
    frame.close();
    this.#frames.delete(frame);
  }

  close(): void {
    this.#stop();
    this.#decoders.clear();
    for (const frame of this.#frames) frame.close();
    this.#frames.clear();
  }
}

/** Decoded frames waiting for their turn on this thread, handled strictly in order. */
export class FramePipeline {
  readonly #queue: VideoFrame[] = [];
  #running: Promise<void> | null = null;

  constructor(
    private readonly job: DecodeJob,
    private readonly decoder: VideoDecoder,
    private readonly handle: FrameHandler,
  ) {}

  push(frame: VideoFrame): void {
    this.#queue.push(frame);
    // Cleared in a `finally` callback, which always runs after this assignment even when the
    // run completes synchronously.
    this.#running ??= this.#run().finally(() => {
      this.#running = null;
    });
  }

  async #run(): Promise<void> {
    const job = this.job;
    try {
      for (let frame = this.#queue.shift(); frame; frame = this.#queue.shift()) {
        if (job.stopped) job.release(frame);
        else await this.handle(frame);
        job.changed.notify();
      }
    } catch (error) {
      if (!job.cancelled) job.fail(error);
    }
  }

  /** Queues a chunk once the decoder queue and the frames waiting here leave room (backpressure). */
  async decode(chunk: EncodedVideoChunk): Promise<void> {
    for (;;) {
      this.job.check();
      if (this.decoder.decodeQueueSize + this.#queue.length < MAX_IN_FLIGHT) break;
      await this.job.changed.wait();
    }
    this.decoder.decode(chunk);
  }

  /** Waits until every queued chunk is decoded and handled; throws if the job stopped meanwhile. */
  async finish(): Promise<void> {
    try {
      await this.decoder.flush();
    } catch (error) {
      this.job.check();
      throw error;
    }
    while (this.#running) await this.#running;
    this.job.check();
    this.decoder.close();
  }
}

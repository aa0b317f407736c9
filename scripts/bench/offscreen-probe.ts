/**
 * Looks inside the offscreen document and its mux worker without changing the extension:
 * hooks injected over CDP timestamp each save's hand-offs (the clip saver's user timings of the
 * cut and of the MP4 with the writer that made it; chunks posted to the mux worker and the MP4
 * posted back, when mediabunny makes it; blob URL made), a long-task observer catches
 * main-thread stalls (the thread that reads capture frames), and Runtime.getHeapUsage reports
 * each context's memory.
 *
 * Functions evaluated in the browser must use only globals (`performance` is the global one,
 * never imported: a bundler would rename an import) and no named inner functions or
 * object-literal arrow properties (tsx wraps those in a `__name` helper the browser lacks).
 */
import type { CDPSession, Page, Target } from 'puppeteer-core';
import type { Looptab } from '../harness/browser';
import { clockOffsetMs } from './stats';

export interface HeapUsage {
  usedBytes: number;
  totalBytes: number;
  /** Blink's own garbage-collected heap (DOM, WebCodecs objects...). */
  embedderUsedBytes: number;
  /** ArrayBuffers and external strings: where the ring buffer's arenas live. */
  backingStoreBytes: number;
}

/** A save's hand-offs inside the offscreen document, on this process's `performance.now()` clock. */
export interface SaveTrace {
  /** Clip planned and cut out of the ring buffer (lent for the fast writer, copied for the GIF worker). */
  cutDoneAtMs: number | null;
  /** The MP4 is a Blob, by either writer. */
  mp4DoneAtMs: number | null;
  /** Which writer made it: 'fast', or 'mediabunny (why the fast one could not)'. */
  mp4Writer: string | null;
  /** Clip copied out for mediabunny and posted to the mux worker. */
  postedToMuxAtMs: number | null;
  muxStartedAtMs: number | null;
  /** The worker posts the finished MP4 back. */
  muxDoneAtMs: number | null;
  /** The MP4 is a Blob with an object URL (next: reply to the service worker). */
  blobUrlAtMs: number | null;
}

export interface LongTasks {
  supported: boolean;
  count: number;
  maxMs: number;
  totalMs: number;
}

type ProbeEvent = [kind: string, epochMs: number, detail?: string];

interface OffscreenProbeState {
  events: ProbeEvent[];
  longTaskMs: number[];
  longTasksSupported: boolean;
}

/** Runs in the offscreen document. */
function installOffscreenHooks(): void {
  const scope = globalThis as unknown as { benchProbe?: OffscreenProbeState };
  if (scope.benchProbe) return;
  const probe: OffscreenProbeState = {
    events: [],
    longTaskMs: [],
    longTasksSupported: PerformanceObserver.supportedEntryTypes.includes('longtask'),
  };
  scope.benchProbe = probe;
  const workerProto = Worker.prototype as unknown as { postMessage: (...args: unknown[]) => void };
  const post = workerProto.postMessage;
  workerProto.postMessage = function (this: Worker, ...args: unknown[]) {
    probe.events.push(['postedToMux', performance.timeOrigin + performance.now()]);
    return post.apply(this, args);
  };
  const createObjectURL = URL.createObjectURL;
  URL.createObjectURL = function (object: Blob | MediaSource) {
    const url = createObjectURL.call(URL, object);
    probe.events.push(['blobUrl', performance.timeOrigin + performance.now()]);
    return url;
  };
  // The clip saver's SAVE_CUT_MEASURE and SAVE_MP4_MEASURE, spelt out: nothing can be imported here.
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const endMs = performance.timeOrigin + entry.startTime + entry.duration;
      if (entry.name === 'looptab.save.cut') probe.events.push(['cutDone', endMs]);
      if (entry.name === 'looptab.save.mp4') probe.events.push(['mp4Done', endMs, String((entry as PerformanceMeasure).detail)]);
    }
  }).observe({ type: 'measure' });
  if (probe.longTasksSupported) {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) probe.longTaskMs.push(entry.duration);
    }).observe({ type: 'longtask' });
  }
}

/** Runs in the mux worker. */
function installWorkerHooks(): void {
  const scope = self as unknown as {
    benchProbe?: { events: ProbeEvent[] };
    postMessage: (...args: unknown[]) => void;
    onmessage: ((event: MessageEvent) => unknown) | null;
  };
  if (scope.benchProbe) return;
  const probe = { events: [] as ProbeEvent[] };
  scope.benchProbe = probe;
  // Wraps the worker's own handler: a listener added beside it would run only after the whole
  // mux, which completes in the microtasks that follow the handler.
  const handler = scope.onmessage;
  scope.onmessage = function (event: MessageEvent) {
    probe.events.push(['muxStarted', performance.timeOrigin + performance.now()]);
    return handler?.call(scope, event);
  };
  const post = scope.postMessage;
  scope.postMessage = function (...args: unknown[]) {
    probe.events.push(['muxDone', performance.timeOrigin + performance.now()]);
    return post.apply(scope, args);
  };
}

function drainEvents(): ProbeEvent[] {
  const probe = (globalThis as unknown as { benchProbe?: { events: ProbeEvent[] } }).benchProbe;
  if (!probe) return [];
  const events = probe.events;
  probe.events = [];
  return events;
}

function epochNowMs(): number {
  return performance.timeOrigin + performance.now();
}

async function findTarget(looptab: Looptab, suffix: string): Promise<Target> {
  const origin = `chrome-extension://${looptab.extensionId}/`;
  return looptab.browser.waitForTarget((t) => t.url().startsWith(origin) && t.url().endsWith(suffix), { timeout: 10_000 });
}

/** Calls `fn` in the context behind `session` (one without a Puppeteer handle, like a worker). */
async function evaluateIn<T>(session: CDPSession, fn: () => T): Promise<Awaited<T>> {
  const result = await session.send('Runtime.evaluate', { expression: `(${fn.toString()})()`, returnByValue: true, awaitPromise: true });
  if (result.exceptionDetails) throw new Error(`evaluation failed: ${result.exceptionDetails.exception?.description ?? result.exceptionDetails.text}`);
  return result.result.value as Awaited<T>;
}

async function heapUsage(session: CDPSession): Promise<HeapUsage> {
  const usage = await session.send('Runtime.getHeapUsage');
  return {
    usedBytes: usage.usedSize,
    totalBytes: usage.totalSize,
    embedderUsedBytes: usage.embedderHeapUsedSize,
    backingStoreBytes: usage.backingStorageSize,
  };
}

export class OffscreenProbe {
  private constructor(
    private readonly page: Page,
    private readonly offscreen: CDPSession,
    private readonly worker: CDPSession,
    /** Each context's epoch clock minus this process's performance.now(). */
    private readonly offsetMs: { offscreen: number; worker: number },
  ) {}

  /** Hooks the recording's offscreen document and mux worker (call after arming). */
  static async attach(looptab: Looptab): Promise<OffscreenProbe> {
    const offscreenTarget = await findTarget(looptab, '/offscreen.html');
    const page = await offscreenTarget.asPage();
    const offscreen = await offscreenTarget.createCDPSession();
    const worker = await (await findTarget(looptab, '/mux-worker.js')).createCDPSession();
    await page.evaluate(installOffscreenHooks);
    await evaluateIn(worker, installWorkerHooks);
    const now = (): number => performance.now();
    const offsetMs = {
      offscreen: await clockOffsetMs(() => page.evaluate(epochNowMs), now),
      worker: await clockOffsetMs(() => evaluateIn(worker, epochNowMs), now),
    };
    return new OffscreenProbe(page, offscreen, worker, offsetMs);
  }

  /** The hand-offs since the last call (one save's worth when called around each save). */
  async drainSaveTrace(): Promise<SaveTrace> {
    const offscreen = await this.page.evaluate(drainEvents);
    const worker = await evaluateIn(this.worker, drainEvents);
    const at = (events: ProbeEvent[], kind: string, offsetMs: number): number | null => {
      const event = events.find(([k]) => k === kind);
      return event ? event[1] - offsetMs : null;
    };
    return {
      cutDoneAtMs: at(offscreen, 'cutDone', this.offsetMs.offscreen),
      mp4DoneAtMs: at(offscreen, 'mp4Done', this.offsetMs.offscreen),
      mp4Writer: offscreen.find(([k]) => k === 'mp4Done')?.[2] ?? null,
      postedToMuxAtMs: at(offscreen, 'postedToMux', this.offsetMs.offscreen),
      muxStartedAtMs: at(worker, 'muxStarted', this.offsetMs.worker),
      muxDoneAtMs: at(worker, 'muxDone', this.offsetMs.worker),
      blobUrlAtMs: at(offscreen, 'blobUrl', this.offsetMs.offscreen),
    };
  }

  /** Main-thread tasks over 50 ms in the offscreen document since the last call. */
  async drainLongTasks(): Promise<LongTasks> {
    const { supported, durationsMs } = await this.page.evaluate(() => {
      const probe = (globalThis as unknown as { benchProbe?: OffscreenProbeState }).benchProbe;
      const taken = probe?.longTaskMs ?? [];
      if (probe) probe.longTaskMs = [];
      return { supported: probe?.longTasksSupported ?? false, durationsMs: taken };
    });
    return {
      supported,
      count: durationsMs.length,
      maxMs: durationsMs.reduce((max, ms) => Math.max(max, ms), 0),
      totalMs: durationsMs.reduce((sum, ms) => sum + ms, 0),
    };
  }

  /** Makes a Blob of `bytes` in the offscreen document and keeps it for premadeBlobUrl(). */
  async makePremadeBlob(bytes: number): Promise<void> {
    await this.page.evaluate((size: number) => {
      const data = new Uint8Array(size);
      // Not zeros: nothing on the way may treat it as sparse.
      for (let i = 0; i < size; i += 4096) data[i] = i & 0xff;
      (globalThis as unknown as { benchBlob?: Blob }).benchBlob = new Blob([data], { type: 'video/mp4' });
    }, bytes);
  }

  /** A blob URL of the kept Blob, made now (as the clip saver makes one of its MP4). */
  async premadeBlobUrl(): Promise<string> {
    return this.page.evaluate(() => URL.createObjectURL((globalThis as unknown as { benchBlob: Blob }).benchBlob));
  }

  async revokeUrl(url: string): Promise<void> {
    await this.page.evaluate((u: string) => URL.revokeObjectURL(u), url);
  }

  async dropPremadeBlob(): Promise<void> {
    await this.page.evaluate(() => delete (globalThis as unknown as { benchBlob?: Blob }).benchBlob);
  }

  async heap(): Promise<{ offscreen: HeapUsage; muxWorker: HeapUsage }> {
    return { offscreen: await heapUsage(this.offscreen), muxWorker: await heapUsage(this.worker) };
  }
}

/** A context's live JS heap: collected first, since V8 lets garbage pile up until it needs the room. */
export async function liveHeapBytes(session: CDPSession | null): Promise<number | null> {
  if (!session) return null;
  await session.send('HeapProfiler.collectGarbage').catch(() => undefined);
  const usage = await session.send('Runtime.getHeapUsage').catch(() => null);
  return usage?.usedSize ?? null;
}

/**
 * The comparison recorder: Chrome's own MediaRecorder on the tab's stream, opened exactly as
 * Looptab opens it (`openTabStream`, audio played back), in WebM or Matroska with timeslices.
 * The bench drives it over CDP through `globalThis.benchRecorder` and reads the file back in parts.
 */
import { openTabStream, type TabStream } from '../../../offscreen/capture';

export interface RecorderConfig {
  width: number;
  height: number;
  fps: number;
  videoBitsPerSecond: number;
  audioBitsPerSecond: number;
  /** Chrome's `videoKeyFrameIntervalDuration`, to match Looptab's GOP. */
  keyFrameIntervalMs: number;
  timesliceMs: number;
  /** Tried in order; the first MediaRecorder supports is used. */
  mimeTypes: readonly string[];
}

export interface RecorderStarted {
  mimeType: string;
  /** performance.now() at the recorder's start event: its file's time 0, give or take a frame. */
  startedAtMs: number;
  track: { width: number | null; height: number | null; frameRate: number | null };
}

export interface RecorderStopped {
  bytes: number;
  timeslices: number;
  errors: string[];
}

export interface BenchRecorder {
  start(config: RecorderConfig): Promise<RecorderStarted>;
  nowMs(): number;
  stop(): Promise<RecorderStopped>;
  /** Base64 of the file's bytes [offset, offset + length). */
  read(offset: number, length: number): Promise<string>;
}

/** Chrome's MediaRecorder takes a keyframe interval the DOM types do not know yet. */
type ChromeRecorderOptions = MediaRecorderOptions & { videoKeyFrameIntervalDuration?: number };

let tab: TabStream | null = null;
let recorder: MediaRecorder | null = null;
let file: Blob | null = null;
const parts: Blob[] = [];
const errors: string[] = [];

function onceEvent(target: EventTarget, type: string): Promise<void> {
  return new Promise((resolve) => target.addEventListener(type, () => resolve(), { once: true }));
}

async function start(config: RecorderConfig): Promise<RecorderStarted> {
  if (recorder) throw new Error('already recording');
  const streamId = decodeURIComponent(location.hash.slice(1));
  tab = await openTabStream(streamId, { maxWidth: config.width, maxHeight: config.height, maxFps: config.fps });
  const mimeType = config.mimeTypes.find((type) => MediaRecorder.isTypeSupported(type));
  if (!mimeType) throw new Error(`MediaRecorder supports none of ${config.mimeTypes.join(', ')}`);
  const options: ChromeRecorderOptions = {
    mimeType,
    videoBitsPerSecond: config.videoBitsPerSecond,
    audioBitsPerSecond: config.audioBitsPerSecond,
    videoKeyFrameIntervalDuration: config.keyFrameIntervalMs,
  };
  const started = new MediaRecorder(tab.stream, options);
  recorder = started;
  started.addEventListener('dataavailable', (event) => {
    if (event.data.size > 0) parts.push(event.data);
  });
  started.addEventListener('error', (event) => errors.push(String((event as ErrorEvent).error ?? event.type)));
  const running = onceEvent(started, 'start');
  started.start(config.timesliceMs);
  await running;
  const settings = tab.video.getSettings();
  return {
    mimeType,
    startedAtMs: performance.now(),
    track: { width: settings.width ?? null, height: settings.height ?? null, frameRate: settings.frameRate ?? null },
  };
}

async function stop(): Promise<RecorderStopped> {
  if (!recorder) throw new Error('not recording');
  const stopped = onceEvent(recorder, 'stop');
  recorder.stop();
  await stopped;
  await tab?.close();
  file = new Blob(parts, { type: recorder.mimeType });
  return { bytes: file.size, timeslices: parts.length, errors };
}

function read(offset: number, length: number): Promise<string> {
  const slice = (file ?? new Blob()).slice(offset, offset + length);
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('FileReader failed'));
    reader.readAsDataURL(slice);
  });
}

const api: BenchRecorder = { start, nowMs: () => performance.now(), stop, read };
(globalThis as typeof globalThis & { benchRecorder?: BenchRecorder }).benchRecorder = api;

/**
 * How steadily an armed Looptab session delivers frames: the status counters and CPU over a
 * span, then a clip of that span saved and its frame timestamps read back with ffprobe (the
 * gaps and the spread of intervals that counters cannot show). Used by the MediaRecorder
 * comparison, and meant for before/after figures of anything that changes the frame pacing.
 */
import { rm } from 'node:fs/promises';
import type { SaveReply } from '../../src/contract/messages';
import { sendMessage } from '../harness/browser';
import { videoPackets, type PacketInfo } from '../harness/media';
import { sleep } from '../harness/wait';
import { frameTiming, type FrameTiming } from './frame-timing';
import { captureSpan, stampedStatus } from './measure';
import type { CaptureSpan } from './results';
import type { BenchSession } from './session';

const SAVE_TIMEOUT_MS = 60_000;

/** Frame pacing over a span, judged on a grid of the capture's frame slots (1/30 s at 30 fps). */
export interface Steadiness {
  /** Encoded frames over the span's wall-clock length (Looptab's counters). */
  deliveredFps: number;
  /** Standard deviation of the intervals between the span's frames, from the saved clip. */
  intervalStdMs: number;
  /** Longest run of consecutive empty frame slots in the clip. */
  longestGapSlots: number;
  /** Empty slots over all slots of the clip, in percent (what a viewer misses, whatever dropped it). */
  dropPct: number;
}

export interface TimedCapture {
  span: CaptureSpan;
  timing: FrameTiming;
  /** The clip's video packets (pre-roll before its edit list left out). */
  packets: PacketInfo[];
  /** The slot grid: the session's frame rate setting. */
  slotFps: number;
}

/** The video packets of a clip of the last `seconds`, saved now; the file is removed. */
async function clipPackets(session: BenchSession, seconds: number): Promise<PacketInfo[]> {
  const watch = await session.looptab.watchNextDownload(SAVE_TIMEOUT_MS);
  const reply = await sendMessage<SaveReply>(session.control, { type: 'save', seconds, format: 'mp4' });
  if (!reply.ok) throw new Error(`save ${seconds} s failed: ${reply.error}`);
  const download = await watch.completed();
  try {
    // The GOP's frames before the asked start are hidden by the edit list: ffprobe puts them before 0.
    return (await videoPackets(download.file)).filter((p) => p.ptsSec >= -1e-6);
  } finally {
    await rm(download.file, { force: true });
  }
}

/** Counters and CPU over `durationMs`, then the timing of a clip of the same span. */
export async function captureWithTiming(session: BenchSession, durationMs: number, slotFps = 30): Promise<TimedCapture> {
  const before = await stampedStatus(session);
  await sleep(durationMs);
  const after = await stampedStatus(session);
  const span = captureSpan(before, after, session.browserPid);
  const packets = await clipPackets(session, span.elapsedMs / 1000);
  return { span, timing: frameTiming(packets.map((p) => p.ptsSec), slotFps), packets, slotFps };
}

export function steadinessOf(capture: Pick<TimedCapture, 'span' | 'timing'>): Steadiness {
  return {
    deliveredFps: capture.span.deliveredFps,
    intervalStdMs: capture.timing.intervalStdMs,
    longestGapSlots: capture.timing.longestGapSlots,
    dropPct: capture.timing.dropPct,
  };
}

/**
 * Frame pacing of an armed session over `durationMs`, on a grid of `slotFps` (the frame rate
 * it captures at). Warm the session up first: the first seconds after arming are not typical.
 * On the busy 1080p30 demo page this is capture under overload.
 */
export async function measureSteadiness(session: BenchSession, durationMs: number, slotFps = 30): Promise<Steadiness> {
  return steadinessOf(await captureWithTiming(session, durationMs, slotFps));
}

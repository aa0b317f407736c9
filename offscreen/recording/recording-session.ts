/**
 * One recording to disk, beside the replay buffer: a consumer of the chunk sink (the same
 * encoders' output the ring gets), routed into segments (src/recording/recording-router.ts) and
 * handed to the disk worker in small batches. It checks storage every few seconds and stops
 * itself, cleanly, before the disk is full.
 */
import type { ChunkInfo, CopiedChunks, Track } from '../../src/buffer/ring-buffer';
import type { FinishedRecording } from '../../src/contract/disk-worker-protocol';
import { statusError } from '../../src/contract/errors';
import type { RecordingStatus } from '../../src/contract/messages';
import { localize, type LocalText } from '../../src/i18n/english';
import type { RecordingManifest } from '../../src/recording/recording-manifest';
import { RecordingRouter, type RoutedPacket, type RouterOptions } from '../../src/recording/recording-router';
import { checkStorage, storageMessage, type StorageCheck } from '../../src/recording/storage-headroom';
import type { ChunkConsumer } from '../../src/timeline/chunk-sink';
import { usToSeconds } from '../../src/units';
import type { DiskClient } from './disk-client';

/** Packets are handed to the worker this often (each hand-over is one message). */
const HANDOVER_MS = 250;
/** Storage is checked this often. */
const STORAGE_CHECK_MS = 5_000;

export type StopReason = { kind: 'storage' | 'config' | 'fault'; message: LocalText };

export class RecordingSession implements ChunkConsumer {
  readonly #router: RecordingRouter;
  #batch: RoutedPacket[] = [];
  #diskBytes = 0;
  #encodedBytes = 0;
  #storage: StorageCheck | null;
  #warning: LocalText | null = null;
  #fault: LocalText | null = null;
  #stopping = false;
  readonly #handover: ReturnType<typeof setInterval>;
  readonly #storageTimer: ReturnType<typeof setInterval>;

  constructor(
    readonly manifest: RecordingManifest,
    options: RouterOptions,
    private readonly disk: DiskClient,
    firstCheck: StorageCheck,
    /** The byte rate the start was judged by, and the storage used then. */
    private readonly atStart: { bytesPerSec: number; usageBytes: number },
    /** Called once when the session must end by itself (storage, a new encoder config, a write fault). */
    private readonly onMustStop: (reason: StopReason) => void,
  ) {
    this.#storage = firstCheck;
    this.#router = new RecordingRouter(options, (output) => {
      if (output.kind === 'packet') {
        this.#encodedBytes += output.packet.data.byteLength;
        this.#batch.push(output.packet);
        return;
      }
      // Segment changes go after the packets before them: the worker runs messages in order.
      this.#handOver();
      const request = output.kind === 'open' ? disk.request({ type: 'open', segment: output.segment, startUs: output.startUs }, 'done') : disk.request({ type: 'close', segment: output.segment }, 'done');
      request.catch((error: unknown) => this.fault(localize('err_recording_write_failed', error instanceof Error ? error.message : String(error))));
    });
    this.#handover = setInterval(() => this.#handOver(), HANDOVER_MS);
    this.#storageTimer = setInterval(() => void this.#checkStorage(), STORAGE_CHECK_MS);
  }

  /** Feeds what was buffered before the recording began, both tracks in time order. */
  include(video: CopiedChunks, audio: CopiedChunks): void {
    let a = 0;
    for (let v = 0; v < video.chunks.length; v++) {
      const timestampUs = video.chunks[v]!.timestampUs;
      while (a < audio.chunks.length && audio.chunks[a]!.timestampUs <= timestampUs) this.#includeOne('audio', audio, a++);
      this.#includeOne('video', video, v);
    }
    while (a < audio.chunks.length) this.#includeOne('audio', audio, a++);
  }

  #includeOne(track: Track, copied: CopiedChunks, index: number): void {
    const chunk = copied.chunks[index]!;
    this.append(track, copied.bytes.subarray(chunk.offset, chunk.offset + chunk.byteLength), chunk);
  }

  append(track: Track, data: Uint8Array, info: ChunkInfo): void {
    if (this.#stopping) return;
    this.#router.append(track, data, info);
    if (this.#router.configChanged) this.#mustStop({ kind: 'config', message: localize('err_recording_encoder_replaced') });
  }

  /** Written packets keep their times; the router keeps later ones in order (see RecordingRouter). */
  shiftTimestamps(): void {}

  /** A 'written' event from the disk worker. */
  written(bytes: number): void {
    this.#diskBytes = bytes;
  }

  fault(message: LocalText): void {
    if (this.#fault) return;
    this.#fault = message;
    this.#mustStop({ kind: 'fault', message });
  }

  #mustStop(reason: StopReason): void {
    if (this.#stopping) return;
    this.#stopping = true;
    this.onMustStop(reason);
  }

  #handOver(): void {
    const batch = this.#batch;
    this.#batch = [];
    this.disk.packets(batch);
  }

  /** Measured once a second is recorded; before that, the rate the start was judged by. */
  #bytesPerSec(): number {
    const seconds = usToSeconds(this.#router.durationUs);
    return seconds > 1 ? this.#encodedBytes / seconds : this.atStart.bytesPerSec;
  }

  async #checkStorage(): Promise<void> {
    const estimate = await navigator.storage.estimate().catch(() => null);
    if (!estimate || this.#stopping) return;
    // The estimate's usage lags what sync access handles have written: count those bytes too.
    const usageBytes = Math.max(estimate.usage ?? 0, this.atStart.usageBytes + this.#diskBytes);
    const check = checkStorage({ quotaBytes: estimate.quota ?? 0, usageBytes, recordedBytes: this.#diskBytes, bytesPerSec: this.#bytesPerSec() });
    this.#storage = check;
    this.#warning = storageMessage(check);
    if (check.level === 'stop') this.#mustStop({ kind: 'storage', message: this.#warning ?? localize('err_storage_full') });
  }

  status(): RecordingStatus {
    const { lastError: warning, lastErrorText: warningText } = statusError(this.#fault ?? this.#warning);
    return {
      durationSec: usToSeconds(this.#router.durationUs),
      bytes: this.#diskBytes,
      segments: this.#router.segments.length,
      freeBytes: this.#storage ? Math.round(this.#storage.freeBytes) : null,
      frames: this.#router.videoPackets,
      warning,
      warningText,
    };
  }

  /** Ends the recording: the last packets are written, then the final MP4 is made. */
  async stop(): Promise<FinishedRecording & { frames: number }> {
    this.#stopping = true;
    clearInterval(this.#handover);
    clearInterval(this.#storageTimer);
    this.#router.stop();
    this.#handOver();
    const { recording } = await this.disk.request({ type: 'finish' }, 'finished');
    // After a write failure the file holds fewer frames than were handed over: count the file's.
    return { ...recording, frames: this.#fault ? recording.videoPackets : this.#router.videoPackets };
  }
}

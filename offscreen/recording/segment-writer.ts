/// <reference lib="webworker" />
/**
 * One segment of a recording: a fragmented MP4 written as the packets come. mediabunny closes a
 * fragment at the first keyframe a second after the previous one, and writes it whole, so what
 * a crash can lose is the fragment in progress.
 */
import { EncodedAudioPacketSource, EncodedPacket, EncodedVideoPacketSource, Mp4OutputFormat, Output } from 'mediabunny';
import { audioContainerOf, videoContainerOf } from '../../src/codec/codecs';
import { decodeBase64, segmentFileName, type RecordingManifest, type StoredDecoderConfig } from '../../src/recording/recording-manifest';
import type { RoutedPacket } from '../../src/recording/recording-router';
import { US_PER_S } from '../../src/units';
import { openSyncHandle, syncFileTarget } from './sync-file';

/** A fragment is closed at the first keyframe at least this long after the last one began. */
const FRAGMENT_SEC = 1;

function description(config: StoredDecoderConfig): { description?: Uint8Array } {
  return config.description ? { description: decodeBase64(config.description) } : {};
}

export function videoDecoderConfig(config: StoredDecoderConfig): VideoDecoderConfig {
  return { codec: config.codec, codedWidth: config.codedWidth ?? 0, codedHeight: config.codedHeight ?? 0, ...description(config) };
}

export function audioDecoderConfig(config: StoredDecoderConfig): AudioDecoderConfig {
  return { codec: config.codec, sampleRate: config.sampleRate ?? 48_000, numberOfChannels: config.numberOfChannels ?? 2, ...description(config) };
}

export class SegmentWriter {
  #fileBytes = 0;
  #videoStarted = false;
  #audioStarted = false;

  private constructor(
    private readonly handle: FileSystemSyncAccessHandle,
    private readonly output: Output,
    private readonly video: EncodedVideoPacketSource,
    private readonly audio: EncodedAudioPacketSource | null,
    private readonly manifest: RecordingManifest,
  ) {}

  static async create(dir: FileSystemDirectoryHandle, index: number, manifest: RecordingManifest, onFlushed: () => void): Promise<SegmentWriter> {
    const handle = await openSyncHandle(dir, segmentFileName(index), true);
    handle.truncate(0);
    let writer: SegmentWriter | null = null;
    const target = syncFileTarget(handle, {
      chunked: false,
      onFlushed: (fileBytes) => {
        if (writer) writer.#fileBytes = fileBytes;
        onFlushed();
      },
    });
    const output = new Output({ format: new Mp4OutputFormat({ fastStart: 'fragmented', minimumFragmentDuration: FRAGMENT_SEC }), target });
    const video = new EncodedVideoPacketSource(videoContainerOf(manifest.video.codec));
    output.addVideoTrack(video);
    const audio = manifest.audio ? new EncodedAudioPacketSource(audioContainerOf(manifest.audio.codec)) : null;
    if (audio) output.addAudioTrack(audio);
    await output.start();
    writer = new SegmentWriter(handle, output, video, audio, manifest);
    return writer;
  }

  /** Bytes of this segment flushed to disk. */
  get fileBytes(): number {
    return this.#fileBytes;
  }

  async add(packet: RoutedPacket): Promise<void> {
    const encoded = new EncodedPacket(packet.data, packet.key ? 'key' : 'delta', packet.timeUs / US_PER_S, packet.durationUs / US_PER_S);
    if (packet.track === 'video') {
      const first = !this.#videoStarted;
      this.#videoStarted = true;
      await this.video.add(encoded, first ? { decoderConfig: videoDecoderConfig(this.manifest.video) } : undefined);
    } else if (this.audio && this.manifest.audio) {
      const first = !this.#audioStarted;
      this.#audioStarted = true;
      await this.audio.add(encoded, first ? { decoderConfig: audioDecoderConfig(this.manifest.audio) } : undefined);
    }
  }

  /** Writes the last fragment and closes the file. */
  async close(): Promise<void> {
    try {
      if (this.#videoStarted) await this.output.finalize();
      else await this.output.cancel();
    } finally {
      this.handle.flush();
      this.handle.close();
    }
  }

  /** Drops the writer without finishing (the recording failed): what is flushed stays. */
  abandon(): void {
    void this.output.cancel().catch(() => undefined);
    try {
      this.handle.close();
    } catch {
      // already closed
    }
  }
}

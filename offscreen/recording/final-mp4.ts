/// <reference lib="webworker" />
/**
 * A recording's final file: one regular fast-start MP4 made from its segments by copying
 * packets (no re-encode), written in place into the library's clips folder. It streams: a
 * segment's packets are read from disk as they are written out, so memory stays at a few MB
 * however long the recording. The moov is reserved at the front from exact packet counts.
 */
import {
  ALL_FORMATS,
  BlobSource,
  EncodedAudioPacketSource,
  EncodedPacket,
  EncodedPacketSink,
  EncodedVideoPacketSource,
  Input,
  Mp4OutputFormat,
  Output,
  type InputTrack,
} from 'mediabunny';
import { audioContainerOf, videoContainerOf } from '../../src/codec/codecs';
import type { FinishedRecording } from '../../src/contract/disk-worker-protocol';
import { interleaveByTime } from '../../src/recording/interleave';
import type { RecordingManifest } from '../../src/recording/recording-manifest';
import { US_PER_S } from '../../src/units';
import { audioDecoderConfig, videoDecoderConfig } from './segment-writer';
import { syncFileTarget } from './sync-file';

export interface SegmentFile {
  startUs: number;
  file: File;
}

interface OpenSegment {
  offsetSec: number;
  input: Input;
  video: InputTrack | null;
  audio: InputTrack | null;
}

interface Timed {
  track: 'video' | 'audio';
  packet: EncodedPacket;
  timeSec: number;
}

async function* trackPackets(segments: OpenSegment[], track: 'video' | 'audio'): AsyncGenerator<Timed> {
  for (const segment of segments) {
    const input = segment[track];
    if (!input) continue;
    for await (const packet of new EncodedPacketSink(input).packets()) {
      yield { track, packet, timeSec: segment.offsetSec + packet.timestamp };
    }
  }
}

async function countPackets(track: InputTrack | null): Promise<number> {
  if (!track) return 0;
  let count = 0;
  for await (const _ of new EncodedPacketSink(track).packets(undefined, undefined, { metadataOnly: true })) count++;
  return count;
}

/** Packet counts and duration of one segment file, from its sample tables alone. */
export async function describeSegment(file: File): Promise<Omit<FinishedRecording, 'segments'>> {
  const input = new Input({ source: new BlobSource(file), formats: ALL_FORMATS });
  try {
    const video = await input.getPrimaryVideoTrack();
    const audio = await input.getPrimaryAudioTrack();
    let durationSec = 0;
    let videoPackets = 0;
    if (video) {
      for await (const packet of new EncodedPacketSink(video).packets(undefined, undefined, { metadataOnly: true })) {
        videoPackets++;
        durationSec = Math.max(durationSec, packet.timestamp + packet.duration);
      }
    }
    if (videoPackets === 0) throw new Error('The recording has no video frames on disk.');
    return { bytes: file.size, durationSec, videoPackets, audioPackets: await countPackets(audio) };
  } finally {
    input.dispose();
  }
}

/** Writes the final MP4 of `manifest`'s segments into `handle` (truncated first). */
export async function writeFinalMp4(manifest: RecordingManifest, files: SegmentFile[], handle: FileSystemSyncAccessHandle): Promise<FinishedRecording> {
  const segments: OpenSegment[] = [];
  try {
    for (const { startUs, file } of files) {
      const input = new Input({ source: new BlobSource(file), formats: ALL_FORMATS });
      segments.push({ offsetSec: startUs / US_PER_S, input, video: await input.getPrimaryVideoTrack(), audio: await input.getPrimaryAudioTrack() });
    }
    let videoCount = 0;
    let audioCount = 0;
    for (const segment of segments) {
      videoCount += await countPackets(segment.video);
      audioCount += await countPackets(segment.audio);
    }
    if (videoCount === 0) throw new Error('The recording has no video frames on disk.');

    handle.truncate(0);
    const output = new Output({ format: new Mp4OutputFormat({ fastStart: 'reserve' }), target: syncFileTarget(handle, { chunked: true }) });
    const video = new EncodedVideoPacketSource(videoContainerOf(manifest.video.codec));
    output.addVideoTrack(video, { maximumPacketCount: videoCount });
    const audio = manifest.audio && audioCount > 0 ? new EncodedAudioPacketSource(audioContainerOf(manifest.audio.codec)) : null;
    if (audio) output.addAudioTrack(audio, { maximumPacketCount: audioCount });
    await output.start();

    let videoPackets = 0;
    let audioPackets = 0;
    let endSec = 0;
    const sources = [trackPackets(segments, 'video'), ...(audio ? [trackPackets(segments, 'audio')] : [])];
    for await (const { track, packet, timeSec } of interleaveByTime(sources, (item) => item.timeSec)) {
      const copy = new EncodedPacket(packet.data, packet.type, timeSec, packet.duration);
      if (track === 'video') {
        await video.add(copy, videoPackets === 0 ? { decoderConfig: videoDecoderConfig(manifest.video) } : undefined);
        videoPackets++;
        endSec = Math.max(endSec, timeSec + packet.duration);
      } else if (audio && manifest.audio) {
        await audio.add(copy, audioPackets === 0 ? { decoderConfig: audioDecoderConfig(manifest.audio) } : undefined);
        audioPackets++;
      }
    }
    await output.finalize();
    handle.flush();
    return { bytes: handle.getSize(), durationSec: endSec, videoPackets, audioPackets, segments: segments.length };
  } finally {
    for (const segment of segments) segment.input.dispose();
  }
}

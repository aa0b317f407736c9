// Reads one track of a media file (made by ffmpeg) into the shape the ring buffer copies out,
// so tests and the bench can feed real encoded packets to our muxer and GIF worker.
import { readFile } from 'node:fs/promises';
import { ALL_FORMATS, BufferSource, EncodedPacketSink, Input } from 'mediabunny';
import type { CopiedChunks } from '../../src/buffer/ring-buffer';

export interface DemuxedTrack {
  chunks: CopiedChunks;
  /** The track's decoder config; `description` copied out as bytes (H.264 avcC, Opus head). */
  decoderConfig: {
    codec: string;
    codedWidth?: number;
    codedHeight?: number;
    sampleRate?: number;
    numberOfChannels?: number;
    description?: Uint8Array;
  };
}

/** Demuxes the primary `kind` track of `file`; timestamps are shifted by `offsetUs`. */
export async function demuxTrack(file: string, kind: 'video' | 'audio', offsetUs = 0): Promise<DemuxedTrack> {
  const input = new Input({ source: new BufferSource(await readFile(file)), formats: ALL_FORMATS });
  const track = kind === 'video' ? await input.getPrimaryVideoTrack() : await input.getPrimaryAudioTrack();
  if (!track) throw new Error(`no ${kind} track in ${file}`);
  const config = await track.getDecoderConfig();
  if (!config) throw new Error(`no decoder config for the ${kind} track of ${file}`);
  const parts: Uint8Array[] = [];
  const chunks: CopiedChunks['chunks'] = [];
  let offset = 0;
  for await (const packet of new EncodedPacketSink(track).packets()) {
    parts.push(packet.data);
    chunks.push({
      timestampUs: offsetUs + Math.round(packet.timestamp * 1e6),
      durationUs: Math.round(packet.duration * 1e6),
      key: packet.type === 'key',
      epoch: 0,
      offset,
      byteLength: packet.data.byteLength,
    });
    offset += packet.data.byteLength;
  }
  const bytes = new Uint8Array(offset);
  parts.reduce((at, part) => (bytes.set(part, at), at + part.byteLength), 0);
  const { description, ...rest } = config as typeof config & { description?: AllowSharedBufferSource };
  const decoderConfig: DemuxedTrack['decoderConfig'] = { ...rest };
  if (description) {
    decoderConfig.description = ArrayBuffer.isView(description)
      ? new Uint8Array(description.buffer, description.byteOffset, description.byteLength).slice()
      : new Uint8Array(description).slice();
  }
  return { chunks: { bytes, chunks }, decoderConfig };
}

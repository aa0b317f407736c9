/**
 * A clip cut out of the ring buffer: everything a muxer or the GIF encoder needs, owned by the
 * caller (the arenas it was copied from may be overwritten as soon as the cut returns).
 */
import type { CopiedChunks } from '../buffer/ring-buffer';
import type { ContainerAudioCodec, ContainerVideoCodec } from '../codec/codecs';

export interface VideoDecoderSetup {
  codec: string;
  codedWidth: number;
  codedHeight: number;
  description?: Uint8Array;
}

export interface AudioDecoderSetup {
  codec: string;
  sampleRate: number;
  numberOfChannels: number;
  description?: Uint8Array;
}

export interface VideoTrackInput {
  codec: ContainerVideoCodec;
  decoderConfig: VideoDecoderSetup;
  chunks: CopiedChunks;
}

export interface AudioTrackInput {
  codec: ContainerAudioCodec;
  decoderConfig: AudioDecoderSetup;
  chunks: CopiedChunks;
}

export interface ClipInput {
  /** Shared-timeline instant that becomes t = 0. */
  startUs: number;
  /** End of the clip on the shared timeline. */
  endUs: number;
  video: VideoTrackInput;
  audio: AudioTrackInput | null;
}

/** A decoder config's `description` as bytes of its own (WebCodecs hands out any buffer source). */
export function descriptionBytes(description: AllowSharedBufferSource | undefined): Uint8Array | undefined {
  if (!description) return undefined;
  if (description instanceof ArrayBuffer || description instanceof SharedArrayBuffer) return new Uint8Array(description.slice(0));
  return new Uint8Array(description.buffer.slice(description.byteOffset, description.byteOffset + description.byteLength));
}

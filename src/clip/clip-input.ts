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

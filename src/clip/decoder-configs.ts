/**
 * The decoder configurations of what the ring buffer holds. Video chunks carry an epoch: a new
 * one starts whenever the encoder's output config changes (a new size, a replaced encoder), and
 * a clip never spans two (one MP4 track has one decoder config). Audio is configured once.
 */
import { audioEncoderDelayUs } from '../codec/codecs';
import type { AudioDecoderSetup, VideoDecoderSetup } from './clip-input';

/** What an encoder hands out with its first chunk after a (re)configure (WebCodecs' shape). */
export interface VideoConfigLike {
  codec: string;
  codedWidth?: number;
  codedHeight?: number;
  description?: AllowSharedBufferSource;
}

export interface AudioConfigLike {
  codec: string;
  sampleRate: number;
  numberOfChannels: number;
  description?: AllowSharedBufferSource;
}

/** Epochs kept besides the newest: only the newest can be saved, the one before is draining. */
const RETIRED_EPOCHS_KEPT = 1;

function copyDescription(description: AllowSharedBufferSource | undefined): Uint8Array | undefined {
  if (!description) return undefined;
  const view = ArrayBuffer.isView(description)
    ? new Uint8Array(description.buffer, description.byteOffset, description.byteLength)
    : new Uint8Array(description);
  return view.slice();
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (!a || !b) return a === b;
  return a.byteLength === b.byteLength && a.every((value, i) => value === b[i]);
}

function sameVideoSetup(a: VideoDecoderSetup, b: VideoDecoderSetup): boolean {
  return a.codec === b.codec && a.codedWidth === b.codedWidth && a.codedHeight === b.codedHeight && sameBytes(a.description, b.description);
}

export class DecoderConfigs {
  #video = new Map<number, VideoDecoderSetup>();
  #epoch = -1;
  #audio: AudioDecoderSetup | null = null;
  #audioDelayUs = 0;
  #forceNewEpoch = false;

  /** The epoch of the newest video config, -1 before the first. */
  get videoEpoch(): number {
    return this.#epoch;
  }

  /**
   * Takes the config a video chunk came with (if any) and returns the epoch the chunk belongs
   * to, or -1 when no config has been seen yet (nothing could decode the chunk).
   */
  observeVideo(config: VideoConfigLike | undefined): number {
    if (config) {
      const setup: VideoDecoderSetup = {
        codec: config.codec,
        codedWidth: config.codedWidth ?? 0,
        codedHeight: config.codedHeight ?? 0,
      };
      const description = copyDescription(config.description);
      if (description) setup.description = description;
      const current = this.#video.get(this.#epoch);
      if (!current || !sameVideoSetup(current, setup) || this.#forceNewEpoch) {
        this.#forceNewEpoch = false;
        this.#epoch++;
        this.#video.set(this.#epoch, setup);
        this.#video.delete(this.#epoch - 1 - RETIRED_EPOCHS_KEPT);
      }
    }
    return this.#epoch;
  }

  /**
   * The next config starts a new epoch even if it is the same as the current one: the picture
   * changed (a new region of the same size), so no clip may span the change.
   */
  startNewEpoch(): void {
    this.#forceNewEpoch = true;
  }

  /** Takes the config an audio chunk came with; false while no config has been seen. */
  observeAudio(config: AudioConfigLike | undefined): boolean {
    if (config && !this.#audio) {
      const setup: AudioDecoderSetup = { codec: config.codec, sampleRate: config.sampleRate, numberOfChannels: config.numberOfChannels };
      const description = copyDescription(config.description);
      if (description) setup.description = description;
      this.#audio = setup;
      this.#audioDelayUs = audioEncoderDelayUs(setup.codec, setup.description);
    }
    return this.#audio !== null;
  }

  video(epoch: number): VideoDecoderSetup | undefined {
    return this.#video.get(epoch);
  }

  get audio(): AudioDecoderSetup | null {
    return this.#audio;
  }

  /** How much earlier than its stamp each audio packet sounds (the encoder's priming). */
  get audioDelayUs(): number {
    return this.#audioDelayUs;
  }
}

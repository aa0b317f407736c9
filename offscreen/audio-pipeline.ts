/**
 * Audio track -> AudioEncoder: AAC where the platform encodes it, else Opus, configured from
 * the first AudioData (tab capture decides the sample rate and channel count).
 */
import { AUDIO_CANDIDATES, type AudioCandidate } from '../src/codec/codecs';
import { US_PER_MS, US_PER_S } from '../src/units';

/** A jump in input timestamps beyond this is a hole (lost buffers), not jitter. */
const HOLE_TOLERANCE_US = 3_000;
/** Holes up to this long are filled with silence; longer ones restart the encoder. */
const MAX_SILENCE_FILL_US = 10_000_000;

export interface AudioPipelineOptions {
  onSample(rawTimestampUs: number, arrivalUs: number): void;
  onChunk(chunk: EncodedAudioChunk, decoderConfig: AudioDecoderConfig | undefined): void;
  onError(error: Error): void;
}

async function chooseConfig(sampleRate: number, numberOfChannels: number): Promise<{ config: AudioEncoderConfig; candidate: AudioCandidate }> {
  for (const candidate of AUDIO_CANDIDATES) {
    const config: AudioEncoderConfig = { codec: candidate.codec, sampleRate, numberOfChannels, bitrate: candidate.bitrateBps };
    const support = await AudioEncoder.isConfigSupported(config);
    if (support.supported) return { config, candidate };
  }
  throw new Error(`No audio encoder supports ${sampleRate} Hz x ${numberOfChannels} channels.`);
}

export class AudioPipeline {
  #encoder: AudioEncoder | null = null;
  #configuring = false;
  #reader: ReadableStreamDefaultReader<AudioData> | null = null;
  #stopped = false;
  #codec: string | null = null;
  #config: AudioEncoderConfig | null = null;
  /** Where the previous input buffer ended: the next one should start there. */
  #expectedNextUs: number | null = null;
  #filledHoles = 0;

  constructor(private readonly options: AudioPipelineOptions) {}

  get codec(): string | null {
    return this.#codec;
  }

  /** Holes in the captured audio that were filled with silence (lost buffers under load). */
  get filledHoles(): number {
    return this.#filledHoles;
  }

  async run(track: MediaStreamTrack): Promise<void> {
    const reader = (new MediaStreamTrackProcessor({ track }).readable as ReadableStream<AudioData>).getReader();
    this.#reader = reader;
    for (;;) {
      const { value: data, done } = await reader.read();
      if (done || this.#stopped) {
        data?.close();
        return;
      }
      this.#onData(data);
    }
  }

  #onData(data: AudioData): void {
    this.options.onSample(data.timestamp, performance.now() * US_PER_MS);
    if (!this.#encoder) {
      // The first packets (a few ms) go by while the encoder is chosen: they precede any video.
      if (!this.#configuring) void this.#configure(data.sampleRate, data.numberOfChannels);
      data.close();
      return;
    }
    try {
      this.#fillHoleBefore(data);
      this.#encoder?.encode(data);
      this.#expectedNextUs = data.timestamp + data.duration;
    } finally {
      data.close();
    }
  }

  /**
   * Chrome's AudioEncoder stamps its output by counting samples from its first input and ignores
   * later input timestamps, so a lost buffer (it happens under load) would shift every later
   * packet earlier. Feeding it the hole as silence keeps its count true to time.
   */
  #fillHoleBefore(data: AudioData): void {
    const expectedUs = this.#expectedNextUs;
    if (expectedUs === null || !this.#encoder || !this.#config) return;
    const holeUs = data.timestamp - expectedUs;
    if (holeUs <= HOLE_TOLERANCE_US) return;
    if (holeUs > MAX_SILENCE_FILL_US) {
      // A very long hole: start a fresh encoder, whose count starts at this buffer.
      this.#encoder.close();
      this.#encoder = this.#newEncoder(this.#config);
      return;
    }
    const frames = Math.round((holeUs / US_PER_S) * data.sampleRate);
    const silence = new AudioData({
      format: 'f32-planar',
      sampleRate: data.sampleRate,
      numberOfChannels: data.numberOfChannels,
      numberOfFrames: frames,
      timestamp: expectedUs,
      data: new Float32Array(frames * data.numberOfChannels),
    });
    try {
      this.#encoder.encode(silence);
      this.#filledHoles++;
    } finally {
      silence.close();
    }
  }

  #newEncoder(config: AudioEncoderConfig): AudioEncoder {
    const encoder = new AudioEncoder({
      output: (chunk, metadata) => this.options.onChunk(chunk, metadata?.decoderConfig),
      error: (error) => this.options.onError(error),
    });
    encoder.configure(config);
    return encoder;
  }

  async #configure(sampleRate: number, numberOfChannels: number): Promise<void> {
    this.#configuring = true;
    try {
      const { config } = await chooseConfig(sampleRate, numberOfChannels);
      if (this.#stopped) return;
      this.#encoder = this.#newEncoder(config);
      this.#config = config;
      this.#codec = config.codec;
    } catch (error) {
      this.options.onError(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.#configuring = false;
    }
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.#reader?.cancel().catch(() => undefined);
    if (this.#encoder && this.#encoder.state !== 'closed') this.#encoder.close();
  }
}

/**
 * Audio track -> AudioEncoder: AAC where the platform encodes it, else Opus, configured from
 * the first AudioData (tab capture decides the sample rate and channel count).
 */
import { AUDIO_CANDIDATES, type AudioCandidate } from '../src/codec';

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

  constructor(private readonly options: AudioPipelineOptions) {}

  get codec(): string | null {
    return this.#codec;
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
    this.options.onSample(data.timestamp, performance.now() * 1000);
    if (!this.#encoder) {
      // The first packets (a few ms) go by while the encoder is chosen: they precede any video.
      if (!this.#configuring) void this.#configure(data.sampleRate, data.numberOfChannels);
      data.close();
      return;
    }
    try {
      this.#encoder.encode(data);
    } finally {
      data.close();
    }
  }

  async #configure(sampleRate: number, numberOfChannels: number): Promise<void> {
    this.#configuring = true;
    try {
      const { config } = await chooseConfig(sampleRate, numberOfChannels);
      if (this.#stopped) return;
      const encoder = new AudioEncoder({
        output: (chunk, metadata) => this.options.onChunk(chunk, metadata?.decoderConfig),
        error: (error) => this.options.onError(error),
      });
      encoder.configure(config);
      this.#encoder = encoder;
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

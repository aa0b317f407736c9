/**
 * The export's sound. One clip: its packets pass through (trimmed by the edit list, as saves
 * are). Several: each segment is decoded, placed sample-exactly, crossfaded on equal-power
 * curves (src/edit/audio-mix.ts) and encoded again: packets of two encoder runs cannot be
 * spliced without a click, and encoding sound costs little next to video.
 */
import { AudioSampleSink, EncodedPacketSink, type InputAudioTrack } from 'mediabunny';
import { descriptionBytes, type AudioTrackInput } from '../../src/clip/clip-input';
import { packChunks, type LoosePacket } from '../../src/clip/pack-chunks';
import { mixComposition, usToSamples, type SegmentPcm } from '../../src/edit/audio-mix';
import type { Composition } from '../../src/edit/composition';
import { AUDIO_CANDIDATES, audioContainerOf, audioEncoderDelayUs } from '../../src/codec/codecs';
import { secondsToUs, US_PER_S } from '../../src/units';

/** Samples per AudioData handed to the encoder (20 ms at 48 kHz). */
const ENCODE_BLOCK_FRAMES = 960;

function setupOf(config: AudioDecoderConfig): AudioTrackInput['decoderConfig'] {
  const description = descriptionBytes(config.description);
  return { codec: config.codec, sampleRate: config.sampleRate, numberOfChannels: config.numberOfChannels, ...(description ? { description } : {}) };
}

/** One clip's packets over its segment, stamped as an encoder would (the muxer removes its delay). */
export async function copyAudio(composition: Composition, track: InputAudioTrack): Promise<AudioTrackInput> {
  const config = await track.getDecoderConfig();
  if (!config) throw new Error('The clip\'s sound cannot be read.');
  const decoderConfig = setupOf(config);
  const delayUs = audioEncoderDelayUs(config.codec, decoderConfig.description);
  const segment = composition.segments[0]!;
  const packets: LoosePacket[] = [];
  for await (const packet of new EncodedPacketSink(track).packets()) {
    const startUs = secondsToUs(packet.timestamp);
    const durationUs = secondsToUs(packet.duration);
    if (startUs + durationUs <= segment.sourceStartUs || startUs >= segment.sourceEndUs) continue;
    packets.push({ data: packet.data, timestampUs: startUs - segment.sourceStartUs + delayUs, durationUs, key: true });
  }
  return { codec: audioContainerOf(config.codec), decoderConfig, chunks: packChunks(packets) };
}

/** Decodes one segment's sound at `sampleRate`, `channels` wide, starting at its source start. */
async function decodeSegment(track: InputAudioTrack, fromUs: number, toUs: number, sampleRate: number, channels: number, checkCancelled: () => void): Promise<SegmentPcm> {
  const length = usToSamples(toUs - fromUs, sampleRate);
  const output = Array.from({ length: channels }, () => new Float32Array(length));
  const config = await track.getDecoderConfig();
  // mediabunny drops the encoder's priming but stamps what is left from the first packet's
  // time; players present it that much later (see audioEncoderDelayUs), and so must the mix.
  const delayUs = config ? audioEncoderDelayUs(config.codec, descriptionBytes(config.description)) : 0;
  for await (const sample of new AudioSampleSink(track).samples((fromUs - delayUs) / US_PER_S, toUs / US_PER_S)) {
    checkCancelled();
    const frames = sample.numberOfFrames;
    const ratio = sample.sampleRate / sampleRate;
    const start = usToSamples(secondsToUs(sample.timestamp) + delayUs - fromUs, sampleRate);
    const plane = new Float32Array(frames);
    for (let channel = 0; channel < channels; channel++) {
      sample.copyTo(plane, { planeIndex: Math.min(channel, sample.numberOfChannels - 1), format: 'f32-planar' });
      const out = output[channel]!;
      // Another sample rate is resampled by the nearest sample (rare: every capture is 44.1 or 48 kHz).
      const count = Math.round(frames / ratio);
      for (let n = 0; n < count; n++) {
        const index = start + n;
        if (index >= 0 && index < length) out[index] = plane[Math.min(frames - 1, Math.round(n * ratio))]!;
      }
    }
    sample.close();
  }
  return { channels: output };
}

/** Mixes every segment's sound and encodes it with the first clip's codec (else one the platform encodes). */
export async function mixAudio(composition: Composition, tracks: readonly (InputAudioTrack | null)[], checkCancelled: () => void): Promise<AudioTrackInput | null> {
  const first = tracks.find((track) => track !== null);
  if (!first) return null;
  const firstConfig = await first.getDecoderConfig();
  if (!firstConfig) throw new Error('The clips\' sound cannot be read.');
  const { sampleRate, numberOfChannels } = firstConfig;
  const pcm: (SegmentPcm | null)[] = [];
  for (const segment of composition.segments) {
    const track = tracks[segment.source];
    pcm.push(track ? await decodeSegment(track, segment.sourceStartUs, segment.sourceEndUs, sampleRate, numberOfChannels, checkCancelled) : null);
  }
  const mixed = mixComposition(composition, pcm, sampleRate, numberOfChannels);
  const candidates = [firstConfig.codec, ...AUDIO_CANDIDATES.map((candidate) => candidate.codec)];
  let config: AudioEncoderConfig | null = null;
  for (const codec of candidates) {
    const candidate = { codec, sampleRate, numberOfChannels, bitrate: 128_000 };
    if ((await AudioEncoder.isConfigSupported(candidate)).supported) {
      config = candidate;
      break;
    }
  }
  if (!config) throw new Error('No audio encoder is available to join the clips\' sound.');
  const packets: LoosePacket[] = [];
  let decoderConfig: AudioDecoderConfig | null = null;
  let failure: Error | null = null;
  const encoder = new AudioEncoder({
    output: (chunk, metadata) => {
      if (metadata?.decoderConfig) decoderConfig = metadata.decoderConfig;
      const data = new Uint8Array(chunk.byteLength);
      chunk.copyTo(data);
      packets.push({ data, timestampUs: chunk.timestamp, durationUs: chunk.duration ?? 0, key: true });
    },
    error: (error) => {
      failure = error;
    },
  });
  try {
    encoder.configure(config);
    const total = mixed[0]!.length;
    for (let offset = 0; offset < total; offset += ENCODE_BLOCK_FRAMES) {
      checkCancelled();
      const frames = Math.min(ENCODE_BLOCK_FRAMES, total - offset);
      const block = new Float32Array(frames * numberOfChannels);
      mixed.forEach((channel, index) => block.set(channel.subarray(offset, offset + frames), index * frames));
      const data = new AudioData({ format: 'f32-planar', sampleRate, numberOfFrames: frames, numberOfChannels, timestamp: Math.round((offset * US_PER_S) / sampleRate), data: block });
      encoder.encode(data);
      data.close();
    }
    await encoder.flush();
    if (failure) throw failure;
  } finally {
    if (encoder.state !== 'closed') encoder.close();
  }
  if (!decoderConfig) throw new Error('The audio encoder gave no configuration.');
  const setup = setupOf(decoderConfig);
  return { codec: audioContainerOf(setup.codec), decoderConfig: setup, chunks: packChunks(packets) };
}

/**
 * The sound of a composition, sample by sample: each segment's decoded PCM placed at its output
 * position (rounded once, to the sample), at full volume where it shows alone and on equal-power
 * curves where it dissolves, so a join has no gap, no click and no dip in loudness.
 */
import { equalPowerGains, segmentEndUs, type Composition } from './composition';
import { US_PER_S } from '../units';

/** One segment's sound, planar, starting at the segment's source start. */
export interface SegmentPcm {
  /** One Float32Array per channel (a mono source is spread to every output channel). */
  channels: Float32Array[];
}

export const usToSamples = (us: number, sampleRate: number): number => Math.round((us * sampleRate) / US_PER_S);

/** Mixes `pcm` (one entry per segment; null = silent) into planar output of the composition's length. */
export function mixComposition(composition: Composition, pcm: readonly (SegmentPcm | null)[], sampleRate: number, channelCount: number): Float32Array[] {
  const total = usToSamples(composition.durationUs, sampleRate);
  const output = Array.from({ length: channelCount }, () => new Float32Array(total));
  for (const instruction of composition.instructions) {
    const from = usToSamples(instruction.startUs, sampleRate);
    const to = usToSamples(instruction.endUs, sampleRate);
    const span = Math.max(1, to - from);
    for (const layer of instruction.layers) {
      const source = pcm[layer.segment];
      if (!source || source.channels.length === 0) continue;
      const segment = composition.segments[layer.segment]!;
      const offset = usToSamples(segment.outputStartUs, sampleRate);
      const segmentEnd = usToSamples(segmentEndUs(segment), sampleRate);
      const fading = layer.opacity.fromValue !== layer.opacity.toValue;
      const incoming = layer.opacity.toValue > layer.opacity.fromValue;
      for (let channel = 0; channel < channelCount; channel++) {
        const input = source.channels[Math.min(channel, source.channels.length - 1)]!;
        const out = output[channel]!;
        for (let n = from; n < Math.min(to, segmentEnd); n++) {
          const sample = input[n - offset];
          if (sample === undefined) continue;
          let gain = 1;
          if (fading) {
            const gains = equalPowerGains((n - from + 0.5) / span);
            gain = incoming ? gains.incoming : gains.outgoing;
          }
          out[n] = out[n]! + sample * gain;
        }
      }
    }
  }
  return output;
}

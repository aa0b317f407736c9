/**
 * A ring buffer filled the way a recording fills it (30 fps H.264-sized video with a keyframe
 * every second, 20 ms Opus packets), for Node micro-benches of the save path. The payloads are
 * random: muxers copy them and never decode them.
 */
import { RingBuffer } from '../../src/buffer/ring-buffer';
import { DecoderConfigs } from '../../src/clip/decoder-configs';

/** An avcC of libx264 High 4.0 at 1920x1080 and an OpusHead with the 312-sample pre-skip. */
const AVCC_1080P = '01640028ffe1001b67640028acb200f0044fcb8088000003000800000301e078c1924001000668ebc3cb22c0fdf8f800';
const OPUS_HEAD = '4f707573486561640102380180bb0000000000';

export interface SyntheticRing {
  ring: RingBuffer;
  configs: DecoderConfigs;
  /** The newest instant buffered. */
  endUs: number;
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (byte) => parseInt(byte, 16));
}

/** `seconds` of video (frames of about `frameBytes`, keyframes 4x that) and Opus audio. */
export function syntheticRing(seconds: number, frameBytes: number, size = { width: 1920, height: 1080 }): SyntheticRing {
  const ring = new RingBuffer({ windowUs: (seconds + 2) * 1e6, maxBytes: 2 ** 31 });
  const configs = new DecoderConfigs();
  const videoEpoch = configs.observeVideo({ codec: 'avc1.640028', codedWidth: size.width, codedHeight: size.height, description: hexBytes(AVCC_1080P) });
  configs.observeAudio({ codec: 'opus', sampleRate: 48_000, numberOfChannels: 2, description: hexBytes(OPUS_HEAD) });
  const pool = new Uint8Array(frameBytes * 8);
  for (let i = 0; i < pool.length; i++) pool[i] = (i * 2654435761) >>> 24;
  const startUs = 1_000_000;
  const endUs = startUs + seconds * 1e6;
  const frameUs = 1e6 / 30;
  let audioUs = startUs;
  for (let frame = 0; startUs + frame * frameUs < endUs; frame++) {
    const timestampUs = Math.round(startUs + frame * frameUs + ((frame * 7919) % 1000) - 500);
    const key = frame % 30 === 0;
    const bytes = key ? frameBytes * 4 : frameBytes + ((frame * 131) % 2000) - 1000;
    ring.append('video', pool.subarray(frame % 4, frame % 4 + bytes), { timestampUs, durationUs: frameUs, key, epoch: videoEpoch });
    while (audioUs < timestampUs + frameUs) {
      ring.append('audio', pool.subarray(0, 150 + (audioUs % 50)), { timestampUs: audioUs, durationUs: 20_000, key: true, epoch: 0 });
      audioUs += 20_000;
    }
  }
  return { ring, configs, endUs };
}

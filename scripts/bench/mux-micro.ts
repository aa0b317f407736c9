/**
 * `npx tsx scripts/bench/mux-micro.ts [--seconds 30] [--frame-bytes 18000] [--repeats 15]`: where a
 * save's time goes in Node on a synthetic clip (scripts/bench/synthetic-ring.ts), against the
 * floor of one copy of the payloads into a Blob: mediabunny's muxer on a copied clip, and the
 * fast writer on a clip borrowed from the ring. Medians of `repeats` runs after 3 warm-ups.
 */
import { performance } from 'node:perf_hooks';
import { cutLastClip } from '../../src/clip/clip-cut';
import { fastMp4Blob, fastMp4Parts } from '../../src/mp4/fast-mp4';
import { muxMp4ToBytes } from '../../src/mp4/mp4-mux';
import { spread } from './stats';
import { syntheticRing } from './synthetic-ring';

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
}

const seconds = flag('--seconds', 30);
const frameBytes = flag('--frame-bytes', 18_000);
const repeats = flag('--repeats', 15);
const { ring, configs } = syntheticRing(seconds + 2, frameBytes);

const timings: Record<string, number[]> = {};
function time<T>(name: string, run: () => T): T {
  const t0 = performance.now();
  const result = run();
  (timings[name] ??= []).push(performance.now() - t0);
  return result;
}
async function timeAsync<T>(name: string, run: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await run();
  (timings[name] ??= []).push(performance.now() - t0);
  return result;
}

let packets = 0;
let payloadBytes = 0;
let fileBytes = 0;
for (let i = 0; i < repeats + 3; i++) {
  if (i === 3) for (const key of Object.keys(timings)) timings[key] = [];
  const cut = time('cut (copyOut of both tracks)', () => cutLastClip(ring, configs, { requestedUs: seconds * 1e6 }));
  if (!cut.ok) throw new Error(cut.error);
  const { clip } = cut;
  const audio = clip.audio!.chunks;
  packets = clip.video.chunks.chunks.length + audio.chunks.length;
  payloadBytes = clip.video.chunks.bytes.byteLength + audio.bytes.byteLength;
  time('floor: new Blob of the payload (one copy)', () => new Blob([clip.video.chunks.bytes as Uint8Array<ArrayBuffer>, audio.bytes as Uint8Array<ArrayBuffer>]));
  const bytes = await timeAsync('mediabunny muxMp4ToBytes', () => muxMp4ToBytes(clip));
  fileBytes = bytes.byteLength;
  time('new Blob of the MP4 (worker)', () => new Blob([bytes as Uint8Array<ArrayBuffer>]));

  const borrowed = time('fast: cut borrowed from the ring', () => cutLastClip(ring, configs, { requestedUs: seconds * 1e6, borrow: true }));
  if (!borrowed.ok) throw new Error(borrowed.error);
  time('fast: header (plan, tables, moov)', () => fastMp4Parts(borrowed.clip));
  const made = time('fast: cut + header + Blob, all of it', () => {
    const cut = cutLastClip(ring, configs, { requestedUs: seconds * 1e6, borrow: true });
    if (!cut.ok) throw new Error(cut.error);
    return fastMp4Blob(cut.clip);
  });
  if (!made.ok) throw new Error(made.reason);
}

console.log(`${seconds} s clip: ${packets} packets, ${(payloadBytes / 1e6).toFixed(2)} MB payload, MP4 ${(fileBytes / 1e6).toFixed(2)} MB; medians of ${repeats}`);
for (const [name, values] of Object.entries(timings)) {
  const s = spread(values);
  console.log(`${name.padEnd(44)} ${s.median.toFixed(2).padStart(8)} ms  (${s.min.toFixed(2)}-${s.max.toFixed(2)})`);
}
const mux = spread(timings['mediabunny muxMp4ToBytes']!).median;
const floor = spread(timings['floor: new Blob of the payload (one copy)']!).median;
console.log(`mediabunny over the floor: ${(((mux - floor) * 1000) / packets).toFixed(1)} us per packet`);

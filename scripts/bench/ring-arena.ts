/**
 * Arena sizing of the ring buffer on synthetic streams (no browser): arena over payload once the
 * window is full, the resizes it took and the longest append (the ones that copy).
 * `npx tsx scripts/bench/ring-arena.ts`
 */
import { BYTES_PER_MB, simulateRing } from './ring-sim';
import { mulberry32 } from '../harness/prng';
import { table } from './table';

const S = 1_000_000;
const WINDOW_US = 62 * S;

const streams: Array<[string, (tUs: number) => number]> = [
  ['720p 2.2 Mbit/s', () => 2.2e6],
  ['1080p 5 Mbit/s', () => 5e6],
  ['busier at 90 s: 2.2 -> 5', (t) => (t < 90 * S ? 2.2e6 : 5e6)],
  ['calmer at 90 s: 5 -> 2.2', (t) => (t < 90 * S ? 5e6 : 2.2e6)],
  ['filling: 1 -> 4 -> 2', (t) => (t < 20 * S ? 1e6 : t < 40 * S ? 4e6 : 2e6)],
];

const seeds = [1, 2, 3];
const rows = streams.flatMap(([label, rate]) => seeds.map((seed) => {
  const rand = mulberry32(seed);
  const r = simulateRing({ durationUs: 240 * S, videoBitrateBps: rate }, { windowUs: WINDOW_US, settledFromUs: 180 * S, timeAppends: true }, rand);
  const s = r.stats;
  return [
    label,
    `${(s.payloadBytes / BYTES_PER_MB).toFixed(1)} MB`,
    `${(s.arenaBytes / BYTES_PER_MB).toFixed(1)} MB`,
    `${r.maxRatioFull.toFixed(3)}x`,
    `${r.maxRatioSettled.toFixed(3)}x`,
    `${s.arenaGrowths} / ${s.arenaShrinks}`,
    `${(s.arenaCopiedBytes / BYTES_PER_MB).toFixed(1)} MB`,
    `${(r.longestCopyBytes / BYTES_PER_MB).toFixed(1)} MB`,
    `${r.longestAppendMs.toFixed(1)} ms`,
  ];
}).map((row, i) => (i === 0 ? row : ['', ...row.slice(1)])));
console.log(`240 s of each stream into a ${WINDOW_US / S} s window:`);
console.log(`seeds ${seeds.join(', ')} of each`);
for (const line of table(['stream', 'payload', 'arena', 'max ratio when full', 'ratio from 180 s', 'growths / shrinks', 'copied', 'longest copy', 'longest append'], rows)) console.log(line);

/**
 * Frame timing, variable against constant, on a still page and on the moving demo page at 720p:
 * the CPU of our processes, frames encoded (and how many the recorder fed again while the page
 * did not paint), and the encoded byte rate. It decides the default: constant frame rate is a
 * setting if it costs CPU. Part of `npm run bench`; `npx tsx scripts/bench/cadence.ts` (after
 * `node build.mjs`) runs it alone.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FrameRateMode } from '../../src/cadence/frame-cadence';
import { repoRoot } from '../harness/paths';
import { sleep } from '../harness/wait';
import { waitForQuietMachine } from './cpu';
import { captureSpan, stampedStatus } from './measure';
import type { CaptureSpan } from './results';
import { openArmedSession } from './session';
import { isMain } from './standalone';
import { table } from './table';

const SIZE = { width: 1280, height: 720 };
const SETTLE_MS = 3_000;
const SPAN_MS = 15_000;
const PAGES = [
  { label: 'still page', path: 'still.html' },
  { label: 'demo page', path: 'demo.html' },
] as const;
const MODES: readonly FrameRateMode[] = ['variable', 'constant'];

export interface CadenceRun {
  page: string;
  mode: FrameRateMode;
  span: CaptureSpan;
  repeatedFrames: number;
  /** Encoded payload added to the buffer per second (nothing is evicted within the span). */
  encodedBytesPerSec: number;
}

export interface CadenceBenchResult {
  size: string;
  spanMs: number;
  runs: CadenceRun[];
  /** Constant over variable, CPU of our processes, per page. */
  cpuRatio: Record<string, number>;
}

async function run(page: (typeof PAGES)[number], mode: FrameRateMode): Promise<CadenceRun> {
  await waitForQuietMachine(25, 20_000);
  const session = await openArmedSession(SIZE, page.path, { frameRateMode: mode });
  try {
    await sleep(SETTLE_MS);
    const from = await stampedStatus(session);
    await sleep(SPAN_MS);
    const to = await stampedStatus(session);
    const seconds = (to.atMs - from.atMs) / 1000;
    return {
      page: page.label,
      mode,
      span: captureSpan(from, to, session.browserPid),
      repeatedFrames: to.status.repeatedFrames - from.status.repeatedFrames,
      encodedBytesPerSec: (to.status.bytes - from.status.bytes) / seconds,
    };
  } finally {
    await session.close();
  }
}

export async function benchCadence(): Promise<CadenceBenchResult> {
  const runs: CadenceRun[] = [];
  for (const page of PAGES) for (const mode of MODES) runs.push(await run(page, mode));
  const cpuRatio: Record<string, number> = {};
  for (const page of PAGES) {
    const of = (mode: FrameRateMode) => runs.find((r) => r.page === page.label && r.mode === mode)!.span.cpu.ours;
    cpuRatio[page.label] = of('constant') / of('variable');
  }
  return { size: `${SIZE.width}x${SIZE.height}`, spanMs: SPAN_MS, runs, cpuRatio };
}

export function renderCadence(result: CadenceBenchResult | null): string[] {
  if (!result) return ['Frame timing: not measured (see problems)'];
  const fixed = (value: number, digits = 1) => value.toFixed(digits);
  return [
    `Frame timing at ${result.size}, ${result.spanMs / 1000} s spans (CPU: % of one core, our processes):`,
    ...table(
      ['page', 'timing', 'CPU', 'encoded fps', 'repeated', 'dropped', 'kbit/s'],
      result.runs.map((r) => [r.page, r.mode, `${fixed(r.span.cpu.ours, 0)} %`, fixed(r.span.deliveredFps), `${r.repeatedFrames}`, `${r.span.droppedFrames}`, fixed((r.encodedBytesPerSec * 8) / 1000, 0)]),
    ),
    `Constant over variable, CPU: ${Object.entries(result.cpuRatio).map(([page, ratio]) => `${page} ${ratio.toFixed(2)}x`).join(', ')}`,
  ];
}

if (isMain(import.meta.url)) {
  const result = await benchCadence();
  await mkdir(join(repoRoot, 'bench-results'), { recursive: true });
  await writeFile(join(repoRoot, 'bench-results', 'cadence.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(renderCadence(result).join('\n'));
}

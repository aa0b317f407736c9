/**
 * Graceful overload at 1080p30 on the busy demo page: capture with the overload governor off
 * (frames dropped where the encoder has no room) against the default (keep the resolution, lower
 * the frame rate evenly), each after a warm-up in which the governor settles, on the machine as
 * it is and with one core taken by another process (a game, a build: the machine at its limit). Delivered fps, the spread of frame intervals and the longest gap (on the
 * grid of the pace it settled on), encoder drops and CPU. Part of `npm run bench`;
 * `npx tsx scripts/bench/overload.ts` (after `node build.mjs`) runs it alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OverloadPreference } from '../../src/cadence/overload-governor';
import type { Status } from '../../src/contract/messages';
import { repoRoot } from '../harness/paths';
import { sleep } from '../harness/wait';
import { waitForQuietMachine } from './cpu';
import type { CaptureSpan } from './results';
import { openArmedSession } from './session';
import { isMain } from './standalone';
import { captureWithTiming, steadinessOf, type Steadiness } from './steadiness';
import { table } from './table';

const SIZE = { width: 1920, height: 1080 };
const PAGE = 'demo.html?busy=1';
/** Long enough for the governor's start-up grace, two overloaded seconds and its settling. */
const WARMUP_MS = 12_000;
const SPAN_MS = 20_000;
const PREFERENCES: readonly OverloadPreference[] = ['off', 'resolution'];
/** Overloads of two kinds: upstream (the page cannot paint for lack of CPU) and in our encoder (60 fps asked). */
const CASES = [
  { load: 'none', fps: 30 },
  { load: 'one core busy', fps: 30 },
  { load: 'none', fps: 60 },
] as const;
type Load = (typeof CASES)[number]['load'];

/** Another process spinning on one core until killed. */
function spinOneCore(): ChildProcess {
  return spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
}

export interface OverloadRun {
  preference: OverloadPreference;
  load: Load;
  askedFps: number;
  /** The pace the session settled on (status.pace at the span's start and end). */
  paceAtStart: Status['pace'];
  paceAtEnd: Status['pace'];
  steadiness: Steadiness;
  span: CaptureSpan;
}

export interface OverloadBenchResult {
  page: string;
  size: string;
  spanMs: number;
  runs: OverloadRun[];
}

async function run(preference: OverloadPreference, load: Load, askedFps: number): Promise<OverloadRun> {
  await waitForQuietMachine(25, 20_000);
  const spinner = load === 'none' ? null : spinOneCore();
  const session = await openArmedSession(SIZE, PAGE, { overloadPreference: preference, maxFps: askedFps }).catch((error: unknown) => {
    spinner?.kill();
    throw error;
  });
  try {
    await sleep(WARMUP_MS);
    const paceAtStart = (await session.status()).pace;
    const capture = await captureWithTiming(session, SPAN_MS, paceAtStart?.fps ?? 30);
    const paceAtEnd = (await session.status()).pace;
    return { preference, load, askedFps, paceAtStart, paceAtEnd, steadiness: steadinessOf(capture), span: capture.span };
  } finally {
    spinner?.kill();
    await session.close();
  }
}

export async function benchOverload(): Promise<OverloadBenchResult> {
  const runs: OverloadRun[] = [];
  for (const { load, fps } of CASES) for (const preference of PREFERENCES) runs.push(await run(preference, load, fps));
  return { page: PAGE, size: `${SIZE.width}x${SIZE.height}`, spanMs: SPAN_MS, runs };
}

export function renderOverload(result: OverloadBenchResult | null): string[] {
  if (!result) return ['Overload: not measured (see problems)'];
  const fixed = (value: number, digits = 1) => value.toFixed(digits);
  const pace = (p: Status['pace']) => (p ? `${fixed(p.fps, 0)} fps${p.scale < 1 ? ` x${p.scale}` : ''}` : '-');
  return [
    `Overload at ${result.size} on ${result.page}, ${result.spanMs / 1000} s spans after a warm-up (gaps on the grid of the pace settled on):`,
    ...table(
      ['asked', 'other load', 'governor', 'pace', 'delivered fps', 'interval sd ms', 'longest gap', 'empty slots', 'encoder drops', 'page fps', 'CPU'],
      result.runs.map((r) => [
        `${r.askedFps} fps`,
        r.load,
        r.preference === 'off' ? 'off (drop)' : `keep ${r.preference}`,
        r.paceAtStart?.fps === r.paceAtEnd?.fps ? pace(r.paceAtEnd) : `${pace(r.paceAtStart)} -> ${pace(r.paceAtEnd)}`,
        fixed(r.steadiness.deliveredFps),
        fixed(r.steadiness.intervalStdMs),
        `${r.steadiness.longestGapSlots}`,
        `${fixed(r.steadiness.dropPct)} %`,
        `${r.span.droppedFrames} (${fixed(r.span.dropPct)} %)`,
        fixed(r.span.pageFps),
        `${fixed(r.span.cpu.ours, 0)} %`,
      ]),
    ),
  ];
}

if (isMain(import.meta.url)) {
  const result = await benchOverload();
  await mkdir(join(repoRoot, 'bench-results'), { recursive: true });
  await writeFile(join(repoRoot, 'bench-results', 'overload.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(renderOverload(result).join('\n'));
}

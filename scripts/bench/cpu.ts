/**
 * CPU use per Chromium process from /proc (Linux): where the 2 cores go while capturing, and
 * how much of the machine something else was using at the time (this machine is shared, and a
 * busy neighbour skews every figure). Elsewhere the snapshots are empty and figures NaN.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { sleep } from '../harness/wait';

const TICKS_PER_SEC = 100; // USER_HZ; 100 on every Linux this runs on

interface ProcessTicks {
  parentPid: number;
  ticks: number;
  /** `browser`, `gpu-process`, `renderer`, `renderer (extension)`, `utility:<service>`... */
  kind: string;
}

export interface CpuSnapshot {
  atMs: number;
  /** Busy ticks of the whole machine (all cores). */
  machineBusyTicks: number;
  processes: Map<number, ProcessTicks>;
}

/** Percent of one core over a span (200 % = both cores of a 2-core machine). */
export interface CpuUse {
  ours: number;
  /** Everything else on the machine: other browsers, test runs, the bench itself. */
  others: number;
  byKind: Record<string, number>;
}

function readMachineBusyTicks(): number {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
  return fields.slice(0, 8).reduce((sum, value, i) => (i === 3 || i === 4 ? sum : sum + value), 0);
}

function processKind(cmdline: string): string {
  const type = /--type=(\S+)/.exec(cmdline)?.[1] ?? 'browser';
  const service = /--utility-sub-type=(\S+)/.exec(cmdline)?.[1];
  if (service) return `utility:${service.replace(/\.mojom\..*$/, '')}`;
  if (type !== 'renderer') return type;
  if (cmdline.includes('--extension-process')) return 'renderer (extension)';
  // Headless still renders its hidden toolbar's WebUI (the omnibox popup) in its own process.
  if (cmdline.includes('--top-chrome-webui')) return 'renderer (browser UI)';
  return 'renderer (page)';
}

function readProcess(pid: number): ProcessTicks | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Chromium rewrites its children's command lines into one space-separated string.
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    return { parentPid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]), kind: processKind(cmdline) };
  } catch {
    return null; // gone, or not readable
  }
}

export function snapshotCpu(): CpuSnapshot {
  const processes = new Map<number, ProcessTicks>();
  let machineBusyTicks = NaN;
  try {
    machineBusyTicks = readMachineBusyTicks();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const process = readProcess(Number(name));
      if (process) processes.set(Number(name), process);
    }
  } catch {
    // not Linux: figures stay NaN
  }
  return { atMs: performance.now(), machineBusyTicks, processes };
}

function isDescendant(pid: number, rootPid: number, processes: Map<number, ProcessTicks>): boolean {
  for (let current = pid, hops = 0; hops < 64; hops++) {
    if (current === rootPid) return true;
    const parent = processes.get(current)?.parentPid;
    if (parent === undefined || parent <= 1) return false;
    current = parent;
  }
  return false;
}

/** CPU between two snapshots, split into our browser's processes (by kind) and the rest. */
export function cpuBetween(from: CpuSnapshot, to: CpuSnapshot, browserPid: number | undefined): CpuUse {
  const seconds = (to.atMs - from.atMs) / 1000;
  const toPct = (ticks: number): number => (100 * ticks) / TICKS_PER_SEC / seconds;
  const byKind: Record<string, number> = {};
  let ours = 0;
  for (const [pid, process] of to.processes) {
    if (browserPid === undefined || !isDescendant(pid, browserPid, to.processes)) continue;
    const ticks = process.ticks - (from.processes.get(pid)?.ticks ?? 0);
    ours += ticks;
    byKind[process.kind] = (byKind[process.kind] ?? 0) + toPct(ticks);
  }
  const machine = to.machineBusyTicks - from.machineBusyTicks;
  return { ours: toPct(ours), others: toPct(Math.max(0, machine - ours)), byKind };
}

/**
 * Waits until the rest of the machine has used less than `maxOthersPct` of a core over a
 * 2 s window, for at most `timeoutMs`. Returns what the last window measured (NaN off Linux).
 */
export async function waitForQuietMachine(maxOthersPct: number, timeoutMs: number): Promise<{ othersPct: number; waitedMs: number }> {
  const started = performance.now();
  for (;;) {
    const from = snapshotCpu();
    await sleep(2_000);
    const othersPct = cpuBetween(from, snapshotCpu(), undefined).others;
    const waitedMs = performance.now() - started;
    if (!(othersPct >= maxOthersPct) || waitedMs >= timeoutMs) return { othersPct, waitedMs };
  }
}

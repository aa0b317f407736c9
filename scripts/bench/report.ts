/** The bench's table on stdout: figures, targets and PASS/MISS side by side. */
import type { CpuUse } from './cpu';
import { renderGifSection } from './gif';
import { renderEditorSection } from './editor';
import { renderRecordingSection } from './recording';
import { renderSecondEncoderSection } from './second-encoder';
import { renderRegionSection } from './region';
import { renderMediaRecorderSection } from './mediarecorder';
import { renderCadence } from './cadence';
import { renderOverload } from './overload';
import { renderLibrarySection } from './library';
import { renderSyncSection } from './sync';
import type { HeapUsage } from './offscreen-probe';
import type { BenchResults, CaptureSpan, ResolutionResult, Verdict } from './results';
import type { PageBaseline } from './session';
import { table, type Row } from './table';

const finite = (format: (value: number) => string) => (value: number | undefined): string =>
  value !== undefined && Number.isFinite(value) ? format(value) : '-';
const ms = finite((value) => `${Math.round(value)}`);
const mb = finite((bytes) => (bytes / 1_048_576).toFixed(1));
const pct = finite((value) => `${value.toFixed(2)} %`);
const fps = finite((value) => value.toFixed(2));
const cores = finite((value) => `${Math.round(value)}`);

function verdict(value: Verdict): string {
  return value === 'n/a' ? '' : value;
}

function saveRows(results: BenchResults): Row[] {
  return results.resolutions.flatMap((res) =>
    res.saves.map((save) => {
      const isTarget = res.label === '1080p' && save.seconds === 30;
      const notes = new Set(save.samples.flatMap((s) => (s.note ? [s.note] : [])));
      return [
        `${res.label} ${save.seconds} s`,
        ms(save.completeMs.median),
        ms(save.completeMs.min),
        ms(save.completeMs.max),
        ms(save.replyMs.median),
        mb(save.bytes.median),
        isTarget ? `<= ${results.targets.save30s1080pMedianMs}` : '',
        isTarget ? verdict(results.verdicts.save30s1080p) : '',
        notes.size > 0 ? `note: ${[...notes].join(' | ')}` : '',
      ];
    }),
  );
}

function phaseRows(results: BenchResults): Row[] {
  return results.resolutions.flatMap((res) =>
    res.saves.map((save) => {
      const p = save.medianPhaseMs;
      const long = save.offscreenLongTasks;
      const writers = Object.entries(save.writers).map(([writer, n]) => `${writer} x${n}`).join(', ');
      return [`${res.label} ${save.seconds} s`, ms(p.toCut), ms(p.mp4), ms(p.toWorkerStart), ms(p.mux), ms(p.toBlobUrl), ms(p.toDownloadCreated), ms(p.toComplete), ms(save.replyMs.median), `${long.count} / ${ms(long.maxMs)}`, writers];
    }),
  );
}

/** Each save against downloading a Blob of its size made beforehand, through the same path. */
function premadeRows(results: BenchResults): Row[] {
  return results.resolutions.flatMap((res) =>
    res.saves.flatMap((save) => {
      const floor = save.premade;
      if (!floor) return [];
      const ratio = floor.saveOverPremade;
      return [[
        `${res.label} ${save.seconds} s`,
        mb(floor.bytes),
        ms(save.completeMs.median),
        ms(floor.completeMs.median),
        ms(floor.completeMs.min),
        ms(floor.completeMs.max),
        Number.isFinite(ratio) ? ratio.toFixed(2) : '-',
        Number.isFinite(ratio) ? (ratio <= 1.3 ? 'PASS' : 'MISS') : '',
      ]];
    }),
  );
}

const CPU_HEADER = ['CPU ours', 'page', 'extension', 'gpu', 'browser', 'others'];

/** CPU columns: ours in total and its main processes, then everything else on the machine. */
function cpuCells(cpu: CpuUse): string[] {
  const kind = (name: string): string => cores(cpu.byKind[name]);
  return [cores(cpu.ours), kind('renderer (page)'), kind('renderer (extension)'), kind('gpu-process'), kind('browser'), cores(cpu.others)];
}

function baselineRow(label: string, baseline: PageBaseline): Row {
  return [label, fps(baseline.pageFps), '-', '-', ...cpuCells(baseline.cpu)];
}

function spanRow(label: string, span: CaptureSpan | null): Row {
  if (!span) return [label, '-'];
  const offered = span.encodedFrames + span.droppedFrames;
  return [label, fps(span.pageFps), fps(span.deliveredFps), `${span.droppedFrames} of ${offered} (${pct(span.dropPct)})`, ...cpuCells(span.cpu)];
}

function captureRows(results: BenchResults): Row[] {
  const rows: Row[] = results.resolutions.flatMap((res) => [
    baselineRow(`${res.label} demo, page alone`, res.baseline),
    spanRow(`${res.label} demo, armed, idle`, res.captureWhileIdle),
    spanRow(`${res.label} demo, armed, saving`, res.dropsWhileSaving),
  ]);
  const tp = results.throughput;
  if (tp) {
    const label = `${tp.target.height}p ${tp.page}`;
    rows.push(baselineRow(`${label}, page alone`, tp.baseline), spanRow(`${label}, armed`, tp.frames));
  }
  return rows;
}

function throughputLines(results: BenchResults): string[] {
  const tp = results.throughput;
  if (!tp) return ['Throughput: not measured (see problems)'];
  const frames = tp.frames;
  const targets = results.targets;
  const offered = frames.encodedFrames + frames.droppedFrames;
  return [
    `Throughput ${tp.target.width}x${tp.target.height} (captured ${tp.captured.width}x${tp.captured.height}) on ${tp.page}: ${(frames.elapsedMs / 1000).toFixed(1)} s after ${tp.warmupSec} s of warm-up, no saves`,
    ...table(['figure', 'value', 'target', 'verdict'], [
      ['delivered fps (encoded / elapsed)', fps(frames.deliveredFps), `>= ${targets.minDeliveredFps}`, verdict(results.verdicts.deliveredFps)],
      ['dropped frames', `${frames.droppedFrames} of ${offered} (${pct(frames.dropPct)})`, `<= ${targets.maxDropPct} %`, verdict(results.verdicts.dropPct)],
      ['status().fps mean / min / max', `${fps(tp.statusFps.mean)} / ${fps(tp.statusFps.min)} / ${fps(tp.statusFps.max)}`, '', ''],
      ['page fps armed (page alone)', `${fps(frames.pageFps)} (${fps(tp.baseline.pageFps)})`, '', ''],
      ['offscreen long tasks n / max ms', `${tp.offscreenLongTasks.count} / ${ms(tp.offscreenLongTasks.maxMs)}`, '', ''],
    ]),
  ];
}

function memoryRows(resolutions: ResolutionResult[]): Row[] {
  return resolutions.map((res) => {
    const m = res.memory;
    if (!m) return [res.label, '-'];
    const heap = (usage: HeapUsage): string => `${mb(usage.usedBytes)} / ${mb(usage.backingStoreBytes)}`;
    return [
      res.label,
      m.bufferedSec.toFixed(2),
      mb(m.payloadBytes),
      mb(m.arenaBytes),
      `${m.arenaOverPayload.toFixed(2)}x`,
      (m.encodedBitrateBps / 1e6).toFixed(2),
      heap(m.heapBeforeSaves.offscreen),
      heap(m.heapAfterSaves.offscreen),
      heap(m.heapAfterSaves.muxWorker),
    ];
  });
}

export function renderReport(results: BenchResults): string {
  const { machine } = results;
  const out: string[] = [
    `Looptab bench: ${machine.cpuCount} x ${machine.cpuModel}, ${machine.chromium}, Node ${machine.node}, ${machine.date}, load average ${machine.loadAverageAtStart.toFixed(2)} at start`,
    ...results.resolutions.map((res) => `${res.label}: page ${res.target.width}x${res.target.height}, captured ${res.captured.width}x${res.captured.height}, ${res.videoCodec ?? '?'}`),
    '',
    `Save latency, request -> file complete on disk (ms; ${results.settings.repeats} saves each, ${results.settings.gapMs} ms apart)`,
    ...table(['clip', 'median', 'min', 'max', 'reply med', 'MB med', 'target', 'verdict', ''], saveRows(results)),
    '',
    'Where a save goes (median ms between hand-offs: request -> clip cut -> MP4 made (fast writer: header + one Blob copy;',
    'mediabunny: copied, posted to the worker, muxed, posted back; "to worker" and "mux" are its parts) -> blob URL made',
    '-> download created -> file complete; reply at = when the save reply arrived, from the request; long tasks =',
    'offscreen main-thread tasks > 50 ms during the saves; writer = which one made the MP4s)',
    ...table(['clip', 'cut', 'MP4', 'to worker', 'mux', 'blob URL', 'download', 'write', 'reply at', 'long tasks n / max', 'writer'], phaseRows(results)),
    '',
    'Save against a pre-made Blob of the same size (ms, request -> file complete; pre-made: blob URL made in the offscreen',
    'document -> service worker chrome.downloads.download -> file complete, as many times as the saves; ratio = save',
    'median / pre-made median, target <= 1.3)',
    ...table(['clip', 'MB', 'save med', 'pre-made med', 'min', 'max', 'ratio', 'verdict'], premadeRows(results)),
    '',
    'Capture (fps; dropped = dropped of the frames offered to the encoder; CPU in % of one core: ours, then our page',
    'renderer, extension renderer (offscreen capture + encode), GPU and browser processes; others = rest of the machine)',
    ...table(['span', 'page fps', 'delivered', 'dropped', ...CPU_HEADER], captureRows(results)),
    '',
    ...throughputLines(results),
    '',
    'Memory with the window full (MB; heap = used JS heap / ArrayBuffer backing store, CDP Runtime.getHeapUsage; Mbps = video + audio)',
    ...table(['res', 'buffered s', 'payload', 'arena', 'arena/payload', 'Mbps', 'offscreen heap', 'after 60 s saves', 'mux worker after'], memoryRows(results.resolutions)),
    '',
    ...renderLibrarySection(results.library),
    '',
    ...renderEditorSection(results.editor),
    '',
    ...renderRecordingSection(results.recording),
    '',
    ...renderSecondEncoderSection(results.secondEncoder),
    ...renderRegionSection(results.region),
    '',
    ...renderMediaRecorderSection(results.mediaRecorder),
    '',
    ...renderCadence(results.cadence),
    '',
    ...renderOverload(results.overload),
    '',
    ...renderGifSection(results.gif),
    '',
    ...renderSyncSection(results.sync),
    '',
    results.problems.length === 0 ? `No problems. Took ${results.durationSec.toFixed(0)} s.` : `PROBLEMS:\n${results.problems.map((p) => `  - ${p}`).join('\n')}`,
  ];
  return out.join('\n');
}

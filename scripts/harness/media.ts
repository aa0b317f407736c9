// Reads media files back with ffprobe/ffmpeg: a decoder independent of Chromium's, so a clip
// that passes here plays outside the browser that made it.
import { execFile } from 'node:child_process';
import type { Page } from 'puppeteer-core';
import { promisify } from 'node:util';
import { findOnPath } from '../find-tools.mjs';

const execFileAsync = promisify(execFile);

export interface ProbedStream {
  index: number;
  /** 'video' | 'audio' | ... as ffprobe names it */
  codecType: string;
  /** e.g. 'h264', 'aac', 'opus', 'gif' */
  codecName: string;
  width?: number;
  height?: number;
  /** Stream duration; falls back to the container's DURATION tag (WebM), then the format duration. */
  durationSec: number;
  /** Frames actually decoded (`-count_frames` nb_read_frames); audio frames are codec frames, not samples. */
  frames: number;
  sampleRate?: number;
  channels?: number;
}

export interface Probe {
  formatDurationSec: number;
  streams: ProbedStream[];
}

interface FfprobeJson {
  format?: { duration?: string };
  streams?: Array<{
    index?: number;
    codec_type?: string;
    codec_name?: string;
    width?: number;
    height?: number;
    duration?: string;
    nb_read_frames?: string;
    sample_rate?: string;
    channels?: number;
    tags?: Record<string, string>;
  }>;
}

/** The path of ffmpeg or ffprobe; throws, saying how to install them, when they are missing. */
export function tool(name: 'ffmpeg' | 'ffprobe'): string {
  const file = findOnPath(name);
  if (file === null) throw new Error(`${name} not found on PATH: run \`node scripts/ensure-env.mjs\``);
  return file;
}

interface RunResult {
  stdout: string;
  stderr: string;
  /** exit code; 0 = success */
  code: number;
}

/** Runs a tool to completion; a non-zero exit is returned, not thrown (only failing to start throws). */
async function run(name: 'ffmpeg' | 'ffprobe', args: string[]): Promise<RunResult> {
  try {
    const { stdout, stderr } = await execFileAsync(tool(name), args, { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    // execFile rejects with the exit code in `code` (a number), or an errno string if it never ran.
    const e = error as { message: string; stdout?: string; stderr?: string; code?: unknown };
    if (typeof e.code !== 'number') throw new Error(`${name} ${args.join(' ')}: ${e.message}`);
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: e.code };
  }
}

/** `HH:MM:SS.fraction` (Matroska DURATION tag) or plain seconds -> seconds; NaN if absent. */
function parseSeconds(value: string | undefined): number {
  if (value === undefined || value === 'N/A') return NaN;
  const parts = value.split(':').map(Number);
  return parts.reduce((total, part) => total * 60 + part, 0);
}

/** Streams, durations and decoded frame counts of `file`, from ffprobe. */
export async function probe(file: string): Promise<Probe> {
  const args = [
    '-v', 'error',
    '-count_frames',
    '-show_entries',
    'format=duration:stream=index,codec_type,codec_name,width,height,duration,nb_read_frames,sample_rate,channels:stream_tags=DURATION',
    '-of', 'json',
    file,
  ];
  const result = await run('ffprobe', args);
  if (result.code !== 0) throw new Error(`ffprobe could not read ${file}: ${result.stderr.trim()}`);
  const json = JSON.parse(result.stdout) as FfprobeJson;
  const formatDurationSec = parseSeconds(json.format?.duration);
  return {
    formatDurationSec,
    streams: (json.streams ?? []).map((s) => {
      const stream: ProbedStream = {
        index: s.index ?? -1,
        codecType: s.codec_type ?? 'unknown',
        codecName: s.codec_name ?? 'unknown',
        durationSec: [parseSeconds(s.duration), parseSeconds(s.tags?.['DURATION']), formatDurationSec].find(Number.isFinite) ?? NaN,
        frames: Number(s.nb_read_frames ?? NaN),
      };
      if (s.width !== undefined) stream.width = s.width;
      if (s.height !== undefined) stream.height = s.height;
      if (s.sample_rate !== undefined) stream.sampleRate = Number(s.sample_rate);
      if (s.channels !== undefined) stream.channels = s.channels;
      return stream;
    }),
  };
}

/** One field of every packet of `file`'s streams of one kind (ffprobe `-select_streams`), in file order. */
export async function packetValues(file: string, streams: 'v' | 'a', field: 'pts_time' | 'duration_time'): Promise<number[]> {
  const result = await run('ffprobe', ['-v', 'error', '-select_streams', streams, '-show_entries', `packet=${field}`, '-of', 'csv=p=0', file]);
  if (result.code !== 0) throw new Error(`ffprobe could not read the packets of ${file}: ${result.stderr.trim()}`);
  return result.stdout.trim().split('\n').map(Number);
}

export interface PacketInfo {
  ptsSec: number;
  key: boolean;
  bytes: number;
}

/** Every video packet of `file` in file order, from ffprobe (any container it reads: MP4, WebM, Matroska). */
export async function videoPackets(file: string): Promise<PacketInfo[]> {
  const result = await run('ffprobe', ['-v', 'error', '-select_streams', 'v', '-show_entries', 'packet=pts_time,size,flags', '-of', 'json', file]);
  if (result.code !== 0) throw new Error(`ffprobe could not read the packets of ${file}: ${result.stderr.trim()}`);
  const packets = (JSON.parse(result.stdout) as { packets?: { pts_time?: string; size?: string; flags?: string }[] }).packets ?? [];
  return packets.map((p) => ({ ptsSec: Number(p.pts_time ?? NaN), key: (p.flags ?? '').startsWith('K'), bytes: Number(p.size ?? 0) }));
}

/** What ffmpeg reports while decoding every stream of `file`; '' means it decoded cleanly. */
export async function decodeErrors(file: string): Promise<string> {
  // `-enc_time_base -1` keeps the demuxer's time base on the way to the null muxer. By default
  // ffmpeg uses 1/r_frame_rate there, and a variable-rate capture (frames 1/30 s apart, now and
  // then two 1/60 s apart) then puts two valid frames on one tick, which the null muxer reports
  // as "non monotonically increasing dts": a complaint about ffmpeg's own rounding, not the file.
  const result = await run('ffmpeg', ['-nostdin', '-v', 'error', '-i', file, '-enc_time_base', '-1', '-f', 'null', '-']);
  const stderr = result.stderr.trim();
  return result.code !== 0 && stderr === '' ? `ffmpeg exited with code ${result.code}` : stderr;
}

/** Mean volume of the first audio stream in dBFS (ffmpeg volumedetect); digital silence is about -91. */
export async function audioMeanVolumeDb(file: string): Promise<number> {
  const args = ['-nostdin', '-hide_banner', '-nostats', '-i', file, '-map', '0:a:0', '-af', 'volumedetect', '-f', 'null', '-'];
  const result = await run('ffmpeg', args);
  const match = /mean_volume:\s*(-?[\d.]+|-inf) dB/.exec(result.stderr);
  if (result.code !== 0 || !match?.[1]) {
    throw new Error(`ffmpeg volumedetect on ${file} failed (exit ${result.code}): ${result.stderr.trim().split('\n').slice(-5).join('\n')}`);
  }
  return match[1] === '-inf' ? -Infinity : Number(match[1]);
}

/** Duration of the media at `url` as Chromium's own <video> element reports it, loaded in `page`. */
export async function chromiumDurationSec(page: Page, url: string): Promise<number> {
  return page.evaluate(async (src) => {
    const video = document.createElement('video');
    video.src = src;
    await new Promise((resolve, reject) => {
      video.onloadedmetadata = resolve;
      video.onerror = () => reject(new Error(`<video> could not load ${src}`));
    });
    return video.duration;
  }, url);
}

export interface FrameHash {
  /** Presentation time of the decoded frame, in seconds (after the file's edit list). */
  timeSec: number;
  hash: string;
}

/** ffmpeg's MD5 of every decoded video frame of `file`: equal hashes mean identical pictures. */
export async function frameHashes(file: string): Promise<FrameHash[]> {
  // Every decoded frame once, at its own time: no frame-rate conversion, the demuxer's time base.
  const args = ['-nostdin', '-v', 'error', '-i', file, '-map', '0:v:0', '-fps_mode', 'passthrough', '-enc_time_base', '-1', '-f', 'framemd5', '-'];
  const result = await run('ffmpeg', args);
  if (result.code !== 0) throw new Error(`ffmpeg framemd5 of ${file} failed: ${result.stderr.trim()}`);
  const timeBase = /#tb 0: (\d+)\/(\d+)/.exec(result.stdout);
  if (!timeBase) throw new Error(`ffmpeg framemd5 of ${file} gave no time base`);
  const secondsPerTick = Number(timeBase[1]) / Number(timeBase[2]);
  return result.stdout
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const fields = line.split(',').map((field) => field.trim());
      return { timeSec: Number(fields[2]) * secondsPerTick, hash: fields[5]! };
    });
}

export interface FrameMean {
  /** Presentation time of the decoded frame, in seconds (after the file's edit list). */
  timeSec: number;
  /** Mean of each plane (Y, U, V) of the decoded picture, 0-255. */
  y: number;
  u: number;
  v: number;
}

/** The mean Y, U and V of every decoded video frame of `file` (ffmpeg's showinfo): what colour each frame mostly is. */
export async function frameMeans(file: string): Promise<FrameMean[]> {
  const args = ['-nostdin', '-hide_banner', '-i', file, '-map', '0:v:0', '-fps_mode', 'passthrough', '-vf', 'showinfo', '-f', 'null', '-'];
  const result = await run('ffmpeg', args);
  if (result.code !== 0) throw new Error(`ffmpeg showinfo of ${file} failed: ${result.stderr.trim().split('\n').slice(-3).join('\n')}`);
  const frames: FrameMean[] = [];
  for (const line of result.stderr.split('\n')) {
    const time = /pts_time:\s*(-?[\d.]+)/.exec(line);
    const mean = /mean:\[(\d+) (\d+) (\d+)\]/.exec(line);
    if (time && mean) frames.push({ timeSec: Number(time[1]), y: Number(mean[1]), u: Number(mean[2]), v: Number(mean[3]) });
  }
  return frames;
}

/**
 * The offscreen document <-> disk worker contract. The worker owns every file of a recording:
 * it writes the segments as the packets come, makes the final MP4 from them, and recovers what
 * a crash left.
 */
import type { RoutedPacket } from '../recording/recording-router';
import { parseManifest, type RecordingManifest } from '../recording/recording-manifest';
import { fail, isRecord, parseType, type Parsed } from './parse';
import type { LocalText } from '../i18n/english';

/** What one finished (or recovered) recording's final file holds. */
export interface FinishedRecording {
  /** The file's bytes, written as `clips/<manifest.id>.mp4`. */
  bytes: number;
  durationSec: number;
  videoPackets: number;
  audioPackets: number;
  segments: number;
  /** No room for the final copy: the one segment, a fragmented MP4, is the file. */
  asRecorded?: true;
}

export type DiskRequest =
  /** Starts a recording: writes its manifest. */
  | { id: number; type: 'begin'; manifest: RecordingManifest }
  /** Adds a segment to the manifest, then creates its file. */
  | { id: number; type: 'open'; segment: number; startUs: number }
  /** Packets for open segments, in order; no reply (a write failure comes as a 'fault' event). */
  | { id: number; type: 'packets'; packets: RoutedPacket[] }
  | { id: number; type: 'close'; segment: number }
  /** Closes what is open and makes the final MP4 in the clips folder; the segments stay until 'remove'. */
  | { id: number; type: 'finish' }
  /** Recordings left by a crash (ids not in `except`): each segment cut to its last whole fragment. */
  | { id: number; type: 'recover'; except: string[] }
  /** Makes the final MP4 of a recovered recording. */
  | { id: number; type: 'finish-recovered'; recordingId: string }
  | { id: number; type: 'remove'; recordingId: string };

export type DiskReply =
  | { id: number; ok: true; type: 'done' }
  | { id: number; ok: true; type: 'finished'; recording: FinishedRecording }
  | { id: number; ok: true; type: 'recoverable'; recordings: { manifest: RecordingManifest; fragments: number; cutBytes: number }[] }
  | { id: number; ok: false; error: string };

/** Unprompted news from the worker. */
export type DiskEvent =
  /** Bytes of the recording on disk, after each fragment is flushed. */
  | { type: 'written'; bytes: number }
  /** The user reads `error` (the worker has no chrome.i18n: a catalogue key). */
  | { type: 'fault'; error: LocalText };

export const DISK_REQUEST_TYPES = ['begin', 'open', 'packets', 'close', 'finish', 'recover', 'finish-recovered', 'remove'] as const satisfies readonly DiskRequest['type'][];

const isIndex = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

function isPacket(value: unknown): value is RoutedPacket {
  if (!isRecord(value)) return false;
  const { segment, track, data, timeUs, durationUs, key } = value;
  return isIndex(segment) && (track === 'video' || track === 'audio') && data instanceof Uint8Array && Number.isFinite(timeUs) && (timeUs as number) >= 0 && Number.isFinite(durationUs) && typeof key === 'boolean';
}

/** Validates a disk request; the error names the bad field (the id, when readable, is kept). */
export function parseDiskRequest(message: unknown): Parsed<DiskRequest> & { id?: number } {
  const typed = parseType(message, DISK_REQUEST_TYPES);
  if (!typed.ok) return typed;
  const { record, type } = typed.value;
  const { id } = record;
  if (typeof id !== 'number') return fail('"id" must be a number');
  const bad = (error: string) => ({ ...fail(error), id });
  switch (type) {
    case 'begin': {
      const manifest = parseManifest(record.manifest);
      return manifest ? { ok: true, value: { id, type, manifest } } : bad('"manifest" must be a recording manifest');
    }
    case 'open':
      if (!isIndex(record.segment) || !Number.isFinite(record.startUs)) return bad('"segment" and "startUs" must be numbers');
      return { ok: true, value: { id, type, segment: record.segment, startUs: record.startUs as number } };
    case 'close':
      return isIndex(record.segment) ? { ok: true, value: { id, type, segment: record.segment } } : bad('"segment" must be an index');
    case 'packets': {
      const { packets } = record;
      if (!Array.isArray(packets) || !packets.every(isPacket)) return bad('"packets" must be a list of packets');
      return { ok: true, value: { id, type, packets } };
    }
    case 'recover': {
      const { except } = record;
      if (!Array.isArray(except) || !except.every((e) => typeof e === 'string')) return bad('"except" must be a list of ids');
      return { ok: true, value: { id, type, except } };
    }
    case 'finish-recovered':
    case 'remove':
      return typeof record.recordingId === 'string' ? { ok: true, value: { id, type, recordingId: record.recordingId } } : bad('"recordingId" must be a string');
    default:
      return { ok: true, value: { id, type } };
  }
}

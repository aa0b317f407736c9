/**
 * How long a recording can go on before storage runs out, from `navigator.storage.estimate()`
 * and the measured byte rate. Making the final MP4 copies the segments, so as much space again
 * as is recorded stays reserved: a recording stopped for lack of space can still be finished.
 */
import { localize, type LocalText } from '../i18n/english';

export interface StorageReading {
  quotaBytes: number;
  usageBytes: number;
  /** Bytes the recording has on disk so far (part of usage). */
  recordedBytes: number;
  /** The recording's measured (or, before it starts, expected) byte rate. */
  bytesPerSec: number;
}

export type StorageLevel = 'ok' | 'low' | 'stop';

export interface StorageCheck {
  /** Free for the recording to grow into, after the reserve for its final file. */
  freeBytes: number;
  secondsLeft: number;
  level: StorageLevel;
}

/** Below this much recording time left, the user is warned. */
export const WARN_SECONDS_LEFT = 120;
/** Below this the recording stops: a few storage checks' worth, so it never hits the wall. */
export const STOP_SECONDS_LEFT = 15;
/** A recording does not start with less room than this. */
export const MIN_START_SECONDS = 30;
/** The final MP4's index and the library's own files, beyond the copied media. */
const FINISH_OVERHEAD_BYTES = 4 * 1024 * 1024;

export function checkStorage({ quotaBytes, usageBytes, recordedBytes, bytesPerSec }: StorageReading): StorageCheck {
  const reserveBytes = recordedBytes * 1.01 + FINISH_OVERHEAD_BYTES;
  const freeBytes = Math.max(0, quotaBytes - usageBytes - reserveBytes);
  // The final copy grows with the recording: each second needs its bytes twice.
  const secondsLeft = bytesPerSec > 0 ? freeBytes / (2 * bytesPerSec) : Infinity;
  const level: StorageLevel = secondsLeft < STOP_SECONDS_LEFT ? 'stop' : secondsLeft < WARN_SECONDS_LEFT ? 'low' : 'ok';
  return { freeBytes, secondsLeft, level };
}

/** What the user reads when storage is low or ran out. */
export function storageMessage(check: StorageCheck): LocalText | null {
  if (check.level === 'ok') return null;
  if (check.level === 'low') return localize('err_storage_low', Math.max(1, Math.round(check.secondsLeft / 60)));
  return localize('err_storage_stopped');
}

/** Why a recording cannot start, or null when it can. */
export function startRefusal(check: StorageCheck): LocalText | null {
  if (check.secondsLeft >= MIN_START_SECONDS) return null;
  return localize('err_storage_start_refused', Math.floor(check.secondsLeft));
}

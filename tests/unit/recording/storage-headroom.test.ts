import { describe, expect, it } from 'vitest';
import { checkStorage, MIN_START_SECONDS, startRefusal, STOP_SECONDS_LEFT, storageMessage, WARN_SECONDS_LEFT, type StorageReading } from '../../../src/recording/storage-headroom';
import { english, type LocalText } from '../../../src/i18n/english';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const reading = (over: Partial<StorageReading> = {}): StorageReading => ({ quotaBytes: 10 * GiB, usageBytes: 2 * GiB, recordedBytes: 0, bytesPerSec: 1_000_000, ...over });

/** What stays reserved beyond the recorded bytes: measured with nothing recorded. */
const overhead = (): number => {
  const r = reading();
  return r.quotaBytes - r.usageBytes - checkStorage(r).freeBytes;
};

/** A reading with exactly `seconds` of recording left at `bytesPerSec`. */
const withSecondsLeft = (seconds: number, bytesPerSec = 1_000_000): StorageReading =>
  reading({ quotaBytes: 2 * GiB + overhead() + 2 * bytesPerSec * seconds, bytesPerSec });

describe('checkStorage', () => {
  it('checkStorage, the thresholds are ordered: stop < start < warn', () => {
    expect(STOP_SECONDS_LEFT).toBeLessThan(MIN_START_SECONDS);
    expect(MIN_START_SECONDS).toBeLessThan(WARN_SECONDS_LEFT);
  });

  it('checkStorage, with nothing recorded only a small finishing overhead is reserved', () => {
    expect(overhead()).toBeGreaterThan(0);
    expect(overhead()).toBeLessThanOrEqual(16 * MiB);
    // The same overhead whatever the quota and usage.
    const other = reading({ quotaBytes: 3 * GiB, usageBytes: 100 * MiB });
    expect(other.quotaBytes - other.usageBytes - checkStorage(other).freeBytes).toBe(overhead());
  });

  it('checkStorage, reserves as much again as is recorded, for the final copy', () => {
    for (const recordedBytes of [1 * MiB, 300 * MiB, 1.5 * GiB]) {
      // recordedBytes is part of usage: the recording's own bytes are already used.
      const r = reading({ usageBytes: 2 * GiB + recordedBytes, recordedBytes });
      const reserved = r.quotaBytes - r.usageBytes - checkStorage(r).freeBytes - overhead();
      expect(reserved).toBeGreaterThanOrEqual(recordedBytes);
      expect(reserved).toBeLessThanOrEqual(recordedBytes * 1.02);
    }
  });

  it('checkStorage, secondsLeft is free / (2 × rate): each second is written twice', () => {
    for (const bytesPerSec of [125_000, 1_000_000, 3_500_000]) {
      const check = checkStorage(reading({ bytesPerSec }));
      expect(check.secondsLeft).toBeCloseTo(check.freeBytes / (2 * bytesPerSec), 9);
      expect(checkStorage(withSecondsLeft(500, bytesPerSec)).secondsLeft).toBeCloseTo(500, 6);
    }
  });

  it('checkStorage, levels change exactly at the thresholds', () => {
    const level = (seconds: number) => checkStorage(withSecondsLeft(seconds)).level;
    expect(level(10_000)).toBe('ok');
    expect(level(WARN_SECONDS_LEFT)).toBe('ok');
    expect(level(WARN_SECONDS_LEFT - 0.001)).toBe('low');
    expect(level(STOP_SECONDS_LEFT)).toBe('low');
    expect(level(STOP_SECONDS_LEFT - 0.001)).toBe('stop');
    expect(level(0)).toBe('stop');
  });

  it('checkStorage, rate 0 (nothing measured yet) means unlimited time, level ok', () => {
    const check = checkStorage(reading({ bytesPerSec: 0 }));
    expect(check.secondsLeft).toBe(Infinity);
    expect(check.level).toBe('ok');
    expect(check.freeBytes).toBeGreaterThan(0);
  });

  it('checkStorage, usage above quota clamps free to 0 and stops', () => {
    for (const r of [reading({ usageBytes: 11 * GiB }), reading({ quotaBytes: 2 * GiB + MiB }), reading({ recordedBytes: 9 * GiB })]) {
      const check = checkStorage(r);
      expect(check.freeBytes).toBe(0);
      expect(check.secondsLeft).toBe(0);
      expect(check.level).toBe('stop');
    }
  });
});

/** A message as its English, as the status or the failed reply says it. */
const said = (text: LocalText | null): string | null => (text ? english(text.key, ...(text.substitutions ?? [])) : null);

describe('storageMessage', () => {
  it('storageMessage, says something exactly when storage is low or ran out', () => {
    for (const seconds of [0, 5, STOP_SECONDS_LEFT, 60, WARN_SECONDS_LEFT - 1, WARN_SECONDS_LEFT, 3_600]) {
      const check = checkStorage(withSecondsLeft(seconds));
      const message = said(storageMessage(check));
      if (check.level === 'ok') expect(message, `${seconds} s`).toBeNull();
      else expect(message, `${seconds} s`).toMatch(/storage/i);
    }
  });

  it('storageMessage, low: the minutes left, at least 1; stop: says the recording stopped', () => {
    expect(said(storageMessage(checkStorage(withSecondsLeft(20))))).toContain('about 1 min');
    expect(said(storageMessage(checkStorage(withSecondsLeft(100))))).toContain('about 2 min');
    expect(said(storageMessage(checkStorage(withSecondsLeft(5))))).toMatch(/stopped/);
    expect(said(storageMessage(checkStorage(withSecondsLeft(100))))).not.toMatch(/stopped/);
  });
});

describe('startRefusal', () => {
  it('startRefusal, null iff secondsLeft >= MIN_START_SECONDS', () => {
    for (const seconds of [0, 1, STOP_SECONDS_LEFT, MIN_START_SECONDS - 0.001, MIN_START_SECONDS, MIN_START_SECONDS + 1, 1_000]) {
      const check = checkStorage(withSecondsLeft(seconds));
      const refusal = said(startRefusal(check));
      if (check.secondsLeft >= MIN_START_SECONDS) expect(refusal, `${seconds} s`).toBeNull();
      else expect(refusal, `${seconds} s`).toMatch(/Not enough storage/);
    }
    expect(startRefusal(checkStorage(reading({ bytesPerSec: 0 })))).toBeNull();
  });

  it('startRefusal, names the whole seconds there is room for', () => {
    expect(said(startRefusal(checkStorage(withSecondsLeft(22.7))))).toContain('about 22 s');
    expect(said(startRefusal(checkStorage(reading({ usageBytes: 20 * GiB }))))).toContain('about 0 s');
    expect(startRefusal(checkStorage(withSecondsLeft(22.7)))).toEqual({ key: 'err_storage_start_refused', substitutions: ['22'] });
  });
});

import { describe, expect, it } from 'vitest';
import { OverloadGovernor, overloadMessage, type LoadWindow } from '../../../src/cadence/overload-governor';
import { english } from '../../../src/i18n/english';

const CALM: LoadWindow = { wanted: 30, dropped: 0 };
const BUSY: LoadWindow = { wanted: 30, dropped: 8 };

function feed(governor: OverloadGovernor, windows: LoadWindow[]): ('down' | 'up' | null)[] {
  return windows.map((w) => governor.observe(w));
}

describe('OverloadGovernor', () => {
  it('steps the frame rate down after two overloaded seconds, and not for one', () => {
    const governor = new OverloadGovernor({ preference: 'resolution' });
    // Starting up is busy: the first three seconds do not count.
    expect(feed(governor, [BUSY, BUSY, BUSY])).toEqual([null, null, null]);
    expect(feed(governor, [CALM, BUSY, CALM, BUSY, CALM])).toEqual([null, null, null, null, null]);
    expect(feed(governor, [BUSY, BUSY])).toEqual([null, 'down']);
    expect(governor.level).toEqual({ index: 1, fpsFactor: 1 / 2, scale: 1 });
  });

  it('keeps the frame rate and shrinks the picture when told to', () => {
    const governor = new OverloadGovernor({ preference: 'frame-rate' });
    feed(governor, [CALM, CALM, CALM, BUSY, BUSY]);
    expect(governor.level).toEqual({ index: 1, fpsFactor: 1, scale: 3 / 4 });
  });

  it('lets the load settle after a step, then goes on down to the last level and no further', () => {
    const governor = new OverloadGovernor({ preference: 'resolution' });
    const steps = feed(governor, Array.from({ length: 40 }, () => BUSY)).filter(Boolean);
    expect(steps).toEqual(['down', 'down']);
    expect(governor.level.fpsFactor).toBeCloseTo(1 / 3);
  });

  it('steps back up after ten calm seconds, and waits twice as long after a failed try', () => {
    const governor = new OverloadGovernor({ preference: 'resolution' });
    feed(governor, [CALM, CALM, CALM, BUSY, BUSY]);
    const calm = feed(governor, Array.from({ length: 13 }, () => CALM));
    expect(calm.indexOf('up')).toBe(9); // ten calm seconds, the settling ones included
    expect(governor.degraded).toBe(false);
    // The load is still there: down again, and the next try waits 20 calm seconds.
    expect(feed(governor, [BUSY, BUSY, BUSY, BUSY, BUSY]).filter(Boolean)).toEqual(['down']);
    const second = feed(governor, Array.from({ length: 30 }, () => CALM));
    expect(second.indexOf('up')).toBe(19);
  });

  it('never steps when told to keep both', () => {
    const governor = new OverloadGovernor({ preference: 'off' });
    expect(feed(governor, Array.from({ length: 30 }, () => BUSY)).filter(Boolean)).toEqual([]);
    expect(governor.level).toEqual({ index: 0, fpsFactor: 1, scale: 1 });
  });

  it('ignores a few drops and empty windows (a still page wants nothing)', () => {
    const governor = new OverloadGovernor({ preference: 'resolution' });
    expect(feed(governor, Array.from({ length: 20 }, (_, i) => (i % 2 ? { wanted: 30, dropped: 1 } : { wanted: 0, dropped: 0 }))).filter(Boolean)).toEqual([]);
  });

  it('says what the machine could not keep up with, as people say it', () => {
    const message = overloadMessage({ height: 1080, fps: 30 }, { height: 1080, fps: 20 });
    expect(english(message.key, ...(message.substitutions ?? []))).toBe(
      'This machine cannot keep up with 1080p30 here: recording at 1080p20 until the load passes.',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseSettings } from '../../../src/settings/settings';

describe('parseSettings', () => {
  it('parseSettings, gives the defaults for nothing stored', () => {
    expect(parseSettings(undefined)).toEqual({ settings: DEFAULT_SETTINGS, problems: [] });
  });

  it('parseSettings, keeps valid values', () => {
    const { settings, problems } = parseSettings({ windowSec: 90, maxFps: 60, filenameTemplate: 'clip {time}' });
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({ windowSec: 90, maxFps: 60, filenameTemplate: 'clip {time}' });
  });

  it('parseSettings, resets each corrupt field to its default and names it', () => {
    const { settings, problems } = parseSettings({ windowSec: 'lots', maxBufferMB: -5, maxFps: 29.5, keyframeIntervalSec: Number.NaN, filenameTemplate: '' });
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(problems.map((p) => p.split(':')[0])).toEqual(['windowSec', 'maxBufferMB', 'keyframeIntervalSec', 'maxFps', 'filenameTemplate']);
  });

  it('parseSettings, rejects a non-object wholesale', () => {
    const { settings, problems } = parseSettings('garbage');
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(problems).toHaveLength(1);
  });

  it('parseSettings, keeps the default clip inside the window', () => {
    const { settings, problems } = parseSettings({ windowSec: 20, defaultClipSec: 45 });
    expect(settings.defaultClipSec).toBe(20);
    expect(problems[0]).toMatch(/^defaultClipSec/);
  });
});

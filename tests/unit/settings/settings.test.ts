import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, inputsToSettings, parseSettings, settingsToInputs, validateSettings } from '../../../src/settings/settings';

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

  it('parseSettings, takes save notifications on or off and nothing else (a boolean is refused)', () => {
    expect(DEFAULT_SETTINGS.saveNotifications).toBe('on');
    expect(parseSettings({ saveNotifications: 'off' })).toEqual({ settings: { ...DEFAULT_SETTINGS, saveNotifications: 'off' }, problems: [] });
    for (const value of [false, 'no', null]) {
      const { settings, problems } = parseSettings({ saveNotifications: value });
      expect(settings.saveNotifications).toBe('on');
      expect(problems).toEqual([`saveNotifications: ${JSON.stringify(value)} must be one of "on", "off"; using "on"`]);
    }
  });

  it('parseSettings, keeps the default clip inside the window', () => {
    const { settings, problems } = parseSettings({ windowSec: 20, defaultClipSec: 45 });
    expect(settings.defaultClipSec).toBe(20);
    expect(problems[0]).toMatch(/^defaultClipSec/);
  });
});

describe('validateSettings', () => {
  it('validateSettings, accepts valid settings as they are', () => {
    expect(validateSettings({ ...DEFAULT_SETTINGS, defaultClipSec: 7 })).toEqual({ ok: true, settings: { ...DEFAULT_SETTINGS, defaultClipSec: 7 } });
  });

  it('validateSettings, refuses rather than falls back, naming each bad field and why', () => {
    const result = validateSettings({ ...DEFAULT_SETTINGS, defaultClipSec: 700, maxFps: 29.5, filenameTemplate: ' ' });
    expect(result).toEqual({
      ok: false,
      invalid: {
        defaultClipSec: 'must be a number from 1 to 600',
        maxFps: 'must be a whole number from 5 to 60',
        filenameTemplate: 'must be 1 to 200 characters',
      },
      general: [],
    });
  });

  it('validateSettings, refuses a default clip longer than the buffer', () => {
    const result = validateSettings({ windowSec: 20, defaultClipSec: 45 });
    expect(result).toEqual({ ok: false, invalid: { defaultClipSec: 'must not be longer than the buffer (20 s)' }, general: [] });
  });

  it('validateSettings, refuses a non-object with a general problem', () => {
    expect(validateSettings(42)).toEqual({ ok: false, invalid: {}, general: ['settings were not an object'] });
  });
});

describe('settings form inputs', () => {
  it('settingsToInputs then inputsToSettings, round-trips every setting', () => {
    const settings = { ...DEFAULT_SETTINGS, keyframeIntervalSec: 0.5, filenameTemplate: 'x {seconds}' };
    expect(inputsToSettings(settingsToInputs(settings))).toEqual(settings);
  });

  it('inputsToSettings, reads an empty number field as not a number, not as 0', () => {
    const inputs = { ...settingsToInputs(DEFAULT_SETTINGS), videoBitrateKbps: ' ', gifFps: ' 12 ' };
    const values = inputsToSettings(inputs);
    expect(values.videoBitrateKbps).toBeNaN();
    expect(values.gifFps).toBe(12);
    const result = validateSettings(values);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.invalid)).toEqual(['videoBitrateKbps']);
  });
});

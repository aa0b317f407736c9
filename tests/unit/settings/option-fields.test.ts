import { describe, expect, it } from 'vitest';
import { ENGLISH } from '../../../src/i18n/english';
import { APPLIES_LABELS, FIELDS, GROUPS, GROUP_LABELS, SETTING_KEYS, choiceValuesOf, fieldsOf, limitsOf } from '../../../src/settings/option-fields';
import { DEFAULT_SETTINGS, type SettingKey } from '../../../src/settings/settings';

describe('option fields', () => {
  it('option fields, every setting is in exactly one group and every group has a setting', () => {
    expect(SETTING_KEYS.sort()).toEqual((Object.keys(DEFAULT_SETTINGS) as SettingKey[]).sort());
    const grouped = GROUPS.flatMap((group) => fieldsOf(group));
    expect(grouped.sort()).toEqual(SETTING_KEYS.sort());
    for (const group of GROUPS) expect(fieldsOf(group).length, group).toBeGreaterThan(0);
  });

  it('option fields, a number setting has a unit and a number control; words a select of exactly its choices', () => {
    for (const key of SETTING_KEYS) {
      const { control, unit } = FIELDS[key];
      const choices = choiceValuesOf(key);
      if (limitsOf(key)) {
        expect(['slider', 'number'], key).toContain(control.kind);
        expect(unit, key).not.toBeNull();
      } else if (choices) {
        expect(control.kind, key).toBe('select');
        if (control.kind === 'select') expect(Object.keys(control.choices).sort(), key).toEqual([...choices].sort());
      } else {
        expect(control.kind, key).toBe('text');
      }
    }
  });

  it('option fields, a slider steps onto its default and both ends; number suggestions are in range', () => {
    for (const key of SETTING_KEYS) {
      const { control } = FIELDS[key];
      const limits = limitsOf(key);
      if (!limits) continue;
      const onStep = (value: number) => Math.abs((value - limits.min) / (control.kind === 'slider' ? control.step : 1) % 1) < 1e-9;
      if (control.kind === 'slider') {
        expect(onStep(DEFAULT_SETTINGS[key] as number), key).toBe(true);
        expect(onStep(limits.max), key).toBe(true);
      }
      if (control.kind === 'number') {
        for (const value of control.suggestions) expect(value >= limits.min && value <= limits.max, `${key} ${value}`).toBe(true);
      }
    }
  });

  it('option fields, when a setting applies matches the code that reads it', () => {
    const applies = Object.fromEntries(SETTING_KEYS.map((key) => [key, FIELDS[key].applies]));
    // Handed to the recorder on arm (background handlers.arm -> offscreen recorder).
    for (const key of ['windowSec', 'maxBufferMB', 'maxWidth', 'maxHeight', 'maxFps', 'videoBitrateKbps', 'frameRateMode', 'overloadPreference', 'keyframeIntervalSec']) {
      expect(applies[key], key).toBe('arm');
    }
    // Read at each save, control, menu update or notification.
    for (const key of ['defaultClipSec', 'postRollSec', 'gifWidthPx', 'gifFps', 'gifDefaultSec', 'filenameTemplate', 'libraryCapMB', 'saveNotifications']) {
      expect(applies[key], key).toBe('now');
    }
    expect(applies.recordSegmentSec).toBe('record');
  });

  it('option fields, every message key the metadata names is in the English catalogue', () => {
    const keys = [
      ...Object.values(GROUP_LABELS), ...Object.values(APPLIES_LABELS),
      ...SETTING_KEYS.flatMap((key) => {
        const { label, help, unit, control } = FIELDS[key];
        return [label, help, ...(unit ? [unit] : []), ...(control.kind === 'select' ? Object.values(control.choices) : [])];
      }),
    ];
    for (const key of keys) expect(ENGLISH, key).toHaveProperty(key);
  });
});

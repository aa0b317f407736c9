import { describe, expect, it } from 'vitest';
import { english } from '../../../src/i18n/english';
import { filenamePreview, inputProblems, type FieldProblem } from '../../../src/settings/option-inputs';
import { DEFAULT_SETTINGS, inputsToSettings, settingsToInputs, validateSettings, type SettingInputs } from '../../../src/settings/settings';

const defaults = settingsToInputs(DEFAULT_SETTINGS);
const text = (problem: FieldProblem | undefined, label: string) => problem && english(problem.key, label, ...(problem.substitutions ?? []));

describe('inputProblems', () => {
  it('inputProblems, none for the defaults', () => {
    expect(inputProblems(defaults)).toEqual({});
  });

  it('inputProblems, says why in words: range, whole number, longer than the buffer, template', () => {
    const problems = inputProblems({ ...defaults, defaultClipSec: '700', maxFps: '29.5', windowSec: '', filenameTemplate: ' ' });
    expect(text(problems.defaultClipSec, 'Default clip length')).toBe('Default clip length must be a number from 1 to 600.');
    expect(text(problems.maxFps, 'Frame rate')).toBe('Frame rate must be a whole number from 5 to 60.');
    expect(text(problems.windowSec, 'Buffer length')).toBe('Buffer length must be a number from 5 to 600.');
    expect(text(problems.filenameTemplate, 'File name')).toBe('File name must not be empty.');
    const longer = inputProblems({ ...defaults, windowSec: '20', defaultClipSec: '25' });
    expect(text(longer.defaultClipSec, 'Default clip length')).toBe('Default clip length must not be longer than the buffer (20 s).');
    const token = inputProblems({ ...defaults, filenameTemplate: 'clip {tilte}' });
    expect(text(token.filenameTemplate, 'File name')).toBe('File name: {tilte} is not a token; use {title}, {date}, {time} or {seconds}.');
    const long = inputProblems({ ...defaults, filenameTemplate: 'x'.repeat(201) });
    expect(text(long.filenameTemplate, 'File name')).toBe('File name must be at most 200 characters.');
  });

  it('inputProblems, refuses exactly the fields the settings store refuses, for random forms', () => {
    const samples: Partial<SettingInputs>[] = [];
    const values = ['', ' ', 'abc', '-1', '0', '0.25', '1', '5', '29.5', '30', '60', '61', '600', '601', '2048', '1e9', 'NaN'];
    let seed = 7;
    const pick = <T,>(list: readonly T[]): T => list[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % list.length]!;
    for (let i = 0; i < 500; i++) {
      const sample: Partial<SettingInputs> = {};
      for (const key of ['windowSec', 'defaultClipSec', 'maxFps', 'keyframeIntervalSec', 'gifDefaultSec', 'postRollSec'] as const) {
        if (pick([true, false])) sample[key] = pick(values);
      }
      if (pick([true, false, false])) sample.filenameTemplate = pick(['', '{title}', '{x}', 'a {date}', '{Title}', '{ok']);
      samples.push(sample);
    }
    for (const sample of samples) {
      const inputs = { ...defaults, ...sample };
      const checked = validateSettings(inputsToSettings(inputs));
      const refused = checked.ok ? [] : Object.keys(checked.invalid).sort();
      expect(Object.keys(inputProblems(inputs)).sort(), JSON.stringify(sample)).toEqual(refused);
    }
  });
});

describe('filenamePreview', () => {
  const date = new Date(2026, 11, 7, 16, 5, 9);
  it('filenamePreview, expands the template as a save would', () => {
    expect(filenamePreview('Looptab {title} {date} {time}', { title: 'Example page', date, seconds: 30, format: 'mp4' }))
      .toEqual({ ok: true, filename: 'Looptab Example page 2026-12-07 16-05-09.mp4' });
    expect(filenamePreview('{seconds}s: {title}', { title: 'a/b', date, seconds: 7.4, format: 'gif' }))
      .toEqual({ ok: true, filename: '7s a b.gif' });
  });

  it('filenamePreview, an invalid template gives its problem instead of a name', () => {
    const preview = filenamePreview('{when}', { title: 't', date, seconds: 1, format: 'mp4' });
    expect(preview).toEqual({ ok: false, problem: { key: 'options_error_template_token', substitutions: ['when'] } });
  });
});

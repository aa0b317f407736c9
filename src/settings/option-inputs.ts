/**
 * The options form's logic: why each typed value is refused, as a message the page shows in the
 * user's language, and the file name the template gives. It refuses exactly what the settings
 * store refuses (validateSettings decides; this only says why in words a user reads).
 */
import type { LocalText } from '../i18n/english';
import { clipFilename, templateProblem } from './filename-template';
import { limitsOf } from './option-fields';
import { DEFAULT_SETTINGS, inputsToSettings, validateSettings, type SettingInputs, type SettingKey } from './settings';

/** A refused value: its message; the page puts the setting's label before the substitutions. */
export type FieldProblem = LocalText;

/** Every refused field of `inputs`, by key; empty when the store would accept them all. */
export function inputProblems(inputs: SettingInputs): Partial<Record<SettingKey, FieldProblem>> {
  const checked = validateSettings(inputsToSettings(inputs));
  if (checked.ok) return {};
  const problems: Partial<Record<SettingKey, FieldProblem>> = {};
  for (const key of Object.keys(checked.invalid) as SettingKey[]) problems[key] = problemOf(key, inputs);
  return problems;
}

function problemOf(key: SettingKey, inputs: SettingInputs): FieldProblem {
  const input = inputs[key];
  if (key === 'filenameTemplate') {
    const problem = templateProblem(input);
    if (problem?.kind === 'unknown-token') return { key: 'options_error_template_token', substitutions: [problem.token] };
    if (problem?.kind === 'too-long') return { key: 'options_error_template_long', substitutions: [String(problem.maxChars)] };
    return { key: 'options_error_template_empty' };
  }
  const limits = limitsOf(key);
  if (!limits) return { key: 'options_error_choice' };
  const value = input.trim() === '' ? Number.NaN : Number(input);
  const inRange = Number.isFinite(value) && value >= limits.min && value <= limits.max && (!limits.integer || Number.isInteger(value));
  // A clip length within its own range was refused for being longer than the buffer.
  if (inRange && key === 'defaultClipSec') return { key: 'options_error_longer_than_buffer', substitutions: [bufferSec(inputs)] };
  return { key: limits.integer ? 'options_error_whole' : 'options_error_number', substitutions: [String(limits.min), String(limits.max)] };
}

/** The buffer length the store compares the clip length with: the typed one if valid, else the default. */
function bufferSec(inputs: SettingInputs): string {
  const limits = limitsOf('windowSec')!;
  const typed = inputs.windowSec.trim() === '' ? Number.NaN : Number(inputs.windowSec);
  return String(Number.isFinite(typed) && typed >= limits.min && typed <= limits.max ? typed : DEFAULT_SETTINGS.windowSec);
}

export type FilenamePreview = { ok: true; filename: string } | { ok: false; problem: FieldProblem };

/** The name a clip saved now would get from `template`, or why the template cannot be used. */
export function filenamePreview(template: string, sample: { title: string; date: Date; seconds: number; format: string }): FilenamePreview {
  const problem = templateProblem(template);
  if (problem) return { ok: false, problem: problemOf('filenameTemplate', { filenameTemplate: template } as SettingInputs) };
  return { ok: true, filename: clipFilename(template, { title: sample.title, date: sample.date, seconds: sample.seconds }, sample.format) };
}

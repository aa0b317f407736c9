import { FRAME_RATE_MODES, type FrameRateMode } from '../cadence/frame-cadence';
import { OVERLOAD_PREFERENCES, type OverloadPreference } from '../cadence/overload-governor';
import { FILENAME_TOKENS, MAX_TEMPLATE_CHARS, templateProblem } from './filename-template';

/** A setting that is on or off: a choice of two words, so it needs no rule kind of its own. */
export const ON_OFF = ['on', 'off'] as const;
export type OnOff = (typeof ON_OFF)[number];

/**
 * User settings, typed from their defaults and validated field by field: a corrupt or old
 * stored value falls back to its default and is reported, never trusted.
 */

export const DEFAULT_SETTINGS = {
  /** History kept in the ring buffer. Longer than the longest clip so a clip has a keyframe before it. */
  windowSec: 60,
  /** Hard cap on the ring buffer's encoded bytes. */
  maxBufferMB: 256,
  keyframeIntervalSec: 1,
  maxWidth: 1920,
  maxHeight: 1080,
  maxFps: 30,
  /** 0 picks a bitrate from size and frame rate. */
  videoBitrateKbps: 0,
  defaultClipSec: 30,
  /** Seconds recorded after a save request and included in the clip (like Twitch's 25 s + 5 s). */
  postRollSec: 0,
  /** GIF width in pixels (height follows the aspect). */
  gifWidthPx: 480,
  gifFps: 15,
  /** Length the GIF shortcut and menu entry save. */
  gifDefaultSec: 10,
  /** Tokens: {title} {date} {time} {seconds}. */
  filenameTemplate: 'Looptab {title} {date} {time}',
  /** The clip library keeps clips until they add up to this, then the oldest go first. */
  libraryCapMB: 2048,
  /** A recording to disk starts a new segment file this often (a crash loses at most the fragment in progress). */
  recordSegmentSec: 600,
  /** `variable`: a frame when the page paints; `constant`: every frame slot filled (what video editors want). */
  frameRateMode: 'variable' as FrameRateMode,
  /** What overload gives up last: the picture's size (the frame rate goes down first) or its frame rate. */
  overloadPreference: 'resolution' as OverloadPreference,
  /** A system notification after each save (its thumbnail, Open in library, Show in folder) and when one fails. */
  saveNotifications: 'on' as OnOff,
};

export type Settings = typeof DEFAULT_SETTINGS;
export type SettingKey = keyof Settings;

interface NumberRule {
  min: number;
  max: number;
  integer: boolean;
}

const NUMBER_RULES: { [K in SettingKey as Settings[K] extends number ? K : never]: NumberRule } = {
  windowSec: { min: 5, max: 600, integer: false },
  maxBufferMB: { min: 16, max: 2048, integer: true },
  keyframeIntervalSec: { min: 0.25, max: 10, integer: false },
  maxWidth: { min: 160, max: 3840, integer: true },
  maxHeight: { min: 120, max: 2160, integer: true },
  maxFps: { min: 5, max: 60, integer: true },
  videoBitrateKbps: { min: 0, max: 50_000, integer: true },
  defaultClipSec: { min: 1, max: 600, integer: false },
  postRollSec: { min: 0, max: 30, integer: false },
  gifWidthPx: { min: 120, max: 1280, integer: true },
  gifFps: { min: 5, max: 30, integer: true },
  gifDefaultSec: { min: 1, max: 60, integer: false },
  libraryCapMB: { min: 1, max: 1_000_000, integer: true },
  recordSegmentSec: { min: 5, max: 3600, integer: false },
};

/** Settings that take one of a few words. */
export const CHOICE_RULES: { [K in SettingKey as Settings[K] extends string ? (string extends Settings[K] ? never : K) : never]: readonly Settings[K][] } = {
  frameRateMode: FRAME_RATE_MODES,
  overloadPreference: OVERLOAD_PREFERENCES,
  saveNotifications: ON_OFF,
};

export interface SettingsResult {
  settings: Settings;
  /** Fields whose stored value was invalid and fell back to the default, with the reason. */
  problems: string[];
}

/** One refused field: why, and what was used instead. */
interface Issue {
  key: SettingKey | null;
  /** What the user must change, e.g. "must be a number from 1 to 600". */
  reason: string;
  /** The whole problem line, fallback included, as parseSettings reports it. */
  problem: string;
}

function check(raw: unknown): { settings: Settings; issues: Issue[] } {
  const settings: Settings = { ...DEFAULT_SETTINGS };
  const issues: Issue[] = [];
  if (raw === undefined || raw === null) return { settings, issues };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    const reason = 'settings were not an object';
    return { settings, issues: [{ key: null, reason, problem: `${reason}; all fields reset to defaults` }] };
  }
  const refuse = (key: SettingKey, value: unknown, reason: string) => {
    issues.push({ key, reason, problem: `${key}: ${JSON.stringify(value)} ${reason}; using ${JSON.stringify(settings[key])}` });
  };
  const record = raw as Record<string, unknown>;
  for (const key of Object.keys(NUMBER_RULES) as (keyof typeof NUMBER_RULES)[]) {
    if (!(key in record)) continue;
    const value = record[key];
    const rule = NUMBER_RULES[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < rule.min || value > rule.max ||
        (rule.integer && !Number.isInteger(value))) {
      refuse(key, value, `must be ${rule.integer ? 'a whole number' : 'a number'} from ${rule.min} to ${rule.max}`);
      continue;
    }
    settings[key] = value;
  }
  for (const key of Object.keys(CHOICE_RULES) as (keyof typeof CHOICE_RULES)[]) {
    if (!(key in record)) continue;
    const value = record[key];
    const choices: readonly string[] = CHOICE_RULES[key];
    if (typeof value !== 'string' || !choices.includes(value)) {
      refuse(key, value, `must be one of ${choices.map((choice) => `"${choice}"`).join(', ')}`);
      continue;
    }
    (settings as Record<string, unknown>)[key] = value;
  }
  if ('filenameTemplate' in record) {
    const value = record.filenameTemplate;
    const problem = typeof value === 'string' ? templateProblem(value) : null;
    if (typeof value !== 'string' || (problem && problem.kind !== 'unknown-token')) {
      refuse('filenameTemplate', value, `must be 1 to ${MAX_TEMPLATE_CHARS} characters`);
    } else if (problem?.kind === 'unknown-token') {
      refuse('filenameTemplate', value, `uses {${problem.token}}, which is not one of ${FILENAME_TOKENS.map((token) => `{${token}}`).join(' ')}`);
    } else {
      settings.filenameTemplate = value;
    }
  }
  if (settings.defaultClipSec > settings.windowSec) {
    issues.push({
      key: 'defaultClipSec',
      reason: `must not be longer than the buffer (${settings.windowSec} s)`,
      problem: `defaultClipSec: ${settings.defaultClipSec} s is longer than the ${settings.windowSec} s window; using ${settings.windowSec}`,
    });
    settings.defaultClipSec = settings.windowSec;
  }
  return { settings, issues };
}

/** Validates stored settings; unknown fields are ignored, a bad field falls back to its default. */
export function parseSettings(raw: unknown): SettingsResult {
  const { settings, issues } = check(raw);
  return { settings, problems: issues.map((issue) => issue.problem) };
}

export type SettingsValidation =
  | { ok: true; settings: Settings }
  | {
      ok: false;
      /** Why each refused field was refused, by field: what a form shows beside it. */
      invalid: Partial<Record<SettingKey, string>>;
      /** Problems that belong to no one field. */
      general: string[];
    };

/**
 * Validates settings a user submits: unlike parseSettings nothing falls back, so a bad value is
 * refused (and named) rather than silently replaced by its default.
 */
export function validateSettings(raw: unknown): SettingsValidation {
  const { settings, issues } = check(raw);
  if (issues.length === 0) return { ok: true, settings };
  const invalid: Partial<Record<SettingKey, string>> = {};
  const general: string[] = [];
  for (const issue of issues) {
    if (issue.key === null) general.push(issue.reason);
    else invalid[issue.key] ??= issue.reason;
  }
  return { ok: false, invalid, general };
}

export const SETTING_LIMITS = NUMBER_RULES;

/** Form inputs, one string per setting. */
export type SettingInputs = Record<SettingKey, string>;

/** Settings as a form shows them. */
export function settingsToInputs(settings: Settings): SettingInputs {
  const inputs = {} as SettingInputs;
  for (const key of Object.keys(DEFAULT_SETTINGS) as SettingKey[]) inputs[key] = String(settings[key]);
  return inputs;
}

/**
 * A form's strings as values for validateSettings: numeric fields parsed (an empty field is not
 * a number, rather than Number('')'s 0), text kept as typed.
 */
export function inputsToSettings(inputs: SettingInputs): Record<SettingKey, unknown> {
  const values = {} as Record<SettingKey, unknown>;
  for (const key of Object.keys(DEFAULT_SETTINGS) as SettingKey[]) {
    const input = inputs[key];
    values[key] = key in NUMBER_RULES ? (input.trim() === '' ? Number.NaN : Number(input)) : input;
  }
  return values;
}

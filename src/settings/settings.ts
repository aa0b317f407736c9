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
};

export interface SettingsResult {
  settings: Settings;
  /** Fields whose stored value was invalid and fell back to the default, with the reason. */
  problems: string[];
}

/** Validates stored or submitted settings; unknown fields are ignored. */
export function parseSettings(raw: unknown): SettingsResult {
  const settings: Settings = { ...DEFAULT_SETTINGS };
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { settings, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { settings, problems: ['settings were not an object; all fields reset to defaults'] };
  }
  const record = raw as Record<string, unknown>;
  for (const key of Object.keys(NUMBER_RULES) as (keyof typeof NUMBER_RULES)[]) {
    if (!(key in record)) continue;
    const value = record[key];
    const rule = NUMBER_RULES[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < rule.min || value > rule.max ||
        (rule.integer && !Number.isInteger(value))) {
      problems.push(`${key}: ${JSON.stringify(value)} is not ${rule.integer ? 'an integer' : 'a number'} ` +
        `in ${rule.min}-${rule.max}; using ${DEFAULT_SETTINGS[key]}`);
      continue;
    }
    settings[key] = value;
  }
  if ('filenameTemplate' in record) {
    const value = record.filenameTemplate;
    if (typeof value !== 'string' || value.trim() === '' || value.length > 200) {
      problems.push(`filenameTemplate: must be 1-200 characters; using "${DEFAULT_SETTINGS.filenameTemplate}"`);
    } else {
      settings.filenameTemplate = value;
    }
  }
  if (settings.defaultClipSec > settings.windowSec) {
    problems.push(`defaultClipSec: ${settings.defaultClipSec} s is longer than the ${settings.windowSec} s window; using ${settings.windowSec}`);
    settings.defaultClipSec = settings.windowSec;
  }
  return { settings, problems };
}

export const SETTING_LIMITS = NUMBER_RULES;

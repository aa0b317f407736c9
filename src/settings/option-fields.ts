/**
 * What the options page says about each setting: its group, label, one line of help, unit, the
 * control that fits it and when the product reads it. Typed by the settings, so a new setting
 * without a field is a compile error. "applies" matches the code that reads each setting:
 * `arm` settings go to the recorder when a tab is armed (background handlers.arm), `now` ones are
 * read at each save, shortcut, menu click or notification, `record` ones when a recording starts.
 */
import type { MessageKey } from '../i18n/english';
import { CHOICE_RULES, SETTING_LIMITS, type SettingKey } from './settings';

export const GROUPS = ['buffer', 'capture', 'clips', 'gif', 'files', 'library', 'recording', 'notifications'] as const;
export type Group = (typeof GROUPS)[number];

export const APPLIES = ['now', 'arm', 'record'] as const;
export type Applies = (typeof APPLIES)[number];

/**
 * `slider`: a range beside a number box (the box shows the value and takes an exact one);
 * `number`: a number box, with common values offered; `select`: one of the setting's choices;
 * `text`: free text (the file-name template).
 */
export type Control =
  | { kind: 'slider'; step: number }
  | { kind: 'number'; suggestions: readonly number[] }
  | { kind: 'select'; choices: Readonly<Record<string, MessageKey>> }
  | { kind: 'text' };

export interface Field {
  group: Group;
  label: MessageKey;
  help: MessageKey;
  /** Shown after a number; null for words and text. */
  unit: MessageKey | null;
  control: Control;
  applies: Applies;
}

const ON_OFF_CHOICES = { on: 'options_choice_on', off: 'options_choice_off' } as const;

export const FIELDS: Record<SettingKey, Field> = {
  windowSec: { group: 'buffer', label: 'options_label_window_sec', help: 'options_help_window_sec', unit: 'options_unit_seconds', control: { kind: 'slider', step: 5 }, applies: 'arm' },
  maxBufferMB: { group: 'buffer', label: 'options_label_max_buffer_mb', help: 'options_help_max_buffer_mb', unit: 'options_unit_mb', control: { kind: 'slider', step: 16 }, applies: 'arm' },
  maxWidth: { group: 'capture', label: 'options_label_max_width', help: 'options_help_max_width', unit: 'options_unit_px', control: { kind: 'number', suggestions: [640, 1280, 1920, 2560, 3840] }, applies: 'arm' },
  maxHeight: { group: 'capture', label: 'options_label_max_height', help: 'options_help_max_height', unit: 'options_unit_px', control: { kind: 'number', suggestions: [360, 720, 1080, 1440, 2160] }, applies: 'arm' },
  maxFps: { group: 'capture', label: 'options_label_max_fps', help: 'options_help_max_fps', unit: 'options_unit_fps', control: { kind: 'slider', step: 1 }, applies: 'arm' },
  videoBitrateKbps: { group: 'capture', label: 'options_label_video_bitrate_kbps', help: 'options_help_video_bitrate_kbps', unit: 'options_unit_kbps', control: { kind: 'number', suggestions: [0, 2000, 4000, 8000, 16000] }, applies: 'arm' },
  frameRateMode: {
    group: 'capture', label: 'options_label_frame_rate_mode', help: 'options_help_frame_rate_mode', unit: null, applies: 'arm',
    control: { kind: 'select', choices: { variable: 'options_choice_variable', constant: 'options_choice_constant' } },
  },
  overloadPreference: {
    group: 'capture', label: 'options_label_overload_preference', help: 'options_help_overload_preference', unit: null, applies: 'arm',
    control: { kind: 'select', choices: { resolution: 'options_choice_keep_resolution', 'frame-rate': 'options_choice_keep_frame_rate', off: 'options_choice_keep_both' } },
  },
  keyframeIntervalSec: { group: 'capture', label: 'options_label_keyframe_interval_sec', help: 'options_help_keyframe_interval_sec', unit: 'options_unit_seconds', control: { kind: 'slider', step: 0.25 }, applies: 'arm' },
  defaultClipSec: { group: 'clips', label: 'options_label_default_clip_sec', help: 'options_help_default_clip_sec', unit: 'options_unit_seconds', control: { kind: 'slider', step: 1 }, applies: 'now' },
  postRollSec: { group: 'clips', label: 'options_label_post_roll_sec', help: 'options_help_post_roll_sec', unit: 'options_unit_seconds', control: { kind: 'slider', step: 1 }, applies: 'now' },
  gifWidthPx: { group: 'gif', label: 'options_label_gif_width_px', help: 'options_help_gif_width_px', unit: 'options_unit_px', control: { kind: 'slider', step: 10 }, applies: 'now' },
  gifFps: { group: 'gif', label: 'options_label_gif_fps', help: 'options_help_gif_fps', unit: 'options_unit_fps', control: { kind: 'slider', step: 1 }, applies: 'now' },
  gifDefaultSec: { group: 'gif', label: 'options_label_gif_default_sec', help: 'options_help_gif_default_sec', unit: 'options_unit_seconds', control: { kind: 'slider', step: 1 }, applies: 'now' },
  filenameTemplate: { group: 'files', label: 'options_label_filename_template', help: 'options_help_filename_template', unit: null, control: { kind: 'text' }, applies: 'now' },
  libraryCapMB: { group: 'library', label: 'options_label_library_cap_mb', help: 'options_help_library_cap_mb', unit: 'options_unit_mb', control: { kind: 'number', suggestions: [512, 1024, 2048, 4096, 8192] }, applies: 'now' },
  recordSegmentSec: { group: 'recording', label: 'options_label_record_segment_sec', help: 'options_help_record_segment_sec', unit: 'options_unit_seconds', control: { kind: 'number', suggestions: [60, 300, 600, 1800, 3600] }, applies: 'record' },
  saveNotifications: { group: 'notifications', label: 'options_label_save_notifications', help: 'options_help_save_notifications', unit: null, control: { kind: 'select', choices: ON_OFF_CHOICES }, applies: 'now' },
};

export const GROUP_LABELS: Record<Group, MessageKey> = {
  buffer: 'options_group_buffer',
  capture: 'options_group_capture',
  clips: 'options_group_clips',
  gif: 'options_group_gif',
  files: 'options_group_files',
  library: 'options_group_library',
  recording: 'options_group_recording',
  notifications: 'options_group_notifications',
};

export const APPLIES_LABELS: Record<Applies, MessageKey> = {
  now: 'options_applies_now',
  arm: 'options_applies_arm',
  record: 'options_applies_record',
};

export const SETTING_KEYS = Object.keys(FIELDS) as SettingKey[];

/** The settings of `group`, in the order the page shows them. */
export function fieldsOf(group: Group): SettingKey[] {
  return SETTING_KEYS.filter((key) => FIELDS[key].group === group);
}

/** A number setting's range, or null for words and text. */
export function limitsOf(key: SettingKey): { min: number; max: number; integer: boolean } | null {
  return key in SETTING_LIMITS ? SETTING_LIMITS[key as keyof typeof SETTING_LIMITS] : null;
}

/** The values a choice setting accepts (the select's options), or null. */
export function choiceValuesOf(key: SettingKey): readonly string[] | null {
  return key in CHOICE_RULES ? CHOICE_RULES[key as keyof typeof CHOICE_RULES] : null;
}

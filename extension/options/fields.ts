/**
 * What the options page says about each setting: its group, label, unit, one line of help and
 * when the product reads it. Typed by the settings, so a new setting without a field is a
 * compile error; "applies" must match the code: `arm` settings are handed to the recorder when
 * a tab is armed (handlers.arm), `save` settings are read by handlers.save and the controls.
 */
import type { SettingKey } from '../../src/settings/settings';

export const GROUPS = ['Buffer', 'Capture', 'Clips', 'GIF', 'Files', 'Library', 'Recording'] as const;
export type Group = (typeof GROUPS)[number];

export type Applies = 'arm' | 'save' | 'record';

export interface Field {
  group: Group;
  label: string;
  /** Shown after the input; null for text. */
  unit: string | null;
  help: string;
  applies: Applies;
  /** A setting that takes one of a few words: each one's label, in the order shown. */
  choices?: Record<string, string>;
}

export const APPLIES_TEXT: Record<Applies, string> = {
  arm: 'Applies when a tab is next armed',
  save: 'Applies to the next save',
  record: 'Applies when a recording next starts',
};

export const FIELDS: Record<SettingKey, Field> = {
  windowSec: {
    group: 'Buffer', label: 'Buffer length', unit: 's', applies: 'arm',
    help: 'How much of the tab is kept: the longest clip you can save.',
  },
  maxBufferMB: {
    group: 'Buffer', label: 'Memory cap', unit: 'MB', applies: 'arm',
    help: 'The buffer never holds more than this; past it the oldest seconds are dropped first.',
  },
  maxWidth: {
    group: 'Capture', label: 'Maximum width', unit: 'px', applies: 'arm',
    help: 'A larger tab is scaled down to fit, keeping its aspect ratio.',
  },
  maxHeight: {
    group: 'Capture', label: 'Maximum height', unit: 'px', applies: 'arm',
    help: 'A taller tab is scaled down to fit, keeping its aspect ratio.',
  },
  maxFps: {
    group: 'Capture', label: 'Frame rate', unit: 'fps', applies: 'arm',
    help: 'Most frames per second recorded; a tab that paints less often gives fewer.',
  },
  videoBitrateKbps: {
    group: 'Capture', label: 'Video bitrate', unit: 'kbps', applies: 'arm',
    help: '0 picks a bitrate from the size and frame rate.',
  },
  frameRateMode: {
    group: 'Capture', label: 'Frame timing', unit: null, applies: 'arm',
    help: 'Variable records a frame when the page paints (smallest files); constant fills every frame slot, which video editors such as Premiere or Resolve handle best.',
    choices: { variable: 'Variable (as the page paints)', constant: 'Constant (every frame slot)' },
  },
  overloadPreference: {
    group: 'Capture', label: 'When the machine cannot keep up', unit: null, applies: 'arm',
    help: 'Looptab lowers one evenly instead of dropping frames at random, tells you in the popup, and restores it when the load passes. A change of size starts a new stream, which a clip cannot reach back across; a change of frame rate does not.',
    choices: { resolution: 'Keep the resolution (lower the frame rate)', 'frame-rate': 'Keep the frame rate (lower the resolution)', off: 'Keep both (frames are dropped where the machine falls behind)' },
  },
  keyframeIntervalSec: {
    group: 'Capture', label: 'Keyframe interval', unit: 's', applies: 'arm',
    help: 'Time between full frames: shorter costs more bytes; a clip carries up to this much hidden video before its start.',
  },
  defaultClipSec: {
    group: 'Clips', label: 'Default clip length', unit: 's', applies: 'save',
    help: 'What the save shortcut (Alt+Shift+S) and the first menu entry save; the popup starts on it.',
  },
  postRollSec: {
    group: 'Clips', label: 'Keep recording after a save', unit: 's', applies: 'save',
    help: 'The clip ends this long after you ask, and is still as long as asked.',
  },
  saveNotifications: {
    group: 'Clips', label: 'Notify when a clip is saved', unit: null, applies: 'save',
    help: 'A system notification shows each saved clip (a picture of it, Open in library, Show in folder) or says why a save failed. The badge flashes either way.',
    choices: { on: 'On', off: 'Off' },
  },
  gifWidthPx: {
    group: 'GIF', label: 'GIF width', unit: 'px', applies: 'save',
    help: 'Height follows the aspect ratio; never wider than the recording.',
  },
  gifFps: {
    group: 'GIF', label: 'GIF frame rate', unit: 'fps', applies: 'save',
    help: 'Frames per second in a GIF: fewer make a smaller file.',
  },
  gifDefaultSec: {
    group: 'GIF', label: 'GIF length', unit: 's', applies: 'save',
    help: 'What the GIF shortcut (Alt+Shift+G) and the GIF menu entry save.',
  },
  filenameTemplate: {
    group: 'Files', label: 'File name', unit: null, applies: 'save',
    help: 'Tokens: {title} {date} {time} {seconds}; the extension (.mp4, .gif) is added.',
  },
  libraryCapMB: {
    group: 'Library', label: 'Library size', unit: 'MB', applies: 'save',
    help: 'Every saved clip is also kept in the library until they add up to this; then the oldest go first, and the library says so.',
  },
  recordSegmentSec: {
    group: 'Recording', label: 'Segment length', unit: 's', applies: 'record',
    help: 'A recording to disk is written in files of this length; if the browser stops, everything up to the last second or two is recovered.',
  },
};

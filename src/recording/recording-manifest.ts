/**
 * What a recording in progress keeps beside its segment files (`recordings/<id>/manifest.json`):
 * enough to finish it after a crash. It is written when the recording starts and again before
 * each new segment file is created, so every segment file on disk is named by it.
 */
import { isClipId } from '../library/library-clip';
import { isRecord } from '../contract/parse';

export interface StoredDecoderConfig {
  codec: string;
  codedWidth?: number;
  codedHeight?: number;
  sampleRate?: number;
  numberOfChannels?: number;
  /** The codec's setup bytes (avcC, OpusHead), base64. */
  description?: string;
}

export interface RecordingManifest {
  version: 1;
  id: string;
  title: string;
  sourceOrigin: string | null;
  /** When recording started, ms since the epoch. */
  createdAt: number;
  width: number;
  height: number;
  video: StoredDecoderConfig;
  audio: StoredDecoderConfig | null;
  /** Each segment's start on the recording's timeline. */
  segments: { index: number; startUs: number }[];
}

export const RECORDINGS_DIR = 'recordings';
export const MANIFEST_FILE = 'manifest.json';

export function segmentFileName(index: number): string {
  return `segment-${String(index).padStart(5, '0')}.mp4`;
}

export function encodeBase64(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text);
}

export function decodeBase64(text: string): Uint8Array {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

export function storeDecoderConfig(config: { codec: string; codedWidth?: number; codedHeight?: number; sampleRate?: number; numberOfChannels?: number; description?: Uint8Array }): StoredDecoderConfig {
  const { description, ...rest } = config;
  return description ? { ...rest, description: encodeBase64(description) } : rest;
}

function isStoredConfig(value: unknown): value is StoredDecoderConfig {
  return isRecord(value) && typeof value.codec === 'string' && (value.description === undefined || typeof value.description === 'string');
}

/** A stored manifest checked field by field; null when it is not one. */
export function parseManifest(raw: unknown): RecordingManifest | null {
  if (!isRecord(raw) || raw.version !== 1 || !isClipId(raw.id) || typeof raw.title !== 'string') return null;
  const { createdAt, width, height, video, audio, segments, sourceOrigin } = raw;
  if (![createdAt, width, height].every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0)) return null;
  if (!isStoredConfig(video) || (audio !== null && !isStoredConfig(audio))) return null;
  if (sourceOrigin !== null && typeof sourceOrigin !== 'string') return null;
  if (!Array.isArray(segments)) return null;
  const parsedSegments: RecordingManifest['segments'] = [];
  for (const segment of segments) {
    if (!isRecord(segment) || !Number.isInteger(segment.index) || !Number.isFinite(segment.startUs)) return null;
    parsedSegments.push({ index: segment.index as number, startUs: segment.startUs as number });
  }
  return { version: 1, id: raw.id, title: raw.title, sourceOrigin, createdAt: createdAt as number, width: width as number, height: height as number, video, audio, segments: parsedSegments };
}

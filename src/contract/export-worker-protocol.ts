/**
 * The offscreen document <-> export worker contract: source files and an edit in, progress out,
 * then the made clip (an MP4, or the video a GIF is made from) or an error.
 */
import type { ClipInput, VideoTrackInput } from '../clip/clip-input';
import type { ExportSpec } from './export-request';
import { isRecord } from './parse';
import type { LocalText } from '../i18n/english';

export interface ExportWorkerSource {
  id: string;
  file: Blob;
  /** The codec string its recorder's encoder was configured with: an encoder configured alike writes the same stream parameters. */
  encoderCodec: string;
}

export interface ExportJobRequest {
  type: 'export';
  id: number;
  /** One per distinct clip of the spec, in first-use order (sourceIds). */
  sources: ExportWorkerSource[];
  spec: Omit<ExportSpec, 'format'>;
  /** 'gif': hand back the composed video as a track for the GIF worker, not an MP4. */
  output: 'mp4' | 'gif';
}

export interface ExportCancelRequest {
  type: 'cancel';
  id: number;
}

export type ExportWorkerRequest = ExportJobRequest | ExportCancelRequest;

export interface ExportMade {
  durationUs: number;
  reencodedUs: number;
  width: number;
  height: number;
  fixes: LocalText[];
  notes: LocalText[];
  videoCodec: string;
  audioCodec: string | null;
}

export type ExportWorkerResponse =
  | { id: number; type: 'progress'; fraction: number }
  | ({ id: number; type: 'done'; ok: true; mp4: Blob | null; gifVideo: (Pick<ClipInput, 'startUs' | 'endUs'> & { video: VideoTrackInput }) | null } & ExportMade)
  | { id: number; type: 'done'; ok: false; error: string; cancelled: boolean };

/** True for a message shaped like a request (the worker trusts only its own document). */
export function isExportWorkerRequest(message: unknown): message is ExportWorkerRequest {
  if (!isRecord(message) || typeof message.id !== 'number') return false;
  if (message.type === 'cancel') return true;
  return message.type === 'export' && Array.isArray(message.sources) && isRecord(message.spec) && (message.output === 'mp4' || message.output === 'gif');
}

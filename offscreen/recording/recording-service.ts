/**
 * The offscreen document's recordings to disk: the one disk worker, the active session's events,
 * keeping a finished recording in the library, and recovering what a crash left.
 */
import { errorMessage } from '../../src/contract/errors';
import { localize, type LocalText } from '../../src/i18n/english';
import type { DiskEvent, FinishedRecording } from '../../src/contract/disk-worker-protocol';
import type { Parsed } from '../../src/contract/parse';
import type { LibraryClip } from '../../src/library/library-clip';
import type { RecordingManifest } from '../../src/recording/recording-manifest';
import { keepRecordingFile } from '../library/library-service';
import { DiskClient } from './disk-client';
import type { RecordingSession } from './recording-session';

let active: RecordingSession | null = null;

function onEvent(event: DiskEvent): void {
  if (event.type === 'written') active?.written(event.bytes);
  else active?.fault(event.error);
}

export const disk = new DiskClient(onEvent);

/** The session the worker's events go to. */
export function setActiveSession(session: RecordingSession | null): void {
  active = session;
}

function entryOf(manifest: RecordingManifest, finished: FinishedRecording, title: string): LibraryClip {
  return {
    id: manifest.id,
    kind: 'recording',
    format: 'mp4',
    title,
    createdAt: manifest.createdAt,
    durationSec: finished.durationSec,
    bytes: finished.bytes,
    width: manifest.width,
    height: manifest.height,
    hasAudio: finished.audioPackets > 0,
    videoCodec: manifest.video.codec,
    audioCodec: manifest.audio?.codec ?? null,
    sourceOrigin: manifest.sourceOrigin,
    hasThumbnail: false,
  };
}

/** Commits the final MP4 the worker wrote to the library, then removes the segments. */
export async function keepRecording(manifest: RecordingManifest, finished: FinishedRecording, capBytes: number, title = manifest.title, note: LocalText | null = null): Promise<Parsed<LibraryClip>> {
  const kept = await keepRecordingFile(entryOf(manifest, finished, title), capBytes, note);
  if (kept.ok) await disk.request({ type: 'remove', recordingId: manifest.id }, 'done');
  return kept;
}

/**
 * Finishes recordings a crash left (the browser stopped, the document closed): each segment is
 * cut to its last whole fragment and the rest is kept in the library as one recording, its note
 * added to the library's with it. A recording that cannot be kept is `report`ed. Returns what
 * the user should read, all of it.
 */
export async function recoverRecordings(capBytes: number, isKept: (id: string) => Promise<boolean>, report: (note: LocalText) => void): Promise<LocalText[]> {
  const messages: LocalText[] = [];
  const { recordings } = await disk.request({ type: 'recover', except: [] }, 'recoverable');
  for (const { manifest } of recordings) {
    try {
      if (await isKept(manifest.id)) {
        await disk.request({ type: 'remove', recordingId: manifest.id }, 'done');
        continue;
      }
      const { recording } = await disk.request({ type: 'finish-recovered', recordingId: manifest.id }, 'finished');
      const note = localize('err_recording_recovered', manifest.title, Math.round(recording.durationSec));
      const kept = await keepRecording(manifest, recording, capBytes, `${manifest.title} (recovered)`, note);
      if (!kept.ok) throw new Error(kept.error);
      messages.push(note);
    } catch (error) {
      const note = localize('err_recording_unrecoverable', manifest.title, errorMessage(error));
      report(note);
      messages.push(note);
    }
  }
  return messages;
}

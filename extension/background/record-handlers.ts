/** Recording the whole session to disk: the public requests, the badge while it runs. */
import type { OkReply, RecordStopReply } from '../../src/contract/messages';
import { failure } from '../../src/contract/errors';
import type { LocalText } from '../../src/i18n/english';
import { BYTES_PER_MB } from '../../src/units';
import { loadSettings } from '../settings-store';
import { showArmed, showError, showRecording } from './badge';
import { askOffscreen, hasOffscreenDocument } from './offscreen-client';
import { readState } from './state';

export async function recordStart(includeBufferedSec: number | undefined): Promise<OkReply> {
  if (!(await hasOffscreenDocument())) return failure('err_not_recording');
  const [state, { settings }] = await Promise.all([readState(), loadSettings()]);
  return askOffscreen({
    type: 'record-start',
    includeBufferedSec: includeBufferedSec ?? null,
    segmentSec: settings.recordSegmentSec,
    library: { title: state.tabTitle ?? 'tab', sourceOrigin: state.sourceOrigin, capBytes: settings.libraryCapMB * BYTES_PER_MB },
  });
}

export async function recordStop(): Promise<RecordStopReply> {
  if (!(await hasOffscreenDocument())) return failure('err_not_recording_to_disk');
  return askOffscreen({ type: 'record-stop' });
}

/** The shortcut's and the menu's single control: start (with what is buffered) or stop. */
export async function toggleRecord(): Promise<OkReply | RecordStopReply> {
  if (!(await hasOffscreenDocument())) return failure('err_not_recording');
  const { recording } = await askOffscreen({ type: 'status' });
  return recording ? recordStop() : recordStart(undefined);
}

/** The offscreen document's news about a recording: the badge follows it. */
export async function recordingChanged(active: boolean, elapsedSec: number, error: string | LocalText | null): Promise<void> {
  if (active) return showRecording(elapsedSec);
  if (error) return showError(error);
  const state = await readState();
  if (state.armedTabId !== null) await showArmed(state.tabTitle);
}

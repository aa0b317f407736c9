/**
 * What the notification after a save says, and what a click on it does. The service worker
 * (extension/background/notifications.ts) hands these to chrome.notifications.
 *
 * A notification's id carries everything its clicks need (the download's id, the library
 * clip's id), so a click that wakes a restarted service worker is routed with nothing
 * remembered.
 */
import type { SaveReply } from '../contract/messages';
import { isClipId } from '../library/library-clip';
import { formatBytes, formatDuration } from '../library/library-view';

/** What a button (or the notification's body) does. */
export type NoticeAction =
  | { kind: 'open-library'; clipId: string }
  | { kind: 'show-in-folder'; downloadId: number };

export const NOTICE_ACTION_LABELS: Record<NoticeAction['kind'], string> = {
  'open-library': 'Open in library',
  'show-in-folder': 'Show in folder',
};

/** A notification, in the words chrome.notifications takes; the image is the caller's. */
export interface Notice {
  id: string;
  title: string;
  message: string;
  /** A quieter third line; null when there is nothing more to say. */
  contextMessage: string | null;
  /** The buttons' labels, in the order of noticeActions(id). */
  buttons: string[];
}

/** The save's outcome as the notification reads it: a successful save reply. */
export type SavedClip = Pick<Extract<SaveReply, { ok: true }>, 'filename' | 'bytes' | 'format' | 'durationSec' | 'note' | 'libraryId' | 'libraryError'>;

const SAVED_PREFIX = 'looptab-saved:';
const FAILED_PREFIX = 'looptab-failed:';

/** `looptab-saved:<downloadId>:<clipId or nothing>` */
export function savedNoticeId(downloadId: number, clipId: string | null): string {
  return `${SAVED_PREFIX}${downloadId}:${clipId ?? ''}`;
}

/**
 * `looptab-failed:<clipId or nothing>`: without a clip, every failure has the same id, so a new
 * one replaces the last instead of piling up.
 */
export function failedNoticeId(clipId: string | null): string {
  return `${FAILED_PREFIX}${clipId ?? ''}`;
}

/** True for the ids this module makes (other notifications are not ours to route). */
export function isNoticeId(id: string): boolean {
  return id.startsWith(SAVED_PREFIX) || id.startsWith(FAILED_PREFIX);
}

/** The actions of a notification's buttons, in order, read from its id; [] for an id not ours. */
export function noticeActions(id: string): NoticeAction[] {
  if (id.startsWith(FAILED_PREFIX)) {
    const clipId = id.slice(FAILED_PREFIX.length);
    return isClipId(clipId) ? [{ kind: 'open-library', clipId }] : [];
  }
  if (!id.startsWith(SAVED_PREFIX)) return [];
  const [download = '', clipId = ''] = id.slice(SAVED_PREFIX.length).split(':');
  const downloadId = Number(download);
  if (download === '' || !Number.isSafeInteger(downloadId) || downloadId < 0) return [];
  const folder: NoticeAction = { kind: 'show-in-folder', downloadId };
  return isClipId(clipId) ? [{ kind: 'open-library', clipId }, folder] : [folder];
}

/**
 * What a click does: button `index`, or the body, which does what the first button does
 * (open the clip in the library when it was kept). Null: nothing but closing it.
 */
export function noticeAction(id: string, click: number | 'body'): NoticeAction | null {
  return noticeActions(id)[click === 'body' ? 0 : click] ?? null;
}

function labels(id: string): string[] {
  return noticeActions(id).map((action) => NOTICE_ACTION_LABELS[action.kind]);
}

/** "Saved 10.0 s MP4", the file and its size, and what differs from the request. */
export function savedNotice(clip: SavedClip, downloadId: number): Notice {
  const id = savedNoticeId(downloadId, clip.libraryId ?? null);
  const extra = [clip.note, clip.libraryError].filter((line): line is string => Boolean(line));
  return {
    id,
    title: `Saved ${formatDuration(clip.durationSec)} ${clip.format.toUpperCase()}`,
    message: `${clip.filename} · ${formatBytes(clip.bytes)}`,
    contextMessage: extra.length > 0 ? extra.join(' ') : null,
    buttons: labels(id),
  };
}

/** A save that failed: why, and the clip in the library when it was kept all the same. */
export function failedNotice(error: string, clipId: string | null = null): Notice {
  const id = failedNoticeId(clipId);
  return {
    id,
    title: 'Looptab could not save the clip',
    message: error,
    contextMessage: clipId ? 'It was kept in the library.' : null,
    buttons: labels(id),
  };
}

/** Chrome's download interrupt reasons a user can act on; the others are named as they are. */
const INTERRUPT_REASONS: Record<string, string> = {
  FILE_NO_SPACE: 'the disk is full',
  FILE_ACCESS_DENIED: 'Chrome may not write to the downloads folder',
  FILE_NAME_TOO_LONG: 'the file name is too long (shorten the file-name template in the options)',
  FILE_TOO_LARGE: 'the file is too large for the disk',
  FILE_VIRUS_INFECTED: 'a virus scanner blocked the file',
  FILE_BLOCKED: 'the system blocked the file',
  FILE_SECURITY_CHECK_FAILED: 'a security check blocked the file',
  USER_SHUTDOWN: 'the browser closed before the file was written',
  CRASH: 'the browser crashed before the file was written',
};

/**
 * Why a download was interrupted, in words (`reason`: chrome.downloads' InterruptReason). Null
 * when the user cancelled it: that is no failure to report.
 */
export function downloadFailure(filename: string, reason: string): string | null {
  if (reason === 'USER_CANCELED') return null;
  return `The download of ${filename} failed: ${INTERRUPT_REASONS[reason] ?? `Chrome stopped it (${reason})`}.`;
}

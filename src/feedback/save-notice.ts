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
import { english, type MessageKey, type Say } from '../i18n/english';

/** What a button (or the notification's body) does. */
export type NoticeAction =
  | { kind: 'open-library'; clipId: string }
  | { kind: 'show-in-folder'; downloadId: number };

export const NOTICE_ACTION_LABELS: Record<NoticeAction['kind'], MessageKey> = {
  'open-library': 'bg_notice_open_library',
  'show-in-folder': 'bg_notice_show_in_folder',
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

function labels(id: string, say: Say): string[] {
  return noticeActions(id).map((action) => say(NOTICE_ACTION_LABELS[action.kind]));
}

/**
 * "Saved 10.0 s MP4", the file and its size, and what differs from the request; in `say`'s
 * words and `language`'s numbers (English when not given).
 */
export function savedNotice(clip: SavedClip, downloadId: number, say: Say = english, language?: string): Notice {
  const id = savedNoticeId(downloadId, clip.libraryId ?? null);
  const extra = [clip.note, clip.libraryError].filter((line): line is string => Boolean(line));
  return {
    id,
    title: say('bg_notice_saved', formatDuration(clip.durationSec, language), clip.format.toUpperCase()),
    message: `${clip.filename} · ${formatBytes(clip.bytes, language)}`,
    contextMessage: extra.length > 0 ? extra.join(' ') : null,
    buttons: labels(id, say),
  };
}

/** A save that failed: why (already in the user's words), and the clip in the library when it was kept all the same. */
export function failedNotice(error: string, clipId: string | null = null, say: Say = english): Notice {
  const id = failedNoticeId(clipId);
  return {
    id,
    title: say('bg_notice_failed'),
    message: error,
    contextMessage: clipId ? say('bg_notice_kept') : null,
    buttons: labels(id, say),
  };
}

/** Chrome's download interrupt reasons a user can act on; the others are named as they are. */
const INTERRUPT_REASONS: Record<string, MessageKey> = {
  FILE_NO_SPACE: 'bg_interrupt_no_space',
  FILE_ACCESS_DENIED: 'bg_interrupt_access_denied',
  FILE_NAME_TOO_LONG: 'bg_interrupt_name_too_long',
  FILE_TOO_LARGE: 'bg_interrupt_too_large',
  FILE_VIRUS_INFECTED: 'bg_interrupt_virus',
  FILE_BLOCKED: 'bg_interrupt_blocked',
  FILE_SECURITY_CHECK_FAILED: 'bg_interrupt_security',
  USER_SHUTDOWN: 'bg_interrupt_shutdown',
  CRASH: 'bg_interrupt_crash',
};

/**
 * Why a download was interrupted, in words (`reason`: chrome.downloads' InterruptReason). Null
 * when the user cancelled it: that is no failure to report.
 */
export function downloadFailure(filename: string, reason: string, say: Say = english): string | null {
  if (reason === 'USER_CANCELED') return null;
  const known = INTERRUPT_REASONS[reason];
  return say('bg_download_failed', filename, known ? say(known) : say('bg_interrupt_other', reason));
}

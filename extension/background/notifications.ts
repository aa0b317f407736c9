/**
 * Feedback on save where the user is looking, beside the badge: a system notification with the
 * clip's thumbnail, "Open in library" and "Show in folder", or why the save failed. What it says
 * and what its clicks do are src/feedback/save-notice.ts; this wires them to Chrome.
 */
import { errorMessage, GIF_CANCELLED_ERROR, type Failure } from '../../src/contract/errors';
import { failureText, t, uiLanguage } from '../i18n';
import type { SaveReply } from '../../src/contract/messages';
import { downloadFailure, failedNotice, isNoticeId, noticeAction, savedNotice, type Notice, type NoticeAction } from '../../src/feedback/save-notice';
import { loadSettings } from '../settings-store';
import { downloadSettled } from './downloads';
import { openLibraryPage } from './library-page';
import { askOffscreen } from './offscreen-client';

/** Where a save was asked: a page waits for the reply and shows it; a shortcut or menu has none. */
export type SaveSource = 'page' | 'control';

const ICON_URL = 'icons/icon-128.png';
/** A thumbnail takes 0.2-0.5 s after the reply on the bench; past this the notice goes without one. */
const THUMBNAIL_WAIT_MS = 5_000;
/** A blob download is written in well under a second; past this the notice goes anyway. */
const DOWNLOAD_WAIT_MS = 30_000;

async function enabled(): Promise<boolean> {
  return (await loadSettings()).settings.saveNotifications === 'on';
}

/** The popup is open: it shows a failed save's reply itself. */
async function popupOpen(): Promise<boolean> {
  const popups = await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.POPUP] });
  return popups.length > 0;
}

async function thumbnailUrl(clipId: string): Promise<string | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), THUMBNAIL_WAIT_MS)));
  const reply = await Promise.race([askOffscreen({ type: 'thumbnail', id: clipId }).catch(() => null), timeout]);
  clearTimeout(timer);
  return reply?.ok ? reply.dataUrl : null;
}

/** Shows `notice`, with `imageUrl` as its picture (and icon, the one picture every platform shows). */
async function show(notice: Notice, imageUrl: string | null): Promise<void> {
  const options: chrome.notifications.NotificationCreateOptions = {
    type: imageUrl ? 'image' : 'basic',
    iconUrl: imageUrl ?? ICON_URL,
    ...(imageUrl ? { imageUrl } : {}),
    title: notice.title,
    message: notice.message,
    ...(notice.contextMessage ? { contextMessage: notice.contextMessage } : {}),
    buttons: notice.buttons.map((title) => ({ title })),
  };
  try {
    await chrome.notifications.create(notice.id, options);
  } catch (error) {
    // An image Chrome cannot decode fails the whole notification: the words still matter.
    if (imageUrl) return show(notice, null);
    console.error(`Looptab: could not show a notification: ${errorMessage(error)}`);
  }
}

/**
 * After a save's reply: once Chrome has written the file (so "Show in folder" finds it, and a
 * download that fails is not announced as saved) and the thumbnail is made, both in parallel.
 */
export async function announceSaved(reply: Extract<SaveReply, { ok: true }>, downloadId: number): Promise<void> {
  if (!(await enabled())) return;
  const [download, imageUrl] = await Promise.all([
    downloadSettled(downloadId, DOWNLOAD_WAIT_MS),
    reply.libraryId ? thumbnailUrl(reply.libraryId) : null,
  ]);
  const clipId = reply.libraryId ?? null;
  if (download.state === 'interrupted') {
    const failure = downloadFailure(reply.filename, download.reason, t);
    if (failure) await show(failedNotice(failure, clipId, t), imageUrl);
    return;
  }
  const filename = download.state === 'complete' ? download.filename : reply.filename;
  await show(savedNotice({ ...reply, filename }, downloadId, t, uiLanguage()), imageUrl);
}

/**
 * A save that failed. Not when the user cancelled it, nor when a page asked and the popup is
 * open (it shows the reply where the user is looking); a popup closed meanwhile shows nothing.
 */
export async function announceFailed(failure: Failure, source: SaveSource): Promise<void> {
  if (failure.error === GIF_CANCELLED_ERROR || !(await enabled())) return;
  if (source === 'page' && (await popupOpen())) return;
  await show(failedNotice(failureText(failure), null, t), null);
}

/**
 * A click on one of our notifications (a button, or its body): closes it and does what the
 * click asked. Returns what it did (tests call this: Puppeteer cannot click a notification).
 */
export async function runNoticeClick(notificationId: string, click: number | 'body'): Promise<NoticeAction | null> {
  if (!isNoticeId(notificationId)) return null;
  const action = noticeAction(notificationId, click);
  await chrome.notifications.clear(notificationId);
  if (action?.kind === 'open-library') await openLibraryPage(action.clipId);
  else if (action?.kind === 'show-in-folder') chrome.downloads.show(action.downloadId);
  return action;
}

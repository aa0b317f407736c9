import { describe, expect, it } from 'vitest';
import {
  downloadFailure,
  failedNotice,
  isNoticeId,
  noticeAction,
  noticeActions,
  savedNotice,
  type SavedClip,
} from '../../../src/feedback/save-notice';

const CLIP_ID = 'f50afa97-4c0a-424a-b571-68a9d2546afb';
const clip: SavedClip = { filename: 'Looptab demo 2026-11-22 09-01-49.mp4', bytes: 3_037_184, format: 'mp4', durationSec: 9.974, libraryId: CLIP_ID };

describe('savedNotice', () => {
  it('savedNotice, says length and format in the title, the file and its size below, with both buttons', () => {
    expect(savedNotice(clip, 42)).toEqual({
      id: `looptab-saved:42:${CLIP_ID}`,
      title: 'Saved 10.0 s MP4',
      message: 'Looptab demo 2026-11-22 09-01-49.mp4 · 2.9 MB',
      contextMessage: null,
      buttons: ['Open in library', 'Show in folder'],
    });
  });

  it('savedNotice, a GIF over a minute, with a note', () => {
    const notice = savedNotice({ ...clip, format: 'gif', durationSec: 90, bytes: 800_000, note: 'Only 90 s were buffered.' }, 7);
    expect(notice.title).toBe('Saved 1:30 GIF');
    expect(notice.message).toMatch(/ · 781 KB$/);
    expect(notice.contextMessage).toBe('Only 90 s were buffered.');
  });

  it('savedNotice, a clip not kept in the library offers only the folder and says why', () => {
    const { libraryId: _kept, ...notKept } = clip;
    const notice = savedNotice({ ...notKept, libraryError: 'The clip was downloaded but not kept in the library: the quota is full' }, 9);
    expect(notice.id).toBe('looptab-saved:9:');
    expect(notice.buttons).toEqual(['Show in folder']);
    expect(notice.contextMessage).toMatch(/not kept in the library: the quota is full/);
  });
});

describe('failedNotice', () => {
  it('failedNotice, gives the error; every failure shares one id so the newest replaces the last', () => {
    const notice = failedNotice('Looptab is not recording: click its toolbar icon on a tab to arm it first.');
    expect(notice).toEqual({
      id: 'looptab-failed:',
      title: 'Looptab could not save the clip',
      message: 'Looptab is not recording: click its toolbar icon on a tab to arm it first.',
      contextMessage: null,
      buttons: [],
    });
    expect(failedNotice('another').id).toBe(notice.id);
  });

  it('failedNotice, a clip kept in the library all the same can be opened there', () => {
    const notice = failedNotice('The download failed.', CLIP_ID);
    expect(notice.buttons).toEqual(['Open in library']);
    expect(notice.contextMessage).toBe('It was kept in the library.');
    expect(noticeAction(notice.id, 0)).toEqual({ kind: 'open-library', clipId: CLIP_ID });
  });
});

describe('noticeAction', () => {
  const saved = savedNotice(clip, 42).id;

  it('noticeAction, routes each button as labelled and the body to the first', () => {
    expect(noticeActions(saved)).toEqual([{ kind: 'open-library', clipId: CLIP_ID }, { kind: 'show-in-folder', downloadId: 42 }]);
    expect(noticeAction(saved, 0)).toEqual({ kind: 'open-library', clipId: CLIP_ID });
    expect(noticeAction(saved, 1)).toEqual({ kind: 'show-in-folder', downloadId: 42 });
    expect(noticeAction(saved, 'body')).toEqual({ kind: 'open-library', clipId: CLIP_ID });
    expect(noticeAction(saved, 2)).toBeNull();
  });

  it('noticeAction, a clip not in the library: the body shows the file', () => {
    expect(noticeAction('looptab-saved:9:', 'body')).toEqual({ kind: 'show-in-folder', downloadId: 9 });
  });

  it('noticeAction, a failure without a clip does nothing but close', () => {
    expect(noticeAction('looptab-failed:', 'body')).toBeNull();
  });

  it.each(['looptab-saved:', 'looptab-saved:x:', 'looptab-saved:-1:', 'looptab-saved:1.5:', 'other-extension-id', ''])(
    'noticeAction, an id it did not make (%j) routes nowhere',
    (id) => {
      expect(noticeActions(id)).toEqual([]);
    },
  );

  it('noticeAction, never opens the library on something that is not a clip id', () => {
    expect(noticeActions('looptab-saved:3:../etc')).toEqual([{ kind: 'show-in-folder', downloadId: 3 }]);
  });

  it('isNoticeId, knows our ids from others', () => {
    expect(isNoticeId(saved)).toBe(true);
    expect(isNoticeId('looptab-failed:')).toBe(true);
    expect(isNoticeId('someone-else')).toBe(false);
  });
});

describe('downloadFailure', () => {
  it('downloadFailure, says why in words a user can act on', () => {
    expect(downloadFailure('a.mp4', 'FILE_NO_SPACE')).toBe('The download of a.mp4 failed: the disk is full.');
    expect(downloadFailure('a.mp4', 'FILE_NAME_TOO_LONG')).toMatch(/shorten the file-name template/);
  });

  it('downloadFailure, names a reason it has no words for', () => {
    expect(downloadFailure('a.mp4', 'NETWORK_FAILED')).toBe('The download of a.mp4 failed: Chrome stopped it (NETWORK_FAILED).');
  });

  it('downloadFailure, a download the user cancelled is no failure', () => {
    expect(downloadFailure('a.mp4', 'USER_CANCELED')).toBeNull();
  });
});

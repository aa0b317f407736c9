import { describe, expect, it } from 'vitest';
import { failureOf, LocalError, noticeEnglish, statusError } from '../../../src/contract/errors';
import { localize } from '../../../src/i18n/english';

describe('statusError', () => {
  it('statusError, says a catalogue notice in English and keeps its local form beside it', () => {
    expect(statusError(localize('err_video_encoder', 'EncodingError: boom'))).toEqual({
      lastError: 'Video encoder error: EncodingError: boom',
      lastErrorText: { key: 'err_video_encoder', substitutions: ['EncodingError: boom'] },
    });
    expect(statusError(localize('err_capture_ended')).lastError).toBe('The tab stopped being captured (closed or crashed). What was buffered can still be saved.');
  });

  it('statusError, keeps an English-only notice with no local form, and nothing as nothing', () => {
    expect(statusError('Storage is full.')).toEqual({ lastError: 'Storage is full.', lastErrorText: null });
    expect(statusError(null)).toEqual({ lastError: null, lastErrorText: null });
    expect(noticeEnglish('as is')).toBe('as is');
  });
});

describe('LocalError', () => {
  it('LocalError, becomes a failed reply with its English and its local form', () => {
    expect(failureOf(new LocalError('err_already_paused'))).toEqual({ ok: false, error: 'Already paused.', errorText: { key: 'err_already_paused' } });
    expect(failureOf(new Error('plain'))).toEqual({ ok: false, error: 'plain' });
  });
});

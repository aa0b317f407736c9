// The popup's state choice: a kept buffer wins over a failed arm, a protected page is told apart
// from other failures, and a URL Chrome hides counts as protected.
import { describe, expect, it } from 'vitest';
import { idleStatus, type Status } from '../../../src/contract/messages';
import { isProtectedPage } from '../../../src/capture/protected-page';
import { popupView } from '../../../extension/popup/popup-view';

const idle = idleStatus(null, 256 * 1024 * 1024, 60);
const withState = (state: Status['state'], armed: boolean): Status => ({ ...idle, state, armed, tabId: 7 });

describe('popupView', () => {
  it('popupView, loading until the first status, idle when nothing records', () => {
    expect(popupView({ status: null, armFailed: null, protectedPage: false })).toBe('loading');
    expect(popupView({ status: idle, armFailed: null, protectedPage: false })).toBe('idle');
  });

  it('popupView, a failed arm is the protected view on a protected page, the error view elsewhere', () => {
    expect(popupView({ status: idle, armFailed: 'no', protectedPage: true })).toBe('protected');
    expect(popupView({ status: idle, armFailed: 'no', protectedPage: false })).toBe('error');
    expect(popupView({ status: withState('error', false), armFailed: null, protectedPage: false })).toBe('error');
  });

  it('popupView, a kept buffer (armed, paused, starting, ended) wins over a failed arm', () => {
    for (const state of ['armed', 'paused', 'starting'] as const) {
      expect(popupView({ status: withState(state, true), armFailed: 'no', protectedPage: true })).toBe('armed');
    }
    expect(popupView({ status: withState('ended', false), armFailed: 'no', protectedPage: true })).toBe('ended');
  });

  it('isProtectedPage, a hidden URL and Chrome\'s own pages are protected, web pages are not', () => {
    expect(isProtectedPage(undefined)).toBe(true);
    expect(isProtectedPage('chrome://version')).toBe(true);
    expect(isProtectedPage('https://chromewebstore.google.com/detail/x')).toBe(true);
    expect(isProtectedPage('chrome-extension://abc/popup.html')).toBe(true);
    expect(isProtectedPage('https://example.com/')).toBe(false);
    expect(isProtectedPage('http://127.0.0.1:8080/demo.html')).toBe(false);
  });
});

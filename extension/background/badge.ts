/** The toolbar badge: the one place a user looks while the page has focus. */
import type { LocalText } from '../../src/i18n/english';
import { localText, t } from '../i18n';
import { loadSettings } from '../settings-store';

const RED = '#d32f2f';
const GREEN = '#2e7d32';
const AMBER = '#f9a825';

export async function showArmed(tabTitle: string | null): Promise<void> {
  await chrome.action.setBadgeBackgroundColor({ color: RED });
  await chrome.action.setBadgeText({ text: 'REC' });
  const { defaultClipSec } = (await loadSettings()).settings;
  await chrome.action.setTitle({ title: t('bg_title_armed', tabTitle ?? t('bg_a_tab'), defaultClipSec) });
}

/** A recording to disk runs: a red dot and the minutes recorded. */
export async function showRecording(elapsedSec: number): Promise<void> {
  const minutes = Math.floor(elapsedSec / 60);
  await chrome.action.setBadgeBackgroundColor({ color: RED });
  await chrome.action.setBadgeText({ text: `\u25CF${minutes}m` });
  await chrome.action.setTitle({ title: t('bg_title_recording', minutes) });
}

export async function showIdle(): Promise<void> {
  await chrome.action.setBadgeText({ text: '' });
  await chrome.action.setTitle({ title: t('action_title_idle') });
}

export async function showPaused(): Promise<void> {
  await chrome.action.setBadgeBackgroundColor({ color: '#616161' });
  await chrome.action.setBadgeText({ text: 'II' });
  await chrome.action.setTitle({ title: t('bg_title_paused') });
}

/**
 * A problem the user must see (a LocalText, or text already in the user's words, e.g.
 * failureText(reply)); scoped to one tab when it concerns that tab only.
 */
export async function showError(message: string | LocalText, tabId?: number): Promise<void> {
  const scope = tabId === undefined ? {} : { tabId };
  await chrome.action.setBadgeBackgroundColor({ color: AMBER, ...scope });
  await chrome.action.setBadgeText({ text: 'ERR', ...scope });
  await chrome.action.setTitle({ title: t('bg_title_error', typeof message === 'string' ? message : localText(message)), ...scope });
}

/** GIF export progress on the badge (the popup may be closed); null puts the state back. */
export async function showProgress(fraction: number | null): Promise<void> {
  if (fraction === null) {
    const text = await chrome.action.getBadgeText({});
    if (text.endsWith('%')) {
      await chrome.action.setBadgeBackgroundColor({ color: RED });
      await chrome.action.setBadgeText({ text: 'REC' });
    }
    return;
  }
  await chrome.action.setBadgeBackgroundColor({ color: '#1565c0' });
  await chrome.action.setBadgeText({ text: `${Math.min(99, Math.floor(fraction * 100))}%` });
}

/** Brief confirmation that a clip was saved, then back to the recording badge. */
export async function flashSaved(): Promise<void> {
  const before = await chrome.action.getBadgeText({});
  const restore = before === 'II' || before.startsWith('\u25CF') ? before : 'REC';
  await chrome.action.setBadgeBackgroundColor({ color: GREEN });
  await chrome.action.setBadgeText({ text: 'SAVED' });
  setTimeout(() => {
    void chrome.action.getBadgeText({}).then(async (text) => {
      if (text !== 'SAVED') return;
      await chrome.action.setBadgeBackgroundColor({ color: restore === 'II' ? '#616161' : RED });
      await chrome.action.setBadgeText({ text: restore });
    });
  }, 1500);
}

/**
 * The popup's state and actions: polls the status and sends the same typed messages the
 * shortcuts and menus send. The views only render what this hands them.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ClipFormat } from '../../src/clip/clip-formats';
import type { PublicReplies, PublicRequest, Status } from '../../src/contract/messages';
import type { Settings } from '../../src/settings/settings';
import { failureText, localText, t } from '../i18n';
import type { ToastMessage } from '../ui/toast';
import { formatDuration, formatMB, formatSeconds } from './format';
import { isProtectedPage } from '../../src/capture/protected-page';
import { popupView, type PopupView } from './popup-view';

const POLL_MS = 500;

function send<T extends PublicRequest>(request: T): Promise<PublicReplies[T['type']]> {
  return chrome.runtime.sendMessage(request);
}

/** A failed reply's text; one place to switch to the user's language once replies carry it. */
export interface PopupModel {
  view: PopupView;
  status: Status | null;
  settings: Settings;
  activeTabId: number | undefined;
  /** Another tab than this one records (or did, until capture ended). */
  otherTab: boolean;
  seconds: number;
  setSeconds: (seconds: number) => void;
  format: ClipFormat;
  setFormat: (format: ClipFormat) => void;
  includeBuffered: boolean;
  setIncludeBuffered: (include: boolean) => void;
  /** A save or a recording's stop is under way. */
  busy: boolean;
  /** The MP4 save under way (GIFs and exports show their progress from the status). */
  savingSec: number | null;
  canSave: boolean;
  message: ToastMessage | null;
  arm: () => Promise<void>;
  save: () => Promise<void>;
  togglePause: () => Promise<void>;
  toggleRecord: () => Promise<void>;
  clearRegion: () => Promise<void>;
  disarm: () => Promise<void>;
  cancel: () => Promise<void>;
}

export function usePopup(activeTab: chrome.tabs.Tab | undefined, settings: Settings): PopupModel {
  const [status, setStatus] = useState<Status | null>(null);
  // The shortcut and the context menu save the default length: the popup starts on it too.
  const [seconds, setSeconds] = useState(settings.defaultClipSec);
  const [format, setFormat] = useState<ClipFormat>('mp4');
  const [busy, setBusy] = useState(false);
  const [savingSec, setSavingSec] = useState<number | null>(null);
  const [message, setMessage] = useState<ToastMessage | null>(null);
  const [armFailed, setArmFailed] = useState<string | null>(null);
  // Recording starts with what is buffered, so the moment that made you press Record is in it.
  const [includeBuffered, setIncludeBuffered] = useState(true);
  const protectedPage = isProtectedPage(activeTab?.url);

  const refresh = useCallback(async () => {
    try {
      setStatus(await send({ type: 'status' }));
    } catch (error) {
      setMessage({ kind: 'error', text: String(error) });
    }
  }, []);

  const arm = useCallback(async () => {
    if (activeTab?.id === undefined) return;
    setMessage({ kind: 'info', text: t('popup_arming') });
    const reply = await send({ type: 'arm', tabId: activeTab.id });
    setArmFailed(reply.ok ? null : failureText(reply));
    // The protected page's view says why in its own words and shows no toast.
    setMessage(reply.ok ? { kind: 'ok', text: t('popup_armed_ok') } : { kind: 'error', text: failureText(reply) });
    await refresh();
  }, [activeTab, refresh]);

  useEffect(() => {
    void (async () => {
      const first = await send({ type: 'status' });
      setStatus(first);
      // One toolbar click arms: opening the popup on a tab while nothing records arms that tab.
      // If another tab records, do not silently drop its buffer: offer to switch instead.
      if (!first.armed && first.state !== 'ended') await arm();
    })();
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, []);

  const canSave = (status?.bufferedSec ?? 0) > 0 && !busy && !status?.export;

  const save = async () => {
    if (!canSave) return;
    setBusy(true);
    setSavingSec(seconds);
    setMessage({ kind: 'info', text: t('popup_saving', seconds) });
    try {
      const reply = await send({ type: 'save', seconds, format });
      if (!reply.ok) {
        setMessage({ kind: 'error', text: failureText(reply) });
        return;
      }
      const saved = t('popup_saved', reply.filename, formatSeconds(reply.durationSec), formatMB(reply.bytes));
      const note = reply.noteText ? localText(reply.noteText) : reply.note;
      const libraryError = reply.libraryErrorText ? localText(reply.libraryErrorText) : reply.libraryError;
      const text = [saved, note, libraryError].filter(Boolean).join(' ');
      setMessage({ kind: reply.libraryError ? 'error' : 'ok', text });
    } finally {
      setBusy(false);
      setSavingSec(null);
    }
  };

  const togglePause = async () => {
    const reply = await send({ type: status?.state === 'paused' ? 'resume' : 'pause' });
    if (!reply.ok) setMessage({ kind: 'error', text: failureText(reply) });
    await refresh();
  };

  const toggleRecord = async () => {
    setBusy(true);
    try {
      if (status?.recording) {
        setMessage({ kind: 'info', text: t('popup_record_finishing') });
        const reply = await send({ type: 'record-stop' });
        setMessage(reply.ok
          ? { kind: 'ok', text: [t('popup_record_kept', formatDuration(reply.durationSec), formatMB(reply.bytes)), ...(reply.noteTexts ? reply.noteTexts.map(localText) : [reply.note])].filter(Boolean).join(' ') }
          : { kind: 'error', text: failureText(reply) });
      } else {
        const reply = await send(includeBuffered ? { type: 'record-start' } : { type: 'record-start', includeBufferedSec: 0 });
        setMessage(reply.ok ? { kind: 'ok', text: t('popup_record_started') } : { kind: 'error', text: failureText(reply) });
      }
    } finally {
      setBusy(false);
      await refresh();
    }
  };

  const clearRegion = async () => {
    const reply = await send({ type: 'region', rect: null });
    setMessage(reply.ok ? { kind: 'ok', text: t('popup_region_cleared') } : { kind: 'error', text: failureText(reply) });
    await refresh();
  };

  const disarm = async () => {
    await send({ type: 'disarm' });
    setArmFailed(null);
    setMessage({ kind: 'info', text: t('popup_disarmed') });
    await refresh();
  };

  const cancel = async () => {
    await send({ type: 'cancel' });
    await refresh();
  };

  const otherTab = status !== null && status.tabId !== null && status.tabId !== activeTab?.id;
  return {
    view: popupView({ status, armFailed, protectedPage }),
    status, settings, activeTabId: activeTab?.id, otherTab,
    seconds, setSeconds, format, setFormat, includeBuffered, setIncludeBuffered,
    busy, savingSec, canSave, message,
    arm, save, togglePause, toggleRecord, clearRegion, disarm, cancel,
  };
}

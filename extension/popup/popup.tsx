/**
 * The popup: arms the tab it was opened on (so one toolbar click arms), shows the buffer,
 * saves clips. Every action goes through the same messages the shortcut and menus use.
 */
import { render } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ClipFormat } from '../../src/clip/clip-formats';
import type { PublicReplies, PublicRequest, Status } from '../../src/contract/messages';
import { clipLengthChoices } from '../../src/settings/save-controls';
import type { Settings } from '../../src/settings/settings';
import { loadSettings } from '../settings-store';

const HEADINGS: Record<Status['state'], string> = {
  idle: 'is idle',
  starting: 'is starting',
  armed: 'is recording',
  paused: 'is paused',
  ended: '(capture ended)',
  error: '(error)',
};
const POLL_MS = 500;

function send<T extends PublicRequest>(request: T): Promise<PublicReplies[T['type']]> {
  return chrome.runtime.sendMessage(request);
}

function formatMB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function formatDuration(seconds: number): string {
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

type Message = { kind: 'ok' | 'error' | 'info'; text: string } | null;

function Popup({ activeTab, settings }: { activeTab: chrome.tabs.Tab | undefined; settings: Settings }) {
  const [status, setStatus] = useState<Status | null>(null);
  // The shortcut and the context menu save the default length: the popup starts on it too.
  const [seconds, setSeconds] = useState(settings.defaultClipSec);
  const [format, setFormat] = useState<ClipFormat>('mp4');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  // Recording starts with what is buffered, so the moment that made you press Record is in it.
  const [includeBuffered, setIncludeBuffered] = useState(true);

  const refresh = useCallback(async () => {
    try {
      setStatus(await send({ type: 'status' }));
    } catch (error) {
      setMessage({ kind: 'error', text: String(error) });
    }
  }, []);

  const arm = useCallback(async () => {
    if (activeTab?.id === undefined) return;
    setMessage({ kind: 'info', text: 'Arming this tab…' });
    const reply = await send({ type: 'arm', tabId: activeTab.id });
    setMessage(reply.ok ? { kind: 'ok', text: 'Recording. The last seconds are always ready.' } : { kind: 'error', text: reply.error });
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

  const save = async () => {
    setBusy(true);
    setMessage({ kind: 'info', text: `Saving the last ${seconds} s…` });
    try {
      const reply = await send({ type: 'save', seconds, format });
      setMessage(reply.ok
        ? {
            kind: reply.libraryError ? 'error' : 'ok',
            text: `Saved ${reply.filename} (${reply.durationSec.toFixed(1)} s, ${formatMB(reply.bytes)}).${reply.note ? ` ${reply.note}` : ''}${reply.libraryError ? ` ${reply.libraryError}` : ''}`,
          }
        : { kind: 'error', text: reply.error });
    } finally {
      setBusy(false);
    }
  };

  const togglePause = async () => {
    const reply = await send({ type: status?.state === 'paused' ? 'resume' : 'pause' });
    if (!reply.ok) setMessage({ kind: 'error', text: reply.error });
    await refresh();
  };

  const toggleRecord = async () => {
    setBusy(true);
    try {
      if (status?.recording) {
        setMessage({ kind: 'info', text: 'Finishing the recording…' });
        const reply = await send({ type: 'record-stop' });
        setMessage(reply.ok
          ? { kind: 'ok', text: `Recording kept in the library (${formatDuration(reply.durationSec)}, ${formatMB(reply.bytes)}).${reply.note ? ` ${reply.note}` : ''}` }
          : { kind: 'error', text: reply.error });
      } else {
        const reply = await send(includeBuffered ? { type: 'record-start' } : { type: 'record-start', includeBufferedSec: 0 });
        setMessage(reply.ok ? { kind: 'ok', text: 'Recording to disk. Saves of the last seconds keep working.' } : { kind: 'error', text: reply.error });
      }
    } finally {
      setBusy(false);
      await refresh();
    }
  };

  const clearRegion = async () => {
    const reply = await send({ type: 'region', rect: null });
    setMessage(reply.ok ? { kind: 'ok', text: 'Recording the whole tab again.' } : { kind: 'error', text: reply.error });
    await refresh();
  };

  const disarm = async () => {
    await send({ type: 'disarm' });
    setMessage({ kind: 'info', text: 'Stopped. The buffer was discarded.' });
    await refresh();
  };

  if (!status) return <p class="meta">Loading…</p>;
  const otherTab = status.tabId !== null && status.tabId !== activeTab?.id;
  const canSave = status.bufferedSec > 0 && !busy;
  const fillPercent = status.windowSec > 0 ? Math.min(100, (status.bufferedSec / status.windowSec) * 100) : 0;

  return (
    <>
      <h1><span class={`dot ${status.state === 'armed' ? 'armed' : ''}`} />Looptab {HEADINGS[status.state]}</h1>
      {status.tabTitle !== null && <div class="meta">Tab: {status.tabTitle}{otherTab ? ' (another tab)' : ''}</div>}
      <div>
        <div class="row"><strong>{status.bufferedSec.toFixed(1)} s</strong> buffered of {status.windowSec} s · {formatMB(status.arenaBytes)} of {formatMB(status.maxBytes)}</div>
        <div class="meter" role="progressbar" aria-label="Buffer filled" aria-valuenow={Math.round(fillPercent)}><div style={{ width: `${fillPercent}%` }} /></div>
        {status.videoCodec && (
          <div class="meta">{status.width}×{status.height} · {status.fps.toFixed(0)} fps · {status.videoCodec}{status.audioCodec ? ` + ${status.audioCodec}` : ' (no audio)'} · {status.droppedFrames} dropped</div>
        )}
        {status.pace?.message && <div class="message warning" role="status">{status.pace.message}</div>}
      </div>
      <div class="row" role="group" aria-label="Clip length">
        {clipLengthChoices(settings.defaultClipSec).map((length) => (
          <button aria-pressed={seconds === length} onClick={() => setSeconds(length)}
            title={length === settings.defaultClipSec ? 'The default length (set in the options)' : undefined}>{length} s</button>
        ))}
        <input type="number" min="1" max="600" value={seconds} aria-label="Custom length in seconds"
          onInput={(event) => setSeconds(Number((event.target as HTMLInputElement).value))} />
      </div>
      <div class="row">
        <select value={format} aria-label="Format" onChange={(event) => setFormat((event.target as HTMLSelectElement).value as ClipFormat)}>
          <option value="mp4">MP4</option>
          <option value="gif">GIF</option>
        </select>
        <button class="primary" disabled={!canSave} onClick={() => void save()}>Save last {seconds} s</button>
        {status.armed && <button onClick={() => void togglePause()}>{status.state === 'paused' ? 'Resume' : 'Pause'}</button>}
        {status.armed || status.state === 'ended' ? <button onClick={() => void disarm()}>Disarm</button> : null}
        {(!status.armed || otherTab) && activeTab?.id !== undefined && <button onClick={() => void arm()}>{otherTab ? 'Record this tab instead' : 'Arm this tab'}</button>}
      </div>
      {status.armed && (
        <div class="row" role="group" aria-label="Recording to disk">
          <button class={status.recording ? 'primary' : ''} disabled={busy} onClick={() => void toggleRecord()}>
            {status.recording ? 'Stop recording' : 'Record'}
          </button>
          {status.recording ? (
            <span class="meta" role="timer">
              <span class="dot armed" />{formatDuration(status.recording.durationSec)} · {formatMB(status.recording.bytes)} on disk
              {status.recording.freeBytes !== null ? ` · ${formatMB(status.recording.freeBytes)} free` : ''}
            </span>
          ) : (
            <label class="meta"><input type="checkbox" checked={includeBuffered} onChange={(event) => setIncludeBuffered((event.target as HTMLInputElement).checked)} /> include what is buffered</label>
          )}
        </div>
      )}
      {status.recording?.warning && <div class="message error" role="alert">{status.recording.warning}</div>}
      {status.armed && (
        <div class="row meta" role="group" aria-label="Region">
          {status.region
            ? <span>Region {Math.round(status.region.width)}×{Math.round(status.region.height)} of the tab</span>
            : <span>Whole tab</span>}
          <a href="region.html" target="_blank">{status.region ? 'Change region' : 'Region…'}</a>
          {status.region && <button onClick={() => void clearRegion()}>Whole tab</button>}
        </div>
      )}
      {status.export && (
        <div class="row" role="group" aria-label="GIF progress">
          <div class="meter" style={{ flex: 1 }} role="progressbar" aria-label="GIF made" aria-valuenow={Math.round(status.export.fraction * 100)}>
            <div style={{ width: `${status.export.fraction * 100}%` }} />
          </div>
          <span class="meta">GIF {Math.round(status.export.fraction * 100)} %</span>
          <button onClick={() => void send({ type: 'cancel' })}>Cancel</button>
        </div>
      )}
      {message && <div class={`message ${message.kind}`} role="status">{message.text}</div>}
      <div class="row meta"><a href="library.html" target="_blank">Library</a> · <a href="options.html" target="_blank">Options</a></div>
      {!message && status.lastError && <div class="message error" role="alert">{status.lastError}</div>}
    </>
  );
}

void Promise.all([chrome.tabs.query({ active: true, currentWindow: true }), loadSettings()]).then(([[tab], { settings }]) => {
  render(<Popup activeTab={tab} settings={settings} />, document.getElementById('app')!);
});

/**
 * The output settings and the export: the dissolve's length (with two clips or more), MP4 or
 * GIF, the Export button (disabled while anything is refused), progress polled from `status`,
 * Cancel, and the reply: what was made, how much was encoded again, what was fixed.
 */
import { useEffect, useState } from 'preact/hooks';
import { CLIP_FORMATS } from '../../src/clip/clip-formats';
import type { ExportReply } from '../../src/contract/export-request';
import { MAX_TRANSITION_SEC } from '../../src/contract/export-request';
import { toExportRequest, type EditState } from '../../src/edit/edit-state';
import { secondsToUs, usToSeconds } from '../../src/units';
import { send } from './load-clips';
import type { Dispatch } from './timeline';
import type { LocalText } from '../../src/i18n/english';
import { failureText, localText, t } from '../i18n';
import { decimals } from './format';
import { Button } from '../ui/button';
import { SegmentedControl } from '../ui/segmented-control';

const PROGRESS_POLL_MS = 250;
const FORMAT_OPTIONS = CLIP_FORMATS.map((format) => ({ value: format, label: format.toUpperCase() }));

/** A finished export; shown inside a live region that is always there, so readers announce it. */
function Reply({ reply }: { reply: ExportReply }) {
  if (!reply.ok) return <div class="banner error export-reply" data-ok="false">{t('editor_export_failed', failureText(reply))}</div>;
  return (
    <div class="banner export-reply" data-ok="true">
      <div>
        <strong class="filename">{reply.filename}</strong>
        {reply.libraryId
          ? <>{t('editor_saved_both')}<a href="library.html" target="_blank">{t('editor_saved_library_link')}</a>{t('editor_saved_both_end')}</>
          : t('editor_saved_downloads')}
        <div class="muted">
          {t('editor_export_summary', decimals(reply.durationSec, 3), decimals(reply.bytes / 1024 / 1024, 2))} <span class="reencoded-sec">{decimals(reply.reencodedSec, 3)}</span> {t('editor_seconds_unit')}
        </div>
        {reply.libraryError && <div class="muted">{reply.libraryError}</div>}
        {reply.fixTexts.length > 0 && <ul class="fixes">{reply.fixTexts.map((text) => <li>{localText(text)}</li>)}</ul>}
        {reply.noteTexts.length > 0 && <ul class="notes">{reply.noteTexts.map((text) => <li>{localText(text)}</li>)}</ul>}
      </div>
    </div>
  );
}

export function ExportPanel({ state, dispatch, refusals }: { state: EditState; dispatch: Dispatch; refusals: readonly LocalText[] }) {
  const [running, setRunning] = useState(false);
  const [fraction, setFraction] = useState(0);
  const [reply, setReply] = useState<ExportReply | null>(null);

  useEffect(() => {
    if (!running) return undefined;
    const timer = setInterval(() => {
      void send({ type: 'status' }).then((status) => setFraction(status.export?.fraction ?? 0), () => {});
    }, PROGRESS_POLL_MS);
    return () => clearInterval(timer);
  }, [running]);

  const start = async () => {
    setRunning(true);
    setFraction(0);
    setReply(null);
    try {
      setReply(await send(toExportRequest(state)));
    } catch (error) {
      setReply({ ok: false, error: error instanceof Error ? error.message : String(error) });
    } finally {
      setRunning(false);
    }
  };

  return (
    <section class="output" aria-label={t('editor_output')}>
      <div class="toolbar">
        {state.clips.length > 1 && (
          <label>
            {t('editor_dissolve')}{' '}
            <input
              type="number"
              class="transition"
              min={0}
              max={MAX_TRANSITION_SEC}
              step={0.1}
              value={usToSeconds(state.transitionUs)}
              onChange={(event) => dispatch({ type: 'set-transition', transitionUs: secondsToUs(Number(event.currentTarget.value)) })}
            />{' '}
            {t('editor_seconds_unit')} <span class="muted">{t('editor_dissolve_hint')}</span>
          </label>
        )}
        <SegmentedControl label={t('editor_format')} options={FORMAT_OPTIONS} value={state.format} onChange={(format) => dispatch({ type: 'set-format', format })} />
        <Button variant="primary" class="export" disabled={running || refusals.length > 0} onClick={() => void start()}>
          {t('editor_export', state.format.toUpperCase())}
        </Button>
        {running && (
          <>
            <progress class="export-progress" aria-label={t('editor_export_progress')} max={1} value={fraction} />
            <span class="muted">{t('editor_percent', decimals(Math.round(fraction * 100), 0))}</span>
            <Button class="cancel" onClick={() => void send({ type: 'cancel' })}>{t('editor_cancel')}</Button>
          </>
        )}
      </div>
      {refusals.length > 0 && (
        <div class="banner error refusals" role="alert">
          <span>{t('editor_cannot_export')}</span>
          <ul>{refusals.map((text) => <li>{localText(text)}</li>)}</ul>
        </div>
      )}
      <div class="export-result" role="status">{reply && <Reply reply={reply} />}</div>
    </section>
  );
}

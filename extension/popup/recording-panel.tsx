/** Recording to disk beside the buffer: start (with or without what is buffered), its time and size, stop. */
import { localText, t } from '../i18n';
import { Button } from '../ui/button';
import { formatDuration, formatMB } from './format';
import type { PopupModel } from './use-popup';

export function RecordingPanel({ model }: { model: PopupModel }) {
  const recording = model.status?.recording ?? null;
  return (
    <div class="recording-panel" role="group" aria-label={t('popup_record_group')}>
      <Button variant={recording ? 'primary' : 'secondary'} disabled={model.busy} onClick={() => void model.toggleRecord()}>
        {recording ? t('popup_record_stop') : t('popup_record')}
      </Button>
      {recording ? (
        <span class="muted" role="timer">
          <span class="dot live" aria-hidden="true" />
          {t('popup_record_progress', formatDuration(recording.durationSec), formatMB(recording.bytes))}
          {recording.freeBytes !== null ? ` · ${t('popup_record_free', formatMB(recording.freeBytes))}` : ''}
        </span>
      ) : (
        <label class="muted"><input type="checkbox" checked={model.includeBuffered}
          onChange={(event) => model.setIncludeBuffered((event.target as HTMLInputElement).checked)} /> {t('popup_record_include')}</label>
      )}
      {recording?.warning && <p class="toast error" role="alert">{recording.warningText ? localText(recording.warningText) : recording.warning}</p>}
    </div>
  );
}

/**
 * A tab is armed (starting, recording or paused): save, the buffer, pause, recording to disk and
 * the region. Opened on another tab, it says which tab records and offers to record this one.
 */
import type { Status } from '../../../src/contract/messages';
import { statusErrorText, t } from '../../i18n';
import { Button } from '../../ui/button';
import { Toast } from '../../ui/toast';
import { BufferPanel } from '../buffer-panel';
import { DisarmButton } from '../disarm-button';
import { RecordingPanel } from '../recording-panel';
import { RegionRow } from '../region-row';
import { SavePanel } from '../save-panel';
import type { PopupModel } from '../use-popup';

const HEADINGS = {
  starting: 'popup_state_starting',
  armed: 'popup_state_armed',
  paused: 'popup_state_paused',
} as const;

function heading(state: Status['state']): string {
  return t(state === 'paused' || state === 'starting' ? HEADINGS[state] : HEADINGS.armed);
}

export function ArmedView({ model }: { model: PopupModel }) {
  const status = model.status!;
  const paused = status.state === 'paused';
  return (
    <>
      <header class="state-head">
        <h1><span class={`dot${paused ? '' : ' live'}`} aria-hidden="true" />{heading(status.state)}</h1>
        {status.tabTitle !== null && !model.otherTab && <div class="muted tab-title">{t('popup_tab', status.tabTitle)}</div>}
      </header>
      {model.otherTab && (
        <div class="banner other-tab">
          <span>{t('popup_other_tab', status.tabTitle ?? '')}</span>
          {model.activeTabId !== undefined && <Button onClick={() => void model.arm()}>{t('popup_record_instead')}</Button>}
        </div>
      )}
      {paused && <p class="toast info paused-note">{t('popup_paused_note')}</p>}
      <SavePanel model={model} />
      <BufferPanel status={status} />
      <div class="actions">
        <Button onClick={() => void model.togglePause()}>{paused ? t('popup_resume') : t('popup_pause')}</Button>
        <DisarmButton model={model} label={t('popup_disarm')} />
      </div>
      <RecordingPanel model={model} />
      <RegionRow model={model} />
      <Toast message={model.message ?? (status.lastError ? { kind: 'error', text: statusErrorText(status) ?? status.lastError } : null)} />
    </>
  );
}

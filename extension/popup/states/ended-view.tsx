/** Capture ended (the tab closed or stopped being captured): save what is kept, or record this tab. */
import { statusErrorText, t } from '../../i18n';
import { Button } from '../../ui/button';
import { Toast } from '../../ui/toast';
import { BufferPanel } from '../buffer-panel';
import { DisarmButton } from '../disarm-button';
import { SavePanel } from '../save-panel';
import type { PopupModel } from '../use-popup';

export function EndedView({ model }: { model: PopupModel }) {
  const status = model.status!;
  return (
    <>
      <header class="state-head">
        <h1><span class="dot" aria-hidden="true" />{t('popup_ended_title')}</h1>
        {status.tabTitle !== null && <div class="muted tab-title">{t('popup_tab', status.tabTitle)}</div>}
      </header>
      <p class="toast warning reason" role="status">{statusErrorText(status) ?? t('popup_ended_body')}</p>
      <SavePanel model={model} />
      <BufferPanel status={status} />
      <div class="actions">
        {model.activeTabId !== undefined && <Button onClick={() => void model.arm()}>{t('popup_record_this_tab')}</Button>}
        <DisarmButton model={model} label={t('popup_discard')} />
      </div>
      <Toast message={model.message} />
    </>
  );
}

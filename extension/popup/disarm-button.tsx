/** Disarm asks first: it throws the buffer away, which no save can bring back. */
import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { formatSeconds } from './format';
import type { PopupModel } from './use-popup';

export function DisarmButton({ model, label }: { model: PopupModel; label: string }) {
  const [asking, setAsking] = useState(false);
  const buffered = model.status?.bufferedSec ?? 0;
  const confirm = () => {
    setAsking(false);
    void model.disarm();
  };
  return (
    <>
      <Button class="disarm" onClick={() => (buffered > 0 ? setAsking(true) : void model.disarm())}>{label}</Button>
      {asking && (
        <Dialog class="confirm-disarm" title={t('popup_disarm_title')} onClose={() => setAsking(false)}
          actions={<>
            <Button onClick={() => setAsking(false)} data-autofocus>{t('ui_cancel')}</Button>
            <Button variant="danger" onClick={confirm}>{t('popup_disarm_confirm')}</Button>
          </>}>
          <p>{t('popup_disarm_body', formatSeconds(buffered))}</p>
        </Dialog>
      )}
    </>
  );
}

/** Nothing recording: what Looptab does, in one sentence, and the button that starts it. */
import { t } from '../../i18n';
import { Button } from '../../ui/button';
import { EmptyState } from '../../ui/empty-state';
import { Toast } from '../../ui/toast';
import type { PopupModel } from '../use-popup';

export function IdleView({ model }: { model: PopupModel }) {
  return (
    <>
      <EmptyState level={1} icon="record" title={t('popup_idle_title')}
        actions={model.activeTabId !== undefined && (
          <Button variant="primary" size="l" onClick={() => void model.arm()}>{t('popup_arm')}</Button>
        )}>
        <p>{t('popup_idle_body', model.settings.windowSec)}</p>
      </EmptyState>
      <Toast message={model.message} />
    </>
  );
}

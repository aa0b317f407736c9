/** Arming failed, or the recorder is in error: what went wrong (in the alert) and a way to try again. */
import { statusErrorText, t } from '../../i18n';
import { Button } from '../../ui/button';
import { EmptyState } from '../../ui/empty-state';
import { Toast } from '../../ui/toast';
import type { PopupModel } from '../use-popup';

export function ErrorView({ model }: { model: PopupModel }) {
  const lastError = model.status ? statusErrorText(model.status) : null;
  const message = model.message ?? (lastError ? { kind: 'error' as const, text: lastError } : null);
  return (
    <>
      <EmptyState level={1} icon="error" title={t('popup_error_title')}
        actions={model.activeTabId !== undefined && <Button variant="primary" size="l" onClick={() => void model.arm()}>{t('popup_try_again')}</Button>} />
      <Toast message={message} />
    </>
  );
}

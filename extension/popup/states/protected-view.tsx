/** A page Chrome keeps extensions from recording: why, and what to do instead. */
import { t } from '../../i18n';
import { EmptyState } from '../../ui/empty-state';

export function ProtectedView() {
  return (
    <EmptyState level={1} icon="blocked" title={t('popup_protected_title')}>
      <p class="why">{t('popup_protected_why')}</p>
      <p class="todo">{t('popup_protected_todo')}</p>
    </EmptyState>
  );
}

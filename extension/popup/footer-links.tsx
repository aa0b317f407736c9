/** The way to Looptab's other pages, at the foot of every state. */
import { t } from '../i18n';

export function FooterLinks() {
  return (
    <nav class="footer-links" aria-label={t('popup_pages')}>
      <a href="library.html" target="_blank">{t('popup_library')}</a>
      <a href="options.html" target="_blank">{t('popup_options')}</a>
    </nav>
  );
}

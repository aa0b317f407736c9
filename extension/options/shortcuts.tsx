/** The keyboard shortcuts as Chrome has them now, and the way to Chrome's page that changes them. */
import { useEffect, useState } from 'preact/hooks';
import { shortcutRows, type ShortcutRow } from '../../src/settings/shortcut-list';
import { Button } from '../ui/button';
import { t } from '../i18n';

export function Shortcuts() {
  const [rows, setRows] = useState<ShortcutRow[] | null>(null);
  useEffect(() => {
    const read = () => void chrome.commands.getAll().then((commands) => setRows(shortcutRows(commands)));
    read();
    // Keys changed on Chrome's page show when the user comes back.
    window.addEventListener('focus', read);
    return () => window.removeEventListener('focus', read);
  }, []);

  return (
    <section class="shortcuts" aria-labelledby="shortcuts-heading">
      <h2 id="shortcuts-heading">{t('options_shortcuts_heading')}</h2>
      <p class="help">{t('options_shortcuts_intro')}</p>
      {rows && rows.length === 0 && <p>{t('options_shortcuts_none')}</p>}
      {rows && rows.length > 0 && (
        <table>
          <thead><tr><th scope="col">{t('options_shortcuts_column_action')}</th><th scope="col">{t('options_shortcuts_column_key')}</th></tr></thead>
          <tbody>
            {rows.map((row) => (
              <tr data-command={row.name}>
                <td>{row.description ?? t('options_shortcut_open_popup')}</td>
                <td>{row.shortcut ? <kbd>{row.shortcut}</kbd> : <span class="muted not-set">{t('options_shortcut_not_set')}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Button class="change-shortcuts" onClick={() => void chrome.tabs.create({ url: 'chrome://extensions/shortcuts' })}>
        {t('options_shortcuts_change')}
      </Button>
    </section>
  );
}

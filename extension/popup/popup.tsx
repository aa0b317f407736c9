/**
 * The popup: arms the tab it was opened on (so one toolbar click arms), shows the buffer,
 * saves clips. One view per state (states/); every action goes through the same messages the
 * shortcut and menus use (use-popup.ts).
 */
import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import type { Settings } from '../../src/settings/settings';
import { t, uiLanguage } from '../i18n';
import { loadSettings } from '../settings-store';
import { FooterLinks } from './footer-links';
import type { PopupView } from './popup-view';
import { ArmedView } from './states/armed-view';
import { EndedView } from './states/ended-view';
import { ErrorView } from './states/error-view';
import { IdleView } from './states/idle-view';
import { ProtectedView } from './states/protected-view';
import { usePopup, type PopupModel } from './use-popup';

const VIEWS: Record<PopupView, (props: { model: PopupModel }) => preact.JSX.Element> = {
  loading: () => <p class="muted loading">{t('ui_loading')}</p>,
  idle: IdleView,
  protected: ProtectedView,
  armed: ArmedView,
  ended: EndedView,
  error: ErrorView,
};

function Popup({ activeTab, settings }: { activeTab: chrome.tabs.Tab | undefined; settings: Settings }) {
  const model = usePopup(activeTab, settings);
  const savable = model.view === 'armed' || model.view === 'ended';

  // Enter saves when no control has focus (the popup just opened): one key from click to clip.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Enter' || !savable || event.defaultPrevented) return;
      if (document.activeElement !== document.body && document.activeElement !== null) return;
      if (document.querySelector('dialog[open]')) return;
      event.preventDefault();
      void model.save();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [savable, model.save]);

  const View = VIEWS[model.view];
  return (
    <div class="popup" data-state={model.view} data-capture={model.status?.state}>
      <View model={model} />
      <FooterLinks />
    </div>
  );
}

document.documentElement.lang = uiLanguage();
void Promise.all([chrome.tabs.query({ active: true, currentWindow: true }), loadSettings()]).then(([[tab], { settings }]) => {
  render(<Popup activeTab={tab} settings={settings} />, document.getElementById('app')!);
});

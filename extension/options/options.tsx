/** Options: the settings in groups, checked as typed, saved and reset through the settings store. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_SETTINGS, settingsToInputs, inputsToSettings, type SettingInputs, type SettingKey, type Settings } from '../../src/settings/settings';
import { FIELDS, GROUPS, GROUP_LABELS, SETTING_KEYS, fieldsOf } from '../../src/settings/option-fields';
import { filenamePreview, inputProblems } from '../../src/settings/option-inputs';
import { loadSettings, onSettingsChange, resetSettings, saveSettings } from '../settings-store';
import { Button } from '../ui/button';
import { Toast, type ToastMessage } from '../ui/toast';
import { t, uiLanguage } from '../i18n';
import { SettingField, problemText } from './setting-field';
import { Shortcuts } from './shortcuts';

function FilenamePreview({ inputs }: { inputs: SettingInputs }) {
  const seconds = Number(inputs.defaultClipSec);
  const preview = filenamePreview(inputs.filenameTemplate, {
    title: t('options_preview_title'), date: new Date(), seconds: Number.isFinite(seconds) ? seconds : DEFAULT_SETTINGS.defaultClipSec, format: 'mp4',
  });
  return (
    <p class="preview" id="filenameTemplate-preview" aria-live="polite">
      {t('options_preview_label')}: {preview.ok ? <output for="filenameTemplate">{preview.filename}</output> : <span class="error">{problemText('filenameTemplate', preview.problem)}</span>}
    </p>
  );
}

function Options() {
  const [saved, setSaved] = useState<Settings>({ ...DEFAULT_SETTINGS });
  const [inputs, setInputs] = useState<SettingInputs>(settingsToInputs(DEFAULT_SETTINGS));
  const [notice, setNotice] = useState<ToastMessage | null>(null);
  const problems = inputProblems(inputs);
  const dirty = SETTING_KEYS.some((key) => inputs[key] !== String(saved[key]));

  const show = (settings: Settings) => {
    setSaved(settings);
    setInputs(settingsToInputs(settings));
  };

  useEffect(() => {
    void loadSettings().then(({ settings, problems: stored }) => {
      show(settings);
      // A corrupt or old stored value fell back to its default: say which.
      const keys = stored.map((problem) => problem.split(':')[0]).filter((key): key is SettingKey => !!key && key in FIELDS);
      if (stored.length > 0) setNotice({ kind: 'error', text: [t('options_stored_invalid', keys.map((key) => t(FIELDS[key].label)).join(', '))] });
    });
  }, []);

  // Another page (or another device, through sync) saved: show it unless the user is editing.
  useEffect(() => onSettingsChange(({ settings }) => {
    setSaved(settings);
    if (!dirty) setInputs(settingsToInputs(settings));
  }), [dirty]);

  const submit = async (event: Event) => {
    event.preventDefault();
    const refused = Object.entries(problems) as [SettingKey, NonNullable<(typeof problems)[SettingKey]>][];
    if (refused.length > 0) {
      setNotice({ kind: 'error', text: [t('options_not_saved'), ...refused.map(([key, problem]) => problemText(key, problem))] });
      return;
    }
    const result = await saveSettings(inputsToSettings(inputs));
    if (!result.ok) {
      // The store refused what the form accepted (the two check alike, so this is rare): name the fields.
      const refusedKeys = (Object.keys(result.invalid) as SettingKey[]).filter((key) => key in FIELDS);
      setNotice({ kind: 'error', text: [t('options_not_saved'), t('options_store_refused', refusedKeys.map((key) => t(FIELDS[key].label)).join(', '))] });
      return;
    }
    const rearm = SETTING_KEYS.some((key) => FIELDS[key].applies === 'arm' && result.settings[key] !== saved[key]);
    show(result.settings);
    setNotice({ kind: 'ok', text: t(rearm ? 'options_saved_rearm' : 'options_saved') });
  };

  const undo = async (before: Settings) => {
    const result = await saveSettings(before);
    if (result.ok) {
      show(result.settings);
      setNotice({ kind: 'ok', text: t('options_undo_done') });
    }
  };

  const reset = async () => {
    const before = saved;
    show(await resetSettings());
    setNotice({ kind: 'ok', text: t('options_reset_done'), action: { label: t('options_undo'), class: 'undo', onClick: () => void undo(before) } });
  };

  const field = (key: SettingKey) => (
    <SettingField key={key} settingKey={key} value={inputs[key]} problem={problems[key]}
      sliderMax={key === 'defaultClipSec' && !problems.windowSec ? Number(inputs.windowSec) : undefined}
      onChange={(value) => setInputs({ ...inputs, [key]: value })}>
      {key === 'filenameTemplate' && <FilenamePreview inputs={inputs} />}
    </SettingField>
  );

  return (
    <>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <h1>{t('options_title')}</h1>
        <p class="intro">{t('options_intro')}</p>
        {GROUPS.map((group) => (
          <fieldset key={group}>
            <legend>{t(GROUP_LABELS[group])}</legend>
            {fieldsOf(group).map(field)}
          </fieldset>
        ))}
        <div class="actions">
          <Button type="submit" variant="primary">{t('options_save')}</Button>
          <Button class="reset" onClick={() => void reset()}>{t('options_reset')}</Button>
          {dirty && <span class="muted">{t('options_unsaved')}</span>}
        </div>
        <Toast message={notice} />
      </form>
      <Shortcuts />
    </>
  );
}

document.documentElement.lang = uiLanguage();
document.title = t('options_title');
render(<Options />, document.getElementById('app')!);

/** Options: the settings grouped, each saying when it applies; saved through the settings store. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import {
  DEFAULT_SETTINGS,
  SETTING_LIMITS,
  inputsToSettings,
  settingsToInputs,
  type SettingInputs,
  type SettingKey,
  type Settings,
} from '../../src/settings/settings';
import { loadSettings, onSettingsChange, resetSettings, saveSettings } from '../settings-store';
import { APPLIES_TEXT, FIELDS, GROUPS, type Group } from './fields';

const KEYS = Object.keys(FIELDS) as SettingKey[];
const KEYS_BY_GROUP = Object.fromEntries(GROUPS.map((group) => [group, KEYS.filter((key) => FIELDS[key].group === group)])) as Record<Group, SettingKey[]>;

type Notice = { kind: 'ok' | 'error'; lines: string[] } | null;

/** parseSettings names fields by key ("windowSec: ..."): a user knows them by label. */
function labelled(problem: string): string {
  const key = problem.split(':')[0] as SettingKey;
  return key in FIELDS ? `${FIELDS[key].label}${problem.slice(key.length)}` : problem;
}

function Options() {
  const [saved, setSaved] = useState<Settings>({ ...DEFAULT_SETTINGS });
  const [inputs, setInputs] = useState<SettingInputs>(settingsToInputs(DEFAULT_SETTINGS));
  const [invalid, setInvalid] = useState<Partial<Record<SettingKey, string>>>({});
  const [notice, setNotice] = useState<Notice>(null);
  const dirty = KEYS.some((key) => inputs[key] !== String(saved[key]));

  useEffect(() => {
    void loadSettings().then(({ settings, problems }) => {
      setSaved(settings);
      setInputs(settingsToInputs(settings));
      // A corrupt or old stored value fell back to its default: say so.
      if (problems.length > 0) {
        setNotice({ kind: 'error', lines: ['Some stored settings were invalid and use their defaults:', ...problems.map(labelled)] });
      }
    });
  }, []);

  // Another page (or another device, through sync) saved: show it unless the user is editing.
  useEffect(() => onSettingsChange(({ settings }) => {
    setSaved(settings);
    if (!dirty) setInputs(settingsToInputs(settings));
  }), [dirty]);

  const submit = async (event: Event) => {
    event.preventDefault();
    const result = await saveSettings(inputsToSettings(inputs));
    if (!result.ok) {
      setInvalid(result.invalid);
      const fields = (Object.entries(result.invalid) as [SettingKey, string][]).map(([key, reason]) => `${FIELDS[key].label} ${reason}.`);
      setNotice({ kind: 'error', lines: ['Not saved:', ...fields, ...result.general] });
      return;
    }
    const rearm = KEYS.some((key) => FIELDS[key].applies === 'arm' && result.settings[key] !== saved[key]);
    setSaved(result.settings);
    setInputs(settingsToInputs(result.settings));
    setInvalid({});
    setNotice({
      kind: 'ok',
      lines: [rearm ? 'Saved. Buffer and capture changes apply when a tab is next armed (disarm and arm again to use them now).' : 'Saved.'],
    });
  };

  const reset = async () => {
    const settings = await resetSettings();
    setSaved(settings);
    setInputs(settingsToInputs(settings));
    setInvalid({});
    setNotice({ kind: 'ok', lines: ['Every setting is back to its default.'] });
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <h1>Looptab options</h1>
      <p class="intro">
        Buffer and capture settings apply when a tab is next armed; clip, GIF, file and library settings apply to the next save.
        Shortcut keys are set at <code>chrome://extensions/shortcuts</code>.
      </p>
      {GROUPS.map((group) => (
        <fieldset>
          <legend>{group}</legend>
          {KEYS_BY_GROUP[group].map((key) => {
            const field = FIELDS[key];
            const limits = key in SETTING_LIMITS ? SETTING_LIMITS[key as keyof typeof SETTING_LIMITS] : null;
            const error = invalid[key];
            const onInput = (event: Event) => setInputs({ ...inputs, [key]: (event.target as HTMLInputElement).value });
            return (
              <div class={`field${error ? ' invalid' : ''}`}>
                <label for={key}>{field.label}</label>
                <div class="control">
                  {field.choices
                    ? <select id={key} name={key} value={inputs[key]} aria-describedby={`${key}-help`}
                        onChange={(event) => setInputs({ ...inputs, [key]: (event.target as HTMLSelectElement).value })}>
                        {Object.entries(field.choices).map(([value, label]) => <option value={value}>{label}</option>)}
                      </select>
                    : limits
                    ? <input id={key} name={key} type="number" step="any" min={limits.min} max={limits.max} value={inputs[key]}
                        aria-invalid={error ? 'true' : undefined} aria-describedby={`${key}-help`} onInput={onInput} />
                    : <input id={key} name={key} type="text" value={inputs[key]}
                        aria-invalid={error ? 'true' : undefined} aria-describedby={`${key}-help`} onInput={onInput} />}
                  {field.unit && <span class="unit">{field.unit}</span>}
                </div>
                <p class="help" id={`${key}-help`}>
                  {field.help}{limits && ` ${limits.min}-${limits.max} ${field.unit ?? ''}, default ${DEFAULT_SETTINGS[key]}.`}
                  {field.choices && ` Default: ${field.choices[String(DEFAULT_SETTINGS[key])]?.toLowerCase()}.`}
                  {' '}<span class={`applies ${field.applies}`}>{APPLIES_TEXT[field.applies]}.</span>
                </p>
                {error && <p class="error field-error" role="alert">{field.label} {error}.</p>}
              </div>
            );
          })}
        </fieldset>
      ))}
      <div class="actions">
        <button type="submit" class="primary">Save</button>
        <button type="button" onClick={() => void reset()}>Reset to defaults</button>
        {dirty && <span class="meta">Unsaved changes</span>}
      </div>
      {notice && (
        <div class={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          {notice.lines.map((line) => <p>{line}</p>)}
        </div>
      )}
    </form>
  );
}

render(<Options />, document.getElementById('app')!);

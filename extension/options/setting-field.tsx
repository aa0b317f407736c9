/** One setting on the options page: label, control, unit, help, range, when it applies, its error. */
import { DEFAULT_SETTINGS, type SettingKey } from '../../src/settings/settings';
import { APPLIES_LABELS, FIELDS, limitsOf } from '../../src/settings/option-fields';
import type { FieldProblem } from '../../src/settings/option-inputs';
import { t } from '../i18n';

interface Props {
  settingKey: SettingKey;
  value: string;
  problem: FieldProblem | undefined;
  /** The slider's upper end when it is less than the setting's own (a clip within the buffer). */
  sliderMax?: number;
  onChange: (value: string) => void;
  children?: preact.ComponentChildren;
}

export function problemText(key: SettingKey, problem: FieldProblem): string {
  return t(problem.key, t(FIELDS[key].label), ...(problem.substitutions ?? []));
}

export function SettingField({ settingKey: key, value, problem, sliderMax, onChange, children }: Props) {
  const field = FIELDS[key];
  const limits = limitsOf(key);
  const unit = field.unit ? t(field.unit) : '';
  const describedBy = `${key}-help${problem ? ` ${key}-error` : ''}`;
  const invalid = problem ? 'true' : undefined;
  const read = (event: Event) => onChange((event.target as HTMLInputElement | HTMLSelectElement).value);
  const { control } = field;
  const defaultValue = String(DEFAULT_SETTINGS[key]);
  let facts: string;
  if (limits) facts = t('options_range_default', String(limits.min), String(limits.max), unit, defaultValue);
  else if (control.kind === 'select') facts = t('options_default_value', t(control.choices[defaultValue]!));
  else facts = t('options_default_value', defaultValue);

  return (
    <div class={`field${problem ? ' invalid' : ''}`}>
      <label for={key} id={`${key}-label`}>{t(field.label)}</label>
      <div class="control">
        {control.kind === 'select' && (
          <select id={key} name={key} value={value} aria-describedby={describedBy} onChange={read}>
            {Object.entries(control.choices).map(([choice, label]) => <option value={choice}>{t(label)}</option>)}
          </select>
        )}
        {control.kind === 'slider' && limits && (
          <input type="range" id={`${key}-range`} min={limits.min} max={sliderMax ?? limits.max} step={control.step}
            value={Number.isFinite(Number(value)) ? value : String(DEFAULT_SETTINGS[key])}
            aria-label={t('options_slider_label', t(field.label))} onInput={read} />
        )}
        {(control.kind === 'slider' || control.kind === 'number') && limits && (
          <input id={key} name={key} type="number" step="any" min={limits.min} max={limits.max} value={value}
            list={control.kind === 'number' ? `${key}-suggestions` : undefined}
            aria-invalid={invalid} aria-describedby={describedBy} onInput={read} />
        )}
        {control.kind === 'number' && (
          <datalist id={`${key}-suggestions`}>{control.suggestions.map((suggestion) => <option value={suggestion} />)}</datalist>
        )}
        {control.kind === 'text' && (
          <input id={key} name={key} type="text" value={value} spellcheck={false}
            aria-invalid={invalid} aria-describedby={describedBy} onInput={read} />
        )}
        {unit && <span class="unit">{unit}</span>}
      </div>
      <p class="help" id={`${key}-help`}>
        {t(field.help)} {facts} <span class={`applies ${field.applies}`}>{t(APPLIES_LABELS[field.applies])}.</span>
      </p>
      {children}
      {problem && <p class="error field-error" id={`${key}-error`}>{problemText(key, problem)}</p>}
    </div>
  );
}

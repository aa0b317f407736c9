/** One setting on the options page: its field (ui/field) with the control, range, default and when it applies. */
import { DEFAULT_SETTINGS, type SettingKey } from '../../src/settings/settings';
import { APPLIES_LABELS, FIELDS, limitsOf } from '../../src/settings/option-fields';
import type { FieldProblem } from '../../src/settings/option-inputs';
import { describedBy, Field, Slider } from '../ui/field';
import { Select } from '../ui/select';
import { t } from '../i18n';

interface Props {
  settingKey: SettingKey;
  value: string;
  problem: FieldProblem | undefined;
  /** The slider's upper end when it is less than the setting's own (a clip within the buffer). */
  sliderMax?: number | undefined;
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
  const invalid = problem !== undefined;
  const described = describedBy(key, invalid);
  const read = (event: Event) => onChange((event.target as HTMLInputElement).value);
  const { control } = field;
  const defaultValue = String(DEFAULT_SETTINGS[key]);
  let facts: string;
  if (limits) facts = t('options_range_default', String(limits.min), String(limits.max), unit, defaultValue);
  else if (control.kind === 'select') facts = t('options_default_value', t(control.choices[defaultValue]!));
  else facts = t('options_default_value', defaultValue);
  const help = <>{t(field.help)} {facts} <span class={`applies ${field.applies}`}>{t(APPLIES_LABELS[field.applies])}.</span></>;

  return (
    <Field id={key} label={t(field.label)} unit={unit} help={help} error={problem && problemText(key, problem)} after={children}>
      {control.kind === 'select' && (
        <Select id={key} name={key} value={value} aria-describedby={described} onChange={onChange}
          options={Object.entries(control.choices).map(([choice, label]) => ({ value: choice, label: t(label) }))} />
      )}
      {control.kind === 'slider' && limits && (
        <Slider id={key} sliderLabel={t('options_slider_label', t(field.label))} min={limits.min} max={limits.max} sliderMax={sliderMax}
          step={control.step} value={value} fallback={defaultValue} invalid={invalid} onInput={onChange} />
      )}
      {control.kind === 'number' && limits && (
        <>
          <input id={key} name={key} type="number" step="any" min={limits.min} max={limits.max} value={value} list={`${key}-suggestions`}
            aria-invalid={invalid ? 'true' : undefined} aria-describedby={described} onInput={read} />
          <datalist id={`${key}-suggestions`}>{control.suggestions.map((suggestion) => <option value={suggestion} />)}</datalist>
        </>
      )}
      {control.kind === 'text' && (
        <input id={key} name={key} type="text" value={value} spellcheck={false}
          aria-invalid={invalid ? 'true' : undefined} aria-describedby={described} onInput={read} />
      )}
    </Field>
  );
}

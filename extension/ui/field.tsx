/**
 * A labelled form field: the label, the control with its unit, a help line and, when its value is
 * refused, the error. The control is the caller's; `describedBy` ties it to the help and error.
 */
import type { ComponentChildren } from 'preact';

export interface FieldProps {
  /** The control's id; the help and error get `<id>-help` and `<id>-error`. */
  id: string;
  label: string;
  unit?: string;
  help: ComponentChildren;
  /** Why the value is refused, or absent. */
  error?: string | undefined;
  /** The control. */
  children: ComponentChildren;
  /** Shown between the help and the error (a preview of the value). */
  after?: ComponentChildren;
}

/** The `aria-describedby` of a field's control. */
export const describedBy = (id: string, invalid: boolean): string => `${id}-help${invalid ? ` ${id}-error` : ''}`;

export function Field({ id, label, unit, help, error, children, after }: FieldProps) {
  return (
    <div class={`field${error ? ' invalid' : ''}`}>
      <label for={id} id={`${id}-label`}>{label}</label>
      <div class="control">
        {children}
        {unit && <span class="unit">{unit}</span>}
      </div>
      <p class="help" id={`${id}-help`}>{help}</p>
      {after}
      {error && <p class="error field-error" id={`${id}-error`}>{error}</p>}
    </div>
  );
}

export interface SliderProps {
  /** The number box's id (the field's label points at it); the slider gets `<id>-range`. */
  id: string;
  /** The slider's own name ("Default clip length slider"); the number box has the field's label. */
  sliderLabel: string;
  min: number;
  max: number;
  /** The slider's upper end when it is less than what the box accepts. */
  sliderMax?: number | undefined;
  step: number;
  /** As typed; the slider shows `fallback` while it is not a number. */
  value: string;
  fallback: string;
  invalid: boolean;
  onInput: (value: string) => void;
}

/** A slider and a number box on one value: drag it or type it. */
export function Slider({ id, sliderLabel, min, max, sliderMax, step, value, fallback, invalid, onInput }: SliderProps) {
  const read = (event: Event) => onInput((event.currentTarget as HTMLInputElement).value);
  return (
    <>
      <input type="range" id={`${id}-range`} min={min} max={sliderMax ?? max} step={step}
        value={Number.isFinite(Number(value)) ? value : fallback} aria-label={sliderLabel} onInput={read} />
      <input id={id} name={id} type="number" step="any" min={min} max={max} value={value}
        aria-invalid={invalid ? 'true' : undefined} aria-describedby={describedBy(id, invalid)} onInput={read} />
    </>
  );
}

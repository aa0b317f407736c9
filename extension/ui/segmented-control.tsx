/**
 * A choice of a few options shown side by side, with radio-group semantics: one Tab stop (the
 * checked option), arrow keys move the choice, Home and End go to the ends.
 */
import { useRef } from 'preact/hooks';

export interface SegmentOption<T extends string> {
  value: T;
  label: string;
}

export interface SegmentedControlProps<T extends string> {
  label: string;
  options: readonly SegmentOption<T>[];
  value: T;
  onChange: (value: T) => void;
  disabled?: boolean;
}

const STEP: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

export function SegmentedControl<T extends string>({ label, options, value, onChange, disabled }: SegmentedControlProps<T>) {
  const group = useRef<HTMLDivElement>(null);
  const choose = (index: number) => {
    const option = options[index];
    if (!option) return;
    onChange(option.value);
    group.current?.querySelectorAll<HTMLButtonElement>('[role="radio"]')[index]?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const current = options.findIndex((option) => option.value === value);
    const last = options.length - 1;
    const step = STEP[event.key];
    let next: number | null = null;
    if (step !== undefined) next = (current + step + options.length) % options.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = last;
    if (next === null) return;
    event.preventDefault();
    choose(next);
  };
  return (
    <div ref={group} class="segmented" role="radiogroup" aria-label={label} onKeyDown={onKeyDown}>
      {options.map((option, index) => (
        <button type="button" role="radio" aria-checked={option.value === value} tabIndex={option.value === value ? 0 : -1}
          disabled={disabled} onClick={() => choose(index)}>{option.label}</button>
      ))}
    </div>
  );
}

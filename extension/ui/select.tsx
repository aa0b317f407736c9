/**
 * A native select from a list of choices. With `label` it sits in its own label ("Sort [Newest]");
 * without, the caller labels it (a `for` label on `id`).
 */
import type { SegmentedControlProps } from './segmented-control';

/** The segmented control's options, value and onChange: the same choice, shown as a list. */
export interface SelectProps<T extends string> extends Omit<SegmentedControlProps<T>, 'label' | 'disabled'> {
  label?: string;
  id?: string;
  name?: string;
  'aria-describedby'?: string;
}

export function Select<T extends string>({ options, value, onChange, label, ...rest }: SelectProps<T>) {
  const select = (
    <select {...rest} value={value} onChange={(event) => onChange(event.currentTarget.value as T)}>
      {options.map((option) => <option value={option.value}>{option.label}</option>)}
    </select>
  );
  return label === undefined ? select : <label>{label}{' '}{select}</label>;
}

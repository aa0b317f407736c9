/** A native select from a list of choices; its label is the caller's (a wrapping or a `for` label). */
export interface SelectChoice<T extends string> {
  value: T;
  label: string;
}

export interface SelectProps<T extends string> {
  choices: readonly SelectChoice<T>[];
  value: T;
  onChange: (value: T) => void;
  id?: string;
  name?: string;
  'aria-describedby'?: string;
}

export function Select<T extends string>({ choices, value, onChange, ...rest }: SelectProps<T>) {
  return (
    <select {...rest} value={value} onChange={(event) => onChange(event.currentTarget.value as T)}>
      {choices.map((choice) => <option value={choice.value}>{choice.label}</option>)}
    </select>
  );
}

/** The one button every page uses: secondary unless told, `big` for a state's main action. */
import type { ButtonHTMLAttributes, ComponentChildren } from 'preact';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'quiet';

export interface ButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'size'> {
  variant?: ButtonVariant;
  size?: 'm' | 'l';
  children?: ComponentChildren;
}

export function Button({ variant = 'secondary', size = 'm', class: extra, type = 'button', children, ...rest }: ButtonProps) {
  const classes = [variant === 'secondary' ? '' : variant, size === 'l' ? 'big' : '', typeof extra === 'string' ? extra : '']
    .filter(Boolean).join(' ');
  return <button type={type} class={classes || undefined} {...rest}>{children}</button>;
}

/**
 * A modal on the native <dialog>: showModal traps focus and Escape closes it. Focus starts on the
 * element marked `data-autofocus` (else the first control) and goes back where it was on close.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export interface DialogProps {
  title: string;
  onClose: () => void;
  children?: ComponentChildren;
  /** The buttons, right-aligned under the body. */
  actions?: ComponentChildren;
  class?: string;
}

let nextId = 0;

export function Dialog({ title, onClose, children, actions, class: extra }: DialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useRef(`dialog-title-${++nextId}`).current;
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const element = dialog.current;
    element?.showModal();
    element?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => opener?.focus();
  }, []);
  return (
    <dialog ref={dialog} class={extra} aria-labelledby={titleId} onClose={onClose}>
      <div class="dialog-body">
        <h2 id={titleId}>{title}</h2>
        {children}
        {actions && <div class="dialog-actions">{actions}</div>}
      </div>
    </dialog>
  );
}

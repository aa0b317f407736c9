/**
 * Results and notices in live regions. Both regions stay mounted, so a screen reader hears each
 * new text: errors through role=alert (at once), the rest through role=status (politely).
 */
export type ToastKind = 'ok' | 'error' | 'info' | 'warning';

export interface ToastMessage {
  kind: ToastKind;
  /** One line, or several (a refusal and its reasons). */
  text: string | readonly string[];
  /** One button that acts on the notice (undo a reset). */
  action?: { label: string; class?: string; onClick: () => void };
}

/** One notice; `message` classes kept for the tests and pages that look for `.message.ok|error`. */
function Notice({ message }: { message: ToastMessage }) {
  const lines = typeof message.text === 'string' ? [message.text] : message.text;
  const { action } = message;
  return (
    <div class={`toast message ${message.kind}`}>
      {lines.map((line) => <p>{line}</p>)}
      {action && <button type="button" class={action.class} onClick={action.onClick}>{action.label}</button>}
    </div>
  );
}

export function Toast({ message }: { message: ToastMessage | null }) {
  return (
    <div class="toasts">
      <div role="status">{message && message.kind !== 'error' && <Notice message={message} />}</div>
      <div role="alert">{message?.kind === 'error' && <Notice message={message} />}</div>
    </div>
  );
}

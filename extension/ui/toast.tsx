/**
 * Results and notices in live regions. Both regions stay mounted, so a screen reader hears each
 * new text: errors through role=alert (at once), the rest through role=status (politely).
 */
export type ToastKind = 'ok' | 'error' | 'info' | 'warning';

export interface ToastMessage {
  kind: ToastKind;
  text: string;
}

/** One notice; `message` classes kept for the tests and pages that look for `.message.ok|error`. */
function Notice({ message }: { message: ToastMessage }) {
  return <p class={`toast message ${message.kind}`}>{message.text}</p>;
}

export function Toast({ message }: { message: ToastMessage | null }) {
  return (
    <div class="toasts">
      <div role="status">{message && message.kind !== 'error' && <Notice message={message} />}</div>
      <div role="alert">{message?.kind === 'error' && <Notice message={message} />}</div>
    </div>
  );
}

/**
 * Which of the popup's states to show, from the status and what happened on this opening. Pure
 * (no chrome.*), so every state is reachable in a Node test.
 */
import type { Status } from '../../src/contract/messages';
import { isProtectedPage } from '../../src/capture/protected-page';

export type PopupView = 'loading' | 'idle' | 'protected' | 'armed' | 'ended' | 'error';

export interface ViewInput {
  status: Status | null;
  /** The popup's own arm of this opening failed, and why. */
  armFailed: string | null;
  /** The active tab's page is protected. */
  protectedPage: boolean;
}

export function popupView({ status, armFailed, protectedPage }: ViewInput): PopupView {
  if (!status) return 'loading';
  // A buffer is kept (recording, paused, or its tab gone): its controls win over a failed arm,
  // which the popup then says in a toast.
  if (status.armed) return 'armed';
  if (status.state === 'ended') return 'ended';
  if (armFailed !== null) return protectedPage ? 'protected' : 'error';
  if (status.state === 'error') return 'error';
  return 'idle';
}

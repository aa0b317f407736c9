// Waiting, for scripts and tests that poll a browser.

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface UntilOptions {
  /** Default 30 s. */
  timeoutMs?: number;
  /** Default 250 ms. */
  pollMs?: number;
}

/**
 * Reads until `done` says yes and returns that value; after `timeoutMs` throws with `what` and
 * the last value read. `done` may throw to give up early.
 */
export async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, options: UntilOptions = {}): Promise<T> {
  const { timeoutMs = 30_000, pollMs = 250 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await sleep(pollMs);
  }
}

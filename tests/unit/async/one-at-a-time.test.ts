import { describe, expect, it } from 'vitest';
import { oneAtATime } from '../../../src/async/one-at-a-time';

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

describe('oneAtATime', () => {
  it('starts each task only once the one before it has settled, in order', async () => {
    const run = oneAtATime();
    const log: string[] = [];
    const first = deferred<string>();
    const a = run(async () => { log.push('a start'); const value = await first.promise; log.push('a end'); return value; });
    const b = run(async () => { log.push('b start'); return 'b'; });
    await Promise.resolve();
    await Promise.resolve();
    expect(log).toEqual(['a start']);
    first.resolve('a');
    expect(await Promise.all([a, b])).toEqual(['a', 'b']);
    expect(log).toEqual(['a start', 'a end', 'b start']);
  });

  it('hands a failure to its own caller and runs the next task', async () => {
    const run = oneAtATime();
    const failing = run(() => Promise.reject(new Error('no')));
    const next = run(async () => 'still runs');
    await expect(failing).rejects.toThrow('no');
    expect(await next).toBe('still runs');
  });

  it('keeps separate queues apart', async () => {
    const one = oneAtATime();
    const other = oneAtATime();
    const blocked = deferred<void>();
    void one(() => blocked.promise);
    expect(await other(async () => 'not waiting')).toBe('not waiting');
    blocked.resolve();
  });
});

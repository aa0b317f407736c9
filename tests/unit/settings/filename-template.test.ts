import { describe, expect, it } from 'vitest';
import { clipFilename, sanitizeBasename, templateProblem } from '../../../src/settings/filename-template';

const date = new Date(2026, 10, 22, 9, 5, 7);

describe('clipFilename', () => {
  it('clipFilename, expands the default template', () => {
    expect(clipFilename('Looptab {title} {date} {time}', { title: 'My page', date, seconds: 30 }, 'mp4'))
      .toBe('Looptab My page 2026-11-22 09-05-07.mp4');
  });

  it('clipFilename, expands {seconds} rounded', () => {
    expect(clipFilename('{seconds}s', { title: '', date, seconds: 29.6 }, 'gif')).toBe('30s.gif');
  });

  it('clipFilename, strips characters no OS allows from a page title', () => {
    const name = clipFilename('Looptab {title}', { title: 'a/b\\c:d*e?f"g<h>i|j\u0007k', date, seconds: 1 }, 'mp4');
    expect(name).toBe('Looptab a b c d e f g h i j k.mp4');
  });
});

describe('sanitizeBasename', () => {
  it('sanitizeBasename, removes leading and trailing dots and spaces', () => {
    expect(sanitizeBasename('  ..hidden. . ')).toBe('hidden');
  });

  it('sanitizeBasename, prefixes Windows reserved device names', () => {
    expect(sanitizeBasename('CON')).toBe('_CON');
    expect(sanitizeBasename('lpt1.txt')).toBe('_lpt1.txt');
  });

  it('sanitizeBasename, falls back when nothing is left', () => {
    expect(sanitizeBasename('///')).toBe('Looptab clip');
    expect(sanitizeBasename('')).toBe('Looptab clip');
  });

  it('sanitizeBasename, caps the length without splitting an emoji', () => {
    const long = '😀'.repeat(200);
    const safe = sanitizeBasename(long);
    expect(Array.from(safe).length).toBe(120);
    expect(safe).toBe('😀'.repeat(120));
  });
});

describe('templateProblem', () => {
  it('templateProblem, accepts the tokens and other braces, refuses empty, too long and unknown {words}', () => {
    expect(templateProblem('Looptab {title} {date} {time} {seconds}')).toBeNull();
    expect(templateProblem('{ok} no'.replace('{ok}', '{ ok'))).toBeNull();
    expect(templateProblem('  ')).toEqual({ kind: 'empty' });
    expect(templateProblem('x'.repeat(201))).toEqual({ kind: 'too-long', maxChars: 200 });
    expect(templateProblem('clip {tilte} {date}')).toEqual({ kind: 'unknown-token', token: 'tilte' });
    expect(templateProblem('{Title}')).toEqual({ kind: 'unknown-token', token: 'Title' });
  });
});

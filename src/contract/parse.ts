/**
 * Validation at a context boundary: every parser returns the typed value or an error that names
 * the bad field, so whoever sent it can fix it.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

export function parseNumber(record: Record<string, unknown>, field: string, rule: { min: number; max: number; integer?: boolean }): Parsed<number> {
  const value = record[field];
  const kind = rule.integer ? 'an integer' : 'a number';
  if (typeof value !== 'number' || !Number.isFinite(value) || (rule.integer && !Number.isInteger(value))) {
    return fail(`"${field}" must be ${kind} (got ${JSON.stringify(value)})`);
  }
  if (value < rule.min || value > rule.max) return fail(`"${field}" must be ${kind} in ${rule.min}-${rule.max} (got ${value})`);
  return { ok: true, value };
}

export function parseString(record: Record<string, unknown>, field: string, maxLength = 10_000): Parsed<string> {
  const value = record[field];
  if (typeof value !== 'string' || value.length > maxLength) return fail(`"${field}" must be a string of at most ${maxLength} characters`);
  return { ok: true, value };
}

/** The message's `type`, checked against the types a boundary knows. */
export function parseType<T extends string>(message: unknown, types: readonly T[]): Parsed<{ record: Record<string, unknown>; type: T }> {
  if (!isRecord(message)) return fail('message must be an object with a "type" field');
  const { type } = message;
  if (typeof type !== 'string' || !(types as readonly string[]).includes(type)) {
    return fail(`unknown message type ${JSON.stringify(type)}; expected one of ${types.join(', ')}`);
  }
  return { ok: true, value: { record: message, type: type as T } };
}

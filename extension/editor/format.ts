/** The editor's numbers in the user's language: seconds with a fixed number of decimals, counts. */
import { usToSeconds } from '../../src/units';
import { t, uiLanguage } from '../i18n';

const language = uiLanguage();
const formats = new Map<number, Intl.NumberFormat>();

/** `value` with `digits` decimals, in the page's language (no grouping: 1234.500, not 1,234.500). */
export function decimals(value: number, digits: number): string {
  let format = formats.get(digits);
  if (!format) {
    format = new Intl.NumberFormat(language, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });
    formats.set(digits, format);
  }
  return format.format(value);
}

/** A number as it is, in the page's language (an opacity: 1, 0.5). */
export const number = (value: number): string => new Intl.NumberFormat(language, { useGrouping: false, maximumFractionDigits: 6 }).format(value);

/** Microseconds as seconds, without the unit. */
export const secondsOf = (us: number, digits = 3): string => decimals(usToSeconds(us), digits);

/** Microseconds as seconds with their unit: "1.500 s". */
export const secondsText = (us: number, digits = 3): string => t('editor_seconds', secondsOf(us, digits));

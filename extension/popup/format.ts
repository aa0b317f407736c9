/** The popup's numbers in the user's language: seconds, megabytes, m:ss. */
import { BYTES_PER_MB } from '../../src/units';
import { t, uiLanguage } from '../i18n';

const oneDecimal = new Intl.NumberFormat(uiLanguage(), { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function formatSeconds(seconds: number): string {
  return oneDecimal.format(seconds);
}

export function formatMB(bytes: number): string {
  return t('popup_megabytes', oneDecimal.format(bytes / BYTES_PER_MB));
}

export function formatDuration(seconds: number): string {
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

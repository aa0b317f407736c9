/**
 * A bar with a name and its value in words: role=meter for a level (the buffer), progressbar for
 * work under way (a null fraction: under way, how far unknown).
 */
export interface MeterProps {
  label: string;
  /** What the value means, shown and read out ("12.3 s buffered of 60 s"). */
  valueText: string;
  /** 0..1, or null for progress of unknown length. */
  fraction: number | null;
  role?: 'meter' | 'progressbar';
  /** A quieter second line under the bar. */
  detail?: string;
}

export function Meter({ label, valueText, fraction, role = 'meter', detail }: MeterProps) {
  const percent = fraction === null ? null : Math.round(Math.min(1, Math.max(0, fraction)) * 100);
  return (
    <div class="meter">
      <div class="meter-head"><span>{label}</span><span class="meter-value">{valueText}</span></div>
      <div class={`meter-track${percent === null ? ' indeterminate' : ''}`} role={role} aria-label={label}
        aria-valuemin={percent === null ? undefined : 0} aria-valuemax={percent === null ? undefined : 100}
        aria-valuenow={percent ?? undefined} aria-valuetext={percent === null ? valueText : `${valueText} (${percent} %)`}>
        <div class="meter-fill" style={percent === null ? undefined : { width: `${percent}%` }} />
      </div>
      {detail && <div class="muted meter-detail">{detail}</div>}
    </div>
  );
}

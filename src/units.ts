/** Unit conversions in one place: WebCodecs speaks microseconds, muxers and the UI seconds. */
export const US_PER_MS = 1_000;
export const US_PER_S = 1_000_000;
export const BYTES_PER_MB = 1024 * 1024;

export const secondsToUs = (seconds: number): number => Math.round(seconds * US_PER_S);
export const usToSeconds = (us: number): number => us / US_PER_S;

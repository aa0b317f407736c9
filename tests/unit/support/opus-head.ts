/** An OpusHead as Chrome's encoder writes it (RFC 7845 §5.1): version 1, stereo, 48 kHz. */
export function opusHead(preSkip: number): Uint8Array {
  const head = new Uint8Array(19);
  head.set([...'OpusHead'].map((c) => c.charCodeAt(0)));
  head[8] = 1;
  head[9] = 2;
  head[10] = preSkip & 0xff;
  head[11] = preSkip >> 8;
  new DataView(head.buffer).setUint32(12, 48_000, true);
  return head;
}

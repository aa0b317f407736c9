// The pixel size a PNG file declares, read from its IHDR chunk (PNG spec, section 11.2.2).

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from a PNG's header; throws when the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  if (bytes.length < 24 || SIGNATURE.some((byte, i) => bytes[i] !== byte)) throw new Error('not a PNG (bad signature)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The first chunk must be IHDR: length (4 bytes), type (4), then width and height (4 each).
  const type = String.fromCharCode(...bytes.subarray(12, 16));
  if (type !== 'IHDR') throw new Error(`not a PNG (first chunk is ${JSON.stringify(type)}, not IHDR)`);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

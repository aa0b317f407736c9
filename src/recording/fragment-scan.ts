/**
 * Recovery of a segment file cut short (the browser or the machine stopped mid-write): how much
 * of it is whole. A fragmented MP4 is ftyp, moov, then moof+mdat pairs; a fragment counts only
 * when its mdat is complete. Reads box headers only, through `read`, so a large file costs a few
 * small reads.
 */

export interface ScanResult {
  /** Bytes from the start that form a playable file (0: nothing recoverable). */
  keepBytes: number;
  fragments: number;
}

/** Reads `length` bytes at `offset`; may return fewer at the end of the file. */
export type ReadAt = (offset: number, length: number) => Uint8Array;

const HEADER_BYTES = 16;

interface BoxHeader {
  type: string;
  size: number;
}

function readHeader(read: ReadAt, offset: number, fileBytes: number): BoxHeader | null {
  if (offset + 8 > fileBytes) return null;
  const bytes = read(offset, HEADER_BYTES);
  if (bytes.byteLength < 8) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let size = view.getUint32(0);
  const type = String.fromCharCode(bytes[4]!, bytes[5]!, bytes[6]!, bytes[7]!);
  if (size === 1) {
    if (bytes.byteLength < 16) return null;
    size = Number(view.getBigUint64(8));
  }
  // size 0 means "to the end of the file": a box whose writer never came back to size it.
  if (size < 8) return null;
  return { type, size };
}

export function scanFragments(read: ReadAt, fileBytes: number): ScanResult {
  let offset = 0;
  let keepBytes = 0;
  let fragments = 0;
  let sawMoov = false;
  let pendingMoof = false;
  for (;;) {
    const box = readHeader(read, offset, fileBytes);
    if (!box || offset + box.size > fileBytes) break;
    const end = offset + box.size;
    if (box.type === 'moov') sawMoov = true;
    else if (box.type === 'moof') pendingMoof = sawMoov;
    else if (box.type === 'mdat' && pendingMoof) {
      pendingMoof = false;
      fragments++;
      keepBytes = end;
    }
    offset = end;
  }
  return { keepBytes: fragments > 0 ? keepBytes : 0, fragments };
}

/** Packs separate encoded payloads into one CopiedChunks buffer (what the muxer and the GIF worker take). */
import type { ChunkInfo, CopiedChunks } from '../buffer/ring-buffer';

export interface LoosePacket extends Omit<ChunkInfo, 'epoch'> {
  data: Uint8Array;
}

export function packChunks(packets: readonly LoosePacket[]): CopiedChunks {
  const bytes = new Uint8Array(packets.reduce((sum, packet) => sum + packet.data.byteLength, 0));
  let offset = 0;
  const chunks = packets.map(({ data, timestampUs, durationUs, key }) => {
    bytes.set(data, offset);
    const chunk = { timestampUs, durationUs, key, epoch: 0, offset, byteLength: data.byteLength };
    offset += data.byteLength;
    return chunk;
  });
  return { bytes, chunks };
}

/** Copies borrowed chunks (see RingBuffer.borrow) into a buffer of their own, back to back. */
export function ownChunks(borrowed: CopiedChunks): CopiedChunks {
  const bytes = new Uint8Array(borrowed.chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let offset = 0;
  const chunks = borrowed.chunks.map((chunk) => {
    bytes.set(borrowed.bytes.subarray(chunk.offset, chunk.offset + chunk.byteLength), offset);
    const owned = { ...chunk, offset };
    offset += chunk.byteLength;
    return owned;
  });
  return { bytes, chunks };
}

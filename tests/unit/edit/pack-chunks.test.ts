import { describe, expect, it } from 'vitest';
import { packChunks, type LoosePacket } from '../../../src/clip/pack-chunks';

describe('packChunks', () => {
  it('packChunks, every payload reads back at its offset with its timing and key flag', () => {
    let seed = 9;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const packets: LoosePacket[] = Array.from({ length: 50 }, (_, i) => ({
      timestampUs: i * 33_333,
      durationUs: 33_333,
      key: i % 10 === 0,
      // Some empty payloads: they must take no room and still be listed.
      data: Uint8Array.from({ length: i % 7 === 3 ? 0 : Math.floor(random() * 300) + 1 }, () => Math.floor(random() * 256)),
    }));
    const { bytes, chunks } = packChunks(packets);
    expect(chunks).toHaveLength(packets.length);
    expect(bytes.byteLength).toBe(packets.reduce((sum, p) => sum + p.data.byteLength, 0));
    let expectedOffset = 0;
    chunks.forEach((chunk, i) => {
      const packet = packets[i]!;
      expect(chunk).toMatchObject({ timestampUs: packet.timestampUs, durationUs: packet.durationUs, key: packet.key, epoch: 0, byteLength: packet.data.byteLength });
      expect(chunk.offset).toBe(expectedOffset);
      expect(bytes.subarray(chunk.offset, chunk.offset + chunk.byteLength)).toEqual(packet.data);
      expectedOffset += chunk.byteLength;
    });
  });

  it('packChunks, copies the payloads (changing a packet afterwards does not change the pack)', () => {
    const data = Uint8Array.of(1, 2, 3);
    const packed = packChunks([{ timestampUs: 0, durationUs: 1, key: true, data }]);
    data[0] = 99;
    expect([...packed.bytes]).toEqual([1, 2, 3]);
    expect(packChunks([])).toEqual({ bytes: new Uint8Array(0), chunks: [] });
  });
});

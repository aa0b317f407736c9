// Recovery of a cut-short segment file: a real fragmented MP4 (mediabunny, as the segment writer
// makes them) truncated at many points, each kept prefix read back by mediabunny's demuxer.
import { ALL_FORMATS, BufferSource, BufferTarget, EncodedPacket, EncodedPacketSink, EncodedVideoPacketSource, Input, Mp4OutputFormat, Output } from 'mediabunny';
import { beforeAll, describe, expect, it } from 'vitest';
import { scanFragments, type ReadAt } from '../../../src/recording/fragment-scan';
import { mulberry32 } from '../../../scripts/harness/prng';

const AVCC = new Uint8Array([1, 0x64, 0, 0x1f, 0xff, 0xe1, 0, 4, 0x67, 0x64, 0, 0x1f, 1, 0, 4, 0x68, 0xee, 0x3c, 0x80]);
const FPS = 30;
const FRAMES = 5 * FPS;

interface Box {
  type: string;
  start: number;
  end: number;
}

/** Top-level boxes, parsed here independently of the code under test. */
function boxesOf(bytes: Uint8Array, from = 0, to = bytes.byteLength): Box[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const boxes: Box[] = [];
  for (let offset = from; offset + 8 <= to; ) {
    let size = view.getUint32(offset);
    if (size === 1) size = Number(view.getBigUint64(offset + 8));
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    if (size < 8 || offset + size > to) throw new Error(`bad box ${type} at ${offset}`);
    boxes.push({ type, start: offset, end: offset + size });
    offset += size;
  }
  return boxes;
}

/** Samples a moof describes: the sum of its truns' sample_count. */
function samplesIn(bytes: Uint8Array, moof: Box): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let count = 0;
  for (const traf of boxesOf(bytes, moof.start + 8, moof.end).filter((b) => b.type === 'traf')) {
    for (const trun of boxesOf(bytes, traf.start + 8, traf.end).filter((b) => b.type === 'trun')) count += view.getUint32(trun.start + 12);
  }
  return count;
}

const readerOf = (bytes: Uint8Array): ReadAt => (offset, length) => bytes.subarray(offset, offset + length);

async function readPackets(bytes: Uint8Array): Promise<EncodedPacket[]> {
  const input = new Input({ source: new BufferSource(bytes), formats: ALL_FORMATS });
  const track = await input.getPrimaryVideoTrack();
  if (!track) throw new Error('no video track');
  const packets: EncodedPacket[] = [];
  for await (const packet of new EncodedPacketSink(track).packets()) packets.push(packet);
  return packets;
}

let file: Uint8Array;
let boxes: Box[];
/** What was muxed, in order: the payload and timestamp of each packet. */
const written: { data: Uint8Array; timestamp: number; key: boolean }[] = [];

beforeAll(async () => {
  const target = new BufferTarget();
  const output = new Output({ format: new Mp4OutputFormat({ fastStart: 'fragmented', minimumFragmentDuration: 1 }), target });
  const source = new EncodedVideoPacketSource('avc');
  output.addVideoTrack(source, { frameRate: FPS });
  await output.start();
  const random = mulberry32(11);
  for (let i = 0; i < FRAMES; i++) {
    const key = i % FPS === 0;
    const data = new Uint8Array((key ? 900 : 80) + Math.floor(random() * 300));
    for (let j = 0; j < data.length; j++) data[j] = Math.floor(random() * 256);
    new DataView(data.buffer).setUint32(0, i);
    written.push({ data, timestamp: i / FPS, key });
    const meta = i === 0 ? { decoderConfig: { codec: 'avc1.64001f', codedWidth: 640, codedHeight: 360, description: AVCC } } : undefined;
    await source.add(new EncodedPacket(data, key ? 'key' : 'delta', i / FPS, 1 / FPS), meta);
  }
  await output.finalize();
  file = new Uint8Array(target.buffer!);
  boxes = boxesOf(file);
});

/** Fragments wholly inside the first `cut` bytes, and where the last one ends. */
function expectedAt(cut: number): { fragments: number; keepBytes: number; samples: number } {
  let fragments = 0;
  let keepBytes = 0;
  let samples = 0;
  boxes.forEach((box, i) => {
    const next = boxes[i + 1];
    if (box.type === 'moof' && next?.type === 'mdat' && next.end <= cut) {
      fragments++;
      keepBytes = next.end;
      samples += samplesIn(file, box);
    }
  });
  return { fragments, keepBytes, samples };
}

describe('scanFragments on a real fragmented MP4', () => {
  it('scanFragments, the test file is ftyp, moov, 5 moof+mdat pairs and an mfra', () => {
    expect(boxes.map((b) => b.type)).toEqual(['ftyp', 'moov', 'moof', 'mdat', 'moof', 'mdat', 'moof', 'mdat', 'moof', 'mdat', 'moof', 'mdat', 'mfra']);
    expect(boxes.filter((b) => b.type === 'moof').reduce((sum, moof) => sum + samplesIn(file, moof), 0)).toBe(FRAMES);
  });

  it('scanFragments, the whole file keeps every fragment (the trailing mfra is no fragment)', async () => {
    const result = scanFragments(readerOf(file), file.byteLength);
    const lastMdat = boxes.filter((b) => b.type === 'mdat').at(-1)!;
    expect(result).toEqual({ fragments: 5, keepBytes: lastMdat.end });
    const packets = await readPackets(file.subarray(0, result.keepBytes));
    expect(packets).toHaveLength(FRAMES);
  });

  it('scanFragments, reads only box headers: one read of at most 16 bytes per box', () => {
    const lengths: number[] = [];
    const read: ReadAt = (offset, length) => {
      lengths.push(length);
      return file.subarray(offset, offset + length);
    };
    scanFragments(read, file.byteLength);
    expect(lengths.length).toBeLessThanOrEqual(boxes.length + 1);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(16);
  });

  it('scanFragments, a cut inside ftyp, moov or before the first whole mdat keeps nothing', () => {
    const firstMdat = boxes.find((b) => b.type === 'mdat')!;
    for (let cut = 0; cut < firstMdat.end; cut += 7) {
      expect(scanFragments(readerOf(file.subarray(0, cut)), cut), `cut ${cut}`).toEqual({ keepBytes: 0, fragments: 0 });
    }
    const cut = firstMdat.end - 1;
    expect(scanFragments(readerOf(file.subarray(0, cut)), cut)).toEqual({ keepBytes: 0, fragments: 0 });
  });

  it('scanFragments, at every cut the kept prefix is the whole fragments before it, and mediabunny reads all their packets', async () => {
    const cuts = new Set<number>();
    for (let cut = 0; cut <= file.byteLength; cut += 173) cuts.add(cut);
    for (const box of boxes) for (const cut of [box.start, box.start + 4, box.start + 8, box.end - 1, box.end, box.end + 1]) cuts.add(Math.min(cut, file.byteLength));
    let checked = 0;
    // Cuts inside the same fragment keep the same bytes: each distinct prefix is demuxed once.
    const demuxed = new Map<number, number>();
    for (const cut of [...cuts].sort((a, b) => a - b)) {
      const prefix = file.slice(0, cut);
      const result = scanFragments(readerOf(prefix), cut);
      const expected = expectedAt(cut);
      expect(result.keepBytes, `cut ${cut}`).toBeLessThanOrEqual(cut);
      expect(result, `cut ${cut}`).toEqual({ fragments: expected.fragments, keepBytes: expected.keepBytes });
      if (result.keepBytes === 0) continue;
      // The kept bytes are a file of their own: ftyp, moov, then exactly `fragments` moof+mdat pairs.
      const kept = prefix.subarray(0, result.keepBytes);
      const types = boxesOf(kept).map((b) => b.type);
      expect(types.slice(0, 2)).toEqual(['ftyp', 'moov']);
      expect(types.slice(2)).toEqual(Array.from({ length: result.fragments }, () => ['moof', 'mdat']).flat());
      if (!demuxed.has(result.keepBytes)) {
        const packets = await readPackets(kept);
        expect(packets, `cut ${cut}`).toHaveLength(expected.samples);
        packets.forEach((packet, i) => {
          expect(Buffer.from(packet.data).equals(written[i]!.data), `packet ${i}`).toBe(true);
          expect(packet.timestamp).toBeCloseTo(written[i]!.timestamp, 6);
          expect(packet.type).toBe(written[i]!.key ? 'key' : 'delta');
        });
        demuxed.set(result.keepBytes, packets.length);
      }
      expect(demuxed.get(result.keepBytes), `cut ${cut}`).toBe(expected.samples);
      checked++;
    }
    // Most cuts fall after the first fragment: the check above ran for them.
    expect(checked).toBeGreaterThan(150);
    expect(demuxed.size).toBe(5);
  });
});

describe('scanFragments on hand-made boxes', () => {
  function box(type: string, payload: Uint8Array | number): Uint8Array {
    const body = typeof payload === 'number' ? new Uint8Array(payload).fill(0xab) : payload;
    const bytes = new Uint8Array(8 + body.byteLength);
    new DataView(bytes.buffer).setUint32(0, bytes.byteLength);
    bytes.set([...type].map((c) => c.charCodeAt(0)), 4);
    bytes.set(body, 8);
    return bytes;
  }
  /** size = 1, then a 64-bit largesize. */
  function largeBox(type: string, payloadBytes: number): Uint8Array {
    const bytes = new Uint8Array(16 + payloadBytes).fill(0xcd, 16);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, 1);
    bytes.set([...type].map((c) => c.charCodeAt(0)), 4);
    view.setBigUint64(8, BigInt(bytes.byteLength));
    return bytes;
  }
  /** size = 0: "to the end of the file". */
  function openBox(type: string, payloadBytes: number): Uint8Array {
    const bytes = box(type, payloadBytes);
    new DataView(bytes.buffer).setUint32(0, 0);
    return bytes;
  }
  const join = (...parts: Uint8Array[]): Uint8Array => {
    const bytes = new Uint8Array(parts.reduce((sum, p) => sum + p.byteLength, 0));
    let offset = 0;
    for (const part of parts) {
      bytes.set(part, offset);
      offset += part.byteLength;
    }
    return bytes;
  };
  const scan = (bytes: Uint8Array) => scanFragments(readerOf(bytes), bytes.byteLength);
  const head = join(box('ftyp', 16), box('moov', 100));

  it('scanFragments, an empty file keeps nothing', () => {
    expect(scan(new Uint8Array(0))).toEqual({ keepBytes: 0, fragments: 0 });
  });

  it('scanFragments, a 64-bit largesize mdat counts', () => {
    const bytes = join(head, box('moof', 40), largeBox('mdat', 300));
    expect(scan(bytes)).toEqual({ keepBytes: bytes.byteLength, fragments: 1 });
    // Cut inside its 16-byte header, or inside its payload: the fragment goes.
    for (const cut of [head.byteLength + 48 + 8, head.byteLength + 48 + 12, bytes.byteLength - 1]) {
      expect(scanFragments(readerOf(bytes.subarray(0, cut)), cut)).toEqual({ keepBytes: 0, fragments: 0 });
    }
  });

  it('scanFragments, a largesize beyond 4 GiB is followed with header reads only', () => {
    // A virtual 6 GiB file: ftyp, moov, moof, a 5 GiB mdat (largesize), moof, a small mdat.
    const GiB = 2 ** 30;
    const headers = new Map<number, Uint8Array>();
    let offset = 0;
    const put = (bytes: Uint8Array, size = bytes.byteLength): void => {
      headers.set(offset, bytes.subarray(0, 16));
      offset += size;
    };
    put(box('ftyp', 16));
    put(box('moov', 100));
    put(box('moof', 40));
    const big = new Uint8Array(16);
    new DataView(big.buffer).setUint32(0, 1);
    big.set([0x6d, 0x64, 0x61, 0x74], 4);
    new DataView(big.buffer).setBigUint64(8, BigInt(5 * GiB));
    put(big, 5 * GiB);
    put(box('moof', 40));
    put(box('mdat', 1000));
    const fileBytes = offset;
    const reads: number[] = [];
    const read: ReadAt = (at, length) => {
      reads.push(at);
      const header = headers.get(at);
      if (!header) throw new Error(`read at ${at}, not a box start`);
      return header.subarray(0, length);
    };
    expect(scanFragments(read, fileBytes)).toEqual({ keepBytes: fileBytes, fragments: 2 });
    expect(reads).toEqual([...headers.keys()]);
    // The same file cut inside the big mdat keeps nothing; cut in the last mdat keeps the first fragment.
    expect(scanFragments(read, 4 * GiB).fragments).toBe(0);
    expect(scanFragments(read, fileBytes - 1)).toEqual({ keepBytes: fileBytes - 1056, fragments: 1 });
  });

  it('scanFragments, a size-0 box (never sized by its writer) ends the scan; what came before stays', () => {
    const whole = join(head, box('moof', 40), box('mdat', 200));
    expect(scan(join(whole, box('moof', 40), openBox('mdat', 500)))).toEqual({ keepBytes: whole.byteLength, fragments: 1 });
    expect(scan(join(head, box('moof', 40), openBox('mdat', 500)))).toEqual({ keepBytes: 0, fragments: 0 });
  });

  it('scanFragments, a box smaller than its header ends the scan', () => {
    const whole = join(head, box('moof', 40), box('mdat', 200));
    const bad = box('moof', 40);
    new DataView(bad.buffer).setUint32(0, 7);
    expect(scan(join(whole, bad, box('mdat', 200)))).toEqual({ keepBytes: whole.byteLength, fragments: 1 });
  });

  it('scanFragments, a fragment needs a moov before it and its moof right before its mdat', () => {
    // No moov: the fragments cannot be decoded.
    expect(scan(join(box('ftyp', 16), box('moof', 40), box('mdat', 200)))).toEqual({ keepBytes: 0, fragments: 0 });
    // An mdat without a moof, and a second mdat after one moof, are no fragments.
    const one = join(head, box('moof', 40), box('mdat', 200));
    expect(scan(join(head, box('mdat', 200)))).toEqual({ keepBytes: 0, fragments: 0 });
    expect(scan(join(one, box('mdat', 200)))).toEqual({ keepBytes: one.byteLength, fragments: 1 });
    // A trailing moof without its mdat is left out.
    expect(scan(join(one, box('moof', 40)))).toEqual({ keepBytes: one.byteLength, fragments: 1 });
  });

  it('scanFragments, garbage keeps nothing', () => {
    const random = mulberry32(5);
    for (let trial = 0; trial < 200; trial++) {
      const bytes = new Uint8Array(1 + Math.floor(random() * 4000));
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
      expect(scan(bytes)).toEqual({ keepBytes: 0, fragments: 0 });
    }
    expect(scan(new Uint8Array(4096))).toEqual({ keepBytes: 0, fragments: 0 });
    // A good head, then garbage: nothing, as no fragment is whole.
    const tail = new Uint8Array(500).fill(0xff);
    expect(scan(join(head, tail))).toEqual({ keepBytes: 0, fragments: 0 });
  });
});

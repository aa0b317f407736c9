// The fast MP4 writer against mediabunny's muxer on the same clips: the same packets read back
// (by mediabunny's own reader), the same timing tables, and frames that decode identically in
// ffmpeg, a decoder we did not write.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_FORMATS, BufferSource, EncodedPacketSink, Input } from 'mediabunny';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CopiedChunks } from '../../../src/buffer/ring-buffer';
import { cutLastClip } from '../../../src/clip/clip-cut';
import type { ClipInput } from '../../../src/clip/clip-input';
import { fastMp4Blob, fastMp4Parts } from '../../../src/mp4/fast-mp4';
import { muxMp4ToBytes } from '../../../src/mp4/mp4-mux';
import { demuxTrack, type DemuxedTrack } from '../../../scripts/harness/demux';
import { decodeErrors, probe, tool } from '../../../scripts/harness/media';
import { syntheticRing } from '../../../scripts/bench/synthetic-ring';

const dir = mkdtempSync(join(tmpdir(), 'looptab-fastmp4-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let video: DemuxedTrack;
let opus: DemuxedTrack;
let aac: DemuxedTrack;

beforeAll(async () => {
  // 6 s, 30 fps, a keyframe every second, no B-frames (like a realtime WebCodecs encoder).
  const make = (name: string, audioArgs: string[]): string => {
    const file = join(dir, name);
    execFileSync(tool('ffmpeg'), [
      '-v', 'error', '-y',
      '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30',
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
      '-t', '6', '-c:v', 'libx264', '-g', '30', '-bf', '0', '-pix_fmt', 'yuv420p', ...audioArgs, file,
    ]);
    return file;
  };
  const withOpus = make('opus.mp4', ['-c:a', 'libopus', '-b:a', '64k']);
  const withAac = make('aac.mp4', ['-c:a', 'aac', '-b:a', '96k']);
  video = await demuxTrack(withOpus, 'video');
  opus = await demuxTrack(withOpus, 'audio');
  aac = await demuxTrack(withAac, 'audio');
}, 60_000);

function slice(source: CopiedChunks, keep: (chunk: CopiedChunks['chunks'][number]) => boolean): CopiedChunks {
  return { bytes: source.bytes, chunks: source.chunks.filter(keep) };
}

/** [startUs, endUs) cut mid-GOP from the keyframe at `keyUs`, with audio from `audioFromUs` on. */
function clipOf(audio: DemuxedTrack | null, startUs: number, endUs: number, keyUs: number, audioFromUs = startUs): ClipInput {
  return {
    startUs,
    endUs,
    video: {
      codec: 'avc',
      decoderConfig: video.decoderConfig as ClipInput['video']['decoderConfig'],
      chunks: slice(video.chunks, (c) => c.timestampUs >= keyUs && c.timestampUs < endUs),
    },
    audio: audio && {
      codec: audio === aac ? 'aac' : 'opus',
      decoderConfig: audio.decoderConfig as NonNullable<ClipInput['audio']>['decoderConfig'],
      chunks: slice(audio.chunks, (c) => c.timestampUs + c.durationUs > audioFromUs && c.timestampUs < endUs),
    },
  };
}

async function fastBytes(clip: ClipInput): Promise<Uint8Array> {
  const made = fastMp4Blob(clip);
  if (!made.ok) throw new Error(made.reason);
  return new Uint8Array(await made.blob.arrayBuffer());
}

interface ReadPacket {
  timestamp: number;
  duration: number;
  type: string;
  bytes: string;
}

/** Every packet of every track, as mediabunny's reader presents them. */
async function readBack(bytes: Uint8Array): Promise<Record<string, ReadPacket[]>> {
  const input = new Input({ source: new BufferSource(bytes), formats: ALL_FORMATS });
  const tracks: Record<string, ReadPacket[]> = {};
  for (const track of await input.getTracks()) {
    const packets: ReadPacket[] = [];
    for await (const packet of new EncodedPacketSink(track).packets()) {
      packets.push({ timestamp: packet.timestamp, duration: packet.duration, type: packet.type, bytes: Buffer.from(packet.data).toString('base64') });
    }
    tracks[track.type] = packets;
  }
  return tracks;
}

interface Box {
  type: string;
  /** The box's body, after its size and type. */
  body: Uint8Array;
  children: Box[];
  offset: number;
}

const CONTAINERS = new Set(['moov', 'trak', 'edts', 'mdia', 'minf', 'dinf', 'stbl']);

function parseBoxes(bytes: Uint8Array, from = 0, to = bytes.byteLength): Box[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const boxes: Box[] = [];
  for (let at = from; at < to; ) {
    let size = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    let header = 8;
    if (size === 1) {
      size = Number(view.getBigUint64(at + 8));
      header = 16;
    }
    const body = bytes.subarray(at + header, at + size);
    boxes.push({ type, body, offset: at, children: CONTAINERS.has(type) ? parseBoxes(bytes, at + header, at + size) : [] });
    at += size;
  }
  return boxes;
}

function find(boxes: Box[], path: string): Box[] {
  const [head, ...rest] = path.split('/');
  const here = boxes.filter((box) => box.type === head);
  return rest.length === 0 ? here : here.flatMap((box) => find(box.children, rest.join('/')));
}

/** The tables that carry timing and sizes, per track, with the creation times left out. */
function timingTables(bytes: Uint8Array): unknown {
  const top = parseBoxes(bytes);
  const hex = (box: Box | undefined): string | null => (box ? Buffer.from(box.body).toString('hex') : null);
  const view = (box: Box): DataView => new DataView(box.body.buffer, box.body.byteOffset, box.body.byteLength);
  const mvhd = view(find(top, 'moov/mvhd')[0]!);
  return {
    movie: { timescale: mvhd.getUint32(12), duration: mvhd.getUint32(16) },
    tracks: find(top, 'moov/trak').map((trak) => {
      const tkhd = view(find([trak], 'trak/tkhd')[0]!);
      const mdhd = view(find([trak], 'trak/mdia/mdhd')[0]!);
      const stbl = (type: string): Box | undefined => find([trak], `trak/mdia/minf/stbl/${type}`)[0];
      return {
        trackDuration: tkhd.getUint32(20),
        timescale: mdhd.getUint32(12),
        mediaDuration: mdhd.getUint32(16),
        elst: hex(find([trak], 'trak/edts/elst')[0]),
        stts: hex(stbl('stts')),
        stsz: hex(stbl('stsz')),
        stss: hex(stbl('stss')),
        ctts: hex(stbl('ctts')),
      };
    }),
  };
}

function framemd5(file: string): string {
  return execFileSync(tool('ffmpeg'), ['-v', 'error', '-i', file, '-fps_mode', 'passthrough', '-enc_time_base', '-1', '-f', 'framemd5', '-'], { encoding: 'utf8' });
}

describe('fastMp4Parts', () => {
  const cases = [
    { name: 'H.264 + Opus cut mid-GOP', clip: () => clipOf(opus, 1_500_000, 4_000_000, 1_000_000) },
    { name: 'H.264 + AAC cut mid-GOP', clip: () => clipOf(aac, 1_500_000, 4_000_000, 1_000_000) },
    { name: 'H.264 starting on its keyframe, no audio', clip: () => clipOf(null, 2_000_000, 5_000_000, 2_000_000) },
    // The sound starts 0.4 s into the clip: an empty edit goes before it.
    { name: 'H.264 + Opus whose sound starts late', clip: () => clipOf(opus, 1_500_000, 4_000_000, 1_000_000, 1_900_000) },
  ];

  for (const { name, clip } of cases) {
    it(`fastMp4Parts, ${name}: the same packets, tables and decoded frames as mediabunny`, async () => {
      const ours = await fastBytes(clip());
      const theirs = await muxMp4ToBytes(clip());
      expect(await readBack(ours)).toEqual(await readBack(theirs));
      expect(timingTables(ours)).toEqual(timingTables(theirs));

      const oursFile = join(dir, 'ours.mp4');
      const theirsFile = join(dir, 'theirs.mp4');
      writeFileSync(oursFile, ours);
      writeFileSync(theirsFile, theirs);
      expect(framemd5(oursFile)).toBe(framemd5(theirsFile));
      const [a, b] = [await probe(oursFile), await probe(theirsFile)];
      expect(a).toEqual(b);
      expect(a.streams.some((s) => s.codecType === 'audio')).toBe(clip().audio !== null);
      expect(await decodeErrors(oursFile)).toBe('');
    });
  }

  it('fastMp4Parts, lays the file out as ftyp, moov, mdat with the tracks interleaved every half second', async () => {
    const bytes = await fastBytes(clipOf(opus, 1_500_000, 4_000_000, 1_000_000));
    const top = parseBoxes(bytes);
    expect(top.map((box) => box.type)).toEqual(['ftyp', 'moov', 'mdat']);
    expect(top.at(-1)!.offset + 8 + top.at(-1)!.body.byteLength).toBe(bytes.byteLength);
    const offsets = find(top, 'moov/trak').map((trak) => {
      const stco = find([trak], 'trak/mdia/minf/stbl/stco')[0]!;
      const view = new DataView(stco.body.buffer, stco.body.byteOffset, stco.body.byteLength);
      return Array.from({ length: view.getUint32(4) }, (_, i) => view.getUint32(8 + 4 * i));
    });
    // 3 s of video from the keyframe: 6 chunks a track, alternating in the mdat.
    expect(offsets.map((list) => list.length)).toEqual([6, 6]);
    const order = offsets.flatMap((list, track) => list.map((offset) => ({ offset, track }))).sort((x, y) => x.offset - y.offset);
    expect(order.map((chunk) => chunk.track)).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    expect(order[0]!.offset).toBe(top.at(-1)!.offset + 8);
    // No composition offsets: capture encoders do not reorder frames.
    expect(find(top, 'moov/trak/mdia/minf/stbl/ctts')).toEqual([]);
  });

  it('fastMp4Parts, writes the same bytes every time for the same clip and creation time', async () => {
    const clip = clipOf(opus, 1_500_000, 4_000_000, 1_000_000);
    const first = await fastBytes(clip);
    expect(Buffer.compare(Buffer.from(first), Buffer.from(await fastBytes(clip)))).toBe(0);
    const dated = fastMp4Parts(clip, { creationTimeMs: Date.UTC(2026, 0, 1) });
    if (!dated.ok) throw new Error(dated.reason);
    const mvhd = find(parseBoxes(dated.parts[0]!), 'moov/mvhd')[0]!;
    expect(new DataView(mvhd.body.buffer, mvhd.body.byteOffset).getUint32(4)).toBe(Date.UTC(2026, 0, 1) / 1000 + 2_082_844_800);
  });

  it('fastMp4Parts, leaves what it does not write to mediabunny: other codecs, missing descriptions, no keyframe first', () => {
    const clip = clipOf(opus, 1_500_000, 4_000_000, 1_000_000);
    expect(fastMp4Parts({ ...clip, video: { ...clip.video, codec: 'vp9', decoderConfig: { ...clip.video.decoderConfig, codec: 'vp09.00.10.08' } } })).toMatchObject({ ok: false });
    const { description: _, ...bare } = clip.video.decoderConfig;
    expect(fastMp4Parts({ ...clip, video: { ...clip.video, decoderConfig: bare } })).toMatchObject({ ok: false, reason: expect.stringMatching(/avcC/) });
    const { description: __, ...bareAudio } = clip.audio!.decoderConfig;
    expect(fastMp4Parts({ ...clip, audio: { ...clip.audio!, decoderConfig: bareAudio } })).toMatchObject({ ok: false });
    expect(fastMp4Parts(clipOf(opus, 1_500_000, 4_000_000, 1_400_000))).toMatchObject({ ok: false, reason: expect.stringMatching(/keyframe/) });
  });

  it('fastMp4Parts, from a clip borrowed from the ring: the Blob keeps its bytes after the arena is overwritten', async () => {
    const { ring, configs } = syntheticRing(6, 3_000);
    const copied = cutLastClip(ring, configs, { requestedUs: 4_000_000 });
    const borrowed = cutLastClip(ring, configs, { requestedUs: 4_000_000, borrow: true });
    if (!copied.ok || !borrowed.ok) throw new Error('cut failed');
    const written = fastMp4Parts(borrowed.clip);
    if (!written.ok) throw new Error(written.reason);
    const blob = new Blob(written.parts as Uint8Array<ArrayBuffer>[]);
    // Payload runs are whole stretches of the arena, not one part per packet.
    const packets = borrowed.clip.video.chunks.chunks.length + borrowed.clip.audio!.chunks.chunks.length;
    expect(written.parts.length).toBeLessThan(packets / 10);
    expect(blob.size).toBe(written.byteLength);
    for (const track of ['video', 'audio'] as const) borrowed.clip[track]!.chunks.bytes.fill(0);
    expect(await readBack(new Uint8Array(await blob.arrayBuffer()))).toEqual(await readBack(await muxMp4ToBytes(copied.clip)));
  });
});

/**
 * The ftyp and moov boxes of a fast-start MP4 whose samples follow in one mdat: the header the
 * fast writer puts in front of the payloads it passes through untouched.
 */
import type { AudioDecoderSetup, VideoDecoderSetup } from '../clip/clip-input';
import { BoxWriter } from './box-writer';
import { MOVIE_TIMESCALE, type TrackTables } from './track-tables';

/** Seconds from 1904-01-01 (MP4's epoch) to 1970-01-01. */
const MP4_EPOCH_OFFSET_S = 2_082_844_800;
const IDENTITY_MATRIX = [0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000];
/** ISO 639-2 "und", packed as three 5-bit letters. */
const LANGUAGE_UND = 0x55c4;
const COMPRESSOR_NAME = 'Looptab';

export type SampleEntry =
  | { kind: 'avc1'; config: VideoDecoderSetup & { description: Uint8Array } }
  | { kind: 'Opus'; config: AudioDecoderSetup & { description: Uint8Array } }
  | { kind: 'mp4a'; config: AudioDecoderSetup & { description: Uint8Array } };

export interface MoovTrack {
  id: number;
  tables: TrackTables;
  entry: SampleEntry;
  /** Each chunk's offset from the start of the mdat's payload (the header adds its own size). */
  chunkOffsets: readonly number[];
}

export interface Mp4Header {
  /** ftyp, moov and the mdat box header: the file up to the first sample. */
  bytes: Uint8Array;
}

const isU32 = (value: number): boolean => value >= 0 && value < 2 ** 32;

/**
 * Writes ftyp + moov + the header of an mdat holding `mdatPayloadBytes`. `creationTimeMs` goes
 * in the movie and track headers (a given instant keeps the file deterministic).
 */
export function writeMp4Header(tracks: readonly MoovTrack[], mdatPayloadBytes: number, creationTimeMs: number): Mp4Header {
  const sampleCount = tracks.reduce((sum, track) => sum + track.tables.samples.length, 0);
  // Chunk offsets need 64 bits once the file can pass 4 GiB; the moov is far smaller than this bound.
  const co64 = mdatPayloadBytes + 4096 + 48 * sampleCount >= 2 ** 32;
  const mdatLargeSize = mdatPayloadBytes + 8 >= 2 ** 32;
  const creation = Math.floor(creationTimeMs / 1000) + MP4_EPOCH_OFFSET_S;
  const w = new BoxWriter(8192 + 24 * sampleCount);

  w.box('ftyp', () => {
    w.ascii('isom').u32(0x200).ascii('isom');
    if (tracks.some((track) => track.entry.kind === 'avc1')) w.ascii('avc1');
    w.ascii('mp41');
  });

  const offsetPatches: { at: number; track: MoovTrack }[] = [];
  w.box('moov', () => {
    const duration = Math.max(0, ...tracks.map((track) => track.tables.trackDuration));
    const movie64 = !isU32(creation) || !isU32(duration);
    w.box('mvhd', () => {
      timeAndDuration(w, movie64, creation);
      w.u32(MOVIE_TIMESCALE);
      sized(w, movie64, duration);
      w.u32(0x0001_0000).u16(0x0100).zeros(10);
      for (const value of IDENTITY_MATRIX) w.u32(value);
      w.zeros(24).u32(Math.max(0, ...tracks.map((track) => track.id)) + 1);
    }, { version: movie64 ? 1 : 0, flags: 0 });
    for (const track of tracks) writeTrak(w, track, creation, co64, offsetPatches);
  });

  const mdatHeaderBytes = mdatLargeSize ? 16 : 8;
  const base = w.position + mdatHeaderBytes;
  const header = w.bytes;
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  for (const { at, track } of offsetPatches) {
    for (const [i, offset] of track.chunkOffsets.entries()) {
      if (co64) view.setBigUint64(at + 8 * i, BigInt(base + offset));
      else view.setUint32(at + 4 * i, base + offset);
    }
  }
  if (mdatLargeSize) w.u32(1).ascii('mdat').u64(mdatPayloadBytes + 16);
  else w.u32(mdatPayloadBytes + 8).ascii('mdat');
  return { bytes: w.bytes };
}

function sized(w: BoxWriter, wide: boolean, value: number): void {
  if (wide) w.u64(value);
  else w.u32(value);
}

function timeAndDuration(w: BoxWriter, wide: boolean, creation: number): void {
  sized(w, wide, creation);
  sized(w, wide, creation);
}

function writeTrak(w: BoxWriter, track: MoovTrack, creation: number, co64: boolean, offsetPatches: { at: number; track: MoovTrack }[]): void {
  const { tables, entry } = track;
  const video = entry.kind === 'avc1';
  w.box('trak', () => {
    const track64 = !isU32(creation) || !isU32(tables.trackDuration);
    w.box('tkhd', () => {
      timeAndDuration(w, track64, creation);
      w.u32(track.id).u32(0);
      sized(w, track64, tables.trackDuration);
      w.zeros(8).u16(0).u16(video ? 0 : 1).u16(video ? 0 : 0x0100).u16(0);
      for (const value of IDENTITY_MATRIX) w.u32(value);
      w.u32(video ? entry.config.codedWidth * 0x1_0000 : 0).u32(video ? entry.config.codedHeight * 0x1_0000 : 0);
    }, { version: track64 ? 1 : 0, flags: 0x3 });

    const edit = tables.edit;
    if (edit) {
      w.box('edts', () => {
        const wide = !isU32(edit.emptyBefore) || !isU32(edit.segmentDuration) || edit.mediaTime >= 2 ** 31;
        w.box('elst', () => {
          w.u32(edit.emptyBefore > 0 ? 2 : 1);
          if (edit.emptyBefore > 0) {
            sized(w, wide, edit.emptyBefore);
            if (wide) w.i64(-1);
            else w.i32(-1);
            w.u32(0x0001_0000);
          }
          sized(w, wide, edit.segmentDuration);
          if (wide) w.i64(edit.mediaTime);
          else w.i32(edit.mediaTime);
          w.u32(0x0001_0000);
        }, { version: wide ? 1 : 0, flags: 0 });
      });
    }

    w.box('mdia', () => {
      const media64 = !isU32(creation) || !isU32(tables.mediaDuration);
      w.box('mdhd', () => {
        timeAndDuration(w, media64, creation);
        w.u32(tables.timescale);
        sized(w, media64, tables.mediaDuration);
        w.u16(LANGUAGE_UND).u16(0);
      }, { version: media64 ? 1 : 0, flags: 0 });
      w.box('hdlr', () => {
        w.u32(0).ascii(video ? 'vide' : 'soun').zeros(12).ascii(video ? 'VideoHandler' : 'SoundHandler').u8(0);
      }, { version: 0, flags: 0 });
      w.box('minf', () => {
        if (video) w.box('vmhd', () => w.zeros(8), { version: 0, flags: 1 });
        else w.box('smhd', () => w.zeros(4), { version: 0, flags: 0 });
        w.box('dinf', () => {
          w.box('dref', () => {
            w.u32(1).box('url ', () => undefined, { version: 0, flags: 1 });
          }, { version: 0, flags: 0 });
        });
        w.box('stbl', () => writeStbl(w, track, co64, offsetPatches));
      });
    });
  });
}

function writeStbl(w: BoxWriter, track: MoovTrack, co64: boolean, offsetPatches: { at: number; track: MoovTrack }[]): void {
  const { tables } = track;
  w.box('stsd', () => {
    w.u32(1);
    writeSampleEntry(w, track);
  }, { version: 0, flags: 0 });
  w.box('stts', () => {
    w.u32(tables.stts.length);
    for (const run of tables.stts) w.u32(run.count).u32(run.delta);
  }, { version: 0, flags: 0 });
  w.box('stsc', () => {
    // Runs of chunks with the same sample count.
    const runs: { firstChunk: number; samples: number }[] = [];
    const starts = tables.chunkStarts;
    for (let c = 0; c < starts.length; c++) {
      const samples = (starts[c + 1] ?? tables.samples.length) - starts[c]!;
      if (runs.at(-1)?.samples !== samples) runs.push({ firstChunk: c + 1, samples });
    }
    w.u32(runs.length);
    for (const run of runs) w.u32(run.firstChunk).u32(run.samples).u32(1);
  }, { version: 0, flags: 0 });
  w.box('stsz', () => {
    w.u32(0).u32(tables.samples.length);
    for (const sample of tables.samples) w.u32(sample.byteLength);
  }, { version: 0, flags: 0 });
  w.box(co64 ? 'co64' : 'stco', () => {
    w.u32(track.chunkOffsets.length);
    offsetPatches.push({ at: w.position, track });
    w.zeros(track.chunkOffsets.length * (co64 ? 8 : 4));
  }, { version: 0, flags: 0 });
  const sync = tables.syncSamples;
  if (sync) {
    w.box('stss', () => {
      w.u32(sync.length);
      for (const number of sync) w.u32(number);
    }, { version: 0, flags: 0 });
  }
}

function writeBitrates(w: BoxWriter, tables: TrackTables): void {
  if (tables.avgBitrateBps === 0 && tables.maxBitrateBps === 0) return;
  w.box('btrt', () => w.u32(0).u32(tables.maxBitrateBps).u32(tables.avgBitrateBps));
}

function writeSampleEntry(w: BoxWriter, track: MoovTrack): void {
  const { entry, tables } = track;
  if (entry.kind === 'avc1') {
    w.box('avc1', () => {
      w.zeros(6).u16(1).u16(0).u16(0).zeros(12);
      w.u16(entry.config.codedWidth).u16(entry.config.codedHeight);
      w.u32(0x0048_0000).u32(0x0048_0000).u32(0).u16(1);
      w.u8(COMPRESSOR_NAME.length).ascii(COMPRESSOR_NAME).zeros(31 - COMPRESSOR_NAME.length);
      w.u16(24).i16(-1);
      w.box('avcC', () => w.bytesOf(entry.config.description));
      writeBitrates(w, tables);
    });
    return;
  }
  const { numberOfChannels, sampleRate, description } = entry.config;
  w.box(entry.kind, () => {
    w.zeros(6).u16(1).u16(0).u16(0).u32(0);
    w.u16(numberOfChannels).u16(16).u16(0).u16(0).u16(sampleRate < 2 ** 16 ? sampleRate : 0).u16(0);
    if (entry.kind === 'Opus') writeDops(w, description);
    else writeEsds(w, description, tables);
    writeBitrates(w, tables);
  });
}

/** The Opus-in-ISOBMFF box, from the encoder's OpusHead (RFC 7845 5.1). */
function writeDops(w: BoxWriter, head: Uint8Array): void {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const channels = view.getUint8(9);
  const family = view.getUint8(18);
  w.box('dOps', () => {
    w.u8(0).u8(channels).u16(view.getUint16(10, true)).u32(view.getUint32(12, true)).i16(view.getInt16(16, true)).u8(family);
    if (family !== 0) w.bytesOf(head.subarray(19, 19 + 2 + channels));
  });
}

/** MPEG-4 descriptor length: 7 bits a byte, most significant first. */
function descriptorLength(length: number): number[] {
  const bytes = [length & 0x7f];
  for (let rest = length >>> 7; rest > 0; rest >>>= 7) bytes.unshift((rest & 0x7f) | 0x80);
  return bytes;
}

/** The AAC elementary stream descriptor, around the encoder's AudioSpecificConfig. */
function writeEsds(w: BoxWriter, audioSpecificConfig: Uint8Array, tables: TrackTables): void {
  const u32 = (value: number): number[] => [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
  const decoderConfig = [0x40, 0x15, 0, 0, 0, ...u32(tables.maxBitrateBps), ...u32(tables.avgBitrateBps), 0x05, ...descriptorLength(audioSpecificConfig.byteLength), ...audioSpecificConfig];
  const esDescriptor = [0x00, 0x01, 0x00, 0x04, ...descriptorLength(decoderConfig.length), ...decoderConfig, 0x06, 0x01, 0x02];
  w.box('esds', () => w.bytesOf(Uint8Array.from([0x03, ...descriptorLength(esDescriptor.length), ...esDescriptor])), { version: 0, flags: 0 });
}

/**
 * The fast MP4 writer for the one job saves do most: H.264 with Opus (or AAC) passed through
 * into a fast-start MP4. It writes only the header (ftyp + moov, a few hundred KB at most) and
 * hands the payloads on as views of the buffers they are in (the ring's arenas, for a borrowed
 * clip), so the Blob made of them is the only copy. Anything else goes to mediabunny (mp4-mux.ts);
 * both share sample-plan.ts, so a clip gets the same sample times either way.
 */
import type { ClipInput } from '../clip/clip-input';
import { writeMp4Header, type MoovTrack, type SampleEntry } from './mp4-moov';
import { planSamples, type PlannedSample } from './sample-plan';
import { MOVIE_TIMESCALE, trackTables, type TrackTables } from './track-tables';

export type FastMp4 =
  | { ok: true; parts: Uint8Array[]; byteLength: number }
  /** Why this clip needs the general muxer. */
  | { ok: false; reason: string };

export interface FastMp4Options {
  /** Written as the movie's creation time; default 0 (1970), which keeps output deterministic. */
  creationTimeMs?: number;
}

/** The video's sample entry, or why the fast writer cannot write it. */
function videoEntry(clip: ClipInput): SampleEntry | string {
  const { codec, decoderConfig } = clip.video;
  const { description, codedWidth, codedHeight } = decoderConfig;
  if (codec !== 'avc' || !decoderConfig.codec.startsWith('avc1.')) return `video codec ${decoderConfig.codec} is not avc1`;
  if (!description || description.byteLength < 7) return 'the H.264 track has no avcC description';
  if (!(codedWidth > 0 && codedWidth < 2 ** 16 && codedHeight > 0 && codedHeight < 2 ** 16)) return `odd video size ${codedWidth}x${codedHeight}`;
  return { kind: 'avc1', config: { ...decoderConfig, description } };
}

function audioEntry(clip: ClipInput): SampleEntry | string {
  const audio = clip.audio!;
  const { description, sampleRate, numberOfChannels } = audio.decoderConfig;
  if (!(Number.isInteger(sampleRate) && sampleRate > 0 && numberOfChannels > 0 && numberOfChannels < 256)) return `odd audio format ${sampleRate} Hz x${numberOfChannels}`;
  if (!description) return 'the audio track has no description';
  const config = { ...audio.decoderConfig, description };
  if (audio.codec === 'opus') {
    const magic = String.fromCharCode(...description.subarray(0, 8));
    const family = description[18];
    if (magic !== 'OpusHead' || family === undefined || (family !== 0 && description.byteLength < 21 + (description[9] ?? 0))) return 'the Opus head is malformed';
    return { kind: 'Opus', config };
  }
  if (audio.codec === 'aac') return { kind: 'mp4a', config };
  return `audio codec ${audio.decoderConfig.codec} is not Opus or AAC`;
}

interface LaidOutTrack {
  tables: TrackTables;
  bytes: Uint8Array;
  chunkOffsets: number[];
}

/**
 * Writes `clip` as a fast-start MP4: its bytes are `parts` in order (the header, then runs of
 * sample payloads, the two tracks interleaved about every half second). The payload parts are
 * views into the clip's buffers: make the Blob before those change.
 */
export function fastMp4Parts(clip: ClipInput, { creationTimeMs = 0 }: FastMp4Options = {}): FastMp4 {
  const video = videoEntry(clip);
  if (typeof video === 'string') return { ok: false, reason: video };
  let plan;
  try {
    plan = planSamples(clip);
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  const audio = clip.audio && plan.audio.length > 0 ? audioEntry(clip) : null;
  if (typeof audio === 'string') return { ok: false, reason: audio };

  const tracks: { entry: SampleEntry; laid: LaidOutTrack }[] = [];
  try {
    tracks.push({ entry: video, laid: { tables: trackTables(plan.video, MOVIE_TIMESCALE), bytes: clip.video.chunks.bytes, chunkOffsets: [] } });
    if (audio && clip.audio) {
      tracks.push({ entry: audio, laid: { tables: trackTables(plan.audio, clip.audio.decoderConfig.sampleRate), bytes: clip.audio.chunks.bytes, chunkOffsets: [] } });
    }
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }

  const payload: Uint8Array[] = [];
  let mdatBytes = 0;
  for (const { laid, chunk } of interleavedChunks(tracks.map((track) => track.laid))) {
    laid.chunkOffsets.push(mdatBytes);
    mdatBytes += appendRuns(payload, laid.bytes, laid.tables.samples, chunk.from, chunk.to);
  }
  const moovTracks: MoovTrack[] = tracks.map(({ entry, laid }, i) => ({ id: i + 1, tables: laid.tables, entry, chunkOffsets: laid.chunkOffsets }));
  const header = writeMp4Header(moovTracks, mdatBytes, creationTimeMs);
  return { ok: true, parts: [header.bytes, ...payload], byteLength: header.bytes.byteLength + mdatBytes };
}

/** `clip` as an MP4 Blob (the one copy of its payloads), or why the general muxer must make it. */
export function fastMp4Blob(clip: ClipInput, options: FastMp4Options = {}): { ok: true; blob: Blob } | { ok: false; reason: string } {
  const written = fastMp4Parts(clip, options);
  if (!written.ok) return written;
  return { ok: true, blob: new Blob(written.parts as Uint8Array<ArrayBuffer>[], { type: 'video/mp4' }) };
}

/** Every track's chunks in mdat order: by start time, video first on a tie. */
function interleavedChunks(tracks: readonly LaidOutTrack[]): { laid: LaidOutTrack; chunk: { from: number; to: number } }[] {
  const all = tracks.flatMap((laid, trackIndex) =>
    laid.tables.chunkStarts.map((from, c) => ({
      laid,
      trackIndex,
      startUs: laid.tables.samples[from]!.timeUs,
      chunk: { from, to: laid.tables.chunkStarts[c + 1] ?? laid.tables.samples.length },
    })),
  );
  all.sort((a, b) => a.startUs - b.startUs || a.trackIndex - b.trackIndex);
  return all;
}

/** Appends samples [from, to) as views of `bytes`, one per run of neighbouring payloads; returns their size. */
function appendRuns(parts: Uint8Array[], bytes: Uint8Array, samples: readonly PlannedSample[], from: number, to: number): number {
  let total = 0;
  let runStart = -1;
  let runEnd = -1;
  for (let i = from; i < to; i++) {
    const { offset, byteLength } = samples[i]!;
    total += byteLength;
    if (offset === runEnd) {
      runEnd += byteLength;
      continue;
    }
    if (runStart >= 0) parts.push(bytes.subarray(runStart, runEnd));
    runStart = offset;
    runEnd = offset + byteLength;
  }
  if (runStart >= 0) parts.push(bytes.subarray(runStart, runEnd));
  return total;
}

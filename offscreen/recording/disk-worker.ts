/// <reference lib="webworker" />
/**
 * The disk worker: owns every file of a recording in the Origin Private File System
 * (`recordings/<id>/manifest.json` and its segment files), written in place through sync access
 * handles, which only dedicated workers have. Requests run one at a time, in order.
 */
import { errorMessage } from '../../src/contract/errors';
import { localize, type LocalText } from '../../src/i18n/english';
import { parseDiskRequest, type DiskEvent, type DiskReply, type DiskRequest, type FinishedRecording } from '../../src/contract/disk-worker-protocol';
import { clipFileName, LIBRARY_PATHS } from '../../src/library/library-clip';
import { scanFragments } from '../../src/recording/fragment-scan';
import { MANIFEST_FILE, parseManifest, RECORDINGS_DIR, segmentFileName, type RecordingManifest } from '../../src/recording/recording-manifest';
import { describeSegment, writeFinalMp4, type SegmentFile } from './final-mp4';
import { SegmentWriter } from './segment-writer';
import { openSyncHandle } from './sync-file';

const scope = self as unknown as DedicatedWorkerGlobalScope;

interface Active {
  manifest: RecordingManifest;
  dir: FileSystemDirectoryHandle;
  writers: Map<number, SegmentWriter>;
  /** Bytes of closed segments; open ones add their own. */
  closedBytes: number;
  /** The first write failure; later packets are dropped and 'finish' keeps what was flushed. */
  fault: LocalText | null;
}

let active: Active | null = null;

function post(event: DiskEvent): void {
  scope.postMessage(event);
}

async function recordingsDir(): Promise<FileSystemDirectoryHandle> {
  return (await navigator.storage.getDirectory()).getDirectoryHandle(RECORDINGS_DIR, { create: true });
}

async function writeManifest(dir: FileSystemDirectoryHandle, manifest: RecordingManifest): Promise<void> {
  // createWritable replaces the file on close: the manifest on disk is always a whole one.
  const writable = await (await dir.getFileHandle(MANIFEST_FILE, { create: true })).createWritable();
  await writable.write(JSON.stringify(manifest));
  await writable.close();
}

function diskBytes(recording: Active): number {
  let bytes = recording.closedBytes;
  for (const writer of recording.writers.values()) bytes += writer.fileBytes;
  return bytes;
}

function current(): Active {
  if (!active) throw new Error('No recording is being written.');
  return active;
}

async function segmentFiles(dir: FileSystemDirectoryHandle, manifest: RecordingManifest): Promise<SegmentFile[]> {
  const files: SegmentFile[] = [];
  for (const { index, startUs } of manifest.segments) {
    try {
      const file = await (await dir.getFileHandle(segmentFileName(index))).getFile();
      if (file.size > 0) files.push({ startUs, file });
    } catch {
      // A segment named before its file was created (the crash came in between): nothing to keep.
    }
  }
  return files;
}

const isNoSpace = (error: unknown): boolean => error instanceof DOMException && error.name === 'QuotaExceededError';

/**
 * Makes the final MP4, named after the recording, in the library's clips folder. When there is
 * no room for that copy and the recording is one segment, the segment itself (a fragmented MP4
 * that plays on its own) becomes the file instead; with several, they stay for the next start.
 */
async function finishInto(dir: FileSystemDirectoryHandle, manifest: RecordingManifest): Promise<FinishedRecording> {
  const clips = await (await navigator.storage.getDirectory()).getDirectoryHandle(LIBRARY_PATHS.clips, { create: true });
  const name = clipFileName({ id: manifest.id, format: 'mp4' });
  const files = await segmentFiles(dir, manifest);
  const handle = await openSyncHandle(clips, name, true);
  let finished: FinishedRecording;
  try {
    finished = await writeFinalMp4(manifest, files, handle);
  } catch (error) {
    handle.close();
    await clips.removeEntry(name).catch(() => undefined);
    if (!isNoSpace(error) || files.length !== 1) throw isNoSpace(error) ? new Error(`there is no room to join its ${files.length} segments into one file (free some space)`) : error;
    return adoptSegment(dir, manifest, clips, name);
  }
  handle.close();
  return finished;
}

/** Moves a one-segment recording's segment into the clips folder as its file: no copy, no new space. */
async function adoptSegment(dir: FileSystemDirectoryHandle, manifest: RecordingManifest, clips: FileSystemDirectoryHandle, name: string): Promise<FinishedRecording> {
  const segment = await dir.getFileHandle(segmentFileName(manifest.segments[0]!.index));
  const described = await describeSegment(await segment.getFile());
  // FileSystemHandle.move is Chromium's (OPFS); the DOM typings do not have it yet.
  await (segment as unknown as { move(to: FileSystemDirectoryHandle, name: string): Promise<void> }).move(clips, name);
  return { ...described, segments: 1, asRecorded: true };
}

/** Cuts each segment of a recording left by a crash to its last whole fragment. */
async function truncateSegments(dir: FileSystemDirectoryHandle, manifest: RecordingManifest): Promise<{ fragments: number; cutBytes: number }> {
  let fragments = 0;
  let cutBytes = 0;
  for (const { index } of manifest.segments) {
    const name = segmentFileName(index);
    let handle: FileSystemSyncAccessHandle;
    try {
      handle = await openSyncHandle(dir, name, false);
    } catch {
      continue;
    }
    try {
      const size = handle.getSize();
      const scan = scanFragments((offset, length) => {
        const bytes = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
        handle.read(bytes, { at: offset });
        return bytes;
      }, size);
      fragments += scan.fragments;
      cutBytes += size - scan.keepBytes;
      handle.truncate(scan.keepBytes);
      handle.flush();
    } finally {
      handle.close();
    }
  }
  return { fragments, cutBytes };
}

type Handler = (request: DiskRequest) => Promise<DiskReply | null>;

const done = (id: number): DiskReply => ({ id, ok: true, type: 'done' });

const handlers: Record<DiskRequest['type'], Handler> = {
  async begin(request) {
    if (request.type !== 'begin') return null;
    if (active) throw new Error('A recording is already being written.');
    const dir = await (await recordingsDir()).getDirectoryHandle(request.manifest.id, { create: true });
    await writeManifest(dir, request.manifest);
    active = { manifest: request.manifest, dir, writers: new Map(), closedBytes: 0, fault: null };
    return done(request.id);
  },
  async open(request) {
    if (request.type !== 'open') return null;
    const recording = current();
    if (recording.fault) return done(request.id);
    recording.manifest = { ...recording.manifest, segments: [...recording.manifest.segments, { index: request.segment, startUs: request.startUs }] };
    await writeManifest(recording.dir, recording.manifest);
    const writer = await SegmentWriter.create(recording.dir, request.segment, recording.manifest, () => post({ type: 'written', bytes: diskBytes(recording) }));
    recording.writers.set(request.segment, writer);
    return done(request.id);
  },
  async packets(request) {
    if (request.type !== 'packets') return null;
    const recording = current();
    if (recording.fault) return null;
    try {
      for (const packet of request.packets) await recording.writers.get(packet.segment)?.add(packet);
    } catch (error) {
      recording.fault = isNoSpace(error) ? localize('err_disk_full') : localize('err_recording_write_failed', errorMessage(error));
      post({ type: 'fault', error: recording.fault });
    }
    return null;
  },
  async close(request) {
    if (request.type !== 'close') return null;
    const recording = current();
    const writer = recording.writers.get(request.segment);
    if (writer) {
      recording.writers.delete(request.segment);
      if (recording.fault) writer.abandon();
      else await writer.close();
      recording.closedBytes += writer.fileBytes;
    }
    return done(request.id);
  },
  async finish(request) {
    const recording = current();
    for (const writer of recording.writers.values()) {
      if (recording.fault) writer.abandon();
      else await writer.close().catch(() => writer.abandon());
    }
    recording.writers.clear();
    if (recording.fault) await truncateSegments(recording.dir, recording.manifest);
    active = null;
    return { id: request.id, ok: true, type: 'finished', recording: await finishInto(recording.dir, recording.manifest) };
  },
  async recover(request) {
    if (request.type !== 'recover') return null;
    const root = await recordingsDir();
    const recordings: { manifest: RecordingManifest; fragments: number; cutBytes: number }[] = [];
    for await (const name of root.keys()) {
      if (request.except.includes(name) || name === active?.manifest.id) continue;
      const dir = await root.getDirectoryHandle(name);
      let manifest: RecordingManifest | null = null;
      try {
        manifest = parseManifest(JSON.parse(await (await (await dir.getFileHandle(MANIFEST_FILE)).getFile()).text()));
      } catch {
        manifest = null;
      }
      if (!manifest || manifest.id !== name) {
        // Started but never named a segment, or unreadable: there is nothing to recover.
        await root.removeEntry(name, { recursive: true });
        continue;
      }
      recordings.push({ manifest, ...(await truncateSegments(dir, manifest)) });
    }
    return { id: request.id, ok: true, type: 'recoverable', recordings };
  },
  async 'finish-recovered'(request) {
    if (request.type !== 'finish-recovered') return null;
    const dir = await (await recordingsDir()).getDirectoryHandle(request.recordingId);
    const manifest = parseManifest(JSON.parse(await (await (await dir.getFileHandle(MANIFEST_FILE)).getFile()).text()));
    if (!manifest) throw new Error('The recording\'s manifest is unreadable.');
    return { id: request.id, ok: true, type: 'finished', recording: await finishInto(dir, manifest) };
  },
  async remove(request) {
    if (request.type !== 'remove') return null;
    await (await recordingsDir()).removeEntry(request.recordingId, { recursive: true }).catch(() => undefined);
    return done(request.id);
  },
};

let queue: Promise<unknown> = Promise.resolve();

scope.onmessage = (event: MessageEvent<unknown>) => {
  const parsed = parseDiskRequest(event.data);
  if (!parsed.ok) {
    scope.postMessage({ id: parsed.id ?? -1, ok: false, error: `Bad disk request: ${parsed.error}` } satisfies DiskReply);
    return;
  }
  const request = parsed.value;
  queue = queue.then(async () => {
    try {
      const reply = await handlers[request.type](request);
      if (reply) scope.postMessage(reply);
    } catch (error) {
      scope.postMessage({ id: request.id, ok: false, error: errorMessage(error) } satisfies DiskReply);
    }
  });
};

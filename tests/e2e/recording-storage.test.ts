// A recording to disk that runs out of room, in real headless Chromium: the profile lives on a
// small tmpfs, so the browser's own quota (what navigator.storage.estimate() reports) is small.
// The recording stops by itself when the disk is full, says why, and is kept in the library as
// a whole MP4 that plays (the one segment itself when there is no room to copy it). Mounting needs root (CI runs as
// root); elsewhere the test is skipped and says so.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryDownloadReply, LibraryReply, OkReply, Status } from '../../src/contract/messages';
import { waitForFile } from '../../scripts/harness/browser';
import { decodeErrors, probe } from '../../scripts/harness/media';
import { launchSession, type Session } from '../../scripts/harness/session';
import { until } from '../../scripts/harness/wait';

/** The filesystem the profile (and so the extension's storage) lives on. */
const DISK_MB = 96;
/** About 1 MB/s of video, so the disk fills in well under a minute. */
const BITRATE_KBPS = 8000;

function mountSmallDisk(): string | null {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return null;
  const dir = mkdtempSync(join(tmpdir(), 'looptab-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${DISK_MB}m`, 'tmpfs', dir], { stdio: 'pipe' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
}

const disk = mountSmallDisk();
if (!disk) console.warn(`recording-storage.test.ts: skipped: it mounts a ${DISK_MB} MB tmpfs for the browser profile, which needs root on Linux.`);

let session: Session;


beforeAll(async () => {
  if (!disk) return;
  const profileDir = join(disk, 'profile');
  mkdirSync(profileDir);
  session = await launchSession({ audio: true, pageSize: { width: 1280, height: 720 }, profileDir });
  await session.setSettings({ videoBitrateKbps: BITRATE_KBPS });
  await session.arm();
  await session.until('5 s buffered', (s) => s.bufferedSec >= 5);
}, 120_000);

afterAll(async () => {
  await session?.close();
  if (disk) {
    execFileSync('umount', [disk]);
    rmSync(disk, { recursive: true, force: true });
  }
});

describe.skipIf(!disk)('recording to disk when storage runs out', () => {
  it('stops by itself when the disk is full, says why, and keeps a playable recording', async () => {
    const started = await session.send<OkReply>({ type: 'record-start', includeBufferedSec: 0 });
    expect(started.ok, JSON.stringify(started)).toBe(true);

    const warnings = new Set<string>();
    let last: Status | null = null;
    await until('the recording to stop by itself', () => session.status(), (status) => {
      if (status.recording?.warning) warnings.add(status.recording.warning);
      const stopped = last?.recording && !status.recording;
      last = status;
      return Boolean(stopped);
    }, { timeoutMs: 180_000, pollMs: 250 });
    const stoppedStatus = last as unknown as Status;
    // Chromium's estimate on a disk this small reports about 1 GB free whatever the disk holds, so
    // the headroom check cannot see it coming: the write that finds the disk full stops it.
    expect(stoppedStatus.lastError, [...warnings].join(' | ')).toMatch(/(Storage is almost full|The disk is full): the recording stopped (there )?and was kept/);
    expect(stoppedStatus.state).toBe('armed');

    const library = await session.send<LibraryReply>({ type: 'library' });
    if (!library.ok) throw new Error(library.error);
    const recording = library.clips.find((clip) => clip.kind === 'recording');
    expect(recording, JSON.stringify(library.problems)).toBeDefined();
    expect(recording!.durationSec).toBeGreaterThan(10);

    const seen = await readdir(session.looptab.downloadsDir);
    const downloaded = await session.send<LibraryDownloadReply>({ type: 'library-download', id: recording!.id });
    if (!downloaded.ok) throw new Error(downloaded.error);
    const file = await waitForFile(session.looptab.downloadsDir, (name) => name.endsWith('.mp4') && !seen.includes(name), 30_000);
    expect(await decodeErrors(file)).toBe('');
    const probed = await probe(file);
    expect(Math.abs(probed.formatDurationSec - recording!.durationSec)).toBeLessThan(0.1);
    expect(probed.streams.map((s) => s.codecType).sort()).toEqual(['audio', 'video']);

    // The disk was never full: the segments are gone and there is room left.
    const free = Number(execFileSync('df', ['--output=avail', '-k', disk!], { encoding: 'utf8' }).trim().split('\n')[1]) * 1024;
    expect(free).toBeGreaterThan(4 * 1024 * 1024);
    // Capture goes on: a replay save still reaches Downloads, kept in the library or saying why not.
    const saved = await session.save(2);
    expect(saved.reply.libraryId ?? saved.reply.libraryError).toBeTruthy();
    expect(await decodeErrors(saved.file)).toBe('');
  });
});

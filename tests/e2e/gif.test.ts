// GIF clips from a really armed tab: ffprobe and Chromium judge the file; cancel leaves nothing.
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OkReply, SaveReply, Status } from '../../src/contract/messages';
import { decodeErrors, packetValues, probe } from '../../scripts/harness/media';
import { launchArmedDemo, type ArmedDemo } from '../../scripts/harness/session';
import { sleep } from '../../scripts/harness/wait';
import { expectLocalFailure } from './failure-reply';

let armed: ArmedDemo;

beforeAll(async () => {
  armed = await launchArmedDemo(11);
});

afterAll(async () => {
  await armed?.close();
});

describe('GIF', () => {
  it('save 4 s as GIF, gives 480 px, 15 fps, 4 s that ffprobe and Chromium decode', async () => {
    const before = await armed.status();
    const { reply, file } = await armed.save(4, { format: 'gif', timeoutMs: 20_000 });
    expect(reply.filename).toMatch(/\.gif$/);
    expect(reply.format).toBe('gif');

    const result = await probe(file);
    const video = result.streams[0];
    expect(video?.codecName).toBe('gif');
    expect(video?.width).toBe(480);
    expect(Math.abs((video?.durationSec ?? 0) - 4)).toBeLessThanOrEqual(0.1);
    // 4 s at 15 fps is 60 slots of 1/15 s. A frame the tab did not change is merged into the one
    // before (a longer delay, same picture): every delay is whole slots, and they add up to 60.
    // Each GIF frame's delay, as ffprobe reads it.
    const delaysSec = await packetValues(file, 'v', 'duration_time');
    const slots = delaysSec.map((d) => d * 15);
    for (const slot of slots) expect(Math.abs(slot - Math.round(slot))).toBeLessThanOrEqual(0.16);
    expect(slots.reduce((sum, slot) => sum + Math.round(slot), 0)).toBe(60);
    expect(video?.frames).toBe(delaysSec.length);
    expect(video?.frames).toBeGreaterThan(45);
    expect(await decodeErrors(file)).toBe('');

    const size = await armed.page.evaluate(async (src) => {
      const image = new Image();
      image.src = src;
      await image.decode();
      return [image.naturalWidth, image.naturalHeight];
    }, armed.downloadUrl(file));
    expect(size[0]).toBe(480);
    expect(size[1]).toBe(video?.height);

    // Recording went on while the GIF was made.
    const after = await armed.status();
    expect(after.armed).toBe(true);
    expect(after.encodedFrames).toBeGreaterThan(before.encodedFrames);
    console.log(`GIF: ${reply.bytes} bytes; frames dropped during the export: ${after.droppedFrames - before.droppedFrames}`);
  });

  it('cancel, stops the GIF being made and downloads nothing', async () => {
    const seen = await readdir(armed.looptab.downloadsDir);
    const saving = armed.send<SaveReply>({ type: 'save', seconds: 10, format: 'gif' });
    let progress: Status['export'] = null;
    for (let i = 0; i < 100 && progress === null; i++) {
      progress = (await armed.status()).export;
      if (progress === null) await sleep(20);
    }
    expect(progress?.format).toBe('gif');
    expect(await armed.send<OkReply>({ type: 'cancel' })).toEqual({ ok: true });
    const reply = await saving;
    expectLocalFailure(reply, /cancelled/, 'err_gif_cancelled');
    await sleep(1500);
    expect((await readdir(armed.looptab.downloadsDir)).filter((name) => !seen.includes(name))).toEqual([]);
    expect((await armed.status()).export).toBeNull();
    expectLocalFailure(await armed.send<OkReply>({ type: 'cancel' }), /^Nothing is being saved or exported\.$/, 'err_nothing_saving_or_exporting');
  });
});

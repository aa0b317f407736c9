/// <reference lib="webworker" />
/**
 * Exports an edit off the capture thread: reads the source clips, builds and checks the
 * composition, plans what to copy and what to encode, renders video and sound, and muxes the
 * MP4 with the same muxer as saves (or hands the video to the GIF worker's caller).
 */
import { ALL_FORMATS, BlobSource, Input, type InputAudioTrack, type InputVideoTrack } from 'mediabunny';
import { descriptionBytes, type ClipInput } from '../../src/clip/clip-input';
import { packChunks } from '../../src/clip/pack-chunks';
import { defaultVideoBitrateBps, videoContainerOf } from '../../src/codec/codecs';
import { errorMessage } from '../../src/contract/errors';
import { isExportWorkerRequest, type ExportJobRequest, type ExportWorkerResponse } from '../../src/contract/export-worker-protocol';
import { buildComposition } from '../../src/edit/composition';
import { toEditSpec } from '../../src/edit/from-request';
import { decoderConfigKey, readEditSource } from '../../src/edit/read-source';
import { planRender, type RenderPlan } from '../../src/edit/render-plan';
import { checkSpecTexts, validateComposition } from '../../src/edit/validate';
import { inEnglish, localize } from '../../src/i18n/english';
import { muxMp4ToBytes } from '../../src/mp4/mp4-mux';
import { copyAudio, mixAudio } from './render-audio';
import { renderVideo } from './render-video';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const cancelled = new Set<number>();
/** Progress is posted at most this often. */
const PROGRESS_INTERVAL_MS = 100;
/** The frame rate encoders are told (capture runs at 30; frames carry their own times). */
const ENCODE_FPS = 30;

class CancelledError extends Error {}

const post = (response: ExportWorkerResponse, transfer: Transferable[] = []): void => scope.postMessage(response, transfer);

/** What the encoder's stream parameters look like: only equal ones let copied and encoded packets share a track. */
async function encoderConfigKey(config: VideoEncoderConfig): Promise<string | null> {
  let key: string | null = null;
  const encoder = new VideoEncoder({
    output: (_chunk, metadata) => {
      if (metadata?.decoderConfig) key ??= decoderConfigKey(metadata.decoderConfig);
    },
    error: () => undefined,
  });
  try {
    encoder.configure(config);
    const luma = config.width * config.height;
    const black = new Uint8Array(luma * 1.5).fill(128, 0, luma * 1.5).fill(16, 0, luma);
    const frame = new VideoFrame(black, { format: 'I420', codedWidth: config.width, codedHeight: config.height, timestamp: 0 });
    encoder.encode(frame, { keyFrame: true });
    frame.close();
    await encoder.flush();
  } catch {
    return null;
  } finally {
    if (encoder.state !== 'closed') encoder.close();
  }
  return key;
}

async function exportJob(job: ExportJobRequest): Promise<void> {
  const inputs = job.sources.map(({ file }) => new Input({ source: new BlobSource(file), formats: ALL_FORMATS }));
  const checkCancelled = (): void => {
    if (cancelled.has(job.id)) throw new CancelledError('The export was cancelled; nothing was saved.');
  };
  try {
    const sources = await Promise.all(job.sources.map(({ id, file }) => readEditSource(id, new BlobSource(file))));
    const checked = checkSpecTexts(sources, toEditSpec(job.spec, sources));
    if (!checked.spec) throw new Error(checked.refusals.map(inEnglish).join('; '));
    const composition = buildComposition(sources, checked.spec);
    const problems = validateComposition(composition);
    if (problems.length > 0) throw new Error(`The composition is not sound: ${problems.join('; ')}`);
    const videoTracks = (await Promise.all(inputs.map((input) => input.getPrimaryVideoTrack()))) as InputVideoTrack[];
    const streamConfig = (await videoTracks[composition.segments[0]!.source]!.getDecoderConfig())!;
    const { width, height } = composition;
    const encoderConfig: VideoEncoderConfig = {
      codec: job.sources[composition.segments[0]!.source]!.encoderCodec,
      width,
      height,
      bitrate: defaultVideoBitrateBps(width, height, ENCODE_FPS),
      framerate: ENCODE_FPS,
      latencyMode: 'realtime',
      ...(videoContainerOf(streamConfig.codec) === 'avc' ? { avc: { format: 'avc' as const } } : {}),
    };
    let plan = planRender(composition);
    const notes = [...plan.notes];
    const copies = plan.video.some((run) => run.kind === 'copy');
    if (copies && plan.video.some((run) => run.kind === 'encode') && (await encoderConfigKey(encoderConfig)) !== decoderConfigKey(streamConfig)) {
      plan = planRender(composition, { allowCopy: false });
      notes.push(localize('editor_note_encoder_differs'));
    }
    let lastPostMs = 0;
    const render = (renderPlan: RenderPlan) =>
      renderVideo({
        composition,
        plan: renderPlan,
        tracks: videoTracks,
        encoderConfig,
        checkCancelled,
        onProgress: (doneUs) => {
          const nowMs = performance.now();
          if (nowMs - lastPostMs < PROGRESS_INTERVAL_MS) return;
          lastPostMs = nowMs;
          post({ id: job.id, type: 'progress', fraction: Math.min(0.99, doneUs / composition.durationUs) });
        },
      });
    let video = await render(plan);
    const mixes = (candidate: RenderPlan): boolean => candidate.video.some((run) => run.kind === 'copy') && candidate.reencodedUs > 0;
    if (mixes(plan) && video.encodedConfigKeys.some((key) => key !== decoderConfigKey(streamConfig))) {
      // Frames of another colour space (a canvas-composed one) changed the stream parameters.
      plan = planRender(composition, { allowCopy: false });
      notes.push(localize('editor_note_encoder_differs'));
      video = await render(plan);
    }
    if (new Set(video.encodedConfigKeys).size > 1) throw new Error('The encoder changed its stream parameters mid-way (clips of different sizes or colours); export them separately.');
    const config = plan.video.some((run) => run.kind === 'copy') ? streamConfig : video.encodedConfig;
    if (!config) throw new Error('The video encoder gave no configuration.');
    const description = descriptionBytes(config.description);
    const clip: ClipInput = {
      startUs: 0,
      endUs: composition.durationUs,
      video: {
        codec: videoContainerOf(config.codec),
        decoderConfig: { codec: config.codec, codedWidth: config.codedWidth ?? width, codedHeight: config.codedHeight ?? height, ...(description ? { description } : {}) },
        chunks: packChunks(video.packets),
      },
      audio: null,
    };
    const made = { durationUs: composition.durationUs, reencodedUs: plan.reencodedUs, width, height, fixes: checked.fixes, notes, videoCodec: config.codec };
    if (job.output === 'gif') {
      post({ id: job.id, type: 'done', ok: true, mp4: null, gifVideo: { startUs: clip.startUs, endUs: clip.endUs, video: clip.video }, audioCodec: null, ...made }, [clip.video.chunks.bytes.buffer as ArrayBuffer]);
      return;
    }
    const audioTracks = await Promise.all(inputs.map((input) => input.getPrimaryAudioTrack())) as (InputAudioTrack | null)[];
    const firstAudio = audioTracks[composition.segments[0]!.source];
    clip.audio = plan.audio === 'copy' && firstAudio ? await copyAudio(composition, firstAudio) : plan.audio === 'mix' ? await mixAudio(composition, audioTracks, checkCancelled) : null;
    checkCancelled();
    const bytes = await muxMp4ToBytes(clip);
    const mp4 = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'video/mp4' });
    post({ id: job.id, type: 'done', ok: true, mp4, gifVideo: null, audioCodec: clip.audio?.decoderConfig.codec ?? null, ...made });
  } catch (error) {
    const wasCancelled = error instanceof CancelledError;
    post({ id: job.id, type: 'done', ok: false, error: wasCancelled ? error.message : `The export failed: ${errorMessage(error)}`, cancelled: wasCancelled });
  } finally {
    cancelled.delete(job.id);
    for (const input of inputs) input.dispose();
  }
}

scope.onmessage = (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isExportWorkerRequest(message)) return;
  if (message.type === 'cancel') cancelled.add(message.id);
  else void exportJob(message);
};

/**
 * The clip cutter: "the last N seconds" of the ring buffer as a self-contained ClipInput. Plans
 * the cut (clip-plan.ts), copies the chunks out and pairs them with the decoder configs of
 * their epoch. The recorder, the tests and the bench all cut through here.
 */
import type { RingBuffer } from '../buffer/ring-buffer';
import { audioContainerOf, videoContainerOf } from '../codec/codecs';
import type { ClipInput } from './clip-input';
import { planLastClip, type ClipPlan } from './clip-plan';
import type { DecoderConfigs } from './decoder-configs';
import type { Failure } from '../contract/errors';

export interface CutRequest {
  /** How long the clip should be. */
  requestedUs: number;
  /** The clip ends here at the latest (post-roll fixes the end when the user asks). */
  endAtUs?: number;
  /** Start on the nearest frame boundary (an MP4 needs it; a GIF keeps the exact length). Default true. */
  frameAligned?: boolean;
  /** Copy the audio too (a GIF has none). Default true. */
  withAudio?: boolean;
  /**
   * Lend the payloads straight out of the ring's arenas instead of copying them (see
   * RingBuffer.borrow): the clip is then valid only until the ring's next append. Default false.
   */
  borrow?: boolean;
  /** Constant frame timing: each frame lasts this long (see PlanOptions.constantFrameUs). */
  constantFrameUs?: number;
}

export type CutResult = { ok: true; clip: ClipInput; plan: ClipPlan } | Failure;

/** Cuts the last `requestedUs` out of `ring`; the clip owns its bytes unless it was borrowed. */
export function cutLastClip(ring: RingBuffer, configs: DecoderConfigs, request: CutRequest): CutResult {
  const { requestedUs, endAtUs, frameAligned = true, withAudio = true, borrow = false, constantFrameUs } = request;
  const take = borrow ? ring.borrow.bind(ring) : ring.copyOut.bind(ring);
  const planned = planLastClip(ring, requestedUs, {
    ...(endAtUs === undefined ? {} : { endAtUs }),
    frameAligned,
    audioDelayUs: configs.audioDelayUs,
    ...(constantFrameUs === undefined ? {} : { constantFrameUs }),
  });
  if (!planned.ok) return planned;
  const { plan } = planned;
  const videoConfig = configs.video(plan.epoch);
  if (!videoConfig) return { ok: false, error: 'The video decoder configuration is missing.' };
  const clip: ClipInput = {
    startUs: plan.startUs,
    endUs: plan.endUs,
    video: { codec: videoContainerOf(videoConfig.codec), decoderConfig: videoConfig, chunks: take('video', plan.video.from, plan.video.to) },
    audio: null,
  };
  const audioConfig = configs.audio;
  if (withAudio && audioConfig && plan.audio.to > plan.audio.from) {
    clip.audio = { codec: audioContainerOf(audioConfig.codec), decoderConfig: audioConfig, chunks: take('audio', plan.audio.from, plan.audio.to) };
  }
  return { ok: true, clip, plan };
}

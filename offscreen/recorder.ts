/**
 * One armed tab: capture -> encoders -> ring buffer, and saves from it. Lives in the offscreen
 * document, which is the only context that survives while the service worker sleeps.
 */
import { planLastClip } from '../src/clip/clip-plan';
import { audioContainerOf, audioEncoderDelayUs, videoContainerOf, type ContainerAudioCodec, type ContainerVideoCodec } from '../src/codec/codecs';
import type { ClipFormat } from '../src/clip/clip-formats';
import { errorMessage, type CaptureState, type OffscreenSaveReply, type Status } from '../src/contract/messages';
import type { AudioTrackInput, ClipInput, VideoTrackInput } from '../src/mp4/mp4-mux';
import { RingBuffer } from '../src/buffer/ring-buffer';
import type { Settings } from '../src/settings/settings';
import { AudioPipeline } from './audio-pipeline';
import { openTabStream, type TabStream } from './capture';
import { ChunkSink } from './chunk-sink';
import type { GifOptions } from '../src/contract/gif-worker-protocol';
import { GifCancelledError, type GifClient } from './gif/gif-client';
import type { MuxClient } from './mux-client';
import { VideoPipeline } from './video-pipeline';

const US_PER_S = 1_000_000;
const WINDOW_SLACK_SEC = 2;
/** How long past its post-roll a save waits for the audio to arrive (it lags under load). */
const POST_ROLL_GRACE_MS = 3_000;
const POST_ROLL_POLL_MS = 50;

type VideoDecoderSetup = VideoTrackInput['decoderConfig'] & { container: ContainerVideoCodec };
type AudioDecoderSetup = AudioTrackInput['decoderConfig'] & { container: ContainerAudioCodec };


function copyDescription(description: AllowSharedBufferSource | undefined): Uint8Array | undefined {
  if (!description) return undefined;
  const view = ArrayBuffer.isView(description)
    ? new Uint8Array(description.buffer, description.byteOffset, description.byteLength)
    : new Uint8Array(description);
  return view.slice();
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (!a || !b) return a === b;
  return a.byteLength === b.byteLength && a.every((value, i) => value === b[i]);
}

export interface RecorderEvents {
  onStateChange(state: CaptureState, error: string | null): void;
  /** GIF export progress (0-1), null when the export ended. */
  onProgress(fraction: number | null): void;
}

/** A GIF being made: what the popup shows, what cancel stops. */
interface GifExport {
  id: number;
  seconds: number;
  fraction: number;
}

export class Recorder {
  readonly ring: RingBuffer;
  #state: CaptureState = 'starting';
  #lastError: string | null = null;
  #stream: TabStream | null = null;
  #video: VideoPipeline;
  #audio: AudioPipeline;
  #sink: ChunkSink;
  /** Decoder config per video epoch; a new epoch starts when the encoder is reconfigured. */
  #videoConfigs = new Map<number, VideoDecoderSetup>();
  #videoEpoch = -1;
  #audioConfig: AudioDecoderSetup | null = null;
  /** How much earlier than its stamp each audio packet sounds (from the audio config). */
  #audioDelayUs = 0;
  #objectUrls = new Set<string>();
  #gifExports = new Map<number, GifExport>();

  constructor(
    readonly tabId: number,
    readonly tabTitle: string,
    private readonly settings: Settings,
    private readonly muxer: MuxClient,
    private readonly gifs: GifClient,
    private readonly events: RecorderEvents,
  ) {
    this.ring = new RingBuffer({
      // Slack beyond the window: clips end where the (lagging) audio ends, so a clip as long as
      // the window starts a little before the newest video minus the window.
      windowUs: Math.round((settings.windowSec + WINDOW_SLACK_SEC) * US_PER_S),
      maxBytes: settings.maxBufferMB * 1024 * 1024,
    });
    this.#sink = new ChunkSink(this.ring);
    const frameUs = Math.round(US_PER_S / settings.maxFps);
    this.#video = new VideoPipeline({
      fps: settings.maxFps,
      keyframeIntervalUs: Math.round(settings.keyframeIntervalSec * US_PER_S),
      bitrateBps: settings.videoBitrateKbps * 1000,
      maxEncodeQueue: 3,
      onSample: (raw, arrival) => this.#sink.observe('video', raw, arrival),
      shouldEncode: (raw) => this.#sink.keeps('video', raw),
      onChunk: (chunk, config) => this.#onVideoChunk(chunk, config, frameUs),
      onError: (error, recovering) => {
        if (recovering) this.#lastError = `Video encoder error (${error.message}); recording continues with a new encoder.`;
        else this.#fail(`Video encoder error: ${error.message}`);
      },
    });
    this.#audio = new AudioPipeline({
      onSample: (raw, arrival) => this.#sink.observe('audio', raw, arrival),
      onChunk: (chunk, config) => this.#onAudioChunk(chunk, config),
      onError: (error) => this.#fail(`Audio encoder error: ${error.message}`),
    });
  }

  async start(streamId: string): Promise<void> {
    this.muxer.warm();
    this.gifs.warm();
    this.#stream = await openTabStream(streamId, this.settings);
    const { video, audio } = this.#stream;
    video.addEventListener('ended', () => this.#ended('The tab stopped being captured (closed or crashed).'));
    void this.#video.run(video).catch((error: unknown) => this.#fail(`Video capture failed: ${errorMessage(error)}`));
    if (audio) void this.#audio.run(audio).catch((error: unknown) => this.#fail(`Audio capture failed: ${errorMessage(error)}`));
    this.#setState('armed');
  }

  #onVideoChunk(chunk: EncodedVideoChunk, config: VideoDecoderConfig | undefined, frameUs: number): void {
    if (config) {
      const current = this.#videoConfigs.get(this.#videoEpoch);
      const setup: VideoDecoderSetup = {
        codec: config.codec,
        codedWidth: config.codedWidth ?? 0,
        codedHeight: config.codedHeight ?? 0,
        description: copyDescription(config.description),
        container: videoContainerOf(config.codec),
      };
      const changed = !current || current.codec !== setup.codec || current.codedWidth !== setup.codedWidth ||
        current.codedHeight !== setup.codedHeight || !sameBytes(current.description, setup.description);
      if (changed) {
        this.#videoEpoch++;
        this.#videoConfigs.set(this.#videoEpoch, setup);
        // Only the newest epoch can be saved (see planLastClip): forget older configs' memory.
        this.#videoConfigs.delete(this.#videoEpoch - 2);
      }
    }
    if (this.#videoEpoch < 0) return; // no decoder config yet: nothing can decode this chunk
    this.#sink.add('video', chunk, this.#videoEpoch, frameUs);
  }

  #onAudioChunk(chunk: EncodedAudioChunk, config: AudioDecoderConfig | undefined): void {
    if (config && !this.#audioConfig) {
      this.#audioConfig = {
        codec: config.codec,
        sampleRate: config.sampleRate,
        numberOfChannels: config.numberOfChannels,
        description: copyDescription(config.description),
        container: audioContainerOf(config.codec),
      };
      this.#audioDelayUs = audioEncoderDelayUs(this.#audioConfig.codec, this.#audioConfig.description);
    }
    if (!this.#audioConfig) return;
    this.#sink.add('audio', chunk, 0, 20_000);
  }

  #setState(state: CaptureState, error: string | null = null): void {
    this.#state = state;
    if (error) this.#lastError = error;
    this.events.onStateChange(state, error);
  }

  #fail(message: string): void {
    // Out-of-band errors are kept and shown in the popup, never lost in a console.
    console.error(message);
    this.#setState('error', message);
  }

  #ended(message: string): void {
    if (this.#state === 'ended') return;
    this.#setState('ended', `${message} What was buffered can still be saved.`);
    void this.#video.stop();
    void this.#audio.stop();
  }

  /** Cuts both tracks now; nothing is buffered until resume. */
  pause(): void {
    if (this.#state !== 'armed') throw new Error(this.#state === 'paused' ? 'Already paused.' : 'Nothing is recording.');
    this.#sink.pause(Math.round(performance.now() * 1000));
    // Audio keeps flowing into its encoder: Chrome's AudioEncoder stamps output by counting
    // samples from its first input, so a hole in its input would shift every later packet. The
    // pause timeline drops those packets instead. Video frames carry their own timestamps, and
    // the pipeline asks the timeline before encoding each one (shouldEncode).
    this.#setState('paused');
  }

  /** Continues on the same timeline: the paused span is removed from both tracks. */
  resume(): void {
    if (this.#state !== 'paused') throw new Error('Not paused.');
    this.#sink.resume(Math.round(performance.now() * 1000));
    this.#video.requestKeyFrame();
    this.#setState('armed');
  }

  /** Fault injection for the end-to-end tests (reached through a test-only message). */
  injectEncoderError(): void {
    this.#video.injectEncoderError();
  }

  #currentExport(): Status['export'] {
    const newest = [...this.#gifExports.values()].at(-1);
    return newest ? { format: 'gif', seconds: newest.seconds, fraction: newest.fraction } : null;
  }

  /** Resolves once the newest audio (else video) reaches `endUs`, or after `timeoutMs` (paused, stalled). */
  async #untilBuffered(endUs: number, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      const track = this.ring.count('audio') > 0 ? 'audio' : 'video';
      const count = this.ring.count(track);
      const newest = count > 0 ? this.ring.infoAt(track, count - 1) : null;
      if (newest && newest.timestampUs + newest.durationUs >= endUs) return;
      await new Promise((resolve) => setTimeout(resolve, POST_ROLL_POLL_MS));
    }
  }

  #audioLagMs(): number | null {
    const videoCount = this.ring.count('video');
    const audioCount = this.ring.count('audio');
    if (videoCount === 0 || audioCount === 0) return null;
    const video = this.ring.infoAt('video', videoCount - 1);
    const audio = this.ring.infoAt('audio', audioCount - 1);
    return (video.timestampUs + video.durationUs - audio.timestampUs - audio.durationUs) / 1000;
  }

  status(): Status {
    const ring = this.ring.stats();
    const video = this.#video.stats;
    let fps = 0;
    if (ring.newestUs !== null) {
      // Frames in the last two seconds of the buffer.
      const recent = this.ring.count('video') - this.ring.lowerBound('video', ring.newestUs - 2 * US_PER_S + 1);
      fps = Math.min(recent, this.ring.count('video')) / 2;
    }
    return {
      armed: this.#state === 'armed' || this.#state === 'starting' || this.#state === 'paused',
      state: this.#state,
      tabId: this.tabId,
      tabTitle: this.tabTitle,
      bufferedSec: ring.bufferedUs / US_PER_S,
      bytes: ring.payloadBytes,
      arenaBytes: ring.arenaBytes,
      maxBytes: this.settings.maxBufferMB * 1024 * 1024,
      windowSec: this.settings.windowSec,
      videoCodec: video.codec,
      audioCodec: this.#audio.codec,
      width: video.width,
      height: video.height,
      fps,
      encodedFrames: video.encodedFrames,
      droppedFrames: video.droppedFrames,
      export: this.#currentExport(),
      audioLagMs: this.#audioLagMs(),
      lastError: this.#lastError,
    };
  }

  /** Saves the last `seconds`: copies the chunks out synchronously, then muxes in the worker. */
  async save(seconds: number, postRollSec: number, format: ClipFormat, gif: GifOptions): Promise<OffscreenSaveReply> {
    // Post-roll: the clip ends K s after the request, on the buffer's own timeline; recording
    // goes on until the audio (which ends clips) has reached that instant.
    let endAtUs: number | undefined;
    if (postRollSec > 0) {
      endAtUs = this.#sink.continuousUs(performance.now() * 1000) + Math.round(postRollSec * US_PER_S);
      await this.#untilBuffered(endAtUs, postRollSec * 1000 + POST_ROLL_GRACE_MS);
    }
    const planned = planLastClip(this.ring, Math.round(seconds * US_PER_S), {
      endAtUs,
      frameAligned: format === 'mp4',
      audioDelayUs: this.#audioDelayUs,
    });
    if (!planned.ok) return planned;
    const { plan } = planned;
    const videoSetup = this.#videoConfigs.get(plan.epoch);
    if (!videoSetup) return { ok: false, error: 'The video decoder configuration is missing.' };
    const { container: videoCodec, ...videoConfig } = videoSetup;
    if (format === 'gif') {
      const video = { codec: videoCodec, decoderConfig: videoConfig, chunks: this.ring.copyOut('video', plan.video.from, plan.video.to) };
      return this.#saveGif(seconds, plan.startUs, plan.endUs, video, gif, plan.note);
    }
    const clip: ClipInput = {
      startUs: plan.startUs,
      endUs: plan.endUs,
      video: { codec: videoCodec, decoderConfig: videoConfig, chunks: this.ring.copyOut('video', plan.video.from, plan.video.to) },
      audio: null,
    };
    if (this.#audioConfig && plan.audio.to > plan.audio.from) {
      const { container: audioCodec, ...audioConfig } = this.#audioConfig;
      clip.audio = { codec: audioCodec, decoderConfig: audioConfig, chunks: this.ring.copyOut('audio', plan.audio.from, plan.audio.to) };
    }
    // From here on the arena may be overwritten: the clip owns its copies.
    const blob = await this.muxer.mux(clip);
    const url = URL.createObjectURL(blob);
    this.#objectUrls.add(url);
    const reply: OffscreenSaveReply = {
      ok: true,
      url,
      bytes: blob.size,
      requestedSec: seconds,
      durationSec: (plan.endUs - plan.startUs) / US_PER_S,
    };
    if (plan.note) reply.note = plan.note;
    return reply;
  }

  /**
   * Makes a GIF in its worker (recording goes on meanwhile). Progress goes to the status and the
   * badge; a cancelled export leaves nothing behind: no blob, no download.
   */
  async #saveGif(
    seconds: number,
    startUs: number,
    endUs: number,
    video: VideoTrackInput & { codec: ContainerVideoCodec },
    options: GifOptions,
    note: string | undefined,
  ): Promise<OffscreenSaveReply> {
    const encoding = this.gifs.encode({ startUs, endUs, video, widthPx: options.widthPx, fps: options.fps }, (fraction) => {
      const current = this.#gifExports.get(encoding.id);
      if (current) current.fraction = fraction;
      this.events.onProgress(fraction);
    });
    this.#gifExports.set(encoding.id, { id: encoding.id, seconds, fraction: 0 });
    try {
      const result = await encoding;
      const url = URL.createObjectURL(new Blob([result.data as Uint8Array<ArrayBuffer>], { type: 'image/gif' }));
      this.#objectUrls.add(url);
      const reply: OffscreenSaveReply = { ok: true, url, bytes: result.data.byteLength, requestedSec: seconds, durationSec: result.durationSec };
      if (note) reply.note = note;
      return reply;
    } catch (error) {
      if (error instanceof GifCancelledError) return { ok: false, error: 'The GIF was cancelled; nothing was saved.' };
      return { ok: false, error: `The GIF could not be made: ${errorMessage(error)}` };
    } finally {
      this.#gifExports.delete(encoding.id);
      this.events.onProgress(this.#gifExports.size > 0 ? (this.#currentExport()?.fraction ?? null) : null);
    }
  }

  /** Cancels every GIF being made. */
  cancelExports(): boolean {
    for (const id of this.#gifExports.keys()) this.gifs.cancel(id);
    return this.#gifExports.size > 0;
  }

  revoke(url: string): void {
    if (this.#objectUrls.delete(url)) URL.revokeObjectURL(url);
  }

  /** Stops capture and frees everything; idempotent. */
  async stop(): Promise<void> {
    await Promise.all([this.#video.stop(), this.#audio.stop()]);
    await this.#stream?.close();
    this.#stream = null;
    for (const url of this.#objectUrls) URL.revokeObjectURL(url);
    this.#objectUrls.clear();
    this.ring.clear();
    this.#state = 'idle';
  }
}

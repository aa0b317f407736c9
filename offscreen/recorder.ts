/**
 * One armed tab: capture -> encoders -> chunk sink -> ring buffer, its lifecycle and its status.
 * Lives in the offscreen document, the only context that survives while the service worker
 * sleeps. Saving is the ClipSaver's job.
 */
import { RingBuffer } from '../src/buffer/ring-buffer';
import { DecoderConfigs } from '../src/clip/decoder-configs';
import { errorMessage, failure, LocalError, noticeEnglish, statusError, type Notice } from '../src/contract/errors';
import { inEnglish, localize, type LocalText } from '../src/i18n/english';
import type { CaptureState, OkReply, RecordStopReply, RegionFrameReply, RegionReply, Status } from '../src/contract/messages';
import type { CaptureSize, KeptReply, LibraryTarget, OffscreenSaveReply, RegionRequest } from '../src/contract/offscreen-messages';
import type { FrameSize } from '../src/region/region-rect';
import { overloadMessage } from '../src/cadence/overload-governor';
import { WINDOW_SLACK_SEC } from '../src/clip/clip-plan';
import { audioEncoderDelayUs } from '../src/codec/codecs';
import { storeDecoderConfig } from '../src/recording/recording-manifest';
import { checkStorage, startRefusal } from '../src/recording/storage-headroom';
import type { Settings } from '../src/settings/settings';
import { ChunkSink } from '../src/timeline/chunk-sink';
import { BYTES_PER_MB, secondsToUs, US_PER_MS, US_PER_S, usToSeconds } from '../src/units';
import { AudioPipeline } from './audio-pipeline';
import { openTabStream, type TabStream } from './capture';
import { ClipSaver, type KeepInLibrary, type SaveRequest } from './clip-saver';
import { GifClient } from './gif/gif-client';
import { MuxClient } from './mux-client';
import { RegionControl } from './region-control';
import { VideoPipeline } from './video-pipeline';
import { RecordingSession, type StopReason } from './recording/recording-session';
import { disk, keepRecording, setActiveSession } from './recording/recording-service';

/** Frames waiting in the video encoder beyond which new ones are dropped (counted), not queued. */
const MAX_ENCODE_QUEUE_FRAMES = 3;
/** Duration given to an audio chunk the encoder left without one: an Opus packet. */
const AUDIO_PACKET_FALLBACK_US = 20_000;
/** The status's frame rate counts the frames in this last span of the buffer. */
const FPS_SPAN_US = 2 * US_PER_S;

export interface RecorderEvents {
  onStateChange(state: CaptureState, error: LocalText | null): void;
  /** GIF export progress (0-1), null when the export ended. */
  onProgress(fraction: number | null): void;
  /** Keeps each saved clip in the library. */
  keep: KeepInLibrary;
  /** A recording to disk started, went on another minute, or ended (with why, when it ended by itself). */
  onRecording(active: boolean, elapsedSec: number, error: Notice | null): void;
}

export interface RecordRequest {
  /** null: everything buffered. */
  includeBufferedSec: number | null;
  segmentSec: number;
  library: LibraryTarget;
}

const nowUs = (): number => Math.round(performance.now() * US_PER_MS);

export class Recorder {
  readonly ring: RingBuffer;
  #state: CaptureState = 'starting';
  #lastError: Notice | null = null;
  #stream: TabStream | null = null;
  readonly #configs = new DecoderConfigs();
  readonly #sink: ChunkSink;
  readonly #video: VideoPipeline;
  readonly #audio: AudioPipeline;
  readonly #muxer = new MuxClient();
  readonly #gifs = new GifClient();
  readonly #saver: ClipSaver;
  #recording: { session: RecordingSession; disconnect: () => void; capBytes: number; minuteTimer: ReturnType<typeof setInterval> } | null = null;
  #recordingStop: Promise<RecordStopReply> | null = null;
  readonly #region: RegionControl;
  /** What the popup says while the machine cannot keep up. */
  #paceMessage: LocalText | null = null;

  constructor(
    readonly tabId: number,
    readonly tabTitle: string,
    private readonly settings: Settings,
    private readonly captureSize: CaptureSize,
    private readonly events: RecorderEvents,
  ) {
    this.ring = new RingBuffer({
      windowUs: secondsToUs(settings.windowSec + WINDOW_SLACK_SEC),
      maxBytes: settings.maxBufferMB * BYTES_PER_MB,
    });
    this.#sink = new ChunkSink([this.ring]);
    this.#saver = new ClipSaver(this.ring, this.#configs, this.#muxer, this.#gifs, () => this.#sink.continuousUs(nowUs()), events.onProgress, events.keep,
      () => (settings.frameRateMode === 'constant' ? US_PER_S / this.#video.pace.fps : null));
    const frameUs = Math.round(US_PER_S / settings.maxFps);
    this.#video = new VideoPipeline({
      fps: settings.maxFps,
      frameRateMode: settings.frameRateMode,
      overloadPreference: settings.overloadPreference,
      keyframeIntervalUs: secondsToUs(settings.keyframeIntervalSec),
      bitrateBps: settings.videoBitrateKbps * 1000,
      maxEncodeQueue: MAX_ENCODE_QUEUE_FRAMES,
      onSample: (raw, arrival) => this.#sink.observe('video', raw, arrival),
      shouldEncode: (raw) => this.#sink.keeps('video', raw),
      onChunk: (chunk, config) => {
        const epoch = this.#configs.observeVideo(config);
        // No decoder config yet: nothing could decode this chunk.
        if (epoch >= 0) this.#sink.add('video', chunk, epoch, frameUs);
      },
      onError: (error, recovering) => {
        if (recovering) this.#lastError = localize('err_video_encoder_recovered', error.message);
        else this.#fail(localize('err_video_encoder', error.message));
      },
      onRegionLost: (message) => {
        this.#region.lost();
        this.#lastError = message;
      },
      onPace: (pace) => {
        // What the settings ask (the frame's or region's height, the frame rate) against what is encoded now.
        const { crop, frame } = this.#video.stats;
        const askedHeight = crop?.height ?? frame?.height ?? this.captureSize.height;
        const asked = { height: askedHeight, fps: settings.maxFps };
        this.#paceMessage = pace.degraded ? overloadMessage(asked, { height: Math.round(askedHeight * pace.scale) & ~1, fps: pace.fps }) : null;
      },
    });
    this.#region = new RegionControl(this.#video, this.#configs, captureSize);
    this.#audio = new AudioPipeline({
      onSample: (raw, arrival) => this.#sink.observe('audio', raw, arrival),
      onChunk: (chunk, config) => {
        if (this.#configs.observeAudio(config)) this.#sink.add('audio', chunk, 0, AUDIO_PACKET_FALLBACK_US);
      },
      onError: (error) => this.#fail(localize('err_audio_encoder', error.message)),
    });
  }

  async start(streamId: string, region: RegionRequest | null): Promise<void> {
    this.#muxer.warm();
    this.#gifs.warm();
    this.#stream = await openTabStream(streamId, {
      maxWidth: this.captureSize.width,
      maxHeight: this.captureSize.height,
      maxFps: this.settings.maxFps,
    });
    const { video, audio } = this.#stream;
    video.addEventListener('ended', () => this.#ended());
    // A tab closed while capture was starting hands over tracks that have already ended.
    if ([video, audio].some((track) => track?.readyState === 'ended')) {
      this.#ended();
      return;
    }
    this.#setState('armed');
    if (region?.rect) {
      const applied = this.setRegion(region);
      if (!applied.ok) this.#lastError = localize('err_region_kept_unfit', applied.error);
    }
    const failed = (key: 'err_video_capture_failed' | 'err_audio_capture_failed') => (error: unknown) => {
      if (this.#stream?.video.readyState === 'ended') this.#ended();
      else this.#fail(localize(key, errorMessage(error)));
    };
    void this.#video.run(video).catch(failed('err_video_capture_failed'));
    if (audio) void this.#audio.run(audio).catch(failed('err_audio_capture_failed'));
  }

  #setState(state: CaptureState, error: LocalText | null = null): void {
    this.#state = state;
    if (error) this.#lastError = error;
    this.events.onStateChange(state, error);
  }

  #fail(message: LocalText): void {
    // Out-of-band errors are kept and shown in the popup, never lost in a console.
    console.error(noticeEnglish(message));
    this.#setState('error', message);
  }

  /** The tab's capture ended by itself (the tab closed or crashed). */
  #ended(): void {
    if (this.#state === 'ended') return;
    this.#setState('ended', localize('err_capture_ended'));
    void this.#video.stop();
    void this.#audio.stop();
  }

  /** Cuts both tracks now; nothing is buffered until resume. */
  pause(): void {
    if (this.#state !== 'armed') throw new LocalError(this.#state === 'paused' ? 'err_already_paused' : 'err_nothing_recording');
    this.#sink.pause(nowUs());
    // Audio keeps flowing into its encoder: Chrome's AudioEncoder stamps output by counting
    // samples from its first input, so a hole in its input would shift every later packet. The
    // pause timeline drops those packets instead. Video frames carry their own timestamps, and
    // the pipeline asks the timeline before encoding each one (shouldEncode).
    this.#setState('paused');
  }

  /** Continues on the same timeline: the paused span is removed from both tracks. */
  resume(): void {
    if (this.#state !== 'paused') throw new LocalError('err_not_paused');
    this.#sink.resume(nowUs());
    this.#video.requestKeyFrame();
    this.#setState('armed');
  }

  /**
   * Records only `rect` from the next frame on, or the whole tab (null). The encoder starts a
   * new stream, so clips never span the change: the save reply says where one had to start.
   */
  setRegion(request: RegionRequest): RegionReply {
    if (this.#state !== 'armed' && this.#state !== 'paused') return failure('err_not_captured');
    if (this.#recording) return failure('err_region_while_recording');
    return this.#region.set(request);
  }

  /** A JPEG of the tab's next frame, for drawing a region on. */
  regionFrame(viewportCss: FrameSize): Promise<RegionFrameReply> | RegionFrameReply {
    if (this.#state !== 'armed' && this.#state !== 'paused') return failure('err_not_captured');
    return this.#region.snapshot(viewportCss);
  }

  /** Starts recording to disk beside the buffer, from the same encoders' chunks. */
  async startRecording({ includeBufferedSec, segmentSec, library }: RecordRequest): Promise<OkReply> {
    if (this.#recording || this.#recordingStop) return failure('err_already_recording');
    if (this.#state !== 'armed' && this.#state !== 'paused') return failure('err_not_captured');
    const epoch = this.#configs.videoEpoch;
    const video = this.#configs.video(epoch);
    if (!video) return failure('err_no_frame_yet');
    const ring = this.ring.stats();
    const bytesPerSec = ring.bufferedUs > US_PER_S ? ring.payloadBytes / usToSeconds(ring.bufferedUs) : 1_000_000;
    const estimate = await navigator.storage.estimate();
    const check = checkStorage({ quotaBytes: estimate.quota ?? 0, usageBytes: estimate.usage ?? 0, recordedBytes: 0, bytesPerSec });
    const refusal = startRefusal(check);
    if (refusal) return failure(refusal.key, ...(refusal.substitutions ?? []));
    const audio = this.#configs.audio;
    const manifest = {
      version: 1 as const,
      id: crypto.randomUUID(),
      title: library.title,
      sourceOrigin: library.sourceOrigin,
      createdAt: Date.now(),
      width: video.codedWidth,
      height: video.codedHeight,
      video: storeDecoderConfig(video),
      audio: audio ? storeDecoderConfig(audio) : null,
      segments: [],
    };
    await disk.request({ type: 'begin', manifest }, 'done');
    if (this.#recording) return failure('err_already_recording');
    const options = {
      segmentUs: secondsToUs(segmentSec),
      hasAudio: audio !== null,
      audioDelayUs: audio ? audioEncoderDelayUs(audio.codec, audio.description) : 0,
      lastFrameUs: Math.round(US_PER_S / this.settings.maxFps),
      epoch,
    };
    const session = new RecordingSession(manifest, options, disk, check, { bytesPerSec, usageBytes: estimate.usage ?? 0 }, (reason) => void this.#recordingMustStop(reason));
    setActiveSession(session);
    // What is buffered and what comes next meet here, in one task: nothing falls between them.
    if (includeBufferedSec !== 0 && ring.newestUs !== null) {
      const fromUs = includeBufferedSec === null ? -Infinity : ring.newestUs - secondsToUs(includeBufferedSec);
      const key = Math.max(0, this.ring.keyframeAtOrBefore(fromUs));
      if (this.ring.count('video') > 0) {
        const keyUs = this.ring.infoAt('video', key).timestampUs;
        const videoChunks = this.ring.copyOut('video', key, this.ring.count('video'));
        const audioChunks = this.ring.copyOut('audio', this.ring.lowerBound('audio', keyUs - secondsToUs(1)), this.ring.count('audio'));
        session.include(videoChunks, audioChunks);
      }
    } else {
      this.#video.requestKeyFrame();
    }
    const disconnect = this.#sink.connect(session);
    const minuteTimer = setInterval(() => this.events.onRecording(true, session.status().durationSec, null), 60_000);
    this.#recording = { session, disconnect, capBytes: library.capBytes, minuteTimer };
    this.events.onRecording(true, 0, null);
    return { ok: true };
  }

  async #recordingMustStop(reason: StopReason): Promise<void> {
    this.#lastError = reason.message;
    const reply = await this.stopRecording(reason.message);
    if (!reply.ok) this.#lastError = `${noticeEnglish(reason.message)} ${reply.error}`;
  }

  /** Ends the recording and keeps it in the library as one MP4. */
  stopRecording(endedBecause: LocalText | null = null): Promise<RecordStopReply> {
    if (this.#recordingStop) return this.#recordingStop;
    const recording = this.#recording;
    if (!recording) return Promise.resolve(failure('err_not_recording_to_disk'));
    this.#recordingStop = (async (): Promise<RecordStopReply> => {
      recording.disconnect();
      clearInterval(recording.minuteTimer);
      try {
        if (recording.session.status().frames === 0) {
          await recording.session.stop().catch(() => undefined);
          await disk.request({ type: 'remove', recordingId: recording.session.manifest.id }, 'done');
          return failure('err_recording_empty');
        }
        const finished = await recording.session.stop();
        const kept = await keepRecording(recording.session.manifest, finished, recording.capBytes);
        if (!kept.ok) return failure('err_recording_not_kept', kept.error);
        const notes = [endedBecause, finished.asRecorded ? localize('err_recording_kept_as_recorded') : null].filter((text) => text !== null);
        return {
          ok: true, libraryId: kept.value.id, durationSec: finished.durationSec, bytes: finished.bytes, segments: finished.segments, frames: finished.frames,
          ...(notes.length > 0 ? { note: notes.map(inEnglish).join(' '), noteTexts: notes } : {}),
        };
      } catch (error) {
        return failure('err_recording_not_finished', errorMessage(error));
      } finally {
        setActiveSession(null);
        this.#recording = null;
        this.#recordingStop = null;
        this.events.onRecording(false, 0, endedBecause);
      }
    })();
    return this.#recordingStop;
  }

  save(request: SaveRequest): Promise<OffscreenSaveReply> {
    return this.#saver.save(request);
  }

  kept(url: string): Promise<KeptReply> {
    return this.#saver.kept(url);
  }

  cancelExports(): boolean {
    return this.#saver.cancelExports();
  }

  revoke(url: string): void {
    this.#saver.revoke(url);
  }

  #audioLagMs(): number | null {
    const videoCount = this.ring.count('video');
    const audioCount = this.ring.count('audio');
    if (videoCount === 0 || audioCount === 0) return null;
    const video = this.ring.infoAt('video', videoCount - 1);
    const audio = this.ring.infoAt('audio', audioCount - 1);
    return (video.timestampUs + video.durationUs - audio.timestampUs - audio.durationUs) / US_PER_MS;
  }

  status(): Status {
    const ring = this.ring.stats();
    const video = this.#video.stats;
    let fps = 0;
    if (ring.newestUs !== null) {
      const recent = this.ring.count('video') - this.ring.lowerBound('video', ring.newestUs - FPS_SPAN_US + 1);
      fps = Math.min(recent, this.ring.count('video')) / usToSeconds(FPS_SPAN_US);
    }
    return {
      armed: this.#state === 'armed' || this.#state === 'starting' || this.#state === 'paused',
      state: this.#state,
      tabId: this.tabId,
      tabTitle: this.tabTitle,
      bufferedSec: usToSeconds(ring.bufferedUs),
      bytes: ring.payloadBytes,
      arenaBytes: ring.arenaBytes,
      maxBytes: this.settings.maxBufferMB * BYTES_PER_MB,
      windowSec: this.settings.windowSec,
      videoCodec: video.codec,
      audioCodec: this.#audio.codec,
      width: video.width,
      height: video.height,
      fps,
      capturedFrames: video.capturedFrames,
      encodedFrames: video.encodedFrames,
      repeatedFrames: video.repeatedFrames,
      droppedFrames: video.droppedFrames,
      pace: { mode: this.settings.frameRateMode, fps: Math.round(this.#video.pace.fps * 100) / 100, scale: this.#video.pace.scale, message: this.#paceMessage && noticeEnglish(this.#paceMessage), messageText: this.#paceMessage },
      export: this.#saver.currentExport,
      audioLagMs: this.#audioLagMs(),
      timeline: {
        newestFrameSec: ring.newestUs === null ? null : usToSeconds(ring.newestUs),
        pausedAtSec: this.#sink.pausedAtUs === null ? null : usToSeconds(this.#sink.pausedAtUs),
      },
      recording: this.#recording?.session.status() ?? null,
      region: this.#region.css(),
      ...statusError(this.#lastError),
    };
  }

  /** Stops capture, ends the workers and frees everything; idempotent. */
  async stop(): Promise<void> {
    // Disarming keeps the recording: it is finished and kept before capture stops.
    if (this.#recording || this.#recordingStop) await this.stopRecording();
    await Promise.all([this.#video.stop(), this.#audio.stop()]);
    await this.#stream?.close();
    this.#stream = null;
    this.#saver.close();
    this.#muxer.close();
    this.#gifs.close();
    this.#region.close();
    this.ring.clear();
    this.#state = 'idle';
  }
}

/**
 * The armed tab's region: turns a request in CSS pixels into the pipeline's crop (snapped by
 * src/region/region-rect.ts), starts a new epoch at each change so no clip spans it, reports the
 * region back in CSS pixels, and makes the snapshots the region page draws on.
 */
import type { DecoderConfigs } from '../src/clip/decoder-configs';
import { failure } from '../src/contract/errors';
import type { RegionFrameReply, RegionReply } from '../src/contract/messages';
import type { RegionRequest } from '../src/contract/offscreen-messages';
import { cssToFrameRect, frameToCssRect, snapRegion, type FrameSize, type RegionRect } from '../src/region/region-rect';
import type { FrameRegion, VideoPipeline } from './video-pipeline';

/** How long a snapshot waits for the tab to paint. */
const SNAPSHOT_TIMEOUT_MS = 2_000;

export class RegionControl {
  /** The region as applied: its viewport and frame size then, and the rect in CSS pixels. */
  #region: { viewportCss: FrameSize; frame: FrameSize; rectCss: RegionRect } | null = null;
  #snapshotUrl: string | null = null;

  constructor(
    private readonly video: VideoPipeline,
    private readonly configs: DecoderConfigs,
    /** The frame size expected before the first frame arrives. */
    private readonly captureSize: FrameSize,
  ) {}

  /** Records only `rect` from the next frame on, or the whole tab (null). */
  set({ rect, viewportCss }: RegionRequest): RegionReply {
    if (rect === null) return this.#clear();
    if (rect.x >= viewportCss.width || rect.y >= viewportCss.height) {
      return failure('err_region_outside', `${rect.width}x${rect.height}`, `${rect.x},${rect.y}`, `${Math.round(viewportCss.width)}x${Math.round(viewportCss.height)}`);
    }
    const frame = this.video.stats.frame ?? this.captureSize;
    const snapped = snapRegion(cssToFrameRect(rect, viewportCss, frame), frame);
    if (!snapped.ok) return snapped;
    if (snapped.whole) return this.#clear();
    const rectCss = frameToCssRect(snapped.rect, viewportCss, frame);
    this.#region = { viewportCss, frame, rectCss };
    this.#reconfigure({ rect: snapped.rect, frame });
    return { ok: true, rect: rectCss };
  }

  /** The pipeline gave the region up (the tab changed size): nothing to undo there. */
  lost(): void {
    this.#region = null;
  }

  #clear(): RegionReply {
    if (this.#region) this.#reconfigure(null);
    this.#region = null;
    return { ok: true, rect: null };
  }

  #reconfigure(region: FrameRegion | null): void {
    this.configs.startNewEpoch();
    this.video.setRegion(region);
  }

  /** The region in CSS pixels; after the frame changed size, the crop the pipeline applies now. */
  css(): RegionRect | null {
    const region = this.#region;
    if (!region) return null;
    const { frame, crop } = this.video.stats;
    if (!frame || !crop || (frame.width === region.frame.width && frame.height === region.frame.height)) return region.rectCss;
    const viewportCss = { width: (region.viewportCss.width * frame.width) / region.frame.width, height: (region.viewportCss.height * frame.height) / region.frame.height };
    return frameToCssRect(crop, viewportCss, frame);
  }

  /** A JPEG of the tab's next frame, whole, for drawing a region on; the previous one's URL is revoked. */
  async snapshot(viewportCss: FrameSize): Promise<RegionFrameReply> {
    const snapshot = await this.video.snapshot(SNAPSHOT_TIMEOUT_MS);
    if (!snapshot) return failure('err_no_picture');
    this.close();
    this.#snapshotUrl = URL.createObjectURL(snapshot.blob);
    return { ok: true, url: this.#snapshotUrl, frame: snapshot.frame, viewportCss, region: this.css() };
  }

  /** Revokes the last snapshot's URL. */
  close(): void {
    if (this.#snapshotUrl) URL.revokeObjectURL(this.#snapshotUrl);
    this.#snapshotUrl = null;
  }
}

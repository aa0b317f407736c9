/** Region capture: the public requests, and the region each tab keeps until it is cleared. */
import { failure } from '../../src/contract/errors';
import type { RegionFrameReply, RegionReply } from '../../src/contract/messages';
import type { RegionRequest } from '../../src/contract/offscreen-messages';
import { rescaleRegion, type FrameSize, type RegionRect } from '../../src/region/region-rect';
import { askOffscreen, hasOffscreenDocument } from './offscreen-client';
import { readState, updateState } from './state';

/**
 * The tab's viewport in CSS pixels: Chrome gives the tab's size in device-independent pixels,
 * and page zoom makes each CSS pixel that many of them.
 */
async function viewportCss(tabId: number): Promise<FrameSize | null> {
  const tab = await chrome.tabs.get(tabId).catch(() => null);
  if (!tab?.width || !tab.height) return null;
  const zoom = await chrome.tabs.getZoom(tabId).catch(() => 1);
  return { width: tab.width / zoom, height: tab.height / zoom };
}

async function armedTab(): Promise<number | null> {
  const state = await readState();
  return state.armedTabId !== null && !state.tabClosed && (await hasOffscreenDocument()) ? state.armedTabId : null;
}

export async function region(rect: RegionRect | null): Promise<RegionReply> {
  const tabId = await armedTab();
  if (tabId === null) return failure('err_not_recording');
  const viewport = await viewportCss(tabId);
  if (!viewport) return failure('err_tab_no_size');
  const reply = await askOffscreen({ type: 'region', rect, viewportCss: viewport });
  if (reply.ok) {
    await updateState(({ regions }) => {
      const { [tabId]: _old, ...others } = regions;
      return { regions: reply.rect ? { ...others, [tabId]: { rect: reply.rect, viewportCss: viewport } } : others };
    });
  }
  return reply;
}

export async function regionFrame(): Promise<RegionFrameReply> {
  const tabId = await armedTab();
  if (tabId === null) return failure('err_not_recording');
  const viewport = await viewportCss(tabId);
  if (!viewport) return failure('err_tab_no_size');
  return askOffscreen({ type: 'region-frame', viewportCss: viewport });
}

/** The region kept for `tabId`, scaled to its viewport now (for arming it again). */
export async function keptRegion(tabId: number): Promise<RegionRequest | null> {
  const kept = (await readState()).regions[tabId];
  if (!kept) return null;
  const viewport = await viewportCss(tabId);
  const rect = viewport ? rescaleRegion(kept.rect, kept.viewportCss, viewport) : null;
  return rect && viewport ? { rect, viewportCss: viewport } : null;
}

/** A closed tab's region goes with it. */
export async function forgetRegion(tabId: number): Promise<void> {
  if (!(tabId in (await readState()).regions)) return;
  await updateState(({ regions }) => {
    const { [tabId]: _gone, ...others } = regions;
    return { regions: others };
  });
}

/**
 * What the service worker must remember across its restarts (Chrome stops idle workers):
 * kept in chrome.storage.session, never in module variables.
 */
import type { RegionRequest } from '../../src/contract/offscreen-messages';
import type { RegionRect } from '../../src/region/region-rect';
import type { Notice } from '../../src/contract/errors';
import { oneAtATime } from '../../src/async/one-at-a-time';

export interface ServiceWorkerState {
  armedTabId: number | null;
  tabTitle: string | null;
  /** The armed page's origin (never its URL), kept with each clip in the library. */
  sourceOrigin: string | null;
  /** Set when the armed tab closes: the buffer stays savable, the popup says why capture stopped. */
  tabClosed: boolean;
  /** The last error or notice (English only when a string: older states and Chrome's own reasons). */
  lastError: Notice | null;
  /** The tab the library page was last opened in, brought forward instead of opening another. */
  libraryTabId: number | null;
  /** Blob URLs handed to chrome.downloads, by download id, to revoke when each download ends. */
  pendingDownloads: Record<string, string>;
  /** Each tab's region (CSS pixels of the viewport it was set on), kept until cleared or the tab closes. */
  regions: Record<number, RegionRequest & { rect: RegionRect }>;
}

const DEFAULT_STATE: ServiceWorkerState = {
  armedTabId: null,
  tabTitle: null,
  sourceOrigin: null,
  tabClosed: false,
  lastError: null,
  libraryTabId: null,
  pendingDownloads: {},
  regions: {},
};

const KEY = 'looptab.state';

export async function readState(): Promise<ServiceWorkerState> {
  const stored = (await chrome.storage.session.get(KEY))[KEY] as Partial<ServiceWorkerState> | undefined;
  return { ...DEFAULT_STATE, ...stored };
}

// Serialise read-modify-write so two concurrent saves do not drop each other's download ids.
const updates = oneAtATime();

export function updateState(change: (state: ServiceWorkerState) => Partial<ServiceWorkerState>): Promise<ServiceWorkerState> {
  return updates(async () => {
    const state = await readState();
    const updated = { ...state, ...change(state) };
    await chrome.storage.session.set({ [KEY]: updated });
    return updated;
  });
}

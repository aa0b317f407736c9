/// <reference lib="webworker" />
/** Muxes clips off the capture thread. One request in, one MP4 (or an error) out. */
import { errorMessage } from '../src/contract/messages';
import { muxMp4, type ClipInput } from '../src/mp4/mp4-mux';

export interface MuxRequest {
  id: number;
  clip: ClipInput;
}

/** The MP4 comes back as a Blob: made here, it costs the capture thread no copy. */
export type MuxResponse = { id: number; ok: true; blob: Blob } | { id: number; ok: false; error: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<MuxRequest>) => {
  const { id, clip } = event.data;
  try {
    const data = await muxMp4(clip);
    const blob = new Blob([data as Uint8Array<ArrayBuffer>], { type: 'video/mp4' });
    scope.postMessage({ id, ok: true, blob } satisfies MuxResponse);
  } catch (error) {
    scope.postMessage({ id, ok: false, error: `Muxing failed: ${errorMessage(error)}` } satisfies MuxResponse);
  }
};

/// <reference lib="webworker" />
/** Muxes clips off the capture thread. One request in, one MP4 (or an error) out. */
import { errorMessage } from '../src/messages';
import { muxMp4, type ClipInput } from '../src/mux';

export interface MuxRequest {
  id: number;
  clip: ClipInput;
}

export type MuxResponse = { id: number; ok: true; data: Uint8Array } | { id: number; ok: false; error: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<MuxRequest>) => {
  const { id, clip } = event.data;
  try {
    const data = await muxMp4(clip);
    scope.postMessage({ id, ok: true, data } satisfies MuxResponse, [data.buffer as ArrayBuffer]);
  } catch (error) {
    scope.postMessage({ id, ok: false, error: `Muxing failed: ${errorMessage(error)}` } satisfies MuxResponse);
  }
};

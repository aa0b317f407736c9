/// <reference lib="webworker" />
/** Muxes clips off the capture thread. One request in, one MP4 (or an error) out. */
import { errorMessage } from '../src/contract/errors';
import { parseMuxRequest, type MuxResponse } from '../src/contract/mux-worker-protocol';
import { muxMp4ToBytes } from '../src/mp4/mp4-mux';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<unknown>) => {
  const parsed = parseMuxRequest(event.data);
  if (!parsed.ok) {
    scope.postMessage({ id: parsed.id ?? -1, ok: false, error: `Bad mux request: ${parsed.error}` } satisfies MuxResponse);
    return;
  }
  const { id, clip } = parsed.value;
  try {
    const data = await muxMp4ToBytes(clip);
    const blob = new Blob([data as Uint8Array<ArrayBuffer>], { type: 'video/mp4' });
    scope.postMessage({ id, ok: true, blob } satisfies MuxResponse);
  } catch (error) {
    scope.postMessage({ id, ok: false, error: `Muxing failed: ${errorMessage(error)}` } satisfies MuxResponse);
  }
};

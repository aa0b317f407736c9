/// <reference lib="webworker" />
/**
 * Files written in place through a sync access handle (dedicated workers only): a write is on
 * disk once flushed, with no swap file to lose on a crash. mediabunny writes through a
 * StreamTarget whose chunks land at their positions.
 */
import { StreamTarget } from 'mediabunny';

const OPEN_ATTEMPTS = 6;

/**
 * Opens a sync access handle. Chromium can refuse one for a moment right after an earlier handle
 * on the same file was dropped (NoModificationAllowedError): it is tried again with backoff.
 */
export async function openSyncHandle(dir: FileSystemDirectoryHandle, name: string, create: boolean): Promise<FileSystemSyncAccessHandle> {
  const file = await dir.getFileHandle(name, { create });
  for (let attempt = 1; ; attempt++) {
    try {
      return await file.createSyncAccessHandle();
    } catch (error) {
      const busy = error instanceof DOMException && (error.name === 'NoModificationAllowedError' || error.name === 'InvalidStateError');
      if (!busy || attempt === OPEN_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
    }
  }
}

/**
 * A mediabunny target writing into `handle`. `onFlushed` gets the file's size after each write
 * is flushed (fragmented output writes one whole fragment per write).
 */
export function syncFileTarget(handle: FileSystemSyncAccessHandle, options: { chunked: boolean; onFlushed?: (fileBytes: number) => void }): StreamTarget {
  let fileBytes = 0;
  const writable = new WritableStream<{ type: 'write'; data: Uint8Array; position: number }>({
    write({ data, position }) {
      let written = 0;
      while (written < data.byteLength) {
        const n = handle.write(data.subarray(written), { at: position + written });
        if (n <= 0) throw new Error('The disk refused the write (is it full?).');
        written += n;
      }
      handle.flush();
      fileBytes = Math.max(fileBytes, position + data.byteLength);
      options.onFlushed?.(fileBytes);
    },
  });
  return new StreamTarget(writable, options.chunked ? { chunked: true, chunkSize: 4 * 1024 * 1024 } : {});
}

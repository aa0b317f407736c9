/** The part of gifenc 1.0 (MIT, https://github.com/mattdesl/gifenc) that Looptab uses. */
declare module 'gifenc' {
  /** `[r, g, b]`, or `[r, g, b, a]` with an alpha format. */
  export type GifencColor = number[];
  export type GifencFormat = 'rgb565' | 'rgb444' | 'rgba4444';

  export interface GifencStream {
    /** Live view of the bytes written so far (invalidated when the stream grows). */
    bytesView(): Uint8Array;
    bytes(): Uint8Array;
    writeByte(byte: number): void;
    writeBytes(data: ArrayLike<number>, offset?: number, byteLength?: number): void;
    writeBytesView(data: Uint8Array, offset?: number, byteLength?: number): void;
    reset(): void;
    readonly buffer: ArrayBuffer;
  }

  export interface GifencFrameOptions {
    palette?: GifencColor[] | null;
    /** With `auto: false`: write the logical screen descriptor and global table before this frame. */
    first?: boolean;
    transparent?: boolean;
    transparentIndex?: number;
    /** Milliseconds; written as `round(delay / 10)` centiseconds. */
    delay?: number;
    /** -1 once, 0 forever, n > 0 times (first frame only). */
    repeat?: number;
    colorDepth?: number;
    /** GIF disposal method; -1 lets gifenc choose. */
    dispose?: number;
  }

  export interface GifencEncoder {
    writeFrame(index: Uint8Array, width: number, height: number, opts?: GifencFrameOptions): void;
    writeHeader(): void;
    finish(): void;
    bytes(): Uint8Array;
    bytesView(): Uint8Array;
    reset(): void;
    readonly buffer: ArrayBuffer;
    readonly stream: GifencStream;
  }

  export function GIFEncoder(opts?: { auto?: boolean; initialCapacity?: number }): GifencEncoder;

  /** Nearest palette index per pixel. `rgba` must span its whole buffer (it reads `rgba.buffer`). */
  export function applyPalette(rgba: Uint8Array | Uint8ClampedArray, palette: GifencColor[], format?: GifencFormat): Uint8Array;

  export function nearestColorIndex(palette: GifencColor[], pixel: GifencColor): number;

  export default GIFEncoder;
}

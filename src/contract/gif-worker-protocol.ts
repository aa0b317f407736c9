/** The offscreen document <-> GIF worker contract. */

/** How a GIF is made: its width (height follows the aspect) and frame rate. */
export interface GifOptions {
  widthPx: number;
  fps: number;
}

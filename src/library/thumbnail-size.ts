/** Thumbnails: one frame from the middle of the clip, this wide, aspect kept, even height. */
export const THUMBNAIL_WIDTH_PX = 320;
export const THUMBNAIL_TYPE = 'image/webp';
export const THUMBNAIL_QUALITY = 0.8;

/** The thumbnail's size for a clip of `width` x `height` (never upscaled). */
export function thumbnailSize(width: number, height: number): { width: number; height: number } {
  if (!(width > 0 && height > 0)) return { width: THUMBNAIL_WIDTH_PX, height: Math.round((THUMBNAIL_WIDTH_PX * 9) / 16) };
  const outWidth = Math.min(THUMBNAIL_WIDTH_PX, width);
  const outHeight = Math.max(2, Math.round((height * outWidth) / width / 2) * 2);
  return { width: outWidth, height: outHeight };
}

/** Clip container formats a user can ask for. */
export const CLIP_FORMATS = ['mp4', 'gif'] as const;
export type ClipFormat = (typeof CLIP_FORMATS)[number];

/** Clip container formats a user can ask for. */
export const CLIP_FORMATS = ['mp4', 'gif'] as const;
export type ClipFormat = (typeof CLIP_FORMATS)[number];

/** Formats this build can write. */
export const SUPPORTED_FORMATS: readonly ClipFormat[] = ['mp4', 'gif'];

export const MIME_TYPES: Record<ClipFormat, string> = { mp4: 'video/mp4', gif: 'image/gif' };

/**
 * Reads what the editor needs of a stored clip from its file with mediabunny: frame times and
 * keyframes (packet metadata only, no bytes), size, duration, and an identity of its decoder
 * config. Runs wherever mediabunny does: the editor page, the export worker, Node tests.
 */
import { ALL_FORMATS, EncodedPacketSink, Input, type Source } from 'mediabunny';
import { descriptionBytes } from '../clip/clip-input';
import { secondsToUs } from '../units';
import type { EditSource } from './composition';

const hex = (description: AllowSharedBufferSource | undefined): string =>
  Array.from(descriptionBytes(description) ?? [], (byte) => byte.toString(16).padStart(2, '0')).join('');

/**
 * The config's identity: packets of two clips with equal keys can share one stream. The codec
 * family and the description (avcC: profile, level and the parameter sets themselves) say it;
 * the codec string's spelling does not (a file's reader derives it from the avcC's constraint
 * byte, an encoder echoes what it was configured with).
 */
export function decoderConfigKey(config: VideoDecoderConfig): string {
  return `${config.codec.slice(0, 4)}/${config.codedWidth ?? 0}x${config.codedHeight ?? 0}/${hex(config.description)}`;
}

/** Reads `source` (a clip file) as an EditSource named `id`. */
export async function readEditSource(id: string, source: Source): Promise<EditSource> {
  const input = new Input({ source, formats: ALL_FORMATS });
  try {
    const video = await input.getPrimaryVideoTrack();
    if (!video) throw new Error(`Clip ${id} has no video track.`);
    const config = await video.getDecoderConfig();
    if (!config) throw new Error(`Clip ${id}'s video cannot be decoded here (${await video.getCodecParameterString()}).`);
    const frameTimesUs: number[] = [];
    const keyframes: boolean[] = [];
    for await (const packet of new EncodedPacketSink(video).packets(undefined, undefined, { metadataOnly: true })) {
      frameTimesUs.push(secondsToUs(packet.timestamp));
      keyframes.push(packet.type === 'key');
    }
    const audio = await input.getPrimaryAudioTrack();
    return {
      id,
      durationUs: secondsToUs(await input.computeDuration()),
      width: video.displayWidth,
      height: video.displayHeight,
      hasAudio: audio !== null,
      frameTimesUs,
      keyframes,
      configKey: decoderConfigKey(config),
    };
  } finally {
    input.dispose();
  }
}

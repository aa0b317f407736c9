/**
 * How much is kept: the buffer meter (seconds and memory) and a quiet line of details; dropped
 * frames only when there are some, and the pace message while the machine cannot keep up.
 */
import type { Status } from '../../src/contract/messages';
import { localText, t } from '../i18n';
import { Meter } from '../ui/meter';
import { formatMB, formatSeconds } from './format';

function details(status: Status): string | null {
  if (!status.videoCodec) return null;
  const codecs = status.audioCodec ? t('popup_codecs', status.videoCodec, status.audioCodec) : t('popup_codec_no_audio', status.videoCodec);
  const parts = [t('popup_size', status.width ?? 0, status.height ?? 0), t('popup_fps', status.fps.toFixed(0)), codecs];
  if (status.droppedFrames > 0) parts.push(t('popup_dropped', status.droppedFrames));
  return parts.join(' · ');
}

export function BufferPanel({ status }: { status: Status }) {
  const fraction = status.windowSec > 0 ? status.bufferedSec / status.windowSec : 0;
  const line = details(status);
  return (
    <div class="buffer-panel">
      <Meter label={t('popup_buffer')} fraction={fraction}
        valueText={t('popup_buffer_value', formatSeconds(status.bufferedSec), status.windowSec)}
        detail={t('popup_buffer_memory', formatMB(status.arenaBytes), formatMB(status.maxBytes))} />
      {line && <div class="details muted">{line}</div>}
      {status.pace?.message && <p class="toast warning pace" role="status">{status.pace.messageText ? localText(status.pace.messageText) : status.pace.message}</p>}
    </div>
  );
}

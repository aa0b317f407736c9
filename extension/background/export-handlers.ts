/**
 * The editor's export: the offscreen document composes it from library clips (nothing needs to
 * be recording), the service worker names it, downloads it and reports where the library kept it.
 */
import type { ExportReply, ExportSpec } from '../../src/contract/export-request';
import { failure } from '../../src/contract/errors';
import { clipFilename } from '../../src/settings/filename-template';
import { BYTES_PER_MB } from '../../src/units';
import { loadSettings } from '../settings-store';
import { flashSaved, showError } from './badge';
import { downloadBlobUrl } from './downloads';
import { askOffscreen, ensureOffscreenDocument } from './offscreen-client';
import { t } from '../i18n';

export async function exportEdit(spec: ExportSpec): Promise<ExportReply> {
  await ensureOffscreenDocument();
  const { settings } = await loadSettings();
  const made = await askOffscreen({
    type: 'export',
    spec,
    gif: { widthPx: settings.gifWidthPx, fps: settings.gifFps },
    capBytes: settings.libraryCapMB * BYTES_PER_MB,
    editedWord: t('bg_edited_word'),
  });
  if (!made.ok) return made;
  const filename = clipFilename(settings.filenameTemplate, { title: made.title, date: new Date(), seconds: made.durationSec }, spec.format);
  const download = await downloadBlobUrl(made.url, filename);
  const kept = await askOffscreen({ type: 'kept', url: made.url });
  if (!download.ok) return failure(kept.ok ? 'err_download_start_export_kept' : 'err_download_start', download.reason);
  const { url: _url, title: _title, ...result } = made;
  if (!kept.ok) {
    const libraryError = failure('err_export_not_kept', kept.error);
    void showError(libraryError.errorText!);
    return { ...result, filename, libraryError: libraryError.error };
  }
  void flashSaved();
  return { ...result, filename, libraryId: kept.libraryId };
}

/**
 * What to save: the big "Save last N s" button, the length chips (the default from the options
 * among them), a custom length and MP4/GIF. A form, so Enter in the length box saves too. While a
 * save or an export runs, its progress and Cancel take the button's place.
 */
import type { ClipFormat } from '../../src/clip/clip-formats';
import { clipLengthChoices } from '../../src/settings/save-controls';
import { t } from '../i18n';
import { Button } from '../ui/button';
import { Meter } from '../ui/meter';
import { SegmentedControl } from '../ui/segmented-control';
import type { PopupModel } from './use-popup';

const FORMATS: readonly { value: ClipFormat; label: string }[] = [
  { value: 'mp4', label: 'MP4' },
  { value: 'gif', label: 'GIF' },
];

function Progress({ model }: { model: PopupModel }) {
  const exporting = model.status?.export;
  if (!exporting) {
    return <Meter role="progressbar" label={t('popup_saving_label')} valueText={t('popup_saving', model.savingSec ?? model.seconds)} fraction={null} />;
  }
  const percent = Math.round(exporting.fraction * 100);
  const label = exporting.format === 'gif' ? t('popup_gif_progress', exporting.seconds) : t('popup_export_progress');
  return (
    <div class="progress">
      <Meter role="progressbar" label={label} valueText={t('popup_percent', percent)} fraction={exporting.fraction} />
      <Button onClick={() => void model.cancel()}>{t('ui_cancel')}</Button>
    </div>
  );
}

export function SavePanel({ model }: { model: PopupModel }) {
  const { settings, seconds, setSeconds } = model;
  const working = model.savingSec !== null || model.status?.export;
  const onSubmit = (event: Event) => {
    event.preventDefault();
    void model.save();
  };
  return (
    <form class="save-panel" onSubmit={onSubmit}>
      {working
        ? <Progress model={model} />
        : <Button type="submit" variant="primary" size="l" class="save" disabled={!model.canSave}>{t('popup_save_last', seconds)}</Button>}
      <div class="choices">
        <div class="chips" role="group" aria-label={t('popup_clip_length')}>
          {clipLengthChoices(settings.defaultClipSec).map((length) => (
            <button type="button" class="chip" aria-pressed={seconds === length} onClick={() => setSeconds(length)}
              title={length === settings.defaultClipSec ? t('popup_default_length_hint') : undefined}>{t('popup_length_chip', length)}</button>
          ))}
          <input type="number" class="custom-length" min="1" max="600" value={seconds} aria-label={t('popup_custom_length')}
            onInput={(event) => setSeconds(Number((event.target as HTMLInputElement).value))} />
        </div>
        <SegmentedControl label={t('popup_format')} options={FORMATS} value={model.format} onChange={model.setFormat} />
      </div>
    </form>
  );
}

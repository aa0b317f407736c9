/** The part of the tab recorded: the whole tab, or a region drawn on the region page. */
import { t } from '../i18n';
import { Button } from '../ui/button';
import type { PopupModel } from './use-popup';

export function RegionRow({ model }: { model: PopupModel }) {
  const region = model.status?.region ?? null;
  return (
    <div class="region-row muted" role="group" aria-label={t('popup_region_group')}>
      <span>{region ? t('popup_region_size', Math.round(region.width), Math.round(region.height)) : t('popup_region_whole')}</span>
      <a href="region.html" target="_blank">{region ? t('popup_region_change') : t('popup_region_pick')}</a>
      {region && <Button variant="quiet" onClick={() => void model.clearRegion()}>{t('popup_region_whole')}</Button>}
    </div>
  );
}

/** An export request's clips (seconds, clip ids) as the composition's edit spec (microseconds, source indices). */
import type { ExportSpec } from '../contract/export-request';
import { secondsToUs } from '../units';
import type { EditSource, EditSpec } from './composition';

/** The distinct clip ids of a request, in first-use order: the sources to read. */
export const sourceIds = (spec: Pick<ExportSpec, 'clips'>): string[] => [...new Set(spec.clips.map((clip) => clip.id))];

/** `sources` are the clips named by sourceIds(spec), in that order. */
export function toEditSpec(spec: Omit<ExportSpec, 'format'>, sources: readonly EditSource[]): EditSpec {
  const ids = sourceIds(spec);
  return {
    ranges: spec.clips.map((clip) => {
      const source = ids.indexOf(clip.id);
      const startUs = secondsToUs(clip.startSec ?? 0);
      const endUs = clip.endSec === undefined ? (sources[source]?.durationUs ?? 0) : secondsToUs(clip.endSec);
      return { source, startUs, endUs };
    }),
    transitionUs: spec.transition ? secondsToUs(spec.transition.durationSec) : 0,
    crop: spec.crop,
  };
}

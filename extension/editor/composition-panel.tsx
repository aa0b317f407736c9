/**
 * The debug view of the composition (after AVCompositionDebugView): its tracks and segments with
 * their source ranges and output places, the instructions tiling the output with their layers
 * and ramps, which spans the export copies and which it encodes again, and what the validator
 * says. Segments alternate between two tracks so a dissolve's two layers sit on different ones.
 */
import { segmentEndUs, type Composition } from '../../src/edit/composition';
import type { RenderPlan } from '../../src/edit/render-plan';
import type { CheckedTexts } from '../../src/edit/validate';
import type { LocalText } from '../../src/i18n/english';
import { localText, t } from '../i18n';
import { number, secondsOf as s } from './format';

const span = (fromUs: number, toUs: number): string => t('editor_span', s(fromUs), s(toUs));

function Tracks({ composition, titles }: { composition: Composition; titles: ReadonlyMap<string, string> }) {
  return (
    <table class="segments">
      <caption>{t('editor_tracks')}</caption>
      <thead><tr><th>{t('editor_col_track')}</th><th>{t('editor_col_segment')}</th><th>{t('editor_col_clip')}</th><th>{t('editor_col_source_range')}</th><th>{t('editor_col_output_place')}</th></tr></thead>
      <tbody>
        {composition.segments.map((segment, index) => {
          const source = composition.sources[segment.source]!;
          return (
            <tr class="segment" data-source-start-us={segment.sourceStartUs} data-source-end-us={segment.sourceEndUs} data-output-start-us={segment.outputStartUs}>
              <td>{index % 2 === 0 ? 'A' : 'B'}</td>
              <td>{index + 1}</td>
              <td>{titles.get(source.id) ?? source.id}</td>
              <td>{span(segment.sourceStartUs, segment.sourceEndUs)}</td>
              <td>{span(segment.outputStartUs, segmentEndUs(segment))}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Instructions({ composition }: { composition: Composition }) {
  return (
    <table class="instructions">
      <caption>{t('editor_instructions')}</caption>
      <thead><tr><th>{t('editor_col_output_span')}</th><th>{t('editor_col_kind')}</th><th>{t('editor_col_layers')}</th></tr></thead>
      <tbody>
        {composition.instructions.map((instruction) => {
          const kind = instruction.layers.length > 1 ? 'dissolve' : instruction.passthrough !== null ? 'passthrough' : 'composed';
          return (
            <tr class="instruction" data-kind={kind} data-start-us={instruction.startUs} data-end-us={instruction.endUs}>
              <td>{span(instruction.startUs, instruction.endUs)}</td>
              <td>{kind === 'passthrough' ? t('editor_kind_passthrough', instruction.passthrough! + 1) : kind === 'dissolve' ? t('editor_kind_dissolve') : t(composition.crop ? 'editor_kind_composed_crop' : 'editor_kind_composed')}</td>
              <td>
                {instruction.layers.map((layer) => {
                  const { fromValue, toValue } = layer.opacity;
                  return <div>{fromValue === toValue ? t('editor_layer', layer.segment + 1, number(fromValue)) : t('editor_layer_ramp', layer.segment + 1, number(fromValue), number(toValue))}</div>;
                })}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Plan({ composition, plan }: { composition: Composition; plan: RenderPlan }) {
  return (
    <div class="plan">
      <h2>{t('editor_render_plan')}</h2>
      <ol class="runs">
        {plan.video.map((run) => {
          if (run.kind === 'encode') return <li class="run" data-kind="encode" data-start-us={run.startUs} data-end-us={run.endUs}><strong>{t('editor_run_encode')}</strong> {t('editor_run_encode_span', span(run.startUs, run.endUs))}</li>;
          const segment = composition.segments[run.segment]!;
          const times = composition.sources[segment.source]!.frameTimesUs;
          const fromUs = times[run.fromFrame]!;
          const toUs = times[run.toFrame] ?? segment.sourceEndUs;
          return (
            <li class="run" data-kind="copy" data-segment={run.segment}>
              <strong>{t('editor_run_copy')}</strong> {t(fromUs < segment.sourceStartUs ? 'editor_run_copy_preroll' : 'editor_run_copy_span', run.segment + 1, run.fromFrame, run.toFrame - 1, span(fromUs, toUs))}
            </li>
          );
        })}
      </ol>
      <p class="muted">
        {t('editor_plan_reencoded')} <span class="reencoded" data-us={plan.reencodedUs}>{t('editor_seconds', s(plan.reencodedUs))}</span> {t('editor_plan_of', s(composition.durationUs))}
        {' '}{t(plan.audio === 'copy' ? 'editor_plan_audio_copy' : plan.audio === 'mix' ? 'editor_plan_audio_mix' : 'editor_plan_audio_none')}
        {' '}{composition.crop ? t('editor_plan_output_cropped', composition.width, composition.height, composition.crop.x, composition.crop.y) : t('editor_plan_output', composition.width, composition.height)}
      </p>
      {plan.notes.length > 0 && <ul class="notes">{plan.notes.map((note) => <li>{localText(note)}</li>)}</ul>}
    </div>
  );
}

export function CompositionPanel(props: { checked: CheckedTexts; composition: Composition | null; plan: RenderPlan | null; problems: readonly LocalText[]; titles: ReadonlyMap<string, string> }) {
  const { checked, composition, plan, problems } = props;
  const count = checked.refusals.length + problems.length;
  return (
    <details class="composition">
      <summary>{t('editor_composition')}{count > 0 ? ` ${count === 1 ? t('editor_problems_one') : t('editor_problems_many', count)}` : ''}</summary>
      {checked.refusals.length > 0 && <ul class="refusals">{checked.refusals.map((text) => <li>{localText(text)}</li>)}</ul>}
      {checked.fixes.length > 0 && (
        <div><h2>{t('editor_fixed_on_export')}</h2><ul class="fixes">{checked.fixes.map((text) => <li>{localText(text)}</li>)}</ul></div>
      )}
      {composition && (
        <>
          <p class="muted">{t('editor_output_summary', s(composition.durationUs), composition.width, composition.height)}</p>
          <Tracks composition={composition} titles={props.titles} />
          <Instructions composition={composition} />
          {plan && <Plan composition={composition} plan={plan} />}
          <h2>{t('editor_validation')}</h2>
          {problems.length === 0 ? <p class="muted validation-ok">{t('editor_validation_ok')}</p> : <ul class="problems">{problems.map((text) => <li>{localText(text)}</li>)}</ul>}
        </>
      )}
    </details>
  );
}

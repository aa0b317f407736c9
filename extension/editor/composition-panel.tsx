/**
 * The debug view of the composition (after AVCompositionDebugView): its tracks and segments with
 * their source ranges and output places, the instructions tiling the output with their layers
 * and ramps, which spans the export copies and which it encodes again, and what the validator
 * says. Segments alternate between two tracks so a dissolve's two layers sit on different ones.
 */
import { segmentEndUs, type Composition } from '../../src/edit/composition';
import type { RenderPlan } from '../../src/edit/render-plan';
import type { Checked } from '../../src/edit/validate';
import { usToSeconds } from '../../src/units';

const s = (us: number): string => usToSeconds(us).toFixed(3);
const span = (fromUs: number, toUs: number): string => `${s(fromUs)}–${s(toUs)} s`;

function Tracks({ composition, titles }: { composition: Composition; titles: ReadonlyMap<string, string> }) {
  return (
    <table class="segments">
      <caption>Tracks and segments</caption>
      <thead><tr><th>Track</th><th>Segment</th><th>Clip</th><th>Source range</th><th>Output place</th></tr></thead>
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
      <caption>Instructions</caption>
      <thead><tr><th>Output span</th><th>Kind</th><th>Layers (bottom first)</th></tr></thead>
      <tbody>
        {composition.instructions.map((instruction) => {
          const kind = instruction.layers.length > 1 ? 'dissolve' : instruction.passthrough !== null ? 'passthrough' : 'composed';
          return (
            <tr class="instruction" data-kind={kind} data-start-us={instruction.startUs} data-end-us={instruction.endUs}>
              <td>{span(instruction.startUs, instruction.endUs)}</td>
              <td>{kind === 'passthrough' ? `passthrough of segment ${instruction.passthrough! + 1}` : kind === 'dissolve' ? 'dissolve (tween)' : `composed${composition.crop ? ' (crop)' : ''}`}</td>
              <td>
                {instruction.layers.map((layer) => {
                  const { fromValue, toValue } = layer.opacity;
                  return <div>segment {layer.segment + 1}: opacity {fromValue === toValue ? fromValue : `${fromValue} → ${toValue}`}{fromValue !== toValue ? ', volume on an equal-power curve' : ''}</div>;
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
      <h2>Render plan</h2>
      <ol class="runs">
        {plan.video.map((run) => {
          if (run.kind === 'encode') return <li class="run" data-kind="encode" data-start-us={run.startUs} data-end-us={run.endUs}><strong>encode again</strong> output {span(run.startUs, run.endUs)}</li>;
          const segment = composition.segments[run.segment]!;
          const times = composition.sources[segment.source]!.frameTimesUs;
          const fromUs = times[run.fromFrame]!;
          const toUs = times[run.toFrame] ?? segment.sourceEndUs;
          return (
            <li class="run" data-kind="copy" data-segment={run.segment}>
              <strong>copy</strong> segment {run.segment + 1}, frames {run.fromFrame}–{run.toFrame - 1} (source {span(fromUs, toUs)}{fromUs < segment.sourceStartUs ? ', pre-roll hidden by the edit list' : ''})
            </li>
          );
        })}
      </ol>
      <p class="muted">
        Video encoded again: <span class="reencoded" data-us={plan.reencodedUs}>{s(plan.reencodedUs)} s</span> of {s(composition.durationUs)} s.
        Audio: {plan.audio === 'copy' ? 'copied as it is' : plan.audio === 'mix' ? 'decoded, mixed and encoded' : 'none'}.
        Output {composition.width}×{composition.height}{composition.crop ? `, cropped at ${composition.crop.x},${composition.crop.y}` : ''}.
      </p>
      {plan.notes.length > 0 && <ul class="notes">{plan.notes.map((note) => <li>{note}</li>)}</ul>}
    </div>
  );
}

export function CompositionPanel(props: { checked: Checked; composition: Composition | null; plan: RenderPlan | null; problems: readonly string[]; titles: ReadonlyMap<string, string> }) {
  const { checked, composition, plan, problems } = props;
  const count = checked.refusals.length + problems.length;
  return (
    <details class="composition">
      <summary>Composition{count > 0 ? ` (${count} ${count === 1 ? 'problem' : 'problems'})` : ''}</summary>
      {checked.refusals.length > 0 && <ul class="refusals">{checked.refusals.map((text) => <li>{text}</li>)}</ul>}
      {checked.fixes.length > 0 && (
        <div><h2>Fixed on export</h2><ul class="fixes">{checked.fixes.map((text) => <li>{text}</li>)}</ul></div>
      )}
      {composition && (
        <>
          <p class="muted">Output {s(composition.durationUs)} s, {composition.width}×{composition.height}.</p>
          <Tracks composition={composition} titles={props.titles} />
          <Instructions composition={composition} />
          {plan && <Plan composition={composition} plan={plan} />}
          <h2>Validation</h2>
          {problems.length === 0 ? <p class="muted validation-ok">No problems: no gaps, overlaps, misaligned segments or bad ramps.</p> : <ul class="problems">{problems.map((text) => <li>{text}</li>)}</ul>}
        </>
      )}
    </details>
  );
}

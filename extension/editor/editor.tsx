/**
 * The editor: trims, crops and joins library clips and exports the result through the service
 * worker's `export` request. Every change goes through the pure reducer in src/edit/edit-state.ts
 * (with its undo history); what the export will do is shown before it runs, from the same
 * request reading, checkSpec (checkSpecTexts), buildComposition and planRender the export engine uses.
 */
import { render } from 'preact';
import { useCallback, useEffect, useMemo, useReducer, useState } from 'preact/hooks';
import { buildComposition } from '../../src/edit/composition';
import { applyAction, initialEditState, redo, startHistory, toExportRequest, undo, type Edge, type EditAction, type EditHistory } from '../../src/edit/edit-state';
import { sourceIds, toEditSpec } from '../../src/edit/from-request';
import { planRender } from '../../src/edit/render-plan';
import { checkSpecTexts, compositionProblems } from '../../src/edit/validate';
import { ClipList } from './clip-list';
import { CompositionPanel } from './composition-panel';
import { CropControls } from './crop-overlay';
import { ExportPanel } from './export-panel';
import { idsFromQuery, openClips, type OpenedClip } from './load-clips';
import { Preview } from './preview';
import { Timeline, type Dispatch } from './timeline';
import { LocalError } from '../../src/contract/errors';
import { localText, t, uiLanguage } from '../i18n';
import { Button } from '../ui/button';

type HistoryAction = { kind: 'edit'; action: EditAction; gesture: string | null } | { kind: 'undo' } | { kind: 'redo' };

function historyReducer(history: EditHistory, action: HistoryAction): EditHistory {
  if (action.kind === 'undo') return undo(history);
  if (action.kind === 'redo') return redo(history);
  return applyAction(history, action.action, action.gesture);
}

/** Ctrl+Z undoes, Ctrl+Shift+Z (or Ctrl+Y) redoes, anywhere on the page. */
function useUndoKeys(act: (action: HistoryAction) => void): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      const key = event.key.toLowerCase();
      if (key === 'z') act({ kind: event.shiftKey ? 'redo' : 'undo' });
      else if (key === 'y') act({ kind: 'redo' });
      else return;
      event.preventDefault();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [act]);
}

function Workspace({ opened }: { opened: OpenedClip[] }) {
  const byId = useMemo(() => ({
    files: new Map(opened.map((o) => [o.entry.id, o.file])),
    sources: new Map(opened.map((o) => [o.entry.id, o.source])),
    titles: new Map(opened.map((o) => [o.entry.id, o.entry.title])),
  }), [opened]);
  const [history, act] = useReducer(historyReducer, null, () =>
    startHistory(initialEditState(opened.map(({ source }) => ({ id: source.id, durationUs: source.durationUs, width: source.width, height: source.height })))));
  const state = history.present;
  const dispatch: Dispatch = useCallback((action, gesture) => act({ kind: 'edit', action, gesture: gesture ?? null }), []);
  useUndoKeys(act);
  const [selectedId, setSelectedId] = useState(opened[0]!.entry.id);
  const selected = state.clips.find((clip) => clip.id === selectedId) ?? state.clips[0]!;
  const [moved, setMoved] = useState<{ edge: Edge; count: number } | null>(null);
  const onEdgeMoved = useCallback((id: string, edge: Edge) => {
    setSelectedId(id);
    setMoved((previous) => ({ edge, count: (previous?.count ?? 0) + 1 }));
  }, []);

  const derived = useMemo(() => {
    // Read back as the export engine reads the request, so the panel shows what will export.
    const request = toExportRequest(state);
    const sources = sourceIds(request).map((id) => byId.sources.get(id)!);
    const checked = checkSpecTexts(sources, toEditSpec(request, sources));
    const composition = checked.spec ? buildComposition(sources, checked.spec) : null;
    return { checked, composition, plan: composition ? planRender(composition) : null, problems: composition ? compositionProblems(composition) : [] };
  }, [state, byId]);
  const first = state.clips[0]!;

  return (
    <>
      <header>
        <h1>{t('editor_page_title')}</h1>
        <span class="muted">{state.clips.length === 1 ? t('editor_clips_one') : t('editor_clips_many', state.clips.length)}</span>
        <span class="actions">
          <Button class="undo" disabled={history.past.length === 0} onClick={() => act({ kind: 'undo' })} title={t('editor_undo_keys')}>{t('editor_undo')}</Button>
          <Button class="redo" disabled={history.future.length === 0} onClick={() => act({ kind: 'redo' })} title={t('editor_redo_keys')}>{t('editor_redo')}</Button>
        </span>
        <a href="library.html" class="muted">{t('editor_library_link')}</a>
      </header>
      <div class="workspace">
        <div>
          <Preview clip={selected} file={byId.files.get(selected.id)!} moved={moved} crop={state.crop} aspect={state.aspect} frame={first} dispatch={dispatch} />
          <CropControls crop={state.crop} aspect={state.aspect} dispatch={dispatch} />
        </div>
        <ClipList clips={state.clips} titles={byId.titles} selectedId={selected.id} dispatch={dispatch} onSelect={setSelectedId} />
      </div>
      <Timeline clips={state.clips} titles={byId.titles} files={byId.files} sources={byId.sources} selectedId={selected.id} dispatch={dispatch} onSelect={setSelectedId} onEdgeMoved={onEdgeMoved} />
      <ExportPanel state={state} dispatch={dispatch} refusals={[...derived.checked.refusals, ...derived.problems]} />
      <CompositionPanel checked={derived.checked} composition={derived.composition} plan={derived.plan} problems={derived.problems} titles={byId.titles} />
    </>
  );
}

function Editor() {
  const [opened, setOpened] = useState<OpenedClip[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    openClips(idsFromQuery(location.search)).then(setOpened, (reason: unknown) => setError(reason instanceof LocalError ? localText(reason.text) : reason instanceof Error ? reason.message : String(reason)));
  }, []);
  if (error) return <div class="banner error load-error" role="alert">{error} <a href="library.html">{t('editor_back_to_library')}</a></div>;
  if (!opened) return <p class="muted">{t('editor_opening')}</p>;
  return <Workspace opened={opened} />;
}

document.documentElement.lang = uiLanguage();
document.title = t('editor_page_title');
render(<Editor />, document.getElementById('app')!);

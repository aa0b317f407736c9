/** Options: every setting validated the same way the recorder validates it. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_SETTINGS, SETTING_LIMITS, parseSettings, type Settings } from '../../src/settings/settings';
import { SETTINGS_KEY } from '../background/settings-store';

const LABELS: Record<keyof Settings, string> = {
  windowSec: 'Buffer length (s)',
  maxBufferMB: 'Memory cap (MB)',
  keyframeIntervalSec: 'Keyframe interval (s)',
  maxWidth: 'Max capture width (px)',
  maxHeight: 'Max capture height (px)',
  maxFps: 'Max frame rate',
  videoBitrateKbps: 'Video bitrate (kbps, 0 = auto)',
  defaultClipSec: 'Default clip length (s)',
  postRollSec: 'Keep recording after a save (s)',
  gifWidthPx: 'GIF width (px)',
  gifFps: 'GIF frame rate',
  gifDefaultSec: 'GIF length for the shortcut (s)',
  filenameTemplate: 'File name ({title} {date} {time} {seconds})',
};

function Options() {
  const [draft, setDraft] = useState<Record<string, unknown>>({ ...DEFAULT_SETTINGS });
  const [problems, setProblems] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    void chrome.storage.sync.get(SETTINGS_KEY).then((stored) => {
      const { settings, problems: storedProblems } = parseSettings(stored[SETTINGS_KEY]);
      setDraft({ ...settings });
      // A corrupt or old stored value fell back to its default: say so.
      setProblems(storedProblems);
    });
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const { settings, problems: found } = parseSettings(draft);
    setProblems(found);
    if (found.length > 0) return;
    await chrome.storage.sync.set({ [SETTINGS_KEY]: settings });
    setSaved(true);
    setTimeout(() => setSaved(false), 2000);
  };

  return (
    <form onSubmit={(event) => void submit(event)}>
      <h1>Looptab options</h1>
      {(Object.keys(LABELS) as (keyof Settings)[]).map((key) => {
        const limits = key in SETTING_LIMITS ? SETTING_LIMITS[key as keyof typeof SETTING_LIMITS] : null;
        return (
          <label>
            {LABELS[key]}
            {limits ? (
              <input name={key} type="number" step="any" min={limits.min} max={limits.max} value={String(draft[key] ?? '')}
                onInput={(event) => setDraft({ ...draft, [key]: Number((event.target as HTMLInputElement).value) })} />
            ) : (
              <input name={key} type="text" list="" value={String(draft[key] ?? '')}
                onInput={(event) => setDraft({ ...draft, [key]: (event.target as HTMLInputElement).value })} />
            )}
          </label>
        );
      })}
      <p class="hint">Changes apply the next time a tab is armed. Shortcuts: chrome://extensions/shortcuts</p>
      {problems.map((problem) => <p class="error">{problem}</p>)}
      <button type="submit">Save</button> {saved && <span class="ok">Saved.</span>}
    </form>
  );
}

render(<Options />, document.getElementById('app')!);

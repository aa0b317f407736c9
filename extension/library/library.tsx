/**
 * The clip library: every saved clip, newest first, with its thumbnail. Hover or focus previews a
 * clip, opening plays it; rename, download again, delete (after a confirmation). Requests go to
 * the service worker like every page's; the files are read straight from storage.
 * `library.html#<id>` (the save notification's "Open in library") scrolls to that clip and marks it.
 */
import { render } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { CLIP_FORMATS } from '../../src/clip/clip-formats';
import type { LibraryReply, PublicReplies, PublicRequest } from '../../src/contract/messages';
import type { LibraryClip } from '../../src/library/library-clip';
import { DEFAULT_VIEW, formatBytes, SORTS, sourcesOf, viewClips, type ViewOptions } from '../../src/library/library-view';
import { Card } from './clip-card';
import { ConfirmDelete, Player } from './dialogs';
import { Button } from '../ui/button';
import { EmptyState } from '../ui/empty-state';
import { Select } from '../ui/select';
import { Toast, type ToastMessage } from '../ui/toast';
import { failureText, localText, t, uiLanguage } from '../i18n';
import type { MessageKey } from '../../src/i18n/english';
import type { Failure } from '../../src/contract/errors';

type Listing = Extract<LibraryReply, { ok: true }>;

/** New clips (and thumbnails made after a save) show up without a reload. */
const REFRESH_MS = 2_000;
/** Evictions older than this are no longer announced. */
const EVICTION_NOTICE_MS = 7 * 24 * 3600 * 1000;
const SEEN_EVICTIONS_KEY = 'looptab.library.seenEvictionsAt';
/** Cards on a first screen (a few rows of the widest grid): rendered and loaded first. */
const FIRST_SCREEN_CARDS = 24;
const REST_OF_CARDS_MS = 1_000;
/** User-timing mark of the first listing's arrival (npm run bench reads it). */
const LISTED_MARK = 'looptab.library.listed';

const SORT_LABELS: Record<ViewOptions['sort'], MessageKey> = { newest: 'lib_sort_newest', oldest: 'lib_sort_oldest', largest: 'lib_sort_largest', longest: 'lib_sort_longest' };

function send<T extends PublicRequest>(request: T): Promise<PublicReplies[T['type']]> {
  return chrome.runtime.sendMessage(request);
}

/** The clip `library.html#<id>` asks for, or null. */
function hashClipId(): string | null {
  try {
    return decodeURIComponent(location.hash.slice(1)) || null;
  } catch {
    return null;
  }
}

/** The editor for these clips, in this order. */
const editorUrl = (ids: readonly string[]): string => `editor.html?ids=${ids.map(encodeURIComponent).join(',')}`;

function Library() {
  const [listing, setListing] = useState<Listing | null>(null);
  const [message, setMessage] = useState<ToastMessage | null>(null);
  const [view, setView] = useState<ViewOptions>(DEFAULT_VIEW);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [playing, setPlaying] = useState<LibraryClip | null>(null);
  const [deleting, setDeleting] = useState<LibraryClip[] | null>(null);
  // The first screen's cards render first and the rest once their thumbnails show (or after
  // REST_OF_CARDS_MS at most), so the first thumbnails do not wait on hundreds of cards.
  const [rendered, setRendered] = useState(FIRST_SCREEN_CARDS);
  const settled = useRef(0);
  const onThumbnailSettled = useCallback(() => {
    settled.current++;
    if (settled.current >= FIRST_SCREEN_CARDS) setRendered(Infinity);
  }, []);
  useEffect(() => {
    if (!listing) return undefined;
    if (listing.clips.length <= FIRST_SCREEN_CARDS) setRendered(Infinity);
    const timer = setTimeout(() => setRendered(Infinity), REST_OF_CARDS_MS);
    return () => clearTimeout(timer);
  }, [listing !== null]);
  // The clip asked for by the hash, until it has been shown once (the list refreshes every 2 s).
  const [wanted, setWanted] = useState(hashClipId);
  const [marked, setMarked] = useState<string | null>(null);
  useEffect(() => {
    const onHash = () => setWanted(hashClipId());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    if (!wanted || !listing) return;
    if (!listing.clips.some((c) => c.id === wanted)) {
      setMessage({ kind: 'error', text: t('lib_clip_gone') });
      setWanted(null);
      return;
    }
    // Filters or the first screen's limit may hide it: show everything, then find its card.
    if (rendered !== Infinity) {
      setRendered(Infinity);
    } else if (!viewClips(listing.clips, view).some((c) => c.id === wanted)) {
      setView(DEFAULT_VIEW);
    } else {
      setMarked(wanted);
      setWanted(null);
    }
  }, [wanted, listing, rendered, view]);
  // Once its card is marked (and so focusable): bring it into view and focus it.
  useEffect(() => {
    const card = marked ? document.querySelector<HTMLElement>(`li.card[data-clip-id="${CSS.escape(marked)}"]`) : null;
    card?.scrollIntoView({ block: 'center' });
    card?.focus({ preventScroll: true });
  }, [marked]);
  const [seenEvictionsAt, setSeenEvictionsAt] = useState(() => Number(localStorage.getItem(SEEN_EVICTIONS_KEY) ?? 0));

  const refresh = useCallback(async () => {
    const reply = await send({ type: 'library' });
    if (performance.getEntriesByName(LISTED_MARK).length === 0) performance.mark(LISTED_MARK);
    if (reply.ok) setListing(reply);
    else setMessage({ kind: 'error', text: failureText(reply) });
  }, []);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => document.visibilityState === 'visible' && void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const report = (reply: { ok: true } | Failure, done: string) =>
    setMessage(reply.ok ? { kind: 'ok', text: done } : { kind: 'error', text: failureText(reply) });

  const download = async (clip: LibraryClip) => {
    const reply = await send({ type: 'library-download', id: clip.id });
    report(reply, reply.ok ? t('lib_downloading', reply.filename) : '');
  };

  const rename = async (clip: LibraryClip, title: string): Promise<boolean> => {
    const reply = await send({ type: 'library-rename', id: clip.id, title });
    report(reply, t('lib_renamed'));
    await refresh();
    return reply.ok;
  };

  // An extension page may open its own pages in tabs without the "tabs" permission.
  const edit = (clips: LibraryClip[]) => void chrome.tabs.create({ url: editorUrl(clips.map((c) => c.id)) });

  const remove = async (clips: LibraryClip[]) => {
    const reply = await send({ type: 'library-delete', ids: clips.map((c) => c.id) });
    report(reply, clips.length === 1 ? t('lib_deleted_one', clips[0]!.title) : t('lib_deleted_many', clips.length));
    setSelected(new Set());
    await refresh();
  };

  if (!listing) return <p class="muted">{message?.text ?? t('lib_loading')}</p>;

  const shown = viewClips(listing.clips, view);
  const all = { value: 'all' as const, label: t('lib_filter_all') };
  const selectedClips = listing.clips.filter((c) => selected.has(c.id));
  // Oldest first: joined clips play in the order they happened.
  const editableSelected = selectedClips.filter((c) => c.format === 'mp4').sort((a, b) => a.createdAt - b.createdAt);
  const recentEvictions = listing.evictions.filter((e) => e.evictedAt > Math.max(seenEvictionsAt, Date.now() - EVICTION_NOTICE_MS));
  const dismissEvictions = () => {
    const now = Date.now();
    localStorage.setItem(SEEN_EVICTIONS_KEY, String(now));
    setSeenEvictionsAt(now);
  };

  return (
    <>
      <header>
        <h1>{t('lib_page_title')}</h1>
        <span class="muted usage">
          {listing.clips.length === 1 ? t('lib_usage_one', formatBytes(listing.usedBytes, language)) : t('lib_usage_many', listing.clips.length, formatBytes(listing.usedBytes, language))}
          {listing.quotaBytes > 0 ? t('lib_usage_quota', formatBytes(listing.quotaBytes, language)) : ''}
        </span>
        <a href="options.html" target="_blank" class="muted">{t('lib_size_link')}</a>
      </header>
      {recentEvictions.length > 0 && (
        <div class="banner evictions" role="status">
          <span>
            {recentEvictions.length === 1
              ? t('lib_evicted_one', `"${recentEvictions[0]!.title}"`)
              : t('lib_evicted_many', recentEvictions.length, recentEvictions.map((e) => `"${e.title}"`).join(', '))}
          </span>
          <Button onClick={dismissEvictions}>{t('lib_dismiss')}</Button>
        </div>
      )}
      {listing.problems.length > 0 && (
        <div class="banner error problems" role="alert">{listing.problemTexts.map(localText).join(' ')}</div>
      )}
      <Toast message={message} />
      {/* Nothing to filter or select yet: the empty library shows only how to fill it. */}
      {listing.clips.length > 0 && <div class="toolbar">
        <Select label={t('lib_filter_format')} value={view.format} onChange={(format) => setView({ ...view, format })}
          options={[all, ...CLIP_FORMATS.map((f) => ({ value: f, label: f.toUpperCase() }))]} />
        <Select label={t('lib_filter_source')} value={view.source} onChange={(source) => setView({ ...view, source })}
          options={[all, ...sourcesOf(listing.clips).map((s) => ({ value: s, label: s }))]} />
        <Select label={t('lib_filter_sort')} value={view.sort} onChange={(sort) => setView({ ...view, sort })}
          options={SORTS.map((s) => ({ value: s, label: t(SORT_LABELS[s]) }))} />
        <Button class="edit-selected" disabled={editableSelected.length === 0} onClick={() => edit(editableSelected)} title={t('lib_edit_selected_hint')}>
          {t('lib_edit_selected', editableSelected.length)}
        </Button>
        <Button variant="danger" class="delete-selected" disabled={selectedClips.length === 0} onClick={() => setDeleting(selectedClips)}>
          {t('lib_delete_selected', selectedClips.length)}
        </Button>
      </div>}
      {shown.length === 0 ? (
        <EmptyState icon={listing.clips.length === 0 ? 'record' : 'search'}>
          <p>{listing.clips.length === 0 ? t('lib_empty') : t('lib_no_match')}</p>
        </EmptyState>
      ) : (
        <ul class="grid">
          {shown.slice(0, rendered).map((clip, index) => (
            <Card
              key={clip.id}
              clip={clip}
              marked={clip.id === marked}
              eager={index < FIRST_SCREEN_CARDS}
              onThumbnailSettled={onThumbnailSettled}
              selected={selected.has(clip.id)}
              onSelect={(on) => setSelected((s) => { const next = new Set(s); if (on) next.add(clip.id); else next.delete(clip.id); return next; })}
              onOpen={() => setPlaying(clip)}
              onDownload={() => void download(clip)}
              {...(clip.format === 'mp4' ? { onEdit: () => edit([clip]) } : {})}
              onRename={(title) => rename(clip, title)}
              onDelete={() => setDeleting([clip])}
            />
          ))}
        </ul>
      )}
      {playing && <Player clip={playing} onClose={() => setPlaying(null)} />}
      {deleting && <ConfirmDelete clips={deleting} onConfirm={() => void remove(deleting)} onClose={() => setDeleting(null)} />}
    </>
  );
}

const language = uiLanguage();
document.documentElement.lang = language;
document.title = t('lib_page_title');
render(<Library />, document.getElementById('app')!);

/** The library page's hooks: object URLs that are always revoked, and cards that load when near the viewport. */
import { useEffect, useState } from 'preact/hooks';

/** An object URL made by `make` while `key` holds, revoked when it changes or the caller unmounts. */
export function useObjectUrl(make: () => Promise<string | null>, key: string | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (key === null) return undefined;
    let made: string | null = null;
    let live = true;
    void make().then((value) => {
      if (live) setUrl((made = value));
      else if (value) URL.revokeObjectURL(value);
    });
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
      setUrl(null);
    };
  }, [key]);
  return url;
}

/** One observer for every card: which element, once near the viewport, calls what. */
const nearCallbacks = new Map<Element, () => void>();
const nearObserver = new IntersectionObserver(
  (entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      nearCallbacks.get(entry.target)?.();
      nearCallbacks.delete(entry.target);
      nearObserver.unobserve(entry.target);
    }
  },
  { rootMargin: '400px' },
);

/** True once the element comes near the viewport: thumbnails load screen by screen, not all at once. */
export function useNearViewport(element: { current: Element | null }, already: boolean): boolean {
  const [near, setNear] = useState(already);
  useEffect(() => {
    const target = element.current;
    if (near || !target) return undefined;
    nearCallbacks.set(target, () => setNear(true));
    nearObserver.observe(target);
    return () => {
      nearCallbacks.delete(target);
      nearObserver.unobserve(target);
    };
  }, [near]);
  return near;
}

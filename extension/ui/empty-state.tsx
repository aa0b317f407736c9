/** A page or panel with nothing to show yet: an icon, what this is, and what to do. */
import type { ComponentChildren } from 'preact';

export type EmptyIcon = 'record' | 'blocked' | 'ended' | 'error' | 'search';

const PATHS: Record<EmptyIcon, string> = {
  record: 'M12 4a8 8 0 1 0 0 16 8 8 0 0 0 0-16Zm0 4a4 4 0 1 1 0 8 4 4 0 0 1 0-8Z',
  blocked: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18Zm-6 9a6 6 0 0 1 9.5-4.9l-8.4 8.4A6 6 0 0 1 6 12Zm6 6a6 6 0 0 1-3.5-1.1l8.4-8.4A6 6 0 0 1 12 18Z',
  ended: 'M6 5h12a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1Zm2 3v8h8V8H8Z',
  error: 'M12 3 2 20h20L12 3Zm-1 6h2v6h-2V9Zm0 7h2v2h-2v-2Z',
  search: 'M10 3a7 7 0 1 0 4.2 12.6l5.1 5.1 1.4-1.4-5.1-5.1A7 7 0 0 0 10 3Zm0 2a5 5 0 1 1 0 10 5 5 0 0 1 0-10Z',
};

export interface EmptyStateProps {
  icon: EmptyIcon;
  /** Absent where one sentence (the children) says it all (the library's grid). */
  title?: string;
  children?: ComponentChildren;
  /** The buttons or links that lead on. */
  actions?: ComponentChildren;
  /** Heading level of the title: h1 when it is the page's (the popup's states), else h2. */
  level?: 1 | 2;
}

export function EmptyState({ icon, title, children, actions, level = 2 }: EmptyStateProps) {
  const Heading = level === 1 ? 'h1' : 'h2';
  return (
    <section class="empty-state">
      <svg class="empty-icon" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" fill-rule="evenodd" d={PATHS[icon]} /></svg>
      {title && <Heading>{title}</Heading>}
      {children}
      {actions && <div class="empty-actions">{actions}</div>}
    </section>
  );
}

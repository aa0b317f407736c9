// Accessibility checks of a live page with axe-core (a dev dependency, never bundled): its
// source is evaluated in the page over CDP, because an extension page's CSP (`script-src 'self'`)
// refuses the inline <script> that page.addScriptTag({ content }) would add.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { ImpactValue, Result } from 'axe-core';
import type { Page } from 'puppeteer-core';

export type Impact = Exclude<ImpactValue, null>;
export type ColorScheme = 'light' | 'dark';

export interface AxeOptions {
  /** Which impacts count. Default: serious and critical. */
  impacts?: readonly Impact[];
  /** CSS selectors left out of the check. */
  exclude?: readonly string[];
}

export interface AxeViolation {
  id: string;
  impact: Impact;
  help: string;
  helpUrl: string;
  /** Each failing element: its selector and what axe says is wrong with it. */
  nodes: { target: string; summary: string }[];
}

/** Elements listed per violation in a report; one bad colour can fail dozens. */
const MAX_NODES_SHOWN = 6;

let axeSource: Promise<string> | null = null;

function loadAxeSource(): Promise<string> {
  return (axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));
}

/** Runs axe-core on `page` as it is now and returns the violations of the given impacts. */
export async function axeViolations(page: Page, options: AxeOptions = {}): Promise<AxeViolation[]> {
  const impacts: readonly Impact[] = options.impacts ?? ['serious', 'critical'];
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(await loadAxeSource());
  const results = await page.evaluate(async (exclude: string[]) => {
    const { axe } = globalThis as unknown as { axe: typeof import('axe-core') };
    const context = exclude.length > 0 ? { exclude } : document;
    const { violations } = await axe.run(context, { resultTypes: ['violations'] });
    // Elements do not cross the CDP boundary: keep only the plain fields.
    return violations.map(({ id, impact, help, helpUrl, nodes }) => ({
      id, impact, help, helpUrl,
      nodes: nodes.map((node) => ({ target: node.target.join(' '), summary: node.failureSummary ?? '' })),
    }));
  }, [...(options.exclude ?? [])]);
  return (results as (Omit<Result, 'nodes'> & { nodes: AxeViolation['nodes'] })[])
    .filter((v): v is typeof v & { impact: Impact } => v.impact != null && impacts.includes(v.impact))
    .map(({ id, impact, help, helpUrl, nodes }) => ({ id, impact, help, helpUrl, nodes }));
}

/** Sets `prefers-color-scheme` for `page` (pages with `color-scheme: light dark` follow it). */
export async function emulateColorScheme(page: Page, scheme: ColorScheme): Promise<void> {
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
  const applied = await page.evaluate((s) => matchMedia(`(prefers-color-scheme: ${s})`).matches, scheme);
  if (!applied) throw new Error(`prefers-color-scheme: ${scheme} did not take effect in ${page.url()}`);
}

/**
 * Runs axe in light and then in dark, and returns every violation found, each line saying where
 * (`where`, the scheme), the rule, its impact, its help and the elements. Empty when clean.
 * Leaves the page in light.
 */
export async function axeReport(page: Page, where: string, options: AxeOptions = {}): Promise<string> {
  const lines: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await emulateColorScheme(page, scheme);
    for (const violation of await axeViolations(page, options)) {
      lines.push(`${where} (${scheme}): ${violation.id} [${violation.impact}] ${violation.help} (${violation.helpUrl})`);
      for (const node of violation.nodes.slice(0, MAX_NODES_SHOWN)) lines.push(`    ${node.target}: ${node.summary.replace(/\s*\n\s*/g, ' ')}`);
      if (violation.nodes.length > MAX_NODES_SHOWN) lines.push(`    … and ${violation.nodes.length - MAX_NODES_SHOWN} more elements`);
    }
  }
  await emulateColorScheme(page, 'light');
  return lines.join('\n');
}

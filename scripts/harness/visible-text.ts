// What a page shows a reader: its visible text nodes and the text in attributes a screen reader
// or a tooltip shows (aria-label, title, placeholder, alt, a button's value).
import type { Page } from 'puppeteer-core';

/** Every visible text of the page, trimmed and with runs of white space made one space. */
export async function visibleTexts(page: Page): Promise<string[]> {
  // No named inner functions here: tsx would wrap them in a __name() the page lacks.
  return page.evaluate(() => {
    const texts: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      // A closed select's options are not rendered, yet a reader opens it: its visibility counts.
      if (!parent || parent.closest('script, style, template') || !(parent.closest('select') ?? parent).checkVisibility()) continue;
      texts.push(node.textContent ?? '');
    }
    for (const el of document.body.querySelectorAll<HTMLElement>('[aria-label], [title], [placeholder], [alt], input[type="button"], input[type="submit"], input[type="reset"], button[value]')) {
      if (!(el.closest('select') ?? el).checkVisibility()) continue;
      for (const name of ['aria-label', 'title', 'placeholder', 'alt']) texts.push(el.getAttribute(name) ?? '');
      if (el.matches('input[type="button"], input[type="submit"], input[type="reset"], button[value]')) texts.push((el as HTMLInputElement).value);
    }
    return texts.map((text) => text.replace(/\s+/g, ' ').trim()).filter((text) => text !== '');
  });
}

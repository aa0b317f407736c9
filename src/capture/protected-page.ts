/**
 * Pages no extension may capture: Chrome's own pages, other extensions' pages and the Web Store.
 * Chrome withholds the tab's URL and the capture grant there.
 */
const PROTECTED_URL = /^(chrome|chrome-extension|chrome-untrusted|devtools|edge|about|view-source):|^https:\/\/(chromewebstore\.google\.com|chrome\.google\.com\/webstore)/;

/** True when the tab's page is one no extension may record (its URL hidden or protected). */
export function isProtectedPage(url: string | undefined): boolean {
  return url === undefined || url === '' || PROTECTED_URL.test(url);
}

import type { Failure } from '../messaging/protocol';

/** Pages no extension may script, whatever its permissions: the browser's own pages and the extension stores. */
const RESTRICTED = [
  /^(chrome|edge|brave|opera|vivaldi|about|chrome-extension|moz-extension|view-source|devtools|chrome-search):/i,
  /^https:\/\/(chromewebstore\.google\.com|chrome\.google\.com\/webstore|microsoftedge\.microsoft\.com\/addons|addons\.mozilla\.org)/i,
];

const RESTRICTED_MESSAGE =
  'Browsers do not let extensions read this kind of page (browser pages, extension stores, the built-in PDF viewer). ' +
  'Copy the text into the workspace instead, or clip it from an ordinary web page.';

/** Whether a URL is one the browser never lets an extension script, so the user can be told before trying. */
export function isRestrictedUrl(url: string | undefined): boolean {
  return url !== undefined && RESTRICTED.some((r) => r.test(url));
}

/** A failure saying the page cannot be read by any extension. */
export function restrictedPage(): Failure {
  return { ok: false, code: 'restricted-page', message: RESTRICTED_MESSAGE };
}

/**
 * Turns a `scripting.executeScript` rejection into a sentence for the user. Chrome words these differently per
 * case ("Cannot access a chrome:// URL", "The extensions gallery cannot be scripted", "Cannot access contents of
 * the page…"); the last one means no user gesture granted `activeTab` for this tab (or the PDF viewer).
 */
export function explainScriptingError(error: unknown, url: string | undefined): Failure {
  const text = error instanceof Error ? error.message : String(error);
  if (isRestrictedUrl(url) || /chrome:\/\/|gallery cannot be scripted|cannot be scripted|PDF/i.test(text)) {
    return restrictedPage();
  }
  if (/No tab with id/i.test(text)) {
    return { ok: false, code: 'not-found', message: 'That tab is no longer open.' };
  }
  if (url !== undefined && /\.pdf([?#]|$)/i.test(url)) return restrictedPage();
  return {
    ok: false,
    code: 'no-access',
    message:
      'cxplan can only read a page after you ask it to on that page: use the right-click menu "Clip as customer ' +
      'feedback", the keyboard shortcut, or the toolbar button while the page is open.',
  };
}

/** The frame every portlab page shares: self-contained (inline CSS, no script) and unable to load anything. */
import { escapeHtml } from './format.js';
import { REPORT_CSS } from './html-style.js';

/** A whole page: `body` is the inside of <main>, `css` is added after the shared styles. */
export function htmlPage(title: string, body: readonly string[], css = ''): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Belt and braces for "no network": even an injected reference could not load anything.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${REPORT_CSS}${css ? `\n${css}` : ''}</style>`,
    '</head>',
    '<body>',
    '<main>',
    ...body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

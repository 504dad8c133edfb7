/** A tiny tag tokenizer for checking report.html's structure in tests (no DOM library needed). */

export interface Tag {
  name: string;
  attrs: Record<string, string>;
  /** Offset of the tag in the page. */
  index: number;
  closing: boolean;
}

const TAG_RE = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+(?:="[^"]*")?)*)\s*\/?>/g;
const ATTR_RE = /([\w:-]+)(?:="([^"]*)")?/g;

/** Every start and end tag, in order. */
export function tags(html: string): Tag[] {
  const out: Tag[] = [];
  for (const m of html.matchAll(TAG_RE)) {
    const attrs: Record<string, string> = {};
    for (const a of m[3]!.matchAll(ATTR_RE)) attrs[a[1]!] = a[2] ?? '';
    out.push({ name: m[2]!.toLowerCase(), attrs, index: m.index, closing: m[1] === '/' });
  }
  return out;
}

/** Tags whose class list holds every one of `classes`. */
export function withClass(list: Tag[], ...classes: string[]): Tag[] {
  return list.filter((t) => !t.closing && classes.every((c) => (t.attrs.class ?? '').split(/\s+/).includes(c)));
}

/** The markup of one chart: from its <svg data-chart="id"> to the matching </svg>. */
export function chartMarkup(html: string, id: string): string {
  const start = html.indexOf(`data-chart="${id}"`);
  if (start < 0) throw new Error(`no chart ${id}`);
  const from = html.lastIndexOf('<svg', start);
  return html.slice(from, html.indexOf('</svg>', start) + '</svg>'.length);
}

/** Number of points in an SVG path's d attribute (one per M or L command). */
export function pathPoints(d: string): number {
  return (d.match(/[ML]/g) ?? []).length;
}

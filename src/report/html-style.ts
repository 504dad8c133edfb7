/** The report's inline stylesheet: no web fonts, no external files, readable printed or on a phone. */
export const REPORT_CSS = `
:root { --fg: #1f2937; --muted: #6b7280; --line: #e5e7eb; --card: #ffffff; --bg: #f6f7f9;
  --pass: #15803d; --pass-bg: #dcfce7; --fail: #b91c1c; --fail-bg: #fee2e2; --accent: #2563eb; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
main { max-width: 1160px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 28px; margin: 4px 0 4px; overflow-wrap: anywhere; }
h1 .brand { color: var(--muted); font-weight: 500; margin-right: 6px; }
h2 { font-size: 17px; margin: 0 0 10px; }
code { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.top { margin-bottom: 16px; }
.description { font-size: 16px; margin: 0 0 6px; overflow-wrap: anywhere; }
.meta, .muted { color: var(--muted); font-size: 13px; margin: 0; }
.verdict { display: inline-block; margin: 0; padding: 2px 10px; border-radius: 999px; font-size: 12px;
  font-weight: 700; text-transform: uppercase; letter-spacing: .04em; }
.verdict.pass, .badge.pass { color: var(--pass); background: var(--pass-bg); }
.verdict.fail, .badge.fail { color: var(--fail); background: var(--fail-bg); }
.verdict.none { color: var(--muted); background: var(--line); }
.badge { padding: 1px 8px; border-radius: 6px; font-weight: 600; white-space: nowrap; font-size: 13px; }
.card, .diagnosis, figure.chart-figure { background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  padding: 16px 18px; margin: 0 0 16px; }
.diagnosis { border-left: 5px solid var(--accent); }
.diagnosis.exhausted { border-left-color: var(--fail); }
.diagnosis.healthy { border-left-color: var(--pass); }
.diagnosis p { margin: 0; font-size: 16px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 0 16px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
caption { text-align: left; color: var(--muted); font-size: 13px; padding: 8px 0 4px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top;
  overflow-wrap: anywhere; }
thead th { color: var(--muted); font-weight: 600; font-size: 13px; }
tbody th { font-weight: 600; white-space: nowrap; }
table.latency td, table.errors td:nth-child(3), table.errors td:nth-child(4) { font-variant-numeric: tabular-nums; }
.advice { margin: 10px 0 0; color: var(--fg); }
.notes { margin: 8px 0 0; padding-left: 20px; color: var(--muted); font-size: 13px; }
figure.chart-figure { padding: 12px 12px 6px; }
figure.chart-figure h2 { margin: 2px 6px 2px; }
figcaption { color: var(--muted); font-size: 13px; margin: 0 6px 4px; }
svg.chart { display: block; width: 100%; height: auto; font-family: inherit; }
footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 24px; }
@media print { body { background: #fff; } .card, figure.chart-figure { break-inside: avoid; } }
`;

/**
 * A board document as one self-contained HTML page with A4 print styles: what the browser shows, what
 * Chromium prints to PDF, and what a board paper's author can open and print. Every text is escaped;
 * charts are the server's SVG; count cells carry data-count so tests can check disclosure control.
 */
import { formatUkDate } from "../server/calendar/dates";
import type { Block, Cell, ReportDocument } from "./boardDocument";
import { periodText, show } from "./boardDocument";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const STYLE = `
@page { size: A4; margin: 22mm 16mm 20mm; }
/* The page's own A4 margins when printed from a browser; Chromium's PDF sets them itself. */
* { box-sizing: border-box; }
body { font-family: Arial, "Helvetica Neue", Helvetica, sans-serif; color: #0b0c0c; font-size: 11pt; line-height: 1.4; margin: 0; }
main { max-width: 180mm; margin: 0 auto; padding: 12mm 0; }
h1 { font-size: 24pt; margin: 0 0 6mm; }
h2 { font-size: 16pt; margin: 10mm 0 4mm; border-bottom: 2px solid #1d70b8; padding-bottom: 1mm; break-after: avoid; }
.cover { break-after: page; }
.cover .meta { font-size: 13pt; }
.marking { border: 3px solid #d4351c; color: #d4351c; font-weight: 700; padding: 2mm 4mm; margin-bottom: 6mm; text-transform: none; }
table { border-collapse: collapse; width: 100%; margin: 0 0 6mm; break-inside: avoid; font-size: 10pt; }
caption { text-align: left; font-weight: 700; margin-bottom: 2mm; }
th, td { border-bottom: 1px solid #b1b4b6; padding: 1.5mm 3mm 1.5mm 0; text-align: left; vertical-align: top; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 0 0 6mm; break-inside: avoid; }
figcaption { font-weight: 700; margin-bottom: 2mm; }
figure svg { max-width: 100%; height: auto; }
.summary li { margin-bottom: 2mm; }
table + p.note { font-size: 9pt; margin: -4mm 0 6mm; color: #505a5f; break-before: avoid; }
dl dt { font-weight: 700; margin-top: 3mm; }
dl dd { margin: 0; }
@media print { .marking-repeat { position: fixed; top: 0; left: 0; right: 0; text-align: center; font-size: 9pt; color: #d4351c; font-weight: 700; } }
@media screen { .marking-repeat { display: none; } }
`;

function cell(value: Cell, isCount: boolean): string {
  const text = escapeHtml(show(value));
  if (!isCount) return `<td${typeof value === "number" ? ' class="number"' : ""}>${text}</td>`;
  return `<td class="number" data-count="${escapeHtml(String(value ?? ""))}">${text}</td>`;
}

function block(b: Block): string {
  if (b.kind === "paragraph") return `<p>${escapeHtml(b.text)}</p>`;
  if (b.kind === "chart") {
    return `<figure><figcaption>${escapeHtml(b.title)}</figcaption>${b.svg}<p>${escapeHtml(b.description)}</p></figure>`;
  }
  const head = `<thead><tr>${b.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join("")}</tr></thead>`;
  const rows = b.rows.length
    ? b.rows.map((r) => `<tr>${r.map((v, i) => (i === 0 ? `<th scope="row">${escapeHtml(show(v))}</th>` : cell(v, b.countColumns.includes(i)))).join("")}</tr>`).join("")
    : `<tr><td colspan="${b.columns.length}">None in the quarter.</td></tr>`;
  const note = b.note ? `<p class="note">${escapeHtml(b.note)}</p>` : "";
  return `<table><caption>${escapeHtml(b.caption)}</caption>${head}<tbody>${rows}</tbody></table>${note}`;
}

/** `print`: for Chromium's PDF, whose page header carries the marking (so the page itself does not repeat it). */
export function boardDocumentHtml(doc: ReportDocument, options: { print?: boolean } = {}): string {
  const marking = doc.marking ? `<p class="marking" role="note">${escapeHtml(doc.marking)}</p>` : "";
  const repeat = doc.marking && !options.print ? `<div class="marking-repeat" aria-hidden="true">${escapeHtml(doc.marking)}</div>` : "";
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>${escapeHtml(doc.title)} – ${escapeHtml(doc.partnerships.join(", "))}</title>
<style>${STYLE}</style>
</head>
<body>
${repeat}
<main>
<section class="cover">
${marking}
<h1>${escapeHtml(doc.title)}</h1>
<p class="meta"><strong>${escapeHtml(doc.partnerships.join(", "))}</strong></p>
<p class="meta">${escapeHtml(doc.quarterLabel)}: ${escapeHtml(periodText(doc))}. Records as they stood on ${escapeHtml(formatUkDate(doc.asOf))}.</p>
<p>${escapeHtml(doc.disclosureStatement)}</p>
<h2>Summary</h2>
<ul class="summary">${doc.summary.map((s) => `<li>${escapeHtml(s)}</li>`).join("")}</ul>
</section>
${doc.sections.map((s) => `<section id="${escapeHtml(s.id)}">${marking}<h2>${escapeHtml(s.title)}</h2>${s.blocks.map(block).join("\n")}</section>`).join("\n")}
<section id="caveats"><h2>About these figures</h2><ul>${doc.caveats.map((c) => `<li>${escapeHtml(c)}</li>`).join("")}</ul></section>
<section id="glossary"><h2>How the figures are counted</h2><dl>${doc.glossary.map((g) => `<dt>${escapeHtml(g.name)}</dt><dd>${escapeHtml(g.definition)}</dd>`).join("")}</dl></section>
</main>
</body>
</html>
`;
}

/**
 * Board documents as Word files (board papers are compiled in Word), from the same model as the HTML
 * and PDF: headings, the summary as a list, tables with header rows, charts as PNG pictures drawn
 * by Chromium from the same SVG, caveats and glossary. An exact document carries the marking in
 * the header of every page.
 */
import {
  AlignmentType,
  Document,
  Footer,
  Header,
  HeadingLevel,
  ImageRun,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import { formatUkDate } from "../server/calendar/dates";
import { periodText, show, type Block, type ReportDocument } from "./boardDocument";
import { sharedChromium } from "./chromium";

/** PNG pictures of the charts, drawn from their SVG by Chromium at twice the size for print. */
async function chartPictures(svgs: string[]): Promise<Array<{ png: Buffer; width: number; height: number }>> {
  if (svgs.length === 0) return [];
  const browser = await sharedChromium();
  const context = await browser.newContext({ javaScriptEnabled: false, offline: true, deviceScaleFactor: 2 });
  try {
    const page = await context.newPage();
    const pictures = [];
    for (const svg of svgs) {
      await page.setContent(`<!doctype html><html><body style="margin:0;background:#fff;font-family:Arial,sans-serif">${svg}</body></html>`);
      const element = page.locator("svg").first();
      const box = (await element.boundingBox())!;
      pictures.push({ png: await element.screenshot({ type: "png" }), width: Math.round(box.width), height: Math.round(box.height) });
    }
    return pictures;
  } finally {
    await context.close();
  }
}

const text = (value: string, options: { bold?: boolean } = {}) => new TextRun({ text: value, bold: options.bold, font: "Arial" });

function table(b: Extract<Block, { kind: "table" }>): Table {
  const header = new TableRow({
    tableHeader: true,
    children: b.columns.map((c) => new TableCell({ children: [new Paragraph({ children: [text(c, { bold: true })] })] })),
  });
  const rows = b.rows.map(
    (r) =>
      new TableRow({
        children: r.map(
          (v, i) =>
            new TableCell({
              children: [new Paragraph({ alignment: i > 0 && typeof v !== "string" ? AlignmentType.RIGHT : AlignmentType.LEFT, children: [text(show(v), { bold: i === 0 })] })],
            }),
        ),
      }),
  );
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [header, ...rows] });
}

export async function boardDocumentDocx(doc: ReportDocument): Promise<Uint8Array> {
  const charts = doc.sections.flatMap((s) => s.blocks).filter((b): b is Extract<Block, { kind: "chart" }> => b.kind === "chart");
  const pictures = await chartPictures(charts.map((c) => c.svg));
  const pictureOf = new Map(charts.map((c, i) => [c, pictures[i]!]));
  const body: Array<Paragraph | Table> = [];
  if (doc.marking) body.push(new Paragraph({ children: [new TextRun({ text: doc.marking, bold: true, color: "D4351C", font: "Arial" })] }));
  body.push(
    new Paragraph({ heading: HeadingLevel.TITLE, children: [text(doc.title)] }),
    new Paragraph({ children: [text(doc.partnerships.join(", "), { bold: true })] }),
    new Paragraph({ children: [text(`${doc.quarterLabel}: ${periodText(doc)}. Records as they stood on ${formatUkDate(doc.asOf)}.`)] }),
    new Paragraph({ children: [text(doc.disclosureStatement)] }),
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [text("Summary")] }),
    ...doc.summary.map((s) => new Paragraph({ bullet: { level: 0 }, children: [text(s)] })),
  );
  for (const section of doc.sections) {
    body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: [text(section.title)] }));
    for (const b of section.blocks) {
      if (b.kind === "paragraph") body.push(new Paragraph({ children: [text(b.text)] }));
      else if (b.kind === "table") {
        body.push(new Paragraph({ heading: HeadingLevel.HEADING_3, keepNext: true, children: [text(b.caption)] }), table(b));
        // The table's footnote (what "varies" means), in smaller type under it.
        if (b.note) body.push(new Paragraph({ children: [new TextRun({ text: b.note, font: "Arial", size: 18 })] }));
        body.push(new Paragraph({ children: [] }));
      } else {
        const picture = pictureOf.get(b)!;
        // A4 text width is about 16 cm: 600 px wide at most, keeping the chart's proportions.
        const width = Math.min(600, picture.width);
        body.push(
          new Paragraph({ heading: HeadingLevel.HEADING_3, keepNext: true, children: [text(b.title)] }),
          new Paragraph({
            children: [
              new ImageRun({
                type: "png",
                data: picture.png,
                transformation: { width, height: Math.round((picture.height * width) / picture.width) },
                altText: { title: b.title, description: b.description, name: b.title },
              }),
            ],
          }),
          new Paragraph({ children: [text(b.description)] }),
        );
      }
    }
  }
  body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: [text("About these figures")] }));
  body.push(...doc.caveats.map((c) => new Paragraph({ bullet: { level: 0 }, children: [text(c)] })));
  body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [text("How the figures are counted")] }));
  for (const g of doc.glossary) body.push(new Paragraph({ children: [text(`${g.name}. `, { bold: true }), text(g.definition)] }));

  const document = new Document({
    creator: "Escalation warehouse",
    title: `${doc.title}, ${doc.partnerships.join(", ")}`,
    styles: { default: { document: { run: { font: "Arial", size: 22 } } } },
    sections: [
      {
        headers: {
          default: new Header({
            children: [new Paragraph({ alignment: AlignmentType.CENTER, children: doc.marking ? [new TextRun({ text: doc.marking, bold: true, color: "D4351C", font: "Arial", size: 16 })] : [] })],
          }),
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                children: [
                  new TextRun({ text: `${doc.partnerships.join(", ")}, ${doc.quarterLabel}. Page `, font: "Arial", size: 16 }),
                  new TextRun({ children: [PageNumber.CURRENT], font: "Arial", size: 16 }),
                  new TextRun({ text: " of ", font: "Arial", size: 16 }),
                  new TextRun({ children: [PageNumber.TOTAL_PAGES], font: "Arial", size: 16 }),
                ],
              }),
            ],
          }),
        },
        properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1247, bottom: 1134, left: 907, right: 907 } } },
        children: body,
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

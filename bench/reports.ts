/**
 * Board report documents on the national-scale world (bench/world.ts, database ew_bench_national on
 * the local server, built once and kept): time to produce one partnership-quarter board report as
 * PDF and as Word, from the figures to the file's bytes (target: under 3 s each).
 *
 *   npx tsx bench/reports.ts
 */
import fs from "node:fs";
import path from "node:path";
import { openWarehouse } from "../db/client";
import { getBoardDocument } from "../reports/boardDocument";
import { closeSharedChromium, sharedChromium } from "../reports/chromium";
import { boardDocumentDocx } from "../reports/docx";
import { boardDocumentPdf } from "../reports/pdf";
import { nationalWorldUrl } from "./world";

const SERVER = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const QUARTER = "2026-Q3";
const AS_OF = "2026-11-23";

function median(ms: number[]): number {
  const sorted = [...ms].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const lines: string[] = [];
const say = (line: string) => {
  lines.push(line);
  console.log(line);
};
const warehouse = await openWarehouse({ databaseUrl: await nationalWorldUrl(SERVER) });
try {
  await sharedChromium(); // started once per process, as in the app
  const times = { model: [] as number[], pdf: [] as number[], docx: [] as number[] };
  let sizes = { pdf: 0, docx: 0 };
  for (let i = 0; i < 6; i++) {
    const partnership = `p${String(40 + i).padStart(3, "0")}`;
    let t = performance.now();
    const document = await getBoardDocument(warehouse.db, { partnerships: [partnership], quarter: QUARTER, asOf: AS_OF, published: true });
    const model = performance.now() - t;
    t = performance.now();
    const pdf = await boardDocumentPdf(document);
    const pdfMs = performance.now() - t;
    t = performance.now();
    const docx = await boardDocumentDocx(document);
    const docxMs = performance.now() - t;
    if (i === 0) continue; // warm-up
    times.model.push(model);
    times.pdf.push(model + pdfMs);
    times.docx.push(model + docxMs);
    sizes = { pdf: pdf.length, docx: docx.length };
  }
  say(`National world (150 partnerships, 1,000,000 escalations), one partnership's published board report for ${QUARTER}, median of 5:`);
  say(`  figures and document model ${median(times.model).toFixed(0)} ms`);
  say(`  PDF  (model + Chromium print) ${median(times.pdf).toFixed(0)} ms, ${(sizes.pdf / 1024).toFixed(0)} KB`);
  say(`  Word (model + charts drawn as PNG + docx) ${median(times.docx).toFixed(0)} ms, ${(sizes.docx / 1024).toFixed(0)} KB`);
} finally {
  await closeSharedChromium();
  await warehouse.close();
}
fs.mkdirSync(path.join("bench", "out"), { recursive: true });
fs.writeFileSync(path.join("bench", "out", "reports.txt"), `${lines.join("\n")}\n`);

/** Board documents as PDF: the HTML rendering printed by Chromium on A4, the marking on every page. */
import type { ReportDocument } from "./boardDocument";
import { sharedChromium } from "./chromium";
import { boardDocumentHtml, escapeHtml } from "./html";

export async function boardDocumentPdf(doc: ReportDocument): Promise<Uint8Array> {
  const browser = await sharedChromium();
  const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
  try {
    const page = await context.newPage();
    await page.setContent(boardDocumentHtml(doc, { print: true }), { waitUntil: "load" });
    const marking = doc.marking ? escapeHtml(doc.marking) : "";
    const pdf = await page.pdf({
      format: "A4",
      printBackground: true,
      displayHeaderFooter: true,
      margin: { top: "22mm", bottom: "20mm", left: "16mm", right: "16mm" },
      headerTemplate: `<div style="font-family: Arial, sans-serif; font-size: 8pt; width: 100%; text-align: center; color: #d4351c; font-weight: bold;">${marking}</div>`,
      footerTemplate: `<div style="font-family: Arial, sans-serif; font-size: 8pt; width: 100%; padding: 0 16mm; display: flex; justify-content: space-between; color: #505a5f;"><span>${escapeHtml(doc.partnerships.join(", "))}, ${escapeHtml(doc.quarterLabel)}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
      tagged: true,
    });
    return new Uint8Array(pdf);
  } finally {
    await context.close();
  }
}

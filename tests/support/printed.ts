/**
 * What a published board document prints, read back cell by cell (not from the suppression that made
 * it): for the attacker to be run over the document as a reader sees it.
 */
import type { BoardDocument } from "../../reports/boardDocument";
import type { Publication, PublishedBoardReport } from "../../reports/disclosure";

/** A cell of the document's publication as the document prints it (undefined: not printed as a count). */
export function printedCell(document: BoardDocument, publication: Publication, key: string): unknown {
  const figures = document.figures as PublishedBoardReport;
  const trend = /^trend\.(.+)\.(raised|closed)$/.exec(key);
  if (trend) return document.trend.find((t) => t.quarter === trend[1])![trend[2] as "raised" | "closed"];
  const month = /^spc\.(\w+)\.(\d{4}-\d{2})$/.exec(key);
  if (month) {
    const chart = figures.spc![month[1] as keyof NonNullable<PublishedBoardReport["spc"]>];
    return chart.values[chart.months.indexOf(month[2]!)];
  }
  if (key.startsWith("quality.")) {
    // The caveats print them in words: a number, or "too few to publish: shown as c".
    const line = document.caveats.find((c) => c.includes(key === "quality.rowsRejected" ? "uploaded rows were rejected" : "have a stage left without a date"))!;
    const shownAs = /shown as (c|\*)/.exec(line);
    return shownAs ? shownAs[1] : Number(/^(\d[\d,]*)/.exec(line)![1]!.replaceAll(",", ""));
  }
  if (key.startsWith("scrutiny.")) {
    const section = document.sections.find((x) => x.id === "scrutiny")!;
    if (section.blocks[0]!.kind === "paragraph" && section.blocks.length === 1) return 0;
    if (key === "scrutiny.rated") {
      const shown = /rated (\S+) sampled/.exec((section.blocks[0] as { text: string }).text)![1]!;
      return /^\d/.test(shown) ? Number(shown.replaceAll(",", "")) : shown;
    }
    const table = section.blocks.find((b) => b.kind === "table") as { rows: unknown[][] };
    return table.rows.find((r) => r[0] === key.slice("scrutiny.".length).replaceAll("_", " "))![1];
  }
  const [root, ...path] = key.split(".");
  let at: unknown = root === "e" ? figures.escalations : figures.dissent;
  if (path[0] === "timescale") return (at as { timescale: Array<Record<string, unknown>> }).timescale.find((t) => String(t.stage) === path[1])![path[2]!];
  if (path[0] === "recurring") return (at as { recurringThemes: Array<{ count: unknown }> }).recurringThemes[Number(path[1])]!.count;
  for (const p of path) at = (at as Record<string, unknown>)[p];
  return at;
}

/** The hidden cells, and the withheld percentages, medians and chart summaries, as printed. */
export function printedSuppression(document: BoardDocument, publication: Publication): { hidden: Set<string>; withheld: Set<string> } {
  const figures = document.figures as PublishedBoardReport;
  const mark = figures.disclosure.profile === "dfe" ? "c" : "*";
  const hidden = new Set(Object.keys(publication.cells).filter((k) => printedCell(document, publication, k) === mark));
  const withheld = new Set<string>();
  const quarterly: Record<string, unknown> = {
    "e.resolvedAtLowestLevelPct": figures.escalations.resolvedAtLowestLevelPct,
    "e.medianWorkingDaysToClose": figures.escalations.medianWorkingDaysToClose,
    "e.learningWithinOneMonthPct": figures.escalations.learningWithinOneMonthPct,
    "d.chairFollowUpWithinLimitPct": figures.dissent.chairFollowUpWithinLimitPct,
    "d.ratePer100Conferences": figures.dissent.ratePer100Conferences,
  };
  for (const [k, v] of Object.entries(quarterly)) if (v === mark) withheld.add(k);
  for (const p of publication.percents) if (p.key.startsWith("spc.") && printedCell(document, publication, p.key) === mark) withheld.add(p.key);
  for (const c of publication.charts ?? []) if (figures.spc![c.key.slice(4) as keyof NonNullable<PublishedBoardReport["spc"]>].mean === mark) withheld.add(c.key);
  return { hidden, withheld };
}

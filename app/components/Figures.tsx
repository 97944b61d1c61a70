/** Headline figure cards: the value, its change on last quarter and on the same quarter last year, and a small trend. */
import { sparkline } from "@/reports/charts";

export interface HeadlineFigure {
  id: string;
  label: string;
  glossary: string;
  /** Oldest first; the last is the quarter shown. */
  series: Array<number | null>;
  unit?: "count" | "percent" | "days";
  previousLabel?: string;
  lastYearLabel?: string;
}

export function formatFigure(value: number | null, unit: HeadlineFigure["unit"] = "count"): string {
  if (value === null) return "not measured";
  if (unit === "percent") return `${value.toLocaleString("en-GB", { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;
  if (unit === "days") return `${value.toLocaleString("en-GB")} working days`;
  return value.toLocaleString("en-GB");
}

function change(now: number | null, then: number | null | undefined, unit: HeadlineFigure["unit"], thenLabel: string | undefined): string | null {
  if (then === undefined || thenLabel === undefined) return null;
  if (now === null || then === null) return `no comparison with ${thenLabel}`;
  // Differences of rounded figures, rounded again so that 0.1 + 0.2 never shows as 0.30000000000000004.
  const diff = Math.round((now - then) * 10) / 10;
  const size = unit === "percent" ? `${Math.abs(diff).toLocaleString("en-GB")} points` : Math.abs(diff).toLocaleString("en-GB");
  if (diff === 0) return `no change on ${thenLabel} (${formatFigure(then, unit)})`;
  return `${diff > 0 ? "up" : "down"} ${size} on ${thenLabel} (${formatFigure(then, unit)})`;
}

export function FigureCards({ figures }: { figures: HeadlineFigure[] }) {
  return (
    <ul className="app-figures">
      {figures.map((f) => {
        const now = f.series.at(-1) ?? null;
        const previous = change(now, f.series.at(-2), f.unit, f.previousLabel);
        const lastYear = change(now, f.series.length >= 5 ? f.series.at(-5) : undefined, f.unit, f.lastYearLabel);
        return (
          <li className="app-figure" key={f.id}>
            <a className="govuk-link app-figure__label" href={`/glossary#${f.glossary}`}>
              {f.label}
            </a>
            <span className="app-figure__value" data-figure={f.id}>
              {formatFigure(now, f.unit)}
            </span>
            {previous ? <span className="app-figure__change">{previous}</span> : null}
            {lastYear ? <span className="app-figure__change">{lastYear}</span> : null}
            <span className="app-figure__spark" dangerouslySetInnerHTML={{ __html: sparkline(f.series) }} />
          </li>
        );
      })}
    </ul>
  );
}

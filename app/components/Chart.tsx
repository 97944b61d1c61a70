/**
 * A chart as the dashboard shows every chart: a title, a sentence saying what it shows, the SVG
 * (drawn on the server), and the same data as a table for anyone who cannot see or read the chart.
 */
export interface ChartTable {
  caption: string;
  columns: string[];
  /** The first cell of each row is its header. */
  rows: Array<Array<string | number | null>>;
  /** Which columns hold numbers (right-aligned). */
  numeric?: boolean[];
}

export function Chart({ id, title, summary, svg, table, glossary }: { id: string; title: string; summary: string; svg: string; table: ChartTable; glossary?: string }) {
  return (
    <figure className="app-chart" id={id} aria-labelledby={`${id}-title`}>
      <h2 className="app-chart__title" id={`${id}-title`}>
        {title}
      </h2>
      <p className="app-chart__summary">
        {summary}
        {glossary ? (
          <>
            {" "}
            <a className="govuk-link" href={`/glossary#${glossary}`}>
              How this is counted
            </a>
          </>
        ) : null}
      </p>
      <div className="app-chart__svg" dangerouslySetInnerHTML={{ __html: svg }} />
      <details className="govuk-details">
        <summary className="govuk-details__summary">
          <span className="govuk-details__summary-text">{title}: the data as a table</span>
        </summary>
        <div className="govuk-details__text">
          <DataTable {...table} />
        </div>
      </details>
    </figure>
  );
}

export function DataTable({ caption, columns, rows, numeric, id }: ChartTable & { id?: string }) {
  const isNumeric = (i: number) => numeric?.[i] ?? i > 0;
  return (
    <div className="app-table-scroll">
      <table className="govuk-table" id={id}>
        <caption className="govuk-table__caption govuk-table__caption--s">{caption}</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            {columns.map((c, i) => (
              <th key={i} scope="col" className={`govuk-table__header${isNumeric(i) ? " govuk-table__header--numeric" : ""}`}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {rows.map((row, r) => (
            <tr key={r} className="govuk-table__row">
              {row.map((cell, i) =>
                i === 0 ? (
                  <th key={i} scope="row" className="govuk-table__header">
                    {cell}
                  </th>
                ) : (
                  <td key={i} className={`govuk-table__cell${isNumeric(i) ? " govuk-table__cell--numeric" : ""}`}>
                    {formatCell(cell)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Numbers in UK style; a missing value says so rather than showing a blank or zero. */
export function formatCell(value: string | number | null): string {
  if (value === null) return "not measured";
  return typeof value === "number" ? value.toLocaleString("en-GB") : value;
}

/**
 * CSV written for people to open in a spreadsheet. A cell starting with = + - @ (or a tab or
 * carriage return) would run as a formula in Excel, so it is prefixed with an apostrophe.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function quote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV line (CRLF-terminated, as Excel writes) from cells, each neutralised and quoted. */
export function csvLine(cells: ReadonlyArray<string | number | null | undefined>): string {
  return `${cells.map((c) => quote(neutraliseFormula(c === null || c === undefined ? "" : String(c)))).join(",")}\r\n`;
}

/**
 * How names from uploads and configuration are compared: case-insensitively, trimmed, with runs of
 * spaces folded (IMPORT-FORMAT.md, "Values from a fixed list"), and with the curly quotes and
 * dashes that Word and Excel substitute read as the plain ones.
 */
export function normaliseName(value: string): string {
  return value
    .normalize("NFC")
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, "-")
    .trim()
    .replace(/\s+/g, " ")
    .toLowerCase();
}

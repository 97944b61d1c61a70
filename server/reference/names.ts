/**
 * How names from uploads and configuration are compared: case-insensitively, trimmed, with runs of
 * spaces folded (IMPORT-FORMAT.md, "Values from a fixed list").
 */
export function normaliseName(value: string): string {
  return value.normalize("NFC").trim().replace(/\s+/g, " ").toLowerCase();
}

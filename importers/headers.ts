/**
 * Header matching (IMPORT-FORMAT.md): case-insensitive, surrounding space ignored, and space, '-',
 * '_' and '.' all the same. A header that is a column's own name is that column even where it is
 * also another column's alias. Unknown columns are ignored and reported.
 */
import { COLUMNS, type UploadKind } from "./formats";

export function normaliseHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase()
    .replace(/[\s\-_.]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

export interface HeaderMapping {
  /** Canonical column name → index of the file's column. */
  columns: Map<string, number>;
  /** Headers matching no column, as written. */
  unknown: string[];
}

export class HeaderError extends Error {
  override name = "HeaderError";
}

export function mapHeaders(kind: UploadKind, headers: string[]): HeaderMapping {
  const specs = COLUMNS[kind];
  const ownNames = new Map(specs.map((s) => [normaliseHeader(s.name), s.name]));
  const aliases = new Map<string, string>();
  for (const s of specs) for (const alias of s.aliases) aliases.set(normaliseHeader(alias), s.name);

  const columns = new Map<string, number>();
  const unknown: string[] = [];
  // A column's own name first: it wins over any header that is only an alias of that column.
  headers.forEach((header, index) => {
    const column = ownNames.get(normaliseHeader(header));
    if (column === undefined) return;
    const earlier = columns.get(column);
    if (earlier !== undefined) throw duplicate(headers, earlier, index, column);
    columns.set(column, index);
  });
  const byAlias = new Set<string>();
  headers.forEach((header, index) => {
    const key = normaliseHeader(header);
    if (ownNames.has(key)) return;
    const column = key === "" ? undefined : aliases.get(key);
    if (column === undefined) {
      unknown.push(key === "" ? `(column ${index + 1}, no header)` : header.trim());
      return;
    }
    const earlier = columns.get(column);
    if (earlier !== undefined && !byAlias.has(column)) {
      unknown.push(`${header.trim()} (${column} is given by its own column)`);
      return;
    }
    if (earlier !== undefined) throw duplicate(headers, earlier, index, column);
    columns.set(column, index);
    byAlias.add(column);
  });

  const missing = specs.filter((s) => s.required && !columns.has(s.name));
  if (missing.length) {
    const names = missing.map((s) => (s.aliases.length ? `${s.name} (or ${s.aliases.map((a) => `"${a}"`).join(", ")})` : s.name));
    throw new HeaderError(
      `The file has no ${names.join(", no ")} column. ${kind === "escalations" ? "An" : "A"} ${kind.replace("_", " ")} upload needs ` +
        `${specs.filter((s) => s.required).map((s) => s.name).join(", ")}. Check the header row, or download the template.`,
    );
  }
  return { columns, unknown };
}

function duplicate(headers: string[], earlier: number, index: number, column: string): HeaderError {
  return new HeaderError(
    `Columns ${earlier + 1} ("${headers[earlier]!.trim()}") and ${index + 1} ("${headers[index]!.trim()}") both give ${column}; ` +
      "keep one of them and upload the file again.",
  );
}

import { createHash } from "node:crypto";

/**
 * record_ref as compared: a reference made only of digits loses its leading zeros, because
 * spreadsheets drop them (000123 and 123 are the same record).
 */
export function comparableRecordRef(ref: string): string {
  const trimmed = ref.trim();
  return /^\d+$/.test(trimmed) ? trimmed.replace(/^0+(?=\d)/, "") : trimmed;
}

/** SHA-256 of a row's loaded content, so that an unchanged row is recognised and not rewritten. */
export function contentHash(values: Record<string, unknown>): string {
  const keys = Object.keys(values).sort();
  return createHash("sha256")
    .update(JSON.stringify(keys.map((k) => [k, values[k] ?? null])))
    .digest("hex");
}

export function sha256Hex(bytes: string | Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

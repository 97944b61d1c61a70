/**
 * record_ref as compared: a reference made only of digits loses its leading zeros, because
 * spreadsheets drop them (000123 and 123 are the same record).
 */
export function comparableRecordRef(ref: string): string {
  const trimmed = ref.trim();
  return /^\d+$/.test(trimmed) ? trimmed.replace(/^0+(?=\d)/, "") : trimmed;
}


/**
 * A percentage as METRICS.md rounds every percentage: one decimal place, half away from zero, null
 * when the denominator is 0. For ratios the page derives from counts the database returned (the
 * database rounds its own the same way, in numeric).
 */
export function percent(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  // 1000·n/d is exact at every tie (x.5) for integer counts, so Math.round (half up) rounds half away from zero here.
  return Math.round((1000 * numerator) / denominator) / 10;
}

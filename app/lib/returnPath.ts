/**
 * Where the sign-in page may send someone afterwards: a path on this site, never another site.
 * A `next` such as "/\evil.example", "/%09/evil.example" or "//evil" passes a "starts with one
 * slash" check, yet browsers resolve it off-site (they read "\" as "/" and drop tabs and newlines),
 * so the candidate is resolved the way a browser would, and refused when it leaves the origin or
 * carries anything a browser would rewrite.
 */
const ORIGIN = "http://return-path.invalid";

/** A backslash, or a control character (tab, newline, NUL…) that URL parsers silently remove. */
const rewritable = (text: string) => [...text].some((c) => c === "\\" || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

export function safeReturnPath(next: unknown, fallback = "/"): string {
  if (typeof next !== "string" || next === "" || next.length > 2000) return fallback;
  if (!next.startsWith("/") || next.startsWith("//")) return fallback;
  if (rewritable(next)) return fallback;
  let resolved: URL;
  try {
    resolved = new URL(next, ORIGIN);
  } catch {
    return fallback;
  }
  if (resolved.origin !== ORIGIN) return fallback;
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  // Decoded, the path must still be one path on this site (e.g. "/%5C%5Cevil" or "/%2F%2Fevil" stay refused).
  let decoded: string;
  try {
    decoded = decodeURIComponent(resolved.pathname);
  } catch {
    return fallback;
  }
  if (decoded.startsWith("//") || rewritable(decoded)) return fallback;
  return path.startsWith("/") && !path.startsWith("//") ? path : fallback;
}

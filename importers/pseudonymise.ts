/**
 * Child identifiers are replaced by a keyed hash (HMAC-SHA-256 with a per-deployment secret) the
 * moment they are read; the plain value is never stored, logged or returned.
 */
import { createHmac } from "node:crypto";
import { deploymentSecret } from "../db/secrets";

const MIN_SECRET_LENGTH = 32;

/** NHS numbers and case references are compared without spaces and case. */
export function normaliseChildRef(ref: string): string {
  return ref.replace(/\s+/g, "").toUpperCase();
}

export type ChildRefHasher = (ref: string) => string;

export function childRefHasher(secret: string): ChildRefHasher {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`The child reference secret must be at least ${MIN_SECRET_LENGTH} characters long.`);
  }
  return (ref) => createHmac("sha256", secret).update(normaliseChildRef(ref)).digest("hex");
}

/** NHS numbers end in a modulus-11 check digit; a value of exactly 10 digits must pass it. */
export function isValidNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

/** The hasher for this process's database choice (CHILD_REF_SECRET, or the embedded data folder's own). */
export function deploymentHasher(): ChildRefHasher {
  return childRefHasher(deploymentSecret("CHILD_REF_SECRET", "child-ref-secret"));
}

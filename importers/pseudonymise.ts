/**
 * Child identifiers are replaced by a keyed hash (HMAC-SHA-256 with a per-deployment secret) the
 * moment they are read; the plain value is never stored, logged or returned.
 */
import { createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataDirectory } from "../db/client";

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

/**
 * The deployment's secret: CHILD_REF_SECRET from the environment; on the embedded database, when it
 * is not set, one generated into the data folder on first use and kept there.
 */
export function deploymentSecret(options: { dataDir?: string; usingServer: boolean }): string {
  const fromEnv = process.env.CHILD_REF_SECRET;
  if (fromEnv) return fromEnv;
  if (options.usingServer || !options.dataDir) {
    throw new Error(
      "CHILD_REF_SECRET is not set. A deployment on a Postgres server needs a secret of at least 32 characters " +
        "to pseudonymise child references (for example: openssl rand -hex 32). Keep it safe: it cannot be changed later " +
        "without re-importing every file.",
    );
  }
  const file = path.join(options.dataDir, "child-ref-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const secret = randomBytes(32).toString("hex");
  fs.mkdirSync(options.dataDir, { recursive: true });
  fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
  return secret;
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

/** The hasher for this process's database choice (DATABASE_URL, or the embedded data folder). */
export function deploymentHasher(): ChildRefHasher {
  const usingServer = Boolean(process.env.DATABASE_URL);
  return childRefHasher(deploymentSecret({ usingServer, dataDir: usingServer ? undefined : dataDirectory() }));
}

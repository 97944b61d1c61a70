/**
 * Per-deployment secrets: from the environment, or, on the embedded database only, generated into
 * the data folder on first use and kept there (so the two-command demo needs no setup).
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataDirectory } from "./client";

const MIN_LENGTH = 32;

export function deploymentSecret(envVar: string, fileName: string): string {
  const fromEnv = process.env[envVar];
  if (fromEnv) {
    if (fromEnv.length < MIN_LENGTH) throw new Error(`${envVar} must be at least ${MIN_LENGTH} characters long.`);
    return fromEnv;
  }
  if (process.env.DATABASE_URL) {
    throw new Error(
      `${envVar} is not set. A deployment on a Postgres server needs it (at least ${MIN_LENGTH} characters, e.g. openssl rand -hex 32); ` +
        "keep it safe and never change it.",
    );
  }
  const dir = dataDirectory();
  const file = path.join(dir, fileName);
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const secret = randomBytes(32).toString("hex");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
  return secret;
}

/**
 * Writes the demo uploads as CSV files in the upload formats.
 *
 *   npm run demo:generate -- --out DIR [--seed N] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--reference FILE]
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { DEFAULT_DEMO_OPTIONS, generateDemo } from "../importers/demo/generate";
import { writeDemoFiles } from "../importers/demo/files";
import { isoDateSchema } from "../server/calendar/dates";
import { parseReferenceDataJson } from "../server/reference/config";

const { values } = parseArgs({
  options: {
    out: { type: "string", default: "demo-uploads" },
    seed: { type: "string", default: String(DEFAULT_DEMO_OPTIONS.seed) },
    from: { type: "string", default: DEFAULT_DEMO_OPTIONS.from },
    to: { type: "string", default: DEFAULT_DEMO_OPTIONS.to },
    reference: { type: "string", default: "db/reference/demo.json" },
  },
});

const seed = Number(values.seed);
if (!Number.isInteger(seed)) throw new Error(`--seed must be a whole number, not "${values.seed}"`);
const from = isoDateSchema.parse(values.from);
const to = isoDateSchema.parse(values.to);
const reference = parseReferenceDataJson(fs.readFileSync(values.reference, "utf8"));
const files = generateDemo(reference, { seed, from, to });
writeDemoFiles(values.out, files);
const count = (kind: string) => files.filter((f) => f.kind === kind).reduce((n, f) => n + f.rows.length, 0);
console.log(
  `Wrote ${files.length} files to ${values.out}: ${count("escalations")} escalations, ${count("dissent")} dissents, ` +
    `${count("conference_activity")} months of conference activity.`,
);

/**
 * drizzle skips a migration whose journal timestamp is older than the newest applied one
 * (drizzle-orm issue 5769), so CI checks that the journal's timestamps strictly increase and that
 * every journal entry has its SQL file and every SQL file its entry.
 */
import fs from "node:fs";
import path from "node:path";

const folder = path.join(process.cwd(), "db", "migrations");
const journal = JSON.parse(fs.readFileSync(path.join(folder, "meta", "_journal.json"), "utf8")) as {
  entries: Array<{ idx: number; when: number; tag: string }>;
};
const problems: string[] = [];
journal.entries.forEach((entry, i) => {
  if (entry.idx !== i) problems.push(`entry ${entry.tag} has idx ${entry.idx}, expected ${i}`);
  const previous = journal.entries[i - 1];
  if (previous && entry.when <= previous.when) {
    problems.push(`${entry.tag} (${entry.when}) is not later than ${previous.tag} (${previous.when})`);
  }
  if (!fs.existsSync(path.join(folder, `${entry.tag}.sql`))) problems.push(`${entry.tag}.sql is missing`);
});
const tags = new Set(journal.entries.map((e) => e.tag));
for (const file of fs.readdirSync(folder).filter((f) => f.endsWith(".sql"))) {
  if (!tags.has(file.replace(/\.sql$/, ""))) problems.push(`${file} is not in the journal (generate migrations with drizzle-kit)`);
}
if (problems.length) {
  console.error(`Migration journal problems:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exit(1);
}
console.log(`Migration journal OK: ${journal.entries.length} migrations, timestamps strictly increasing.`);

import fs from "node:fs";
import postgres from "postgres";
import { openWarehouse } from "../db/client";
import { importFile } from "../importers/importFile";
import { childRefHasher } from "../importers/pseudonymise";
const url = "postgres://postgres@127.0.0.1:5432/ew_bench_national";
const file = "/tmp/up.csv";
const rows = ["record_ref,raising_agency,receiving_agency,concern_arose_on,themes,stage1_on,status,closed_on"];
for (let i = 0; i < 100_000; i++) {
  const month = String(1 + (i % 9)).padStart(2, "0"); const day = String(1 + (i % 27)).padStart(2, "0");
  const closed = i % 3 === 0 ? `2026-${month}-28` : "";
  rows.push(`LOAD-A00073-${i},A00073,A${String(74 + (i % 11)).padStart(5, "0")},2026-${month}-${day},thresholds,2026-${month}-${day},${closed ? "resolved" : "open"},${closed}`);
}
fs.writeFileSync(file, rows.join("\n") + "\n");
const w = await openWarehouse({ databaseUrl: url });
const stats = postgres(url, { max: 1, onnotice: () => {} });
await stats`select pg_stat_statements_reset()`;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const r = await importFile(w.db, { filePath: file, fileName: "up.csv", kind: "escalations", agency: "A00073", actor: "bench", hasher: childRefHasher("x".repeat(40)), dryRun: true });
const cpu = process.cpuUsage(cpu0);
console.log("dry run ms", (performance.now() - t0).toFixed(0), "node cpu ms", ((cpu.user + cpu.system) / 1000).toFixed(0), r.outcome);
const top = await stats`select calls::int, round(total_exec_time::numeric,0)::float as ms, left(regexp_replace(query, '\s+', ' ', 'g'), 140) as q from pg_stat_statements order by total_exec_time desc limit 10`;
for (const s of top) console.log(s.ms, s.calls, s.q);
await stats.end(); await w.close();

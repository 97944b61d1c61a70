import { openWarehouse } from "../db/client";
import { escalationBreakdowns, recurringThemes } from "../server/metrics/escalationMeasures";
import { resolveScope } from "../server/metrics/scope";
const w = await openWarehouse({ dataDir: "/tmp/probe-data" });
const scope = await resolveScope(w.db, { partnerships: ["hampshire"], quarter: "2026-Q3", from: "2024-Q4", asOf: "2026-11-23" });
for (let i = 0; i < 3; i++) {
  let t = performance.now(); await escalationBreakdowns(w.db, scope); console.log("breakdowns", (performance.now() - t).toFixed(0));
  t = performance.now(); await recurringThemes(w.db, scope); console.log("recurring", (performance.now() - t).toFixed(0));
}
await w.close();

/**
 * What each route of the load benchmark costs with nothing else running: one signed-in reader asks
 * each route for ROUTE_REQUESTS successive partnerships in turn (production build on postgres.js, the
 * national world), and the time of each answer is kept. When the server has pg_stat_statements
 * loaded, the statements that took the most database time are listed too: where a page's time goes.
 *
 *   npx tsx bench/routes.ts        (ROUTE_REQUESTS=20 by default; APP_PRELOAD=file.cjs is required into
 *                                   the app, e.g. a script that starts the inspector's CPU profiler)
 */
import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { prepareReaders, ROUTES } from "./readers";
import { NATIONAL } from "./world";

const SERVER = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const REQUESTS = Number(process.env.ROUTE_REQUESTS ?? 20);

const lines: string[] = [];
const say = (line: string) => {
  lines.push(line);
  console.log(line);
};
const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

async function statementsAvailable(sqlClient: postgres.Sql): Promise<boolean> {
  const [row] = await sqlClient`select count(*)::int as n from pg_extension where extname = 'pg_stat_statements'`;
  return row!.n === 1;
}

async function main(): Promise<void> {
  const { databaseUrl, appUrl, cookies, startServing } = await prepareReaders(SERVER);
  const stats = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const withStatements = await statementsAvailable(stats);
  const app = await startServing();
  try {
    for (const route of ROUTES) await fetch(`${appUrl}${route.path(0)}`, { headers: { cookie: cookies.get(route.user)! } });
    if (withStatements) await stats`select pg_stat_statements_reset()`;
    say(`Each route alone, ${REQUESTS} successive partnerships, one reader, on the national world (${NATIONAL.escalations.toLocaleString("en-GB")} escalations), ${new Date().toISOString().slice(0, 10)}:`);
    say("  route                      p50 ms   p95 ms   max ms");
    let total = 0;
    for (const route of ROUTES) {
      const times: number[] = [];
      for (let i = 1; i <= REQUESTS; i++) {
        const t0 = performance.now();
        const response = await fetch(`${appUrl}${route.path(i)}`, { headers: { cookie: cookies.get(route.user)! } });
        await response.arrayBuffer();
        times.push(performance.now() - t0);
        if (!response.ok) throw new Error(`${route.name} answered ${response.status}`);
      }
      times.sort((a, b) => a - b);
      total += times.reduce((s, t) => s + t, 0);
      say(`  ${route.name.padEnd(24)} ${percentile(times, 0.5).toFixed(0).padStart(8)} ${percentile(times, 0.95).toFixed(0).padStart(8)} ${times.at(-1)!.toFixed(0).padStart(8)}`);
    }
    say(`  mean over all routes: ${(total / (REQUESTS * ROUTES.length)).toFixed(0)} ms a request`);
    if (withStatements) {
      const top = await stats<{ calls: number; total_ms: number; mean_ms: number; query: string }[]>`
        select calls::int, round(total_exec_time::numeric, 0)::float as total_ms, round(mean_exec_time::numeric, 1)::float as mean_ms, query
        from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
        order by total_exec_time desc limit 12`;
      say("Statements by database time over those requests:");
      for (const s of top) say(`  ${String(s.total_ms).padStart(7)} ms  ${String(s.calls).padStart(5)} calls  ${String(s.mean_ms).padStart(7)} ms each  ${s.query.replace(/\s+/g, " ").slice(0, 110)}`);
    }
  } finally {
    await app.stop();
    await stats.end();
  }
  fs.mkdirSync(path.join("bench", "out"), { recursive: true });
  fs.writeFileSync(path.join("bench", "out", "routes.txt"), `${lines.join("\n")}\n`);
}

await main();

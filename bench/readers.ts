/**
 * The signed-in readers of the load benchmarks (bench/load.ts, bench/routes.ts): five roles, and ten
 * routes (dashboard pages and tRPC queries) whose successive requests move through the partnerships.
 */
import superjson from "superjson";
import { openWarehouse } from "../db/client";
import { ensureBuild, freePort, startApp, type RunningApp } from "../tests/support/app";
import { BENCH_AUTH_SECRET, signedInCookies, type BenchUser } from "./session";
import { AGENCIES_PER_PARTNERSHIP, nationalWorldUrl, NATIONAL } from "./world";

export const partnership = (n: number) => `p${String(n).padStart(3, "0")}`;
export const agency = (n: number) => `A${String(n).padStart(5, "0")}`;
/** The first agency of partnership n (agencies are numbered twelve to a partnership). */
export const firstAgencyOf = (n: number) => (n - 1) * AGENCIES_PER_PARTNERSHIP + 1;

export const USERS: BenchUser[] = [
  { email: "admin@load.example", role: "admin", scope: "all" },
  { email: "board@load.example", role: "board", scope: "all" },
  { email: "scrutineer@load.example", role: "scrutineer", scope: "all" },
  { email: "lead@load.example", role: "agency_lead", scope: agency(firstAgencyOf(42) + 4) },
  { email: "uploader-1@load.example", role: "uploader", scope: agency(firstAgencyOf(7)) },
  { email: "uploader-2@load.example", role: "uploader", scope: agency(firstAgencyOf(99)) },
];

export const trpc = (procedure: string, input: unknown) => `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;

/** Ten routes; each reader's successive requests go to successive partnerships. */
export const ROUTES: Array<{ name: string; page: boolean; user: string; path: (i: number) => string }> = [
  { name: "Overview page", page: true, user: "board@load.example", path: (i) => `/?partnership=${partnership(1 + (i % NATIONAL.partnerships))}` },
  { name: "Escalations page", page: true, user: "board@load.example", path: (i) => `/escalations?partnership=${partnership(1 + ((i * 7) % NATIONAL.partnerships))}` },
  { name: "Themes page", page: true, user: "scrutineer@load.example", path: (i) => `/themes?partnership=${partnership(1 + ((i * 11) % NATIONAL.partnerships))}` },
  { name: "Dissent page", page: true, user: "board@load.example", path: (i) => `/dissent?partnership=${partnership(1 + ((i * 13) % NATIONAL.partnerships))}` },
  { name: "Data quality page", page: true, user: "admin@load.example", path: (i) => `/data-quality?partnership=${partnership(1 + ((i * 17) % NATIONAL.partnerships))}` },
  { name: "Agency profile page", page: true, user: "lead@load.example", path: () => `/agencies/${agency(firstAgencyOf(42) + 4)}` },
  { name: "Records page", page: true, user: "scrutineer@load.example", path: (i) => `/records?partnership=${partnership(1 + ((i * 19) % NATIONAL.partnerships))}` },
  { name: "API metrics.overview", page: false, user: "board@load.example", path: (i) => trpc("metrics.overview", { partnerships: [partnership(1 + ((i * 23) % NATIONAL.partnerships))], quarter: "2026-Q2" }) },
  { name: "API metrics.trends", page: false, user: "admin@load.example", path: (i) => trpc("metrics.trends", { partnerships: [partnership(1 + ((i * 29) % NATIONAL.partnerships))] }) },
  { name: "API metrics.breakdowns", page: false, user: "scrutineer@load.example", path: (i) => trpc("metrics.breakdowns", { partnerships: [partnership(1 + ((i * 31) % NATIONAL.partnerships))], from: "2025-Q3", to: "2026-Q2" }) },
];

/**
 * The national world on the server, the production build, the readers signed in (a session cookie
 * for each, by email), and how to start the app for them on its port. APP_PRELOAD=file.cjs is
 * required into the app (a CPU profiler, a request log).
 */
export async function prepareReaders(serverUrl: string): Promise<{
  databaseUrl: string;
  appUrl: string;
  cookies: Map<string, string>;
  startServing: (env?: Record<string, string>) => Promise<RunningApp>;
}> {
  const databaseUrl = await nationalWorldUrl(serverUrl);
  ensureBuild();
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const setup = await openWarehouse({ databaseUrl });
  const cookies = await signedInCookies(setup.db, appUrl, USERS);
  await setup.close();
  const startServing = (env: Record<string, string> = {}) =>
    startApp(
      {
        DATABASE_URL: databaseUrl,
        BETTER_AUTH_SECRET: BENCH_AUTH_SECRET,
        CHILD_REF_SECRET: "load-child-secret-load-child-secret-0123",
        ...(process.env.APP_PRELOAD ? { NODE_OPTIONS: `--require ${process.env.APP_PRELOAD}` } : {}),
        ...env,
      },
      port,
    );
  return { databaseUrl, appUrl, cookies, startServing };
}

/**
 * Uploading again, unchanged and replaced rows, dry runs, undo, and what survives a failure
 * mid-load. A row's identity is (uploading agency, kind, record_ref).
 */
import fc from "fast-check";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { beforeAll, describe, expect, it } from "vitest";
import { databasePoolSize, openWarehouse, queryRows, withTransaction } from "../db/client";
import { undoBatch } from "../importers/batches";
import { importFile, MERGE_LOCK } from "../importers/importFile";
import { useTestWarehouse } from "./support/db";
import { importText, TEST_HASHER, TEST_UPLOAD_DATE } from "./support/records";
import { loadSmallWorld } from "./support/reference";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ctx = useTestWarehouse();
beforeAll(async () => {
  await loadSmallWorld(ctx.db);
});

const HEADER = "record_ref,raising_agency,receiving_agency,concern_arose_on,themes,status,closed_on\n";
const FIRST = HEADER + ["A,CSC,HLT,2025-03-03,thresholds,open,", "B,CSC,HLT,2025-03-04,thresholds,open,", "0042,CSC,HLT,2025-03-05,thresholds,resolved,2025-03-06", "E,CSC,HLT,2025-03-07,roles,open,"].join("\n") + "\n";
// A and 42 unchanged (42 written without its leading zeros), B now resolved, D new, E now invalid.
const SECOND = HEADER + ["A,CSC,HLT,2025-03-03,thresholds,open,", "B,CSC,HLT,2025-03-04,thresholds,resolved,2025-03-10", "42,CSC,HLT,2025-03-05,thresholds,resolved,2025-03-06", "D,CSC,HLT,2025-03-11,other,open,", "E,CSC,HLT,31/02/2025,roles,open,"].join("\n") + "\n";

/** Every current escalation and earlier version, as the warehouse holds them. */
async function state() {
  const current = await queryRows(
    ctx.db,
    sql`select id::int, record_ref, record_ref_as_uploaded, batch_id::int, status, closed_on::text, version, content_hash
        from escalations where agency_id = (select id from agencies where code = 'CSC') order by record_ref`,
  );
  const versions = await queryRows(ctx.db, sql`select escalation_id::int, record_ref, status, version, superseded_by_batch_id::int from escalation_versions order by version_id`);
  return { current, versions };
}

function loaded(result: Awaited<ReturnType<typeof importText>>) {
  if (result.outcome !== "loaded") throw new Error(`expected a load, got ${JSON.stringify(result)}`);
  return result;
}

describe("uploading again and undoing", () => {
  let first: number;
  let second: number;
  let afterFirst: Awaited<ReturnType<typeof state>>;

  it("loads a first file", async () => {
    const result = loaded(await importText(ctx.db, FIRST, { kind: "escalations", agency: "CSC" }));
    expect(result.counts).toEqual({ loaded: 4, replaced: 0, unchanged: 0, rejected: 0 });
    first = result.batchId!;
    afterFirst = await state();
    expect(afterFirst.current.map((r) => r.record_ref)).toEqual(["42", "A", "B", "E"]);
  });

  it("recognises the same bytes uploaded again, and changes nothing", async () => {
    const again = await importText(ctx.db, FIRST, { kind: "escalations", agency: "CSC" });
    expect(again).toEqual({
      outcome: "already_loaded",
      batchId: first,
      message: expect.stringMatching(new RegExp(`^This file was already uploaded as batch ${first} \\(".*", \\d+ \\w+ \\d{4}, by test\\) and that batch is in force: nothing has changed`)),
    });
    expect(await state()).toEqual(afterFirst);
  });

  it("previews a second file on a dry run without writing anything", async () => {
    const [{ n: batchesBefore }] = (await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from import_batches`)) as [{ n: number }];
    const preview = loaded(await importText(ctx.db, SECOND, { kind: "escalations", agency: "CSC", dryRun: true }));
    expect(preview).toMatchObject({ dryRun: true, batchId: null, counts: { loaded: 1, replaced: 1, unchanged: 2, rejected: 1 } });
    expect(preview.rejects).toEqual([{ rowNumber: 6, recordRef: "E", faults: [{ column: "concern_arose_on", value: "31/02/2025", reason: "is not a real date", rule: "invalid_date" }] }]);
    expect(await state()).toEqual(afterFirst);
    const [{ n: batchesAfter }] = (await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from import_batches`)) as [{ n: number }];
    expect(batchesAfter).toBe(batchesBefore);
  });

  it("counts unchanged rows without rewriting them, replaces changed ones keeping the earlier version, and leaves a now-invalid row's valid version current", async () => {
    const result = loaded(await importText(ctx.db, SECOND, { kind: "escalations", agency: "CSC" }));
    // A and 42 unchanged; B replaced; D loaded; E rejected (its first version stays current).
    expect(result.counts).toEqual({ loaded: 1, replaced: 1, unchanged: 2, rejected: 1 });
    second = result.batchId!;
    const now = await state();
    const byRef = Object.fromEntries(now.current.map((r) => [r.record_ref, r]));
    expect(byRef.A!.batch_id).toBe(first);
    expect(byRef["42"]).toMatchObject({ batch_id: first, record_ref_as_uploaded: "0042" });
    expect(byRef.B).toMatchObject({ batch_id: second, status: "resolved", closed_on: "2025-03-10", version: 2, id: afterFirst.current.find((r) => r.record_ref === "B")!.id });
    expect(byRef.D).toMatchObject({ batch_id: second, version: 1 });
    expect(byRef.E).toEqual(afterFirst.current.find((r) => r.record_ref === "E"));
    expect(now.versions).toEqual([{ escalation_id: byRef.B!.id, record_ref: "B", status: "open", version: 1, superseded_by_batch_id: second }]);
  });

  it("refuses to undo the first upload while a later one has replaced its rows", async () => {
    await expect(undoBatch(ctx.db, first, "test")).rejects.toThrow(
      `Batch ${first} cannot be undone yet: later upload(s) ${second} replaced some of its rows. Undo that batch first.`,
    );
  });

  it("undoes the second upload exactly: its new rows go and the versions it replaced come back", async () => {
    expect(await undoBatch(ctx.db, second, "test")).toEqual({ batchId: second, removed: 1, restored: 1 });
    expect(await state()).toEqual(afterFirst);
    await expect(undoBatch(ctx.db, second, "test")).rejects.toThrow(new RegExp(`^Batch ${second} \\(".*"\\) was already undone on .* by test; nothing has changed\\.$`));
  });

  it("treats the same bytes as a new upload once the earlier batch was undone", async () => {
    const again = loaded(await importText(ctx.db, SECOND, { kind: "escalations", agency: "CSC" }));
    expect(again.counts).toEqual({ loaded: 1, replaced: 1, unchanged: 2, rejected: 1 });
    expect(await undoBatch(ctx.db, again.batchId!, "test")).toMatchObject({ removed: 1, restored: 1 });
    expect(await undoBatch(ctx.db, first, "test")).toEqual({ batchId: first, removed: 4, restored: 0 });
    expect(await state()).toEqual({ current: [], versions: [] });
    const audit = await queryRows<{ action: string; n: number }>(
      ctx.db,
      sql`select action, outcome, count(*)::int as n from audit_log where action like 'import.%' group by action, outcome order by action, outcome`,
    );
    // Commits: the first file, the second, the second again after its undo. Undos: three done, two refused.
    expect(audit).toEqual([
      { action: "import.already_loaded", outcome: "success", n: 1 },
      { action: "import.commit", outcome: "success", n: 3 },
      { action: "import.undo", outcome: "refused", n: 2 },
      { action: "import.undo", outcome: "success", n: 3 },
    ]);
  });

  it("replaces and restores a month of conference activity", async () => {
    const january = loaded(await importText(ctx.db, "partnership,month,initial_conferences,review_conferences\nnorth,2025-01,10,20\n", { kind: "conference_activity", agency: "CSC" }));
    const corrected = loaded(await importText(ctx.db, "partnership,month,initial_conferences,review_conferences\nnorth,2025-01,12,20\n", { kind: "conference_activity", agency: "CSC" }));
    expect(corrected.counts).toEqual({ loaded: 0, replaced: 1, unchanged: 0, rejected: 0 });
    const month = async () => queryRows(ctx.db, sql`select initial_conferences, batch_id::int from conference_activity where month = '2025-01-01'`);
    expect(await month()).toEqual([{ initial_conferences: 12, batch_id: corrected.batchId }]);
    await undoBatch(ctx.db, corrected.batchId!, "test");
    expect(await month()).toEqual([{ initial_conferences: 10, batch_id: january.batchId }]);
  });
});

describe("every non-blank row is loaded or rejected, never both, never neither (property)", () => {
  const agencyNames = ["CSC", "North Children's Social Care", "csc"];
  const validRow = fc.record({
    raising: fc.constantFrom(...agencyNames),
    receiving: fc.constantFrom("HLT", "Community Health Trust", "POL", "County Police", "Constabulary"),
    arose: fc.date({ min: new Date("2015-01-01T00:00:00Z"), max: new Date("2026-11-23T00:00:00Z"), noInvalidDate: true }),
    form: fc.constantFrom("iso", "uk", "dots", "words"),
    themes: fc.subarray(["thresholds", "Roles", "info sharing", "plan", "Other"], { minLength: 1 }),
    status: fc.constantFrom("open", "resolved", "withdrawn"),
  });
  const mangle = fc.constantFrom("bad-date", "unknown-agency", "no-themes", "bad-status", "same-agency", "future");

  function dateText(d: Date, form: string): string {
    const [y, m, day] = d.toISOString().slice(0, 10).split("-");
    return form === "iso" ? `${y}-${m}-${day}` : form === "uk" ? `${day}/${m}/${y}` : form === "dots" ? `${day}.${m}.${y}` : `${Number(day)} ${["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][Number(m) - 1]} ${y}`;
  }

  it("holds for generated files of valid and mangled rows", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(validRow, fc.option(mangle, { freq: 3 })), { minLength: 1, maxLength: 25 }), async (rows) => {
        run++;
        const lines = rows.map(([r, m], i) => {
          const ref = `P${run}-${i}`;
          const arose = m === "bad-date" ? "30/02/2024" : m === "future" ? "2027-01-01" : dateText(r.arose, r.form);
          const raising = m === "unknown-agency" ? "Nowhere Agency" : r.raising;
          const receiving = m === "same-agency" ? "CSC" : r.receiving;
          const themes = m === "no-themes" ? "" : r.themes.join("; ");
          const status = m === "bad-status" ? "pending" : r.status;
          const closed = r.status === "open" ? "" : r.arose.toISOString().slice(0, 10);
          return `${ref},"${raising}","${receiving}",${arose},"${themes}",${status},${closed}`;
        });
        const result = loaded(await importText(ctx.db, HEADER + lines.join("\r\n"), { kind: "escalations", agency: "CSC" }));
        const loadedRows = await queryRows<{ record_ref: string; concern_arose_on: string; status: string; themes: string[] }>(
          ctx.db,
          sql`select record_ref, concern_arose_on::text, status, themes from escalations where batch_id = ${result.batchId}`,
        );
        const rejectedRows = new Set(result.rejects.map((r) => r.rowNumber));
        const loadedRefs = new Map(loadedRows.map((r) => [r.record_ref, r]));
        expect(result.rowsRead).toBe(rows.length);
        expect(result.counts.loaded + result.counts.rejected).toBe(rows.length);
        rows.forEach(([r, m], i) => {
          const ref = `P${run}-${i}`;
          const rowNumber = i + 2;
          // Exactly one of the two.
          expect(loadedRefs.has(ref) !== rejectedRows.has(rowNumber)).toBe(true);
          if (m) expect(rejectedRows.has(rowNumber)).toBe(true);
          else {
            // A loaded row reads back exactly as parsed.
            expect(loadedRefs.get(ref)).toMatchObject({ concern_arose_on: r.arose.toISOString().slice(0, 10), status: r.status });
          }
        });
      }),
      { numRuns: 15, seed: 2026 },
    );
  });
});

describe("a failure in the middle of a load", () => {
  it("leaves no trace of the batch, and a retry loads everything", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ew-fault-"));
    const file = path.join(dir, "big.csv");
    // 12,000 rows: the importer stages in chunks of 5,000, so the failure strikes after the first chunk.
    const rows = Array.from({ length: 12_000 }, (_, i) => `F${i},CSC,HLT,2025-05-${String((i % 28) + 1).padStart(2, "0")},thresholds,open,`);
    fs.writeFileSync(file, HEADER + rows.join("\n"));
    const counts = async () =>
      (await queryRows<{ batches: number; rows: number; rejects: number }>(
        ctx.db,
        sql`select (select count(*)::int from import_batches) as batches, (select count(*)::int from escalations) as rows,
                   (select count(*)::int from import_rejects) as rejects`,
      ))[0];
    const before = await counts();
    const request = { filePath: file, fileName: "big.csv", kind: "escalations" as const, agency: "CSC", actor: "test", hasher: TEST_HASHER, uploadDate: TEST_UPLOAD_DATE };

    let failure: Promise<unknown>;
    if (ctx.databaseUrl) {
      // A real connection failure: the server ends the upload's connection mid-load.
      const admin = postgres(ctx.databaseUrl, { max: 1, onnotice: () => {} });
      failure = importFile(ctx.db, {
        ...request,
        onProgress: async () => {
          await admin`select pg_terminate_backend(pid) from pg_stat_activity
                      where datname = current_database() and pid <> pg_backend_pid() and xact_start is not null`;
        },
      });
      await expect(failure).rejects.toThrow();
      await admin.end();
    } else {
      // The embedded database has one in-process connection; fail the load from inside instead.
      failure = importFile(ctx.db, { ...request, onProgress: () => { throw new Error("the connection was lost"); } });
      await expect(failure).rejects.toThrow("the connection was lost");
    }
    expect(await counts()).toEqual(before);

    const retry = loaded(await importFile(ctx.db, request));
    expect(retry.counts).toEqual({ loaded: 12_000, replaced: 0, unchanged: 0, rejected: 0 });
    expect(await counts()).toEqual({ batches: before!.batches + 1, rows: before!.rows + 12_000, rejects: before!.rejects });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

/** Waits until `count` sessions are waiting for the advisory lock `lock` (held by another session). */
async function untilWaiting(session: postgres.Sql, lock: number, count: number): Promise<void> {
  for (let waited = 0; ; waited += 20) {
    const [waiting] = await session<{ n: number }[]>`select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = ${lock} and not granted`;
    if (waiting!.n === count) return;
    if (waited > 10_000) throw new Error(`${count} session(s) never waited for lock ${lock}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(!process.env.DATABASE_URL)("uploads at the same time, on a server", () => {
  it("previews while another upload is writing, and commits only once that upload has finished", async () => {
    const file = (prefix: string) => HEADER + [1, 2, 3].map((i) => `${prefix}${i},CSC,HLT,2025-06-0${i},thresholds,open,`).join("\n") + "\n";
    const escalations = async () => (await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from escalations`))[0]!.n;
    const before = await escalations();
    // Another upload is writing: it holds the lock that lets one upload at a time write.
    const other = postgres(ctx.databaseUrl!, { max: 1, onnotice: () => {} });
    await other`select pg_advisory_lock(${MERGE_LOCK})`;
    try {
      const preview = loaded(await importText(ctx.db, file("W"), { kind: "escalations", agency: "CSC", dryRun: true }));
      expect(preview.counts).toEqual({ loaded: 3, replaced: 0, unchanged: 0, rejected: 0 });

      const commit = importText(ctx.db, file("W"), { kind: "escalations", agency: "CSC" });
      // The commit reads and stages its rows, then waits its turn to write them.
      await untilWaiting(other, MERGE_LOCK, 1);
      expect(await escalations()).toBe(before);
      await other`select pg_advisory_unlock(${MERGE_LOCK})`;
      expect(loaded(await commit).counts).toEqual({ loaded: 3, replaced: 0, unchanged: 0, rejected: 0 });
      expect(await escalations()).toBe(before + 3);
    } finally {
      await other.end();
    }
  });

  it("takes uploads in turn: a preview sent while a commit waits to write is answered after that commit", async () => {
    const file = (prefix: string) => HEADER + [1, 2].map((i) => `${prefix}${i},CSC,HLT,2025-07-0${i},thresholds,open,`).join("\n") + "\n";
    const other = postgres(ctx.databaseUrl!, { max: 1, onnotice: () => {} });
    await other`select pg_advisory_lock(${MERGE_LOCK})`;
    const finished: string[] = [];
    try {
      const commit = importText(ctx.db, file("T"), { kind: "escalations", agency: "CSC" }).then((r) => (finished.push("commit"), r));
      await untilWaiting(other, MERGE_LOCK, 1);
      const preview = importText(ctx.db, file("U"), { kind: "escalations", agency: "CSC", dryRun: true }).then((r) => (finished.push("preview"), r));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(finished).toEqual([]);
      await other`select pg_advisory_unlock(${MERGE_LOCK})`;
      expect(loaded(await commit).counts.loaded).toBe(2);
      expect(loaded(await preview).counts.loaded).toBe(2);
      expect(finished).toEqual(["commit", "preview"]);
    } finally {
      await other.end();
    }
  });

  it("answers the dashboard's queries while uploads hold every connection of their own", async () => {
    // A readers' pool of one connection, as small as it can be; uploads have two of their own.
    const warehouse = await openWarehouse({ databaseUrl: ctx.databaseUrl!, migrate: false, maxConnections: 1 });
    const other = postgres(ctx.databaseUrl!, { max: 1, onnotice: () => {} });
    const held = 72210499;
    await other`select pg_advisory_lock(${held})`;
    try {
      // Two uploads' transactions, each waiting for a lock: both upload connections are taken.
      const uploads = [1, 2].map(() => withTransaction(warehouse.uploadsDb, (tx) => tx.execute(sql`select pg_advisory_xact_lock(${held})`)));
      await untilWaiting(other, held, 2);
      const [row] = await queryRows<{ n: number }>(warehouse.db, sql`select count(*)::int as n from partnerships`);
      expect(row!.n).toBeGreaterThan(0);
      await other`select pg_advisory_unlock(${held})`;
      await Promise.all(uploads);
    } finally {
      await other.end();
      await warehouse.close();
    }
  });
});

describe("the database pool setting", () => {
  it("says what DATABASE_POOL_SIZE must be when it is not a whole number", () => {
    const saved = process.env.DATABASE_POOL_SIZE;
    try {
      process.env.DATABASE_POOL_SIZE = "many";
      expect(() => databasePoolSize()).toThrow('DATABASE_POOL_SIZE must be a whole number from 1 to 100, not "many".');
      process.env.DATABASE_POOL_SIZE = "3";
      expect(databasePoolSize()).toBe(3);
      delete process.env.DATABASE_POOL_SIZE;
      expect(databasePoolSize()).toBe(10);
    } finally {
      if (saved === undefined) delete process.env.DATABASE_POOL_SIZE;
      else process.env.DATABASE_POOL_SIZE = saved;
    }
  });
});

/**
 * Uploads are checked and loaded in the background (importers/uploadJobs.ts): the request that starts
 * a step is answered at once, and the uploads page follows it. Through the real importer and database.
 */
import { randomBytes } from "node:crypto";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../db/client";
import type { ImportResult } from "../importers/importFile";
import { listRunningUploads, startUploadStep, type UploadProgress } from "../importers/uploadJobs";
import { discardUpload, followUpload, INTERRUPTED_MESSAGE, receiveUpload, startCheck, startLoad, uploadAgency, type UploadWorker } from "../importers/uploads";
import { useTestWarehouse } from "./support/db";
import { TEST_HASHER } from "./support/records";
import { loadSmallWorld } from "./support/reference";

const ctx = useTestWarehouse();
beforeAll(async () => {
  await loadSmallWorld(ctx.db);
});

const worker = (): UploadWorker => ({ db: ctx.db, hasher: TEST_HASHER, actor: "uploader@north.example", explain: (error) => ({ status: 500, message: (error as Error).message }) });
const canceller = () => ({ db: ctx.db, actor: "uploader@north.example" });
const token = () => randomBytes(16).toString("hex");

async function receive(csv: string): Promise<string> {
  return receiveUpload(new Blob([csv]).stream() as unknown as WebReadableStream<Uint8Array>, { kind: "escalations", agency: "CSC", fileName: "north.csv" });
}

/** Asks how the upload is going, as the page does (here every 5 ms), until the step ends; every rows-read figure seen on the way. */
async function follow(upload: string): Promise<{ ended: UploadProgress; rowsSeen: number[] }> {
  const rowsSeen: number[] = [];
  for (;;) {
    const progress = await followUpload(upload);
    if (progress.step !== "checking" && progress.step !== "loading") return { ended: progress, rowsSeen };
    if (rowsSeen.at(-1) !== progress.rowsRead) rowsSeen.push(progress.rowsRead);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A step whose work ends when the test says. */
function deferred() {
  let end!: (result: ImportResult) => void;
  let fail!: (error: Error) => void;
  let started = 0;
  const work = () => {
    started++;
    return new Promise<ImportResult>((resolve, reject) => ((end = resolve), (fail = reject)));
  };
  return { work, end: (result: ImportResult) => end(result), fail: (error: Error) => fail(error), started: () => started };
}

const ABOUT = { agency: "CSC", kind: "escalations", fileName: "north.csv" };
const CHECKED: ImportResult = { outcome: "loaded", dryRun: true, batchId: null, rowsRead: 1, counts: { loaded: 1, replaced: 0, unchanged: 0, rejected: 0 }, notes: [], rejects: [] };

describe("uploads checked and loaded in the background", () => {
  it("checks, waits for the person, then loads: following shows rows read, the preview, then what was loaded", async () => {
    // 6,000 rows, of which row 7 (the sixth record) has an impossible date: 5,999 load, 1 rejected.
    const rows = Array.from({ length: 6_000 }, (_, i) => `BG-${i},CSC,HLT,${i === 5 ? "31/02/2025" : "2025-03-03"},thresholds,open`);
    const upload = await receive(`record_ref,raising_agency,receiving_agency,concern_arose_on,themes,status\n${rows.join("\n")}\n`);

    expect(await startCheck(worker(), upload)).toEqual({ step: "checking", rowsRead: 0 });
    const checked = await follow(upload);
    expect(checked.ended).toMatchObject({ step: "checked", rowsRead: 6_000, result: { dryRun: true, rowsRead: 6_000, counts: { loaded: 5_999, rejected: 1 } } });
    // Rows are staged 2,500 at a time: the page saw the count rise on the way.
    expect(checked.rowsSeen.some((n) => n > 0 && n < 6_000)).toBe(true);
    expect(checked.rowsSeen).toEqual([...checked.rowsSeen].sort((a, b) => a - b));
    expect((await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from escalations`))[0]!.n).toBe(0);

    expect(await startLoad(worker(), upload)).toEqual({ step: "loading", rowsRead: 0 });
    // Pressing the button again shows the same load; it does not start another.
    expect((await startLoad(worker(), upload)).step).toBe("loading");
    const loaded = await follow(upload);
    expect(loaded.ended).toMatchObject({ step: "loaded", result: { outcome: "loaded", dryRun: false, counts: { loaded: 5_999, rejected: 1 } } });
    const [batch] = await queryRows<{ rows: number; batches: number; audits: number }>(
      ctx.db,
      sql`select (select count(*)::int from escalations) as rows, (select count(*)::int from import_batches) as batches,
                 (select count(*)::int from audit_log where action = 'import.commit') as audits`,
    );
    expect(batch).toEqual({ rows: 5_999, batches: 1, audits: 1 });
    // The file is gone once loaded; the upload is still known, to the person following it, as loaded.
    expect((await followUpload(upload)).step).toBe("loaded");
    expect(await uploadAgency(upload)).toBe("CSC");
    expect((await startLoad(worker(), upload)).step).toBe("loaded");
    expect((await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from import_batches`))[0]!.n).toBe(1);
  });

  it("runs a step once however often it is asked for, and refuses loading or cancelling while it runs", async () => {
    const upload = await receive("record_ref,raising_agency,receiving_agency,concern_arose_on,themes,status\nX-1,CSC,HLT,2025-03-03,thresholds,open\n");
    const step = deferred();
    const explain = worker().explain;
    expect(startUploadStep(upload, ABOUT, "checking", step.work, explain)).toEqual({ step: "checking", rowsRead: 0 });
    expect(startUploadStep(upload, ABOUT, "checking", step.work, explain)).toEqual({ step: "checking", rowsRead: 0 });
    expect(step.started()).toBe(1);
    // Listed on the uploads page of those who may upload for CSC, and of no one else.
    expect(listRunningUploads(["CSC"])).toEqual([{ ...ABOUT, step: "checking", rowsRead: 0, startedAt: expect.any(Date) }]);
    expect(listRunningUploads(["HLT"])).toEqual([]);
    expect(() => startUploadStep(upload, ABOUT, "loading", step.work, explain)).toThrow("This upload is still being checked. Load it once the check has finished.");
    await expect(discardUpload(upload, canceller())).rejects.toThrow("This upload is being checked or loaded and cannot be cancelled now.");
    step.end(CHECKED);
    expect((await follow(upload)).ended).toEqual({ step: "checked", rowsRead: 0, result: CHECKED });
    expect(listRunningUploads("all")).toEqual([]);
    // Checked, it may be cancelled: the file and its check are gone, and following it says so.
    await discardUpload(upload, canceller());
    await expect(followUpload(upload)).rejects.toThrow("This upload is no longer waiting to be loaded");
  });

  it("keeps a failure with what the person is told, and lets them try the step again", async () => {
    const upload = token();
    const first = deferred();
    const told: unknown[] = [];
    const explain = (error: unknown) => (told.push(error), { status: 503, message: "The warehouse's database could not be reached just now." });
    startUploadStep(upload, ABOUT, "loading", first.work, explain);
    first.fail(new Error("connect ECONNREFUSED 127.0.0.1:5432"));
    expect((await follow(upload)).ended).toEqual({ step: "failed", rowsRead: 0, error: { status: 503, message: "The warehouse's database could not be reached just now." } });
    expect(told.map((e) => (e as Error).message)).toEqual(["connect ECONNREFUSED 127.0.0.1:5432"]);
    const retry = deferred();
    expect(startUploadStep(upload, ABOUT, "loading", retry.work, explain).step).toBe("loading");
    expect(retry.started()).toBe(1);
    retry.end({ ...CHECKED, dryRun: false, batchId: 7 });
    expect((await follow(upload)).ended.step).toBe("loaded");
  });

  it("leaves an audit row for each check (who, agency, file, what it found) and each cancel, refused ones too", async () => {
    const audits = async () =>
      queryRows<{ actor: string; action: string; scope: unknown; details: Record<string, unknown>; outcome: string }>(
        ctx.db,
        sql`select actor, action, scope, details, outcome from audit_log where action in ('import.check', 'import.cancel') order by id`,
      );
    const before = (await audits()).length;
    // One record: it would load (loaded 1). Then a file without its required columns: the check is refused.
    const good = await receive("record_ref,raising_agency,receiving_agency,concern_arose_on,themes,status\nAU-1,CSC,HLT,2025-03-03,thresholds,open\n");
    await startCheck(worker(), good);
    expect((await follow(good)).ended.step).toBe("checked");
    const bad = await receive("record_ref,raising_agency\nAU-2,CSC\n");
    await startCheck(worker(), bad);
    expect((await follow(bad)).ended.step).toBe("failed");
    // A cancel while a step runs is refused (and audited); once the step is over it is done.
    const running = deferred();
    startUploadStep(good, ABOUT, "checking", running.work, worker().explain);
    await expect(discardUpload(good, canceller())).rejects.toThrow("cannot be cancelled now");
    running.end(CHECKED);
    await follow(good);
    await discardUpload(good, canceller());
    const file = { kind: "escalations", fileName: "north.csv" };
    expect((await audits()).slice(before)).toEqual([
      {
        actor: "uploader@north.example", action: "import.check", scope: { agency: "CSC" }, outcome: "success",
        details: { ...file, rowsRead: 1, counts: { loaded: 1, replaced: 0, unchanged: 0, rejected: 0 } },
      },
      {
        actor: "uploader@north.example", action: "import.check", scope: { agency: "CSC" }, outcome: "refused",
        details: { ...file, message: expect.stringMatching(/concern_arose_on/) },
      },
      { actor: "uploader@north.example", action: "import.cancel", scope: { agency: "CSC" }, outcome: "refused", details: file },
      { actor: "uploader@north.example", action: "import.cancel", scope: { agency: "CSC" }, outcome: "success", details: file },
    ]);
  });

  it("refuses an empty file when it arrives, before any check starts", async () => {
    await expect(receive("")).rejects.toThrow("The file is empty: it has no header row and no records.");
  });

  it("reports an upload that no running process is checking or loading as interrupted (the service restarted)", async () => {
    const upload = await receive("record_ref,raising_agency,receiving_agency,concern_arose_on,themes,status\nX-2,CSC,HLT,2025-03-03,thresholds,open\n");
    expect(await followUpload(upload)).toEqual({ step: "failed", rowsRead: 0, error: { status: 503, message: INTERRUPTED_MESSAGE } });
    await discardUpload(upload, canceller());
    await expect(followUpload(upload)).rejects.toThrow("This upload is no longer waiting to be loaded");
  });
});

/**
 * The scrutineer's audit: a random sample of N escalation records from chosen partnerships, quarters
 * and themes, reproducible from its seed (the same seed over the same records draws the same
 * sample), stored with a finding per record. Drawing a sample and recording a finding each write
 * their audit row in the same transaction.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import { queryRows, withTransaction, type Db } from "../../db/client";
import { scrutinyFindings, scrutinySamples } from "../../db/schema";
import { recordScopeFor } from "../access/recordScope";
import { authorize, authorizeOrHide, isAllowed, type Principal } from "../access/permissions";
import { writeAudit } from "../audit";
import { quarterPeriod, type Quarter } from "../calendar/quarters";
import { InvalidRequestError, NotFoundError } from "../errors";
import { partnershipIdList, resolveScope } from "../metrics/scope";
import { seededRandom } from "../random";

export const RATINGS = ["good", "adequate", "requires_improvement", "inadequate"] as const;
export type Rating = (typeof RATINGS)[number];

export interface SampleRequest {
  partnerships: string[];
  from: Quarter;
  to: Quarter;
  themes: string[];
  size: number;
  /** Defaults to a fresh random seed; give one to draw a sample again. */
  seed?: number;
}


/** The first `size` of a seeded Fisher–Yates shuffle of the eligible records (in their fixed order). */
export function drawSample<T>(eligible: readonly T[], size: number, seed: number): T[] {
  const pool = [...eligible];
  const random = seededRandom(seed);
  const n = Math.min(size, pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
}

export async function drawScrutinySample(db: Db, principal: Principal, request: SampleRequest): Promise<{ id: number; seed: number; eligible: number; size: number }> {
  const scope = await recordScopeFor(db, principal, request.partnerships);
  // A sample is drawn from a partnership's records as a whole: an agency lead's own-agency view is not enough (refused and audited).
  if (scope.involvingAgency) await authorize(db, principal, "records.read", { partnerships: request.partnerships, agency: undefined });
  if (!Number.isInteger(request.size) || request.size < 1 || request.size > 500) throw new InvalidRequestError(`The sample size must be a whole number from 1 to 500, not ${request.size}.`);
  const seed = request.seed ?? Math.floor(Math.random() * 2 ** 31);
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) throw new InvalidRequestError(`The seed must be a whole number from 0 to 4294967295, not ${seed}.`);
  const metricScope = await resolveScope(db, { partnerships: request.partnerships, quarter: request.to, from: request.from, asOf: quarterPeriod(request.to).end });
  for (const theme of request.themes) await resolveScope(db, { partnerships: request.partnerships, quarter: request.to, asOf: quarterPeriod(request.to).end, theme });
  // Every eligible record, in a fixed order (partnership, then the record's id), so a seed always draws the same ones.
  const eligible = await queryRows<{ partnership_id: number; id: number }>(
    db,
    sql`select e.partnership_id, e.id from escalations e
        where e.partnership_id in (${partnershipIdList(metricScope)})
          and e.concern_arose_on between ${metricScope.period.start}::date and ${metricScope.period.end}::date
          and (${request.themes.length === 0} or e.themes && ${`{${request.themes.join(",")}}`}::text[])
        order by e.partnership_id, e.id`,
  );
  const drawn = drawSample(eligible, request.size, seed);
  return withTransaction(db, async (tx) => {
    const [sample] = await tx
      .insert(scrutinySamples)
      .values({ partnerships: metricScope.partnershipCodes, fromQuarter: request.from, toQuarter: request.to, themes: request.themes, seed, size: drawn.length, eligible: eligible.length, createdBy: principal.email })
      .returning();
    if (drawn.length) {
      await tx.insert(scrutinyFindings).values(drawn.map((r, i) => ({ sampleId: sample!.id, position: i + 1, partnershipId: Number(r.partnership_id), escalationId: Number(r.id) })));
    }
    await writeAudit(tx, {
      actor: principal.email,
      action: "scrutiny.sample",
      scope: { partnerships: metricScope.partnershipCodes },
      details: { id: sample!.id, seed, size: drawn.length, eligible: eligible.length, from: request.from, to: request.to, themes: request.themes },
      outcome: "success",
    });
    return { id: sample!.id, seed, eligible: eligible.length, size: drawn.length };
  });
}

export interface SampledRecord {
  position: number;
  partnership: string;
  id: number;
  recordRef: string;
  raisingAgency: string;
  receivingAgency: string;
  concernAroseOn: string;
  status: string;
  themes: string;
  rating: Rating | null;
  note: string | null;
  ratedBy: string | null;
}

export interface ScrutinySample {
  id: number;
  partnerships: string[];
  from: Quarter;
  to: Quarter;
  themes: string[];
  seed: number;
  size: number;
  eligible: number;
  createdBy: string;
  createdAt: Date;
  records: SampledRecord[];
}

async function sampleRow(db: Db, principal: Principal, id: number) {
  const [sample] = await db.select().from(scrutinySamples).where(eq(scrutinySamples.id, id));
  if (!sample) throw new NotFoundError(`There is no scrutiny sample ${id}.`);
  await authorizeOrHide(db, principal, "records.read", { partnerships: sample.partnerships }, `There is no scrutiny sample ${id}.`);
  return sample;
}

/** A sample with its records (pseudonymised: no child reference) and findings. Record-level: audited by the caller. */
export async function getScrutinySample(db: Db, principal: Principal, id: number): Promise<ScrutinySample> {
  const sample = await sampleRow(db, principal, id);
  const records = await queryRows<Record<string, unknown>>(
    db,
    sql`select f.position, p.code as partnership, e.id, e.record_ref_as_uploaded as record_ref, ra.code as raising, rc.code as receiving,
               e.concern_arose_on::text as arose, e.status, array_to_string(e.themes, ' ') as themes, f.rating, f.note, f.rated_by
        from scrutiny_findings f
        join partnerships p on p.id = f.partnership_id
        join escalations e on e.partnership_id = f.partnership_id and e.id = f.escalation_id
        join agencies ra on ra.id = e.raising_agency_id
        join agencies rc on rc.id = e.receiving_agency_id
        where f.sample_id = ${id}
        order by f.position`,
  );
  return {
    id: sample.id,
    partnerships: sample.partnerships,
    from: sample.fromQuarter,
    to: sample.toQuarter,
    themes: sample.themes,
    seed: sample.seed,
    size: sample.size,
    eligible: sample.eligible,
    createdBy: sample.createdBy,
    createdAt: sample.createdAt,
    records: records.map((r) => ({
      position: Number(r.position),
      partnership: String(r.partnership),
      id: Number(r.id),
      recordRef: String(r.record_ref),
      raisingAgency: String(r.raising),
      receivingAgency: String(r.receiving),
      concernAroseOn: String(r.arose),
      status: String(r.status),
      themes: String(r.themes),
      rating: (r.rating as Rating | null) ?? null,
      note: (r.note as string | null) ?? null,
      ratedBy: (r.rated_by as string | null) ?? null,
    })),
  };
}

/** Samples the person may read, newest first. */
export async function listScrutinySamples(db: Db, principal: Principal): Promise<Array<Omit<ScrutinySample, "records">>> {
  const rows = await db.select().from(scrutinySamples).orderBy(desc(scrutinySamples.createdAt), desc(scrutinySamples.id));
  const visible = [];
  for (const s of rows) {
    if (await isAllowed(db, principal, "records.read", { partnerships: s.partnerships })) {
      visible.push({ id: s.id, partnerships: s.partnerships, from: s.fromQuarter, to: s.toQuarter, themes: s.themes, seed: s.seed, size: s.size, eligible: s.eligible, createdBy: s.createdBy, createdAt: s.createdAt });
    }
  }
  return visible;
}

/** Records the scrutineer's finding on one sampled record. */
export async function recordFinding(db: Db, principal: Principal, params: { sampleId: number; position: number; rating: Rating; note: string }): Promise<void> {
  const sample = await sampleRow(db, principal, params.sampleId);
  if (!RATINGS.includes(params.rating)) throw new InvalidRequestError(`The rating must be one of ${RATINGS.join(", ")}, not "${params.rating}".`);
  if (params.note.length > 4000) throw new InvalidRequestError("The note is longer than 4,000 characters: shorten it.");
  await withTransaction(db, async (tx) => {
    const updated = await tx
      .update(scrutinyFindings)
      .set({ rating: params.rating, note: params.note.trim() || null, ratedBy: principal.email, ratedAt: new Date() })
      .where(and(eq(scrutinyFindings.sampleId, params.sampleId), eq(scrutinyFindings.position, params.position)))
      .returning({ position: scrutinyFindings.position });
    if (updated.length === 0) throw new NotFoundError(`Sample ${params.sampleId} has no record at position ${params.position}.`);
    await writeAudit(tx, {
      actor: principal.email,
      action: "scrutiny.finding",
      scope: { partnerships: sample.partnerships },
      details: { sampleId: params.sampleId, position: params.position, rating: params.rating },
      outcome: "success",
    });
  });
}

/** Findings recorded up to a date on samples of exactly these partnerships (or a subset), by rating: the board report's scrutiny section. */
export async function findingsSummary(db: Db, partnerships: string[], upTo: string): Promise<{ samples: number; rated: number; byRating: Record<Rating, number> }> {
  const rated = sql`from scrutiny_findings f join scrutiny_samples s on s.id = f.sample_id
        where s.partnerships <@ ${`{${partnerships.join(",")}}`}::text[]
          and f.rated_at is not null and (f.rated_at at time zone 'Europe/London')::date <= ${upTo}::date`;
  const rows = await queryRows<{ rating: Rating; n: number }>(db, sql`select f.rating, count(*)::int as n ${rated} group by f.rating`);
  const [samples] = await queryRows<{ n: number }>(db, sql`select count(distinct f.sample_id)::int as n ${rated}`);
  const byRating = Object.fromEntries(RATINGS.map((r) => [r, rows.find((x) => x.rating === r)?.n ?? 0])) as Record<Rating, number>;
  return { samples: samples?.n ?? 0, rated: rows.reduce((n, r) => n + r.n, 0), byRating };
}

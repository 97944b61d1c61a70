/**
 * Self-assessment evidence for one agency and a period: the Section 11 standard (Children Act 2004)
 * on inter-agency working and resolving professional differences, or Section 175/157 (Education Act
 * 2002) for schools and colleges. The evidence of how the agency uses the escalation procedure
 * (raised and received, stage reached, timescales, themes, dissent, learning) comes from the
 * warehouse; the agency's answers to the prompts are stored with the return (one transaction with
 * the audit row). Exact figures about one agency: the document is marked for the partnership's
 * audit, not for publication.
 */
import { desc, eq } from "drizzle-orm";
import { withTransaction, type Db } from "../db/client";
import { evidenceReturns } from "../db/schema";
import { authorize, authorizeOrHide, isAllowed, type Principal } from "../server/access/permissions";
import { profilePartnershipsFor } from "../server/access/recordScope";
import { writeAudit } from "../server/audit";
import { formatUkDate, todayInLondon } from "../server/calendar/dates";
import { quarterLabel, quarterPeriod, quarterRange, type Quarter } from "../server/calendar/quarters";
import { InvalidRequestError, NotFoundError } from "../server/errors";
import { getAgencyProfile } from "../server/metrics/agencyProfile";
import { GLOSSARY } from "../server/metrics/glossary";
import { listThemes } from "../server/reference/themes";
import { listPartnerships } from "../server/partnerships/list";
import { percent } from "../server/metrics/percent";
import { type Block, type ReportDocument, show } from "./boardDocument";
import { lineChart } from "./charts";

export const EVIDENCE_PROMPTS = [
  { key: "awareness", question: "How do staff know about the escalation (resolving professional differences) procedure, and how do you check that they do?" },
  { key: "training", question: "What training on escalation and on resolving professional differences have staff had in the period, and who attended?" },
  { key: "feedback", question: "How do you learn from escalations and share that learning, and how do practitioners give feedback on the procedure?" },
] as const;

export type EvidenceStandard = "s11" | "s175";

const STANDARDS: Record<EvidenceStandard, { name: string; text: string }> = {
  s11: {
    name: "Section 11 (Children Act 2004)",
    text: "Standard: the agency works effectively with other agencies to safeguard and promote the welfare of children, and has arrangements to resolve professional differences, including escalation, that staff know and use.",
  },
  s175: {
    name: "Section 175 / 157 (Education Act 2002)",
    text: "Standard: the school or college works with the safeguarding partners and other agencies, and its staff know how to raise and escalate concerns when they disagree with another agency's decision about a child.",
  },
};

export interface EvidenceRequest {
  agency: string;
  from: Quarter;
  to: Quarter;
  asOf?: string;
  answers: Record<string, string>;
}

export interface EvidenceReturn {
  id: number;
  agency: string;
  standard: EvidenceStandard;
  from: Quarter;
  to: Quarter;
  asOf: string;
  answers: Record<string, string>;
  createdBy: string;
  createdAt: Date;
}

const toReturn = (r: typeof evidenceReturns.$inferSelect): EvidenceReturn => ({
  id: r.id,
  agency: r.agencyCode,
  standard: r.standard as EvidenceStandard,
  from: r.fromQuarter,
  to: r.toQuarter,
  asOf: r.asOf,
  answers: r.answers,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
});

/** Stores an evidence return (the agency's lead, or an admin of its partnership). */
export async function createEvidenceReturn(db: Db, principal: Principal, request: EvidenceRequest): Promise<EvidenceReturn> {
  await authorize(db, principal, "evidence.write", { agency: request.agency });
  if (request.from > request.to) throw new InvalidRequestError(`The first quarter (${request.from}) is after the last (${request.to}).`);
  if (quarterRange(request.from, request.to).length > 8) throw new InvalidRequestError("An evidence return covers at most 8 quarters (two years).");
  const asOf = request.asOf ?? todayInLondon();
  if (asOf < quarterPeriod(request.to).end) throw new InvalidRequestError(`${request.to} has not ended on ${formatUkDate(asOf)}: choose a quarter that has.`);
  const answers: Record<string, string> = {};
  for (const prompt of EVIDENCE_PROMPTS) {
    const answer = (request.answers[prompt.key] ?? "").trim();
    if (answer.length > 8000) throw new InvalidRequestError(`The answer to "${prompt.question}" is longer than 8,000 characters: shorten it.`);
    answers[prompt.key] = answer;
  }
  const partnerships = await profilePartnershipsFor(db, principal, request.agency);
  const profile = await getAgencyProfile(db, { agency: request.agency, partnerships, quarters: 1, to: request.to, asOf });
  const standard: EvidenceStandard = profile.agency.sector === "education" ? "s175" : "s11";
  return withTransaction(db, async (tx) => {
    const [row] = await tx
      .insert(evidenceReturns)
      .values({ agencyCode: profile.agency.code, standard, fromQuarter: request.from, toQuarter: request.to, asOf, answers, createdBy: principal.email })
      .returning();
    await writeAudit(tx, {
      actor: principal.email,
      action: "evidence.create",
      scope: { agency: profile.agency.code, partnerships },
      details: { id: row!.id, standard, from: request.from, to: request.to, asOf },
      outcome: "success",
    });
    return toReturn(row!);
  });
}

export async function getEvidenceReturn(db: Db, principal: Principal, id: number): Promise<EvidenceReturn> {
  const [row] = await db.select().from(evidenceReturns).where(eq(evidenceReturns.id, id));
  if (!row) throw new NotFoundError(`There is no evidence return ${id}.`);
  await authorizeOrHide(db, principal, "agency.read", { agency: row.agencyCode }, `There is no evidence return ${id}.`);
  return toReturn(row);
}

export async function listEvidenceReturns(db: Db, principal: Principal, agency: string): Promise<EvidenceReturn[]> {
  if (!(await isAllowed(db, principal, "agency.read", { agency }))) return [];
  const rows = await db.select().from(evidenceReturns).where(eq(evidenceReturns.agencyCode, agency)).orderBy(desc(evidenceReturns.createdAt), desc(evidenceReturns.id));
  return rows.map(toReturn);
}

/** The evidence return as a document (HTML, PDF or Word by the same renderers as the board report). */
export async function getEvidenceDocument(db: Db, principal: Principal, id: number): Promise<ReportDocument> {
  const evidence = await getEvidenceReturn(db, principal, id);
  const partnerships = await profilePartnershipsFor(db, principal, evidence.agency);
  const quarters = quarterRange(evidence.from, evidence.to);
  const profile = await getAgencyProfile(db, { agency: evidence.agency, partnerships, quarters: quarters.length, to: evidence.to, asOf: evidence.asOf });
  const themes = new Map((await listThemes(db)).map((t) => [t.code, t.label]));
  const partnershipNames = new Map((await listPartnerships(db)).map((p) => [p.code, p.name]));
  const label = (q: Quarter) => quarterLabel(q, "calendar");
  const sum = (list: Array<{ raised: number }>) => list.reduce((n, q) => n + q.raised, 0);
  const raised = sum(profile.asRaiser);
  const received = sum(profile.asReceiver);
  const partnershipRaised = sum(profile.partnership);
  const resolvedLow = profile.asReceiver.reduce((n, q) => n + q.resolvedAtLowestLevel, 0);
  const resolved = profile.asReceiver.reduce((n, q) => n + q.resolved, 0);
  const learned = profile.asReceiver.reduce((n, q) => n + q.learningWithinOneMonth.numerator, 0);
  const learnable = profile.asReceiver.reduce((n, q) => n + q.learningWithinOneMonth.denominator, 0);
  const dissent = profile.dissent.reduce((n, q) => n + q.count, 0);
  const standard = STANDARDS[evidence.standard];
  const name = profile.agency.name;
  const period = quarters.length === 1 ? label(evidence.to) : `${label(evidence.from)} to ${label(evidence.to)}`;
  const timescale = profile.received.timescale;

  const blocks: Block[] = [
    {
      kind: "table",
      caption: `How ${name} used the procedure, ${period}`,
      columns: ["Figure", name, "Whole partnership"],
      rows: [
        ["Escalations raised by the agency", raised, partnershipRaised],
        ["Escalations raised with the agency", received, partnershipRaised],
        ["Raised with the agency and resolved at stage 1 or 2", show(percent(resolvedLow, resolved), "percent"), ""],
        ["Learning from final-stage resolutions shared within the limit", show(percent(learned, learnable), "percent"), ""],
        [`Overdue on ${formatUkDate(evidence.asOf)} (raised with the agency)`, profile.overdueAsReceiver, profile.overdueInPartnership],
        ["Conference decisions the agency dissented from", dissent, profile.partnershipDissent.reduce((n, q) => n + q.count, 0)],
      ],
      countColumns: [1, 2],
    },
    {
      kind: "chart",
      title: "Escalations raised and received, by quarter",
      description: `Line chart: escalations ${name} raised and received each quarter, ${period}.`,
      svg: lineChart({
        series: [
          { name: "Raised", points: profile.asRaiser.map((q) => ({ x: label(q.quarter), y: q.raised })) },
          { name: "Received", points: profile.asReceiver.map((q) => ({ x: label(q.quarter), y: q.raised })) },
        ],
        yLabel: "Escalations",
        description: "Escalations raised and received by quarter",
        width: 640,
      }),
    },
    {
      kind: "table",
      caption: `Escalations raised with the agency in ${label(evidence.to)} by stage reached`,
      columns: ["Stage reached", "Escalations"],
      rows: Object.entries(profile.received.stageReached).map(([k, v]) => [`Stage ${k}`, v]),
      countColumns: [1],
    },
    {
      kind: "table",
      caption: `Stages completed in ${label(evidence.to)} on escalations raised with the agency, within the limit`,
      columns: ["Stage", "Completed", "Within the limit"],
      rows: timescale.map((t) => [`Stage ${t.stage}`, t.completed, t.withinLimit]),
      countColumns: [1, 2],
    },
    {
      kind: "table",
      caption: `Themes of escalations raised with the agency in ${label(evidence.to)}`,
      columns: ["Theme", "Escalations"],
      rows: Object.entries(profile.received.themes).map(([k, v]) => [themes.get(k) ?? k, v]),
      countColumns: [1],
    },
  ];
  return {
    title: `Self-assessment evidence: ${standard.name}`,
    partnerships: [`${name} (${profile.agency.code})`, ...profile.partnerships.map((p) => partnershipNames.get(p) ?? p)],
    quarter: evidence.to,
    quarterLabel: period,
    periodWords: `${formatUkDate(quarterPeriod(evidence.from).start)} to ${formatUkDate(quarterPeriod(evidence.to).end)}`,
    asOf: evidence.asOf,
    published: false,
    marking: "OFFICIAL: for the partnership's safeguarding self-assessment, not for publication",
    disclosureStatement: standard.text,
    summary: [
      `${name} raised ${raised} escalations and received ${received} from ${period}; across the partnership ${partnershipRaised} were raised.`,
      resolved === 0
        ? `None of the escalations raised with ${name} was resolved in the period.`
        : `Of the ${resolved} escalations raised with ${name} and resolved in the period, ${show(percent(resolvedLow, resolved), "percent")} were resolved at stage 1 or 2.`,
      `${profile.overdueAsReceiver} escalation${profile.overdueAsReceiver === 1 ? "" : "s"} raised with ${name} ${profile.overdueAsReceiver === 1 ? "was" : "were"} overdue on ${formatUkDate(evidence.asOf)}.`,
      `${name} dissented from ${dissent} child protection conference decisions in the period.`,
    ],
    sections: [
      { id: "evidence", title: "Evidence from the escalation logs", blocks },
      {
        id: "answers",
        title: "The agency's answers",
        blocks: EVIDENCE_PROMPTS.flatMap((p): Block[] => [
          { kind: "paragraph", text: p.question },
          { kind: "paragraph", text: evidence.answers[p.key] || "Not answered." },
        ]),
      },
    ],
    caveats: [
      `Figures describe the records as they stood on ${formatUkDate(evidence.asOf)}, from the logs agencies uploaded.`,
      `Return ${evidence.id}, made by ${evidence.createdBy} on ${formatUkDate(evidence.createdAt.toISOString().slice(0, 10))}.`,
    ],
    glossary: GLOSSARY.filter((g) => ["raised", "stageReached", "resolvedAtLowestLevelPct", "timescale", "overdueAtAsOf", "themes", "learningWithinOneMonthPct", "dissent", "working-day"].includes(g.id)).map((g) => ({ name: g.name, definition: g.definition })),
  };
}

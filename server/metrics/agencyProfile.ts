/**
 * One agency's figures as the agency raising escalations and as the agency receiving them, over a
 * run of quarters, beside the same figures for its partnership(s) as a whole, with its dissent and
 * the themes raised with it.
 */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { todayInLondon, type IsoDate } from "../calendar/dates";
import { addQuarters, lastCompleteQuarter, type Quarter } from "../calendar/quarters";
import { NotFoundError } from "../errors";
import { dissentQuarters, type DissentQuarter } from "./dissentMeasures";
import { escalationBreakdowns, escalationQuarters, escalationsPointInTime, type EscalationQuarter, type QuarterBreakdowns } from "./escalationMeasures";
import { resolveScope } from "./scope";

export interface AgencyProfile {
  agency: { code: string; name: string; sector: string };
  partnerships: string[];
  quarters: Quarter[];
  asOf: IsoDate;
  asRaiser: EscalationQuarter[];
  asReceiver: EscalationQuarter[];
  partnership: EscalationQuarter[];
  /** Escalations received by the agency and overdue on A, beside the partnership's. */
  overdueAsReceiver: number;
  overdueInPartnership: number;
  /** The last quarter's escalations received by the agency, by stage reached and theme. */
  received: Omit<QuarterBreakdowns, "quarter" | "themesByReceivingAgency" | "byReceivingAgency">;
  dissent: DissentQuarter[];
  partnershipDissent: DissentQuarter[];
}

export async function getAgencyProfile(
  db: Db,
  params: { agency: string; partnerships: string[]; quarters: number; to?: Quarter; asOf?: IsoDate },
): Promise<AgencyProfile> {
  const [agency] = await queryRows<{ code: string; name: string; sector: string }>(
    db,
    sql`select code, name, sector from agencies where lower(code) = lower(${params.agency})`,
  );
  if (!agency) throw new NotFoundError(`There is no agency with the code "${params.agency}".`);
  const asOf = params.asOf ?? todayInLondon();
  const to = params.to ?? lastCompleteQuarter(asOf);
  const base = { partnerships: params.partnerships, quarter: to, from: addQuarters(to, -(params.quarters - 1)), asOf };
  const [whole, raiser, receiver, lastQuarter] = await Promise.all([
    resolveScope(db, base),
    resolveScope(db, { ...base, agency: agency.code, agencyRole: "raising" }),
    resolveScope(db, { ...base, agency: agency.code, agencyRole: "receiving" }),
    resolveScope(db, { ...base, from: to, agency: agency.code, agencyRole: "receiving" }),
  ]);
  // Independent reads: concurrent on a server's pool (the embedded database takes them in turn).
  const [[received], [overdueReceived], [overdueAll], asRaiser, asReceiver, partnership, dissent, partnershipDissent] = await Promise.all([
    escalationBreakdowns(db, lastQuarter),
    escalationsPointInTime(db, receiver, [asOf]),
    escalationsPointInTime(db, whole, [asOf]),
    escalationQuarters(db, raiser),
    escalationQuarters(db, receiver),
    escalationQuarters(db, whole),
    dissentQuarters(db, { ...whole, filter: raiser.filter }),
    dissentQuarters(db, whole),
  ]);
  return {
    agency,
    partnerships: whole.partnershipCodes,
    quarters: whole.quarters,
    asOf,
    asRaiser,
    asReceiver,
    partnership,
    overdueAsReceiver: overdueReceived!.overdue,
    overdueInPartnership: overdueAll!.overdue,
    received: { stageReached: received!.stageReached, timescale: received!.timescale, byRaisingAgency: received!.byRaisingAgency, themes: received!.themes },
    dissent,
    partnershipDissent,
  };
}

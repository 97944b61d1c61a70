/**
 * Every figure's plain-English definition, shown beside the figure and on the glossary page. The
 * wording follows METRICS.md; where METRICS.md was silent, the choice made is said here.
 */
export interface GlossaryEntry {
  /** The anchor on the glossary page and the figure's name in the board report JSON. */
  id: string;
  name: string;
  definition: string;
}

export const GLOSSARY: readonly GlossaryEntry[] = [
  { id: "working-day", name: "Working day", definition: "Monday to Friday, except England and Wales bank holidays and the partnership's own closure days. \"Working days from a to b\" counts the working days after a, up to and including b: the same day is 0, Friday to the next Monday is 1." },
  { id: "as-of", name: "As-of date", definition: "The date the report describes. Anything recorded with a later date (a stage, a closure, learning shared, a chair's follow-up) is treated as not having happened yet." },
  { id: "raised", name: "Raised", definition: "Escalations whose concern arose in the quarter." },
  { id: "closed", name: "Closed, resolved, withdrawn", definition: "Escalations closed in the quarter (by the as-of date), in all and by outcome." },
  { id: "openAtPeriodEnd", name: "Open at the end of the quarter", definition: "Escalations whose concern arose on or before the quarter's last day and that were not closed by then." },
  { id: "stageReached", name: "Stage reached", definition: "For a closed escalation, the highest stage with a date (stage 1 if none). For an open one, the stage after the highest dated one (at most the last stage of its own procedure version; stage 1 if none is dated): the stage it is at now. The distribution counts the quarter's raised escalations, under stages 1 to the most stages of any version in force during the quarter." },
  { id: "resolvedAtLowestLevelPct", name: "Resolved at the lowest level", definition: "Of the escalations resolved in the quarter, the percentage whose stage reached was 1 or 2. Percentages are rounded to one decimal place, halves away from zero, and are blank when there is nothing to divide by." },
  { id: "medianWorkingDaysToClose", name: "Median working days to close", definition: "The middle value of the working days from the concern arising to resolution, over escalations resolved in the quarter (the mean of the middle two when there is an even number)." },
  { id: "timescale", name: "Timescale adherence", definition: "For each stage, the stage dates falling in the quarter, and how many came within the stage's limit, in that stage's unit (working or calendar days), under the procedure version that judges the escalation. A stage's clock starts at the previous stage's date, or, where that was skipped or not recorded, the nearest earlier date recorded, or the date the concern arose. The stages listed run from 1 to the most stages of any version in force on a day of the quarter; the limit shown beside each is that of the version in force on the quarter's last day (none is shown when that version has no such stage, or partnerships reported together set different limits)." },
  { id: "overdueAtAsOf", name: "Overdue", definition: "Escalations open on the as-of date whose current stage has no date yet and whose clock for that stage has run longer than its limit (in the stage's own unit, working or calendar days, under the escalation's own procedure version), whichever quarter they were raised in." },
  { id: "unresolvedAfterFinalStage", name: "Unresolved after the final stage", definition: "Escalations still open on the as-of date although the last stage of their procedure version has a date: the procedures send these to the partnership manager. An escalation under a six-stage version with stage 5 dated is at stage 6, not past its final stage." },
  { id: "byAgency", name: "By raising and receiving agency", definition: "The quarter's raised escalations counted by the agency that raised them and the agency they were raised with." },
  { id: "themes", name: "Themes", definition: "The quarter's raised escalations counted by theme; an escalation with two themes counts once under each." },
  { id: "recurringThemes", name: "Recurring themes", definition: "A receiving agency and theme found together in 3 or more escalations whose concern arose in the 365 days ending on the quarter's last day." },
  { id: "learningWithinOneMonthPct", name: "Learning within one month", definition: "Of the escalations resolved in the quarter at the last stage of their procedure version, the percentage whose learning was shared (by the as-of date) no later than one calendar month after closure, or as many months as that version sets (31 January + 1 month = 28 or 29 February; 31 December + 2 months likewise)." },
  { id: "procedure-version", name: "Procedure versions", definition: "Partnerships revise their escalation procedures (new stages, new limits). Each revision is a version with the date it took effect; the first applies from the start. Every escalation is judged by the version in force on the day its concern arose, for everything the procedure decides: how many stages it has (so its stage reached, its last stage and whether it is unresolved after it), each stage's limit and unit, any total limit, and how long learning may take. It keeps that version after a later one takes over. Defining or correcting a version re-judges the escalations raised since it took effect; reports already issued stay as they were issued and list what the revision changed. A record's page names the version that judges it." },
  { id: "limit-unit", name: "Limits in working or calendar days", definition: "A stage's limit is in working days or in calendar days, as its procedure version says. Calendar days count every day, weekends and bank holidays included, from the day the stage's clock started to the date (the same day is 0): from Tuesday 23 December 2025 to Saturday 27 December is 4 calendar days but 1 working day (Wednesday 24; Christmas Day and Boxing Day are bank holidays). A stage is within its limit when the days it took, in its own unit, are no more than the limit, and overdue when the days since its clock started, in that unit, are more." },
  { id: "totalLimit", name: "Total limit", definition: "Some procedures also limit how long the whole escalation may take, in working days from the concern arising (an IRO dispute process that must end within 20 working days, for example). Of the escalations closed in the quarter, resolved or withdrawn, whose procedure version sets a total limit: how many, and how many closed within it; and how many still open on the as-of date have gone past it. Escalations under a version without a total limit are not counted. The limit shown is that of the version in force on the quarter's last day (none is shown when that version sets none, or partnerships reported together differ). Shown only for partnerships with a total limit in some version." },
  { id: "limitsVary", name: "Limits vary", definition: "Marks a stage of the timescale table whose completions in the quarter were not all judged against the limit shown beside it: some escalations are judged by an earlier version of the procedure (or, reported together, another partnership's) with a different limit or unit, or no limit is shown at all. Each completion is still judged against its own version's limit; the mark says the counts mix limits." },
  { id: "dissent", name: "Dissent", definition: "Professionals' dissent from a child protection conference decision, counted by conference date in the quarter; by dissenting agency, decision, conference type and theme." },
  { id: "ratePer100Conferences", name: "Dissent per 100 conferences", definition: "Dissents in the quarter per 100 initial and review conferences held, shown only when conference activity has been uploaded for all three months of the quarter." },
  { id: "chairFollowUpWithinLimitPct", name: "Chair's follow-up within the limit", definition: "Of the quarter's dissents, the percentage the conference chair followed up within the partnership's limit in working days (5 unless the partnership sets another)." },
  { id: "escalated", name: "Escalated dissent", definition: "Dissents whose current status is escalated: taken on under the escalation procedure." },
  { id: "quarter", name: "Quarter", definition: "Calendar quarters named YYYY-Qn (2025-Q1 is 1 January to 31 March). Partnerships that report on financial years see the same quarters labelled by financial year (2025-Q2 is Q1 2025/26)." },
  { id: "published", name: "Published figures", definition: "Figures for publication hide small numbers so that no child, family or professional can be picked out, under the partnership's disclosure profile (DfE or NHS, below). Every published report and document is checked before it is issued: a reader who knows the rules and reads every table, chart and total in it must not be able to work out any hidden figure. Internal views for authorised users show exact figures and say so." },
  { id: "disclosure-dfe", name: "DfE disclosure rules", definition: "As the Department for Education's children's statistics: a count from 1 to 5 shows as c (a true 0 shows as 0). Further counts are hidden, the smallest first and totals last, wherever the totals, the other counts, the percentages or the medians would otherwise let a reader work a hidden count out (three hidden stages under a total that leaves 3 must be 1, 1 and 1). A percentage or median is withheld when a count it is made of is hidden, when its denominator is under 10 (a median: fewer than 6 values), or when its numerator is from 1 to 5. Protects against: reading a small number off a table, and working one out by subtracting shown figures from a shown total or from what a shown percentage implies. It does not protect against comparing two different reports (for example this quarter's with a revised one), nor a combined report for several partnerships against each partnership's own (subtracting one from the other): the warehouse does not yet check pairs of reports, so whoever publishes both must check the differences by hand." },
  { id: "disclosure-nhs", name: "NHS disclosure rules", definition: "As NHS sub-national statistics: a count from 1 to 7 shows as *, every other count is rounded to the nearest 5, and percentages are computed from the rounded counts. Protects against: reading a small number off a table and, because every shown count may be up to 2 away from the true one, working an exact figure out from totals (checked, knowing the rounding, before issue). Where rounding still lets a reader work a hidden count out, further counts are shown as * too, and the report says so. Its cost: no published count is exact." },
];

export function glossaryEntry(id: string): GlossaryEntry {
  const entry = GLOSSARY.find((g) => g.id === id);
  if (!entry) throw new Error(`No glossary entry "${id}"`);
  return entry;
}

/** Which glossary entry explains each field of the board report (shown where the figure is). */
export const GLOSSARY_FOR_FIELD: Record<string, string> = {
  "escalations.raised": "raised",
  "escalations.closed": "closed",
  "escalations.resolved": "closed",
  "escalations.withdrawn": "closed",
  "escalations.openAtPeriodEnd": "openAtPeriodEnd",
  "escalations.stageReached": "stageReached",
  "escalations.resolvedAtLowestLevelPct": "resolvedAtLowestLevelPct",
  "escalations.medianWorkingDaysToClose": "medianWorkingDaysToClose",
  "escalations.timescale": "timescale",
  "escalations.overdueAtAsOf": "overdueAtAsOf",
  "escalations.unresolvedAfterFinalStage": "unresolvedAfterFinalStage",
  "escalations.byRaisingAgency": "byAgency",
  "escalations.byReceivingAgency": "byAgency",
  "escalations.themes": "themes",
  "escalations.recurringThemes": "recurringThemes",
  "escalations.learningWithinOneMonthPct": "learningWithinOneMonthPct",
  "escalations.totalLimit": "totalLimit",
  "dissent.count": "dissent",
  "dissent.byAgency": "dissent",
  "dissent.byDecision": "dissent",
  "dissent.byConferenceType": "dissent",
  "dissent.themes": "dissent",
  "dissent.ratePer100Conferences": "ratePer100Conferences",
  "dissent.chairFollowUpWithinLimitPct": "chairFollowUpWithinLimitPct",
  "dissent.escalated": "escalated",
};

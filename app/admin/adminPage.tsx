/** What the set-up pages share on the server: the refusal for someone who is not a business manager, and the measures with targets. */
import { notFound } from "next/navigation";
import { SECTORS, TARGET_MEASURES } from "@/server/reference/manage/schemas";
import type { ManagedPartnership } from "./types";
import type { TargetMeasure } from "./partnerships/PartnershipForm";

export function AdminOnly({ title }: { title: string }) {
  return (
    <>
      <h1 className="govuk-heading-xl">{title}</h1>
      <p className="lede">Only the partnership&apos;s business managers (admins) set up partnerships, procedures and agencies.</p>
    </>
  );
}

const MEASURE_LABELS: Record<(typeof TARGET_MEASURES)[number], string> = {
  withinLimitPct: "Stage completions within the limit",
  resolvedAtLowestLevelPct: "Resolved at the lowest level",
  overdueAtMonthEnd: "Overdue at the end of the month",
  chairFollowUpWithinLimitPct: "Chair's follow-up within the limit",
};

export function targetMeasures(): TargetMeasure[] {
  return TARGET_MEASURES.map((key) => ({ key, label: MEASURE_LABELS[key], percent: key.endsWith("Pct") }));
}

/** The partnership a page's address names, among the admin's own; any other code is the not-found page. */
export function partnershipNamed(partnerships: ManagedPartnership[], code: string): ManagedPartnership {
  let named = code;
  try {
    named = decodeURIComponent(code);
  } catch {
    // Not a percent-encoding: no partnership has such a code.
  }
  const found = partnerships.find((p) => p.code === named);
  if (!found) notFound();
  return found;
}

export const SECTOR_LABELS: Record<(typeof SECTORS)[number], string> = {
  police: "Police",
  health: "Health",
  social_care: "Children's social care",
  education: "Education",
  probation: "Probation",
  youth_justice: "Youth justice",
  vcf: "Voluntary, community and faith sector",
  other: "Other",
};

export function sectorChoices(): Array<{ value: string; label: string }> {
  return SECTORS.map((value) => ({ value, label: SECTOR_LABELS[value] }));
}

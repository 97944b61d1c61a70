/** Which disclosure profile a report's partnerships chose. */
import { inArray } from "drizzle-orm";
import type { Db } from "../db/client";
import { partnerships } from "../db/schema";
import type { DisclosureProfile } from "./disclosure";

/**
 * The profile for a report: the partnerships' own; partnerships reported together that chose
 * different profiles get the stricter, nhs.
 */
export async function profileFor(db: Db, codes: string[]): Promise<DisclosureProfile> {
  const rows = await db.select({ profile: partnerships.disclosureProfile }).from(partnerships).where(inArray(partnerships.code, codes));
  return rows.some((r) => r.profile === "nhs") ? "nhs" : "dfe";
}

import fs from "node:fs";
import path from "node:path";
import type { Db } from "../../db/client";
import { loadReferenceData, parseReferenceData, parseReferenceDataJson, type ReferenceData } from "../../server/reference/config";

export const DEMO_REFERENCE_FILE = path.join(process.cwd(), "db", "reference", "demo.json");

export function demoReference(): ReferenceData {
  return parseReferenceDataJson(fs.readFileSync(DEMO_REFERENCE_FILE, "utf8"));
}

export async function loadDemoReference(db: Db): Promise<ReferenceData> {
  const data = demoReference();
  await loadReferenceData(db, data, "test");
  return data;
}

/**
 * A small world for tests: two partnerships on one 3-stage procedure of 2 working days, one with a
 * closure day, and four agencies.
 */
export const SMALL_WORLD = {
  procedures: [
    {
      code: "small",
      name: "Small procedure",
      stages: [
        { number: 1, name: "Practitioners", limitWorkingDays: 2 },
        { number: 2, name: "Managers", limitWorkingDays: 2 },
        { number: 3, name: "Partnership", limitWorkingDays: 2 },
      ],
    },
  ],
  partnerships: [
    { code: "north", name: "North Safeguarding Children Partnership", procedure: "small", closureDays: ["2025-12-29", "2025-12-25", "2025-12-27"] },
    { code: "south", name: "South Safeguarding Children Partnership", procedure: "small" },
  ],
  agencies: [
    { code: "POL", name: "County Police", sector: "police", partnerships: ["north", "south"], aliases: ["Constabulary"] },
    { code: "CSC", name: "North Children's Social Care", sector: "social_care", partnerships: ["north"] },
    { code: "HLT", name: "Community Health Trust", sector: "health", partnerships: ["north", "south"] },
    { code: "SCH", name: "South Schools", sector: "education", partnerships: ["south"] },
  ],
};

export async function loadSmallWorld(db: Db): Promise<ReferenceData> {
  const data = parseReferenceData(SMALL_WORLD);
  await loadReferenceData(db, data, "test");
  return data;
}

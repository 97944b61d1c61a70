/** What the reference-data procedures (reference.*) take and answer, as the pages and forms use them. */
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/wiring/trpc/router";

type Outputs = inferRouterOutputs<AppRouter>["reference"];
type Inputs = inferRouterInputs<AppRouter>["reference"];

export type SetupStatus = Outputs["setup"];
export type SetupStep = SetupStatus["steps"][number];
export type ManagedPartnership = Outputs["partnerships"][number];
export type ManagedVersion = ManagedPartnership["versions"][number];
export type ManagedAgency = Outputs["agencies"][number];
export type PartnershipInput = Inputs["savePartnership"];
export type VersionInput = Inputs["saveVersion"]["version"];
export type VersionPreview = Outputs["previewVersion"];
export type AgencyInput = Inputs["saveAgency"];
export type ThemeInput = Inputs["saveThemes"]["themes"][number];

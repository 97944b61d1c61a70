import type { Metadata } from "next";
import { capabilitiesFor } from "@/app/lib/capabilities";
import { AdminOnly, partnershipNamed, targetMeasures } from "../../adminPage";
import { PartnershipForm } from "../PartnershipForm";

export const metadata: Metadata = { title: "Partnership settings" };

export default async function PartnershipPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const capabilities = await capabilitiesFor(`/admin/partnerships/${code}`);
  if (!capabilities.maySetUpPartnerships) return <AdminOnly title="Partnership settings" />;
  const partnership = partnershipNamed(await capabilities.caller.reference.partnerships(), code);
  const base = `/admin/partnerships/${encodeURIComponent(partnership.code)}`;
  return (
    <>
      <a className="govuk-back-link" href="/admin/partnerships">
        All partnerships
      </a>
      <h1 className="govuk-heading-xl">
        <span className="govuk-caption-l">Partnership settings</span>
        {partnership.name}
      </h1>
      <p className="govuk-body">
        Also: <a className="govuk-link" href={`${base}/procedure`}>its procedure and earlier versions</a> ·{" "}
        <a className="govuk-link" href={`${base}/themes`}>its own themes</a> ·{" "}
        <a className="govuk-link" href="/admin/agencies">
          agencies
        </a>
      </p>
      <PartnershipForm
        measures={targetMeasures()}
        existing={{
          code: partnership.code,
          name: partnership.name,
          quarterLabels: partnership.quarterLabels as "calendar" | "financial",
          disclosureProfile: partnership.disclosureProfile as "dfe" | "nhs",
          chairFollowUpLimitWorkingDays: partnership.chairFollowUpLimitWorkingDays,
          closureDays: partnership.closureDays,
          targets: partnership.targets,
        }}
      />
    </>
  );
}

import type { Metadata } from "next";
import { capabilitiesFor } from "@/app/lib/capabilities";
import { GLOSSARY } from "@/server/metrics/glossary";

export const metadata: Metadata = { title: "How the figures are counted" };

export default async function GlossaryPage() {
  await capabilitiesFor("/glossary");
  return (
    <>
      <h1>How the figures are counted</h1>
      <p className="lede">Every figure in the dashboard and the board reports, in plain English.</p>
      <dl className="glossary">
        {GLOSSARY.map((entry) => (
          <div key={entry.id} id={entry.id}>
            <dt>{entry.name}</dt>
            <dd>{entry.definition}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}

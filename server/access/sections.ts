/** The parts of the dashboard a person's roles open to them (the navigation shows only these). */
import type { Principal, Role } from "./permissions";

export interface Section {
  href: string;
  label: string;
}

export function sectionsFor(principal: Principal): Section[] {
  const has = (...roles: Role[]) => principal.grants.some((g) => roles.includes(g.role));
  const sections: Section[] = [];
  if (has("admin", "board", "scrutineer")) {
    sections.push(
      { href: "/", label: "Overview" },
      { href: "/escalations", label: "Escalations" },
      { href: "/themes", label: "Themes" },
      { href: "/dissent", label: "Dissent" },
      { href: "/data-quality", label: "Data quality" },
      { href: "/reports", label: "Board reports" },
    );
  }
  for (const grant of principal.grants.filter((g) => g.role === "agency_lead" && g.agency)) {
    sections.push({ href: `/agencies/${encodeURIComponent(grant.agency!)}`, label: `${grant.agency} profile` });
  }
  if (has("admin", "scrutineer", "agency_lead")) sections.push({ href: "/records", label: "Records" });
  if (has("admin", "scrutineer")) sections.push({ href: "/scrutiny", label: "Scrutiny" });
  if (has("admin", "uploader", "agency_lead")) sections.push({ href: "/uploads", label: "Uploads" });
  sections.push({ href: "/glossary", label: "Glossary" });
  if (has("admin")) sections.push({ href: "/audit", label: "Audit log" }, { href: "/admin/users", label: "Users" });
  return sections;
}

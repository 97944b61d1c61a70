"use client";
import { usePathname } from "next/navigation";
import type { Section } from "@/server/access/sections";

/** The service navigation, marking the section the reader is in. */
export function NavLinks({ sections: given }: { sections: Section[] }) {
  const pathname = usePathname();
  // A business manager (whose sections hold Users) also keeps the reference data: set-up, before Users.
  const users = given.findIndex((s) => s.href === "/admin/users");
  const sections = users < 0 ? given : [...given.slice(0, users), { href: "/admin", label: "Set-up" }, ...given.slice(users)];
  const within = (href: string) => (href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`) || (href === "/admin" && pathname.startsWith("/setup")));
  // The most specific section holding the page (Users, not Set-up, on /admin/users).
  const active = sections.filter((s) => within(s.href)).sort((a, b) => b.href.length - a.href.length)[0]?.href;
  const current = (href: string) => href === active;
  return (
    <ul className="govuk-service-navigation__list" id="navigation">
      {sections.map((s) => (
        <li key={s.href} className={`govuk-service-navigation__item${current(s.href) ? " govuk-service-navigation__item--active" : ""}`}>
          <a className="govuk-service-navigation__link" href={s.href} aria-current={current(s.href) ? "page" : undefined}>
            {current(s.href) ? <strong className="govuk-service-navigation__active-fallback">{s.label}</strong> : s.label}
          </a>
        </li>
      ))}
    </ul>
  );
}

"use client";
import { usePathname } from "next/navigation";
import type { Section } from "@/server/access/sections";

/** The service navigation, marking the section the reader is in. */
export function NavLinks({ sections }: { sections: Section[] }) {
  const pathname = usePathname();
  const current = (href: string) => (href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`));
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

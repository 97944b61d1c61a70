/**
 * What rows are matched against: agencies (by code, name or alias), partnerships (by code or
 * name), each partnership's stage count and themes (by code, label or synonym). Loaded once per
 * upload.
 */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../db/client";
import { normaliseName } from "../server/reference/names";
import { closestNames } from "./values";

export interface AgencyRef {
  id: number;
  code: string;
  name: string;
  aliases: string[];
  partnershipIds: Set<number>;
}

export interface PartnershipRef {
  id: number;
  code: string;
  name: string;
  /** The procedure versions, oldest first: each row is checked against the one in force on its concern date. */
  versions: VersionRef[];
  /** Theme code, label or synonym (normalised) → theme code. */
  themes: Map<string, string>;
  themeCodes: string[];
}

export interface VersionRef {
  effectiveFrom: string;
  name: string;
  stageCount: number;
  stageWord: string;
}

export class ReferenceContext {
  private readonly agencyByName = new Map<string, AgencyRef>();
  private readonly partnershipByName = new Map<string, PartnershipRef>();
  readonly partnershipById = new Map<number, PartnershipRef>();

  constructor(
    readonly agencies: AgencyRef[],
    readonly partnerships: PartnershipRef[],
  ) {
    for (const a of agencies) for (const key of [a.code, a.name, ...a.aliases]) this.agencyByName.set(normaliseName(key), a);
    for (const p of partnerships) {
      for (const key of [p.code, p.name]) this.partnershipByName.set(normaliseName(key), p);
      this.partnershipById.set(p.id, p);
    }
  }

  // Uploads name the same few agencies on every row: remember what each spelling matched.
  private readonly agencyBySpelling = new Map<string, AgencyRef | undefined>();
  private readonly partnershipBySpelling = new Map<string, PartnershipRef | undefined>();

  agency(written: string): AgencyRef | undefined {
    if (!this.agencyBySpelling.has(written)) this.agencyBySpelling.set(written, this.agencyByName.get(normaliseName(written)));
    return this.agencyBySpelling.get(written);
  }

  agencyByCode(code: string): AgencyRef | undefined {
    return this.agencies.find((a) => a.code.toLowerCase() === code.trim().toLowerCase());
  }

  partnership(written: string): PartnershipRef | undefined {
    if (!this.partnershipBySpelling.has(written)) this.partnershipBySpelling.set(written, this.partnershipByName.get(normaliseName(written)));
    return this.partnershipBySpelling.get(written);
  }

  /** A theme list as written, for one partnership: the codes, or the parts that are not themes. */
  private readonly themeLists = new Map<string, { codes: string[]; unknown: string[] }>();

  themeList(written: string, partnership: PartnershipRef | null): { codes: string[]; unknown: string[] } {
    const key = `${partnership?.id ?? ""}\u0000${written}`;
    let answer = this.themeLists.get(key);
    if (!answer) {
      const lookup = (partnership ?? this.partnerships[0])?.themes ?? new Map<string, string>();
      const codes = new Set<string>();
      const unknown: string[] = [];
      for (const part of written.split(/[;|]/).map((t) => t.trim()).filter(Boolean)) {
        const code = lookup.get(normaliseName(part));
        if (code) codes.add(code);
        else unknown.push(part);
      }
      answer = { codes: [...codes].sort(), unknown };
      if (this.themeLists.size < 10_000) this.themeLists.set(key, answer);
    }
    return answer;
  }

  /** "is not a configured agency; did you mean …?" */
  unknownAgencyReason(written: string): string {
    const close = closestNames(
      written,
      this.agencies.map((a) => ({ label: `${a.name} (${a.code})`, keys: [a.code, a.name, ...a.aliases] })),
    );
    return `is not a configured agency (by code, name or alias)${close.length ? `; did you mean ${close.join(" or ")}?` : ""}`;
  }

  unknownPartnershipReason(): string {
    return `is not a configured partnership; use one of ${this.partnerships.map((p) => p.code).join(", ")}`;
  }
}

export async function loadReferenceContext(db: Db): Promise<ReferenceContext> {
  const agencies = await queryRows<{ id: number; code: string; name: string; aliases: string[] | null; partnership_ids: number[] | null }>(
    db,
    sql`select a.id, a.code, a.name,
          (select array_agg(alias order by alias) from agency_aliases x where x.agency_id = a.id) as aliases,
          (select array_agg(partnership_id order by partnership_id) from agency_partnerships m where m.agency_id = a.id) as partnership_ids
        from agencies a order by a.code`,
  );
  const partnerships = await queryRows<{ id: number; code: string; name: string; versions: VersionRef[] | null }>(
    db,
    sql`select p.id, p.code, p.name,
          (select json_agg(json_build_object('effectiveFrom', v.effective_from::text, 'name', v.name, 'stageWord', v.stage_word,
                  'stageCount', (select count(*) from procedure_version_stages s where s.version_id = v.id)) order by v.effective_from)
             from procedure_versions v where v.partnership_id = p.id) as versions
        from partnerships p order by p.code`,
  );
  const themes = await queryRows<{ partnership_id: number | null; code: string; label: string; synonyms: string[] }>(
    db,
    sql`select partnership_id, code, label, synonyms from themes order by partnership_id nulls first, code`,
  );
  const themeLookup = (partnershipId: number) => {
    const lookup = new Map<string, string>();
    const codes: string[] = [];
    for (const t of themes.filter((t) => t.partnership_id === null || t.partnership_id === partnershipId)) {
      codes.push(t.code);
      // A code may also be written with spaces for its underscores ("information sharing").
      for (const key of [t.code, t.code.replace(/_/g, " "), t.label, ...t.synonyms]) lookup.set(normaliseName(key), t.code);
    }
    return { lookup, codes };
  };
  return new ReferenceContext(
    agencies.map((a) => ({ id: a.id, code: a.code, name: a.name, aliases: a.aliases ?? [], partnershipIds: new Set(a.partnership_ids ?? []) })),
    partnerships.map((p) => {
      const t = themeLookup(p.id);
      return { id: p.id, code: p.code, name: p.name, versions: p.versions ?? [], themes: t.lookup, themeCodes: t.codes };
    }),
  );
}

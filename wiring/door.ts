/**
 * The one door of every route handler under app/api: sign-in, same-origin for mutations, input
 * parsed with the shared zod schemas, `authorize` on a declared permission and target, the audit
 * row of a read, errors mapped to plain-English answers, and headers that keep answers private.
 * Each handler declares these; the access-matrix test reads the declarations of every route file.
 *
 *   export const GET = door({ permission: "figures.read", input: schema, target: (i) => ({ partnerships: i.partnership }),
 *                            audit: "export.x", handle: async ({ db, principal, input, note }) => … });
 */
import { z } from "zod";

type AuditScope = Record<string, unknown>;
import type { Db } from "../db/client";
import { getDb, getUploadsDb } from "../db/client";
import { processWide } from "../db/processWide";
import type { Auth } from "../server/access/auth";
import { authorize, authorizeOrHide, ForbiddenError, SignInRequiredError, type Permission, type Principal, type Target } from "../server/access/permissions";
import { writeAudit } from "../server/audit";
import { InvalidRequestError } from "../server/errors";
import { errorResponse, PRIVATE_HEADERS, UnsupportedBodyError } from "./answers";
import { crossSiteProblem } from "./origin";
import { getAuth, principalFrom } from "./session";

/** What a route reaches the warehouse through: the process's own, or (in tests) a given one. */
export interface DoorServices {
  db: () => Promise<Db>;
  uploadsDb: () => Promise<Db>;
  auth: () => Promise<Auth>;
  principal: (req: Request) => Promise<Principal | null>;
}

const services = processWide<{ current: DoorServices }>("door.services", () => ({
  current: { db: getDb, uploadsDb: getUploadsDb, auth: getAuth, principal: (req) => principalFrom(req.headers) },
}));

/** Serves every route through the given warehouse and sign-in (the access-matrix test's own database). */
export function serveThrough(next: DoorServices): () => void {
  const previous = services.current;
  services.current = next;
  return () => {
    services.current = previous;
  };
}

export function doorServices(): DoorServices {
  return services.current;
}

/** Where a route reads its input from. */
export type InputSource = "query" | "form" | "none";

export interface RouteContext<I, P extends Principal | null = Principal> {
  req: Request;
  db: Db;
  principal: P;
  input: I;
  services: DoorServices;
  /** Adds to the audit row the door writes after a successful read (rows returned, format…). */
  note: (entry: { scope?: AuditScope; details?: Record<string, unknown> }) => void;
}

interface CommonSpec<I> {
  /** Mutations (POST, PUT, PATCH, DELETE) must come from this site's pages; reads need not. */
  mutation?: boolean;
  /** Where the input comes from (path parameters always join it); "query" by default for reads, "form" for mutations. */
  from?: InputSource;
  input: z.ZodType<I>;
}

export interface DoorSpec<I> extends CommonSpec<I> {
  /** The permission asked for; where it depends on the input (a download's dataset), the one it takes and all it may take. */
  permission: Permission | { of: (input: I) => Permission; among: Permission[] };
  /** What the request touches, from its parsed input (partnerships, an agency); none for "whatever I may see". */
  target?: (input: I, db: Db) => Target | Promise<Target>;
  /**
   * For a thing asked for by id: the words a missing id gets. A refusal then answers the same (404),
   * so nobody learns that an id they may not see exists.
   */
  hidden?: (input: I) => string;
  /** The audit action of a successful read of record-level data or an export (mutations audit in their services). */
  audit?: string | ((input: I) => string);
  handle: (ctx: RouteContext<I>) => Promise<Response>;
}

export interface OpenDoorSpec<I> extends CommonSpec<I> {
  /** Why this route is open before sign-in (sign-in itself; tRPC, whose procedures each check). */
  open: string;
  handle: (ctx: RouteContext<I, Principal | null>) => Promise<Response>;
}

/** What a route declares, read by the access-matrix test. */
export interface DoorDeclaration {
  permission: Permission | Permission[] | "open";
  /** As declared; undefined means "by method" (anything but GET and HEAD). */
  mutation?: boolean;
  /** The audit action of a successful read ("per input" where it names, say, the dataset). */
  audit?: string;
}

export type RouteHandler = ((req: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>) & { door: DoorDeclaration };

/** A query string or form as an object: one value as a string, repeated keys as a list, empty values left out. */
function entriesToObject(entries: Iterable<[string, FormDataEntryValue]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [key, raw] of entries) {
    if (typeof raw !== "string") throw new InvalidRequestError(`The field "${key.slice(0, 40)}" is a file; this form takes text only.`);
    if (raw === "") continue;
    const had = out[key];
    out[key] = had === undefined ? raw : Array.isArray(had) ? [...had, raw] : [had, raw];
  }
  return { ...out };
}

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

async function readForm(req: Request): Promise<Record<string, string | string[]>> {
  const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (!FORM_TYPES.includes(type)) {
    throw new UnsupportedBodyError(`This address takes a form sent from its page (application/x-www-form-urlencoded), not ${type ? `"${type.slice(0, 60)}"` : "a body without a content type"}.`);
  }
  let data: FormData;
  try {
    data = await req.formData();
  } catch {
    throw new InvalidRequestError("The form could not be read: its body is not a well-formed form.");
  }
  return entriesToObject(data.entries());
}

async function readInput(req: Request, source: InputSource, params: Record<string, string | string[]>): Promise<Record<string, unknown>> {
  const fromBody = source === "form" ? await readForm(req) : source === "query" ? entriesToObject(new URL(req.url).searchParams.entries()) : {};
  // Path parameters last: a query or form field can never stand in for the path's own id.
  return { ...fromBody, ...params };
}

function withPrivateHeaders(response: Response): Response {
  for (const [name, value] of Object.entries(PRIVATE_HEADERS)) if (!response.headers.has(name)) response.headers.set(name, value);
  return response;
}

async function refuseCrossSite(req: Request, db: Db, principal: Principal | null): Promise<void> {
  const problem = crossSiteProblem(req);
  if (!problem) return;
  await writeAudit(db, {
    actor: principal?.email ?? "signed out",
    action: "access.origin",
    details: { method: req.method, path: new URL(req.url).pathname, origin: (req.headers.get("origin") ?? "").slice(0, 200) },
    outcome: "refused",
  });
  throw new ForbiddenError(problem);
}

function isMutation(spec: CommonSpec<unknown>, method: string): boolean {
  return spec.mutation ?? !["GET", "HEAD"].includes(method.toUpperCase());
}

async function enter<I>(spec: CommonSpec<I>, req: Request, context: { params: Promise<Record<string, string | string[]>> } | undefined, needsPrincipal: boolean) {
  const current = services.current;
  const db = await current.db();
  const principal = await current.principal(req);
  const mutation = isMutation(spec, req.method);
  if (mutation) await refuseCrossSite(req, db, principal);
  if (needsPrincipal && !principal) return { db, principal, input: undefined as I, current, signedOut: true as const };
  const params = (await context?.params) ?? {};
  const raw = await readInput(req, spec.from ?? (mutation ? "form" : "query"), params);
  const input = spec.input.parse(raw);
  return { db, principal, input, current, signedOut: false as const };
}

/** A route handler behind the door: signed in, same-origin for mutations, parsed, authorised, audited. */
export function door<I>(spec: DoorSpec<I>): RouteHandler {
  const handler = async (req: Request, context?: { params: Promise<Record<string, string | string[]>> }) => {
    try {
      const entered = await enter(spec, req, context, true);
      // Signed out, nothing is said about what was asked for, not even whether the input was good.
      if (entered.signedOut) throw new SignInRequiredError();
      const { db, input, current } = entered;
      const principal = entered.principal!;
      const target = (await spec.target?.(input, db)) ?? {};
      const permission = typeof spec.permission === "string" ? spec.permission : spec.permission.of(input);
      if (spec.hidden) await authorizeOrHide(db, principal, permission, target, spec.hidden(input));
      else await authorize(db, principal, permission, target);
      const audit: { scope: AuditScope; details: Record<string, unknown> } = { scope: { ...target }, details: {} };
      const note: RouteContext<I>["note"] = (entry) => {
        Object.assign(audit.scope, entry.scope ?? {});
        Object.assign(audit.details, entry.details ?? {});
      };
      const response = await spec.handle({ req, db, principal, input, services: current, note });
      if (spec.audit && response.ok) await writeAudit(db, { actor: principal.email, action: typeof spec.audit === "string" ? spec.audit : spec.audit(input), scope: audit.scope, details: audit.details, outcome: "success" });
      return withPrivateHeaders(response);
    } catch (error) {
      return errorResponse(error);
    }
  };
  return Object.assign(handler, { door: { permission: typeof spec.permission === "string" ? spec.permission : spec.permission.among, mutation: spec.mutation, audit: typeof spec.audit === "function" ? "per input" : spec.audit } }) as RouteHandler;
}

/** A route open before sign-in (sign-in itself, tRPC): still same-origin for mutations, parsed, and private. */
export function openDoor<I>(spec: OpenDoorSpec<I>): RouteHandler {
  const handler = async (req: Request, context?: { params: Promise<Record<string, string | string[]>> }) => {
    try {
      const { db, principal, input, current } = await enter(spec, req, context, false);
      return withPrivateHeaders(await spec.handle({ req, db, principal, input, services: current, note: () => {} }));
    } catch (error) {
      return errorResponse(error);
    }
  };
  return Object.assign(handler, { door: { permission: "open", mutation: spec.mutation } }) as RouteHandler;
}

/** A schema taking one or several values of a repeated query or form field as a list. */
export function many<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(item));
}

/** A schema taking the first of repeated values (a link with `quarter` twice reads the first). */
export function one<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => (Array.isArray(value) ? value[0] : value), item);
}

export type TemplateInfo =
  | { driver: "pglite"; dumpFile: string }
  | { driver: "postgres"; databaseUrl: string; templateName: string };

/** Tests only ever talk to a database on this machine. */
export function assertLocalDatabaseUrl(url: string): void {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]", ""].includes(host)) {
    throw new Error(`Tests run only against a database on this machine; DATABASE_URL points at ${host}`);
  }
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

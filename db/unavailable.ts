/** Telling "the database could not be reached" from every other failure, and what to say then. */

/**
 * True when the database could not be reached or went away part-way (restarting, down, the network),
 * looking through the wrappers drizzle and better-auth put around the driver's error: the action can
 * simply be tried again, and a transaction on that connection cannot be rolled back.
 */
export function databaseUnavailable(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === "string" ? e.code : "";
    // postgres.js's own codes (ConnectionLostError's too); the socket's; 57P01-57P03: the server is
    // shutting down, terminated the session or is starting up; 08xxx: connection exceptions.
    if (
      ["CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT", "ECONNRESET", "ECONNREFUSED", "EPIPE"].includes(code) ||
      /^57P0[123]$/.test(code) || /^08/.test(code)
    ) {
      return true;
    }
  }
  return false;
}

export const DATABASE_UNAVAILABLE_MESSAGE =
  "The warehouse's database could not be reached just now (it may be restarting); nothing from this action was saved. Try again in a minute.";

/** Raised instead of touching a connection that the server or the network has closed. */
export class ConnectionLostError extends Error {
  readonly code = "CONNECTION_CLOSED";
  constructor() {
    super("The connection to the database was lost part-way through; nothing from this action was saved. Try again.");
    this.name = "ConnectionLostError";
  }
}

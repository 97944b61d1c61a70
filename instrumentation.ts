/**
 * Runs once as the server starts (Next.js calls `register`): opens and migrates the warehouse there,
 * so that an embedded data folder that cannot be used (no permission, a full disk) stops the server
 * at once with a plain message, rather than each page failing later. A database server that cannot
 * be reached does not stop it: the server may come back, and pages recover when it does.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { openAtStart } = await import("./db/client");
  await openAtStart();
}

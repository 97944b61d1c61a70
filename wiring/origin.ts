/**
 * Mutations only from this site's own pages. A browser names the page a request came from in
 * `Origin`; it must be this site: the address people use (BETTER_AUTH_URL) or the host the request
 * was sent to. `X-Forwarded-Host` is believed only when the deployment says it sits behind a proxy
 * (TRUST_PROXY=1), since any client can send it.
 */

/** The hosts (host:port) this site answers as. */
function siteHosts(req: Request): Set<string> {
  const hosts = new Set<string>();
  const configured = process.env.BETTER_AUTH_URL;
  if (configured) {
    try {
      const host = new URL(configured).host;
      hosts.add(host);
      // A local dashboard is reached as localhost or 127.0.0.1 alike (as sign-in allows).
      if (host.startsWith("localhost:") || host === "localhost") hosts.add(host.replace("localhost", "127.0.0.1"));
      if (host.startsWith("127.0.0.1")) hosts.add(host.replace("127.0.0.1", "localhost"));
    } catch {
      // A malformed BETTER_AUTH_URL is reported at sign-in; here it simply names no host.
    }
  }
  const forwarded = process.env.TRUST_PROXY === "1" ? req.headers.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  const host = forwarded || req.headers.get("host");
  if (host) hosts.add(host.toLowerCase());
  return hosts;
}

/** Why a mutation is refused as not coming from this site's pages, or null when it may go ahead. */
export function crossSiteProblem(req: Request): string | null {
  const origin = req.headers.get("origin");
  if (origin === null) {
    // No Origin: not a browser's cross-site request unless the browser says so (Fetch metadata).
    return req.headers.get("sec-fetch-site") === "cross-site" ? "This request came from another site." : null;
  }
  let host: string;
  try {
    const url = new URL(origin);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new TypeError("not a web origin");
    host = url.host.toLowerCase();
  } catch {
    return `This request did not come from this site's own pages (its Origin, ${JSON.stringify(origin.slice(0, 80))}, is not a web address).`;
  }
  if (!siteHosts(req).has(host)) return `This request did not come from this site's own pages (it came from ${host}).`;
  return null;
}

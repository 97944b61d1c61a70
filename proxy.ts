/**
 * A Content-Security-Policy with a fresh nonce on every response (issue 16, finding 6): scripts run
 * only from this site's files or with this request's nonce, never an injected inline script. Next
 * reads the nonce from the request's Content-Security-Policy header and puts it on the scripts it
 * renders, which is why every page is rendered at request time (they all read the session anyway).
 * Styles still allow inline `style` attributes: the charts and govuk-frontend set them.
 */
import { NextResponse, type NextRequest } from "next/server";

export function contentSecurityPolicy(nonce: string, development = process.env.NODE_ENV === "development"): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts the nonce-bearing ones load (Next's chunks) may run; 'self' for older browsers.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64");
  const policy = contentSecurityPolicy(nonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  // Everything but the build's static files (scripts and styles themselves need no policy).
  matcher: [{ source: "/((?!_next/static|_next/image).*)" }],
};

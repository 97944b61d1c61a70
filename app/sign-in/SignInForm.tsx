"use client";
import { useState } from "react";
import { safeReturnPath } from "@/app/lib/returnPath";

/** What a refused sign-in means, from better-auth's answer (or the door's, for a request from another site). */
function refusal(status: number, body: { code?: string; message?: string; error?: string }, address: string): string {
  if (status === 429) return "Too many attempts. Wait a minute and try again.";
  if (body.code === "INVALID_ORIGIN") {
    return `Sign-in is refused at this address (${window.location.origin}): the warehouse is set up to be reached at ${address}. Open it at ${address}, or ask whoever runs it to set BETTER_AUTH_URL to the address people use (${window.location.origin}) and restart it.`;
  }
  if (status === 403 && /disabled/i.test(body.message ?? "")) return "This account is disabled. Ask your partnership's business manager.";
  if (status === 403 && body.error) return body.error;
  if (status === 401 || body.code === "INVALID_EMAIL_OR_PASSWORD") return "The email address or password is not right.";
  return "Sign-in did not work just now. Try again in a minute; if it keeps happening, tell your partnership's business manager.";
}

export function SignInForm({ next, address, singleSignOn }: { next: string; address: string; singleSignOn: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    const response = await fetch("/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: form.get("email"), password: form.get("password") }),
    });
    setBusy(false);
    if (response.ok) {
      window.location.assign(safeReturnPath(next));
      return;
    }
    const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string; error?: string };
    setError(refusal(response.status, body, address));
  }

  async function sso() {
    const response = await fetch("/api/auth/sign-in/social", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ provider: "sso", callbackURL: safeReturnPath(next) }),
    });
    const answer = (await response.json().catch(() => ({}))) as { url?: string; code?: string; message?: string; error?: string };
    if (answer.url) window.location.assign(answer.url);
    else if (!response.ok) setError(refusal(response.status, answer, address));
    else setError("Single sign-on is not available just now.");
  }

  return (
    <form onSubmit={submit} className="panel" noValidate>
      {/* Where the person goes once signed in (already checked to be a path on this site). */}
      <input type="hidden" name="next" value={next} />
      {error && (
        <div className="error-summary" role="alert" tabIndex={-1}>
          <h2 className="error-summary__title">There is a problem</h2>
          <p>{error}</p>
        </div>
      )}
      {singleSignOn && (
        <p>
          <button type="button" className="button" onClick={sso}>
            Sign in with your organisation&apos;s account
          </button>
        </p>
      )}
      <div className="form-group">
        <label htmlFor="email">Email address</label>
        <input id="email" name="email" type="email" autoComplete="username" className="input" required />
      </div>
      <div className="form-group">
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" className="input" required />
      </div>
      <button type="submit" className="button" disabled={busy}>
        Sign in
      </button>
    </form>
  );
}

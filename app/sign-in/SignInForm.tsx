"use client";
import { useState } from "react";

export function SignInForm({ next, singleSignOn }: { next: string; singleSignOn: boolean }) {
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
      window.location.assign(next);
      return;
    }
    setError(
      response.status === 429
        ? "Too many attempts. Wait a minute and try again."
        : response.status === 403
          ? "This account is disabled. Ask your partnership's business manager."
          : "The email address or password is not right.",
    );
  }

  async function sso() {
    const response = await fetch("/api/auth/sign-in/social", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ provider: "sso", callbackURL: next }),
    });
    const answer = (await response.json()) as { url?: string };
    if (answer.url) window.location.assign(answer.url);
    else setError("Single sign-on is not available just now.");
  }

  return (
    <form onSubmit={submit} className="panel" noValidate>
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

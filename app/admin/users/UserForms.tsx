"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { trpc } from "../../trpc-client";

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function AddUserForm({ roles }: { roles: string[] }) {
  const router = useRouter();
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email"));
    try {
      const role = String(form.get("role"));
      const { created, generatedPassword } = await trpc.users.add.mutate({
        email,
        name: String(form.get("name") || "") || undefined,
        role: role as never,
        scope: String(form.get("scope")),
      });
      // An existing account keeps its password: say so, so nobody hands out a password that does not work.
      setResult({
        ok: true,
        text: created
          ? `${email} added. Password (shown once, give it to them securely): ${generatedPassword}`
          : `${email} already had an account: role ${role} added; the password is unchanged. Use "New password" beside them to set one.`,
      });
      router.refresh();
    } catch (error) {
      setResult({ ok: false, text: message(error) });
    }
  }

  return (
    <form onSubmit={submit} className="panel filters" noValidate>
      {result && (
        <div className={result.ok ? "notification" : "error-summary"} role={result.ok ? "status" : "alert"} style={{ flexBasis: "100%" }}>
          <p data-testid="user-result">{result.text}</p>
        </div>
      )}
      <div className="form-group">
        <label htmlFor="new-email">Email address</label>
        <input id="new-email" name="email" type="email" className="input" required />
      </div>
      <div className="form-group">
        <label htmlFor="new-name">Name</label>
        <input id="new-name" name="name" className="input" />
      </div>
      <div className="form-group">
        <label htmlFor="new-role">Role</label>
        <select id="new-role" name="role" defaultValue="board">
          {roles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </div>
      <div className="form-group">
        <label htmlFor="new-scope">Scope: partnership codes (or all), or an agency code</label>
        <input id="new-scope" name="scope" className="input" required />
      </div>
      <button type="submit" className="button">
        Add user or role
      </button>
    </form>
  );
}

export function UserActions({ email, disabled }: { email: string; disabled: boolean }) {
  const router = useRouter();
  const [text, setText] = useState<string | null>(null);

  async function act(action: "disable" | "reset") {
    if (action === "disable" && !window.confirm(`Disable ${email}? They are signed out at once.`)) return;
    try {
      if (action === "disable") {
        await trpc.users.disable.mutate({ email });
        setText("Disabled.");
      } else {
        const { generatedPassword } = await trpc.users.reset.mutate({ email });
        setText(`New password (shown once): ${generatedPassword}`);
      }
      router.refresh();
    } catch (error) {
      setText(message(error));
    }
  }

  return (
    <>
      {!disabled && (
        <button type="button" className="button button--secondary button--small" onClick={() => act("disable")}>
          Disable<span className="visually-hidden"> {email}</span>
        </button>
      )}{" "}
      <button type="button" className="button button--secondary button--small" onClick={() => act("reset")}>
        {disabled ? "Re-enable with a new password" : "New password"}
        <span className="visually-hidden"> for {email}</span>
      </button>
      {text && (
        <span role="status" className="hint">
          {" "}
          {text}
        </span>
      )}
    </>
  );
}

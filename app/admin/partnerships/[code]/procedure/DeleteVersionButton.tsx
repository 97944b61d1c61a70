"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { trpc } from "@/app/trpc-client";
import { FormResultMessage, refused, type FormResult } from "../../../formResult";

/** Deletes a version (asking first); a refusal (the only version, or records it would leave beyond their version) is said in plain English. */
export function DeleteVersionButton({ partnership, effectiveFrom, label }: { partnership: string; effectiveFrom: string; label: string }) {
  const router = useRouter();
  const [result, setResult] = useState<FormResult>(null);

  async function remove() {
    if (!window.confirm(`Delete the version ${label}? Escalations it judged are judged again by the version before it.`)) return;
    try {
      await trpc.reference.deleteVersion.mutate({ partnership, effectiveFrom });
      setResult({ ok: true, text: "Deleted." });
      router.refresh();
    } catch (error) {
      setResult(refused(error));
    }
  }

  return (
    <>
      <button type="button" className="button button--secondary button--small" onClick={remove}>
        Delete<span className="visually-hidden"> the version {label}</span>
      </button>
      <FormResultMessage result={result} title="The version was not deleted" />
    </>
  );
}

"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { trpc } from "../trpc-client";

export function UndoButton({ batchId, fileName }: { batchId: number; fileName: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  async function undo() {
    if (!window.confirm(`Undo batch ${batchId} (${fileName})? The rows it loaded are removed and the versions it replaced come back.`)) return;
    setBusy(true);
    setMessage(null);
    try {
      const result = await trpc.uploads.undo.mutate({ batchId });
      setMessage(`Undone: ${result.removed} row(s) removed, ${result.restored} restored.`);
      router.refresh();
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button type="button" className="button button--secondary button--small" onClick={undo} disabled={busy}>
        Undo<span className="visually-hidden"> batch {batchId}</span>
      </button>
      {message && (
        <span role="status" className="hint">
          {" "}
          {message}
        </span>
      )}
    </>
  );
}

import { z } from "zod";
import { deploymentHasher } from "@/importers/pseudonymise";
import { assertUploadToken, discardUpload, followUpload, startLoad, UPLOAD_GONE_MESSAGE, uploadAgency } from "@/importers/uploads";
import { door, type DoorSpec } from "@/wiring/door";
import { explainError } from "@/wiring/answers";

const input = z.object({ token: z.string().max(200).transform((token) => assertUploadToken(token)) });

/** The person may follow, load or cancel an upload only if they may upload for its agency; another agency's reads as no upload at all. */
const forItsAgency: Pick<DoorSpec<{ token: string }>, "permission" | "input" | "target" | "hidden"> = {
  permission: "uploads.write",
  input,
  target: async (i) => ({ agency: await uploadAgency(i.token) }),
  hidden: () => UPLOAD_GONE_MESSAGE,
};

/** How the upload's check or load is going: its step, rows read, and the preview or result once done. */
export const GET = door({
  ...forItsAgency,
  handle: async ({ input }) => Response.json({ progress: await followUpload(input.token) }),
});

/** Starts loading an upload the person has checked (202); GET follows it. */
export const POST = door({
  ...forItsAgency,
  from: "none",
  handle: async ({ principal, input, services }) => {
    const worker = { db: await services.uploadsDb(), hasher: deploymentHasher(), actor: principal.email, explain: explainError };
    return Response.json({ progress: await startLoad(worker, input.token) }, { status: 202 });
  },
});

/** Cancels an upload the person decided not to load. */
export const DELETE = door({
  ...forItsAgency,
  from: "none",
  handle: async ({ principal, input, services }) => {
    await discardUpload(input.token, { db: await services.db(), actor: principal.email });
    return new Response(null, { status: 204 });
  },
});

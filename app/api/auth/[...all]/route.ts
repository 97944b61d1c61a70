import { getAuth } from "@/app/lib/session";

async function handler(req: Request): Promise<Response> {
  return (await getAuth()).handler(req);
}

export { handler as GET, handler as POST };

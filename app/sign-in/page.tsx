import type { Metadata } from "next";
import { safeReturnPath } from "@/app/lib/returnPath";
import { signInAddress } from "@/server/access/auth";
import { SignInForm } from "./SignInForm";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  // Only a path on this site: anything else (another site, a script URL, a path a browser would rewrite) returns to the start.
  const next = safeReturnPath(params.next);
  return (
    <>
      <h1>Sign in</h1>
      <SignInForm next={next} address={signInAddress()} singleSignOn={Boolean(process.env.OIDC_DISCOVERY_URL && process.env.OIDC_CLIENT_ID)} />
    </>
  );
}

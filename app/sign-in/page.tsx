import type { Metadata } from "next";
import { SignInForm } from "./SignInForm";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = typeof params.next === "string" && params.next.startsWith("/") && !params.next.startsWith("//") ? params.next : "/";
  return (
    <>
      <h1>Sign in</h1>
      <SignInForm next={next} singleSignOn={Boolean(process.env.OIDC_DISCOVERY_URL && process.env.OIDC_CLIENT_ID)} />
    </>
  );
}

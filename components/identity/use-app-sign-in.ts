"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useCallback } from "react";

// What the server's authorize() may answer (lib/identity/token-error.ts and providers), in words.
const MESSAGES: Record<string, string> = {
  invalid_credentials: "Wrong email or password.",
  rate_limited: "Too many attempts. Wait a few minutes, then try again.",
  jwks_unreachable: "The app could not reach the identity provider's keys. Try again in a moment.",
  provider_unreachable: "The identity provider could not be reached. Try again in a moment.",
  session_revoked: "That session has ended at the identity provider. Sign in again.",
  unsigned_token_rejected: "This server does not accept tokens from the Firebase emulator.",
  token_expired: "The sign-in took too long. Try again.",
};

/**
 * Starts the app session from a provider's proof (password, ID token, access token). Returns
 * the server's error code, or navigates to the dashboard.
 */
export function useAppSignIn() {
  const router = useRouter();
  return useCallback(
    async (provider: string, credentials: Record<string, string>): Promise<{ code: string; message: string } | null> => {
      const result = await signIn(provider, { ...credentials, redirect: false });
      if (result?.error) {
        const code = result.code ?? "sign_in_failed";
        return { code, message: MESSAGES[code] ?? `The app could not verify this sign-in (${code}). Try again.` };
      }
      router.push("/dashboard");
      router.refresh();
      return null;
    },
    [router],
  );
}

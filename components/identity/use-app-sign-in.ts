"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useCallback } from "react";
import { ApiError, postJson } from "@/components/api";

/** What a browser sign-in form does with the provider's proof: start the app session, or link it to the signed-in user. */
export type ProofIntent = "sign-in" | "link";

/** What every browser sign-in form takes (providers/identity/registry.client.tsx renders them). */
export interface BrowserSignInProps {
  config: Record<string, string | null>;
  mailboxUrl: string | null;
  /** "link": the form links the proven account to the signed-in user instead of signing in. */
  intent?: ProofIntent;
  onLinked?: (linked: LinkedMethod) => void;
}

/** A sign-in method just linked (POST /api/identity/link). */
export interface LinkedMethod {
  provider: string;
  email: string | null;
  /** false when it was linked to this account already. */
  created: boolean;
}

export type Refusal = { code: string; message: string } | null;

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

/**
 * For the sign-in forms: hands the provider's proof (ID or access token) to the app, to sign in
 * (`intent` "sign-in") or to link the sign-in method to the signed-in user ("link"; the server
 * takes the user from the session). After a link the dashboard is refreshed and `onLinked` told;
 * a refusal comes back in words that say what to do next.
 */
export function useSubmitProof(intent: ProofIntent, onLinked?: (linked: LinkedMethod) => void) {
  const appSignIn = useAppSignIn();
  const router = useRouter();
  return useCallback(
    async (provider: string, credentials: Record<string, string>): Promise<Refusal> => {
      if (intent === "sign-in") return appSignIn(provider, credentials);
      try {
        const { linked } = await postJson<{ linked: LinkedMethod }>("/api/identity/link", { provider, ...credentials });
        router.refresh();
        onLinked?.(linked);
        return null;
      } catch (error) {
        if (error instanceof ApiError) return { code: error.code, message: error.message };
        return { code: "link_failed", message: "Linking failed. Try again." };
      }
    },
    [intent, appSignIn, router, onLinked],
  );
}

import "server-only";
// Explicit account linking, as Auth0 ("account linking") and Firebase (linkWithCredential) do
// it: a signed-in user adds another sign-in method by proving it while signed in. The user is
// the session's, never the request's; the proof is checked by the provider's own sign-in
// verification (IdentityProvider.verifyForLink). Nothing is ever linked by email here.
//   https://auth0.com/docs/manage-users/user-accounts/user-account-linking
//   https://firebase.google.com/docs/auth/web/account-linking
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/http/errors";
import { getStore } from "@/lib/store";
import { getIdentityProvider } from "@/providers/identity/registry";
import type { SessionIdentity } from "./session";
import type { IdentityProviderId } from "./types";

const request = z.looseObject({ provider: z.string().min(1).max(40) });

export interface LinkOutcome {
  provider: IdentityProviderId;
  email: string | null;
  /** false when this sign-in method was already linked to this user (nothing changed). */
  created: boolean;
}

/**
 * How recent the sign-in must be. A new sign-in method is a permanent way into the account, so
 * a session cookie that someone else got hold of (a shared computer left signed in) must not be
 * enough to add one: as Firebase's "requires-recent-login", prove it is you again first.
 */
export const LINK_RECENT_SIGN_IN_SECONDS = 15 * 60;

/** Links the sign-in method proven by `body` (`{ provider, ...credentials }`) to `session`'s user. */
export async function linkSignInMethod(
  session: Pick<SessionIdentity, "userId" | "sessionExpiresAt">,
  body: unknown,
  now = Date.now(),
): Promise<LinkOutcome> {
  const { provider: id, ...credentials } = request.parse(body);
  const config = await getConfig();
  // The session ends AUTH_SESSION_MAX_AGE after sign-in, so this is when the person signed in.
  const signedInAt = session.sessionExpiresAt === null ? 0 : session.sessionExpiresAt - config.env.AUTH_SESSION_MAX_AGE * 1000;
  if (now - signedInAt > LINK_RECENT_SIGN_IN_SECONDS * 1000) {
    throw new AppError(
      "recent_sign_in_required",
      403,
      "Adding a sign-in method needs a recent sign-in. Sign out, sign in again, and add it within 15 minutes.",
    );
  }
  const provider = getIdentityProvider(id);
  if (!provider || !provider.isConfigured(config)) {
    throw new AppError("provider_not_configured", 404, "This sign-in method is not available on this server.");
  }
  if (!provider.verifyForLink || provider.linkable?.(config) === false) {
    throw new AppError(
      "link_not_supported",
      400,
      `${provider.label(config)} cannot be linked from the dashboard. Sign in with it instead; it becomes a separate account.`,
    );
  }
  const verified = await provider.verifyForLink(config, credentials);
  const { outcome } = await (await getStore()).attachIdentity(session.userId, verified);
  if (outcome === "linked_elsewhere") {
    throw new AppError(
      "identity_linked_elsewhere",
      409,
      `This ${provider.label(config)} account is already linked to another account here, so it cannot be added to yours. Sign in with ${provider.label(config)} to use that account, or link a different ${provider.label(config)} account.`,
    );
  }
  return { provider: verified.provider, email: verified.email, created: outcome === "linked" };
}

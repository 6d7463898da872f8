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
import { getIdentityProvider } from "./registry";
import type { Identity, IdentityProviderId } from "./types";

const request = z.looseObject({ provider: z.string().min(1).max(40) });

export interface LinkOutcome {
  provider: IdentityProviderId;
  email: string | null;
  /** false when this sign-in method was already linked to this user (nothing changed). */
  created: boolean;
}

/** Links the sign-in method proven by `body` (`{ provider, ...credentials }`) to `session`'s user. */
export async function linkSignInMethod(session: Pick<Identity, "userId">, body: unknown): Promise<LinkOutcome> {
  const { provider: id, ...credentials } = request.parse(body);
  const config = await getConfig();
  const provider = getIdentityProvider(id);
  if (!provider || !provider.isConfigured(config)) {
    throw new AppError("provider_not_configured", 404, "This sign-in method is not available on this server.");
  }
  if (!provider.verifyForLink) {
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

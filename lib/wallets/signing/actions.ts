import "server-only";
// The two server steps of "Sign a test message", as wallet actions any signing provider adds
// to its `actions` (so they are reached at POST /api/wallets/{provider}/sign-challenge and
// /sign-verify through the existing wallet route):
//
//   sign-challenge  {}                       → { nonce, message, address, expiresAt }
//   sign-verify     { nonce, signature }     → { verified: true, address, signature, message }
//
// The browser signs `message` verbatim with the provider's own EIP-191 signing call and posts
// the 0x-hex signature back with the nonce. Refusals are AppErrors with stable codes (see
// signingErrors in ./challenge.ts).
import { z } from "zod";
import { defineAction, type WalletAction, type WalletContext, type WalletProviderId } from "../types";
import { issueSignChallenge, verifySignedChallenge, type SigningContext } from "./challenge";
import { NONCE_PATTERN } from "./message";

export const SIGN_CHALLENGE_ACTION = "sign-challenge";
export const SIGN_VERIFY_ACTION = "sign-verify";

const verifyInput = z
  .object({
    nonce: z.string().regex(NONCE_PATTERN, "nonce must be the 32 hex characters the server issued"),
    // Shape is checked by the verifier (a clear `signature_malformed`), length bounded here.
    signature: z.string().max(200),
  })
  .strict();

export function signMessageActions(provider: { id: WalletProviderId; name: string }): Record<string, WalletAction> {
  const context = ({ identity, config, store }: WalletContext): SigningContext => ({
    userId: identity.userId,
    provider,
    store,
    appName: config.env.APP_NAME,
    appUrl: config.appUrl,
  });
  return {
    [SIGN_CHALLENGE_ACTION]: defineAction(z.object({}).strict(), (ctx) => issueSignChallenge(context(ctx))),
    [SIGN_VERIFY_ACTION]: defineAction(verifyInput, (ctx, input) => verifySignedChallenge(context(ctx), input)),
  };
}

/** Whether a provider's wallets can sign test messages (its actions include the two above). */
export const canSignMessages = (actions: Record<string, WalletAction>) => Object.hasOwn(actions, SIGN_CHALLENGE_ACTION);

import "server-only";
// Alchemy Smart Wallets, "authenticate with JWT". The server mints an RS256 OIDC ID token
// whose nonce binds it to the browser's target key and sends it to /signer/v1/auth-jwt; the
// credential bundle that comes back is encrypted to that key, so only the browser can open
// it. The browser then stamps a whoami with the decrypted key and the server relays it (the
// API key stays here); only a whoami that names the same organisation records the wallet.
//
// `pregenerate` is the same call without a target key: Alchemy creates (or finds) the
// user's wallet and answers its addresses but no bundle, so nobody gets a signing session.
// Apps use it to know a user's address before the user ever connects (to fund it, say).
//
// Answers are read with ./schema.ts: every field the documentation allows to be null is taken
// as null, kept as null, and shown as "not returned by Alchemy" (./card.ts), never as "null".
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { AppError } from "@/lib/http/errors";
import { nonceForPublicKey } from "@/lib/tokens/id-token";
import { walletIdToken } from "@/lib/wallets/id-token";
import { signMessageActions } from "@/lib/wallets/signing/actions";
import type { StoredData } from "@/lib/wallets/card";
import { defineAction, type WalletContext, type WalletProvider } from "@/lib/wallets/types";
import { ALCHEMY_NAME, alchemyCard, alchemyData, presentFields } from "./card";
import {
  authJwtResponseSchema as authResponse,
  signPayloadResponseSchema as signPayloadResponse,
  stampedRequestSchema,
  targetPublicKeySchema,
  whoamiResponseSchema as whoamiResponse,
} from "./schema";

const EXPIRATION_SECONDS = 900;
type AlchemyData = StoredData<typeof alchemyData>;

async function callAlchemy(
  config: { apiUrl: string; apiKey: string },
  path: string,
  body: unknown,
  refused = "Alchemy refused the sign-in. Try again; if it persists, check the Alchemy settings.",
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${config.apiUrl}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${config.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    throw new AppError("upstream_unavailable", 502, "Alchemy did not answer. Check that it is running and try again.");
  }
  const json: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const code = (json as { error?: { code?: string } } | null)?.error?.code;
    console.error(`[alchemy] ${path} answered ${response.status} ${code ?? ""}`);
    if (response.status >= 400 && response.status < 500) {
      throw new AppError("wallet_refused", 502, refused);
    }
    throw new AppError("upstream_unavailable", 502, "Alchemy could not complete the sign-in. Try again in a moment.");
  }
  return json;
}

/** The ID token for auth-jwt; see ../id-token.ts. */
const idTokenFor = (ctx: WalletContext, nonce: string) => walletIdToken(ctx, ctx.config.alchemy!.audience, nonce);

export const alchemyProvider: WalletProvider = {
  id: "alchemy",
  name: ALCHEMY_NAME,
  description:
    "Alchemy takes an ID token from your server and gives this browser a session key for your smart-account address. You can also pre-generate the address without a session.",
  isConfigured: (config) => Boolean(config.alchemy),
  card: alchemyCard,
  clientConfig: () => ({}),
  actions: {
    /** "Sign a test message" (the signer API's sign-payload, stamped by the session key), verified here: lib/wallets/signing. */
    ...signMessageActions({ id: "alchemy", name: ALCHEMY_NAME }),
    /** Mints the nonce-bound ID token and runs auth-jwt; returns the bundle for the browser. */
    "auth-jwt": defineAction(z.object({ targetPublicKey: targetPublicKeySchema }).strict(), async (ctx, { targetPublicKey }) => {
      const { identity, config, store } = ctx;
      const alchemy = config.alchemy!;
      const idToken = await idTokenFor(ctx, nonceForPublicKey(targetPublicKey));
      const parsed = authResponse.safeParse(
        await callAlchemy(alchemy, "/signer/v1/auth-jwt", {
          jwt: idToken.token,
          authProvider: alchemy.authProvider,
          // Verbatim: the nonce above is the SHA-256 of exactly this text.
          targetPublicKey,
          expirationSeconds: String(EXPIRATION_SECONDS),
        }),
      );
      if (!parsed.success || !parsed.data.credentialBundle)
        throw new AppError("upstream_invalid", 502, "Alchemy answered in an unexpected format.");
      const r = parsed.data;
      // Pending until the browser proves it could open the bundle (whoami below).
      await store.upsertWalletConnection({
        userId: identity.userId,
        provider: "alchemy",
        status: "pending",
        address: null,
        expiresAt: new Date(Date.now() + EXPIRATION_SECONDS * 1000),
        data: {
          orgId: r.orgId,
          signerUserId: r.userId,
          solanaAddress: r.solanaAddress,
          isSignup: r.isSignup,
          partnerToken: { header: idToken.header, claims: idToken.claims },
        } satisfies AlchemyData,
      });
      return { credentialBundle: r.credentialBundle, orgId: r.orgId, expiresAt: Date.now() + EXPIRATION_SECONDS * 1000 };
    }),

    /**
     * Pre-generates the wallet: no target key, so no bundle and no session. The address is
     * kept as "reserved" (pending, flagged) only where nothing else is recorded: never over a
     * connection, nor over a login in progress (auth-jwt waiting for its whoami, until its
     * bundle would have expired).
     */
    pregenerate: defineAction(z.object({}).strict(), async (ctx) => {
      const { identity, config, store } = ctx;
      // No key to bind: the nonce is random, so this token cannot log any key in.
      const idToken = await idTokenFor(ctx, randomBytes(16).toString("hex"));
      const parsed = authResponse.safeParse(
        await callAlchemy(config.alchemy!, "/signer/v1/auth-jwt", { jwt: idToken.token, authProvider: config.alchemy!.authProvider }),
      );
      const r = parsed.success ? parsed.data : undefined;
      // A bundle here would mean a session nobody asked for. The address may be null: the docs
      // promise it "after successful authentication"; then the reservation shows it as missing.
      if (!r || r.credentialBundle) throw new AppError("upstream_invalid", 502, "Alchemy answered in an unexpected format.");
      const address = r.address;
      // Check and write in one statement (AppStore.reserveWalletConnection): a login finished
      // meanwhile on another instance is never overwritten by the reservation.
      await store.reserveWalletConnection({
        userId: identity.userId,
        provider: "alchemy",
        status: "pending",
        address,
        expiresAt: null,
        data: {
          orgId: r.orgId,
          pregenerated: true,
          solanaAddress: r.solanaAddress,
          isSignup: r.isSignup,
          partnerToken: { header: idToken.header, claims: idToken.claims },
        } satisfies AlchemyData,
      });
      return { address, solanaAddress: r.solanaAddress, orgId: r.orgId, isSignup: r.isSignup };
    }),

    /**
     * Relays the browser's stamped sign_raw_payload to the signer API's sign-payload
     * (https://www.alchemy.com/docs/wallets/api-reference/signer/signer-api-endpoints/sign-message):
     * the API key stays here, the stamp (made with the session key only the browser holds)
     * authorizes the signature. Only a request for this user's organization goes out; what was
     * signed is checked afterwards by sign-verify, against the address on record.
     */
    "sign-payload": defineAction(
      z.object({ stampedRequest: stampedRequestSchema }).strict(),
      async ({ identity, config, store }, { stampedRequest }) => {
        const connection = await store.getWalletConnection(identity.userId, "alchemy");
        if (!connection || connection.status !== "connected" || typeof connection.data.orgId !== "string") {
          throw new AppError("wallet_not_connected", 409, "Connect Alchemy first: only a connected wallet can sign.");
        }
        let organizationId: unknown;
        try {
          organizationId = (JSON.parse(stampedRequest.body) as { organizationId?: unknown } | null)?.organizationId;
        } catch {
          organizationId = undefined;
        }
        if (organizationId !== connection.data.orgId)
          throw new AppError("wallet_mismatch", 403, "That signing request names another Alchemy account.");
        const parsed = signPayloadResponse.safeParse(
          await callAlchemy(
            config.alchemy!,
            "/signer/v1/sign-payload",
            { stampedRequest },
            "Alchemy refused to sign: this browser's session key is not valid any more. Disconnect and connect Alchemy again, then sign.",
          ),
        );
        if (!parsed.success) throw new AppError("upstream_invalid", 502, "Alchemy answered in an unexpected format.");
        return { signature: parsed.data.signature };
      },
    ),

    /** Relays the browser's stamped whoami; a success proves the decrypted key works. */
    whoami: defineAction(
      z.object({ stampedRequest: stampedRequestSchema }).strict(),
      async ({ identity, config, store }, { stampedRequest }) => {
        const pending = await store.getWalletConnection(identity.userId, "alchemy");
        if (!pending || typeof pending.data.orgId !== "string")
          throw new AppError("wallet_not_started", 409, "Start connecting Alchemy first.");
        const parsed = whoamiResponse.safeParse(await callAlchemy(config.alchemy!, "/signer/v1/whoami", { stampedRequest }));
        if (!parsed.success) throw new AppError("upstream_invalid", 502, "Alchemy answered in an unexpected format.");
        if (parsed.data.orgId !== pending.data.orgId) throw new AppError("wallet_mismatch", 403, "That signer belongs to another account.");
        await store.upsertWalletConnection({
          ...pending,
          status: "connected",
          address: parsed.data.address,
          data: {
            ...pending.data,
            ...({ solanaAddress: parsed.data.solanaAddress, userInfo: presentFields(parsed.data) } satisfies AlchemyData),
          },
        });
        return { address: parsed.data.address, solanaAddress: parsed.data.solanaAddress };
      },
    ),
  },
};

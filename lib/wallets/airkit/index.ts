// Moca AIR Kit, custom auth ("Partner JWT"). The server mints the partner token; the
// browser hands it to AIR (the SDK, or an AIR-compatible API); the server then verifies
// AIR's session token and records the wallet.
import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/http/errors";
import { decodeForDisplay } from "@/lib/tokens/decode";
import { mintPartnerToken } from "@/lib/tokens/partner-token";
import { defineAction, type WalletProvider } from "../types";
import { verifyAirToken } from "./verify-air-token";

const userInfoSchema = z.object({
  partnerId: z.string().max(200).optional(),
  partnerUserId: z.string().max(200).optional(),
  user: z.object({
    id: z.string().max(200),
    abstractAccountAddress: z.string().max(100).optional(),
    email: z.string().max(254).optional(),
    isMFASetup: z.boolean(),
  }),
});

export const airkitProvider: WalletProvider = {
  id: "airkit",
  name: "Moca AIR Kit",
  isConfigured: (config) => Boolean(config.airkit),
  addressLabel: "Account address",
  describe: (data) => (typeof data.airUserId === "string" ? [["AIR user id", data.airUserId]] : []),
  clientConfig: (config) => ({
    partnerId: config.airkit!.partnerId,
    apiUrl: config.airkit!.apiUrl ?? null,
    buildEnv: config.airkit!.buildEnv,
    mailboxUrl: config.demoMailboxUrl ?? null,
  }),
  actions: {
    /** Mints the partner JWT for the signed-in user. */
    "partner-token": defineAction(z.object({}).strict(), async ({ identity, config, store, keySet }) => {
      const air = config.airkit!;
      // AIR keys the account by email and skips its own check on later logins, so the
      // email must already be proven; otherwise anyone could claim someone else's wallet.
      if (!identity.email || !identity.emailVerified) {
        throw new AppError(
          "email_not_verified",
          403,
          "AIR Kit uses your email as your account id, and your identity provider has not verified it. Verify your email there, then try again.",
        );
      }
      const signed = await mintPartnerToken(keySet, {
        partnerId: air.partnerId,
        alg: air.signingAlg,
        subject: { userId: identity.userId, email: identity.email },
      });
      const previous = await store.getWalletConnection(identity.userId, "airkit");
      await store.upsertWalletConnection({
        userId: identity.userId,
        provider: "airkit",
        status: previous?.status === "connected" ? "connected" : "pending",
        address: previous?.address ?? null,
        expiresAt: previous?.expiresAt ?? null,
        data: { ...previous?.data, partnerToken: decodeForDisplay(signed.token) },
      });
      return { token: signed.token, expiresAt: signed.claims.exp * 1000 };
    }),

    /** Records the wallet after AIR login, once AIR's own token checks out. */
    session: defineAction(
      z.object({ token: z.string().min(10).max(8192), userInfo: userInfoSchema.optional() }).strict(),
      async ({ identity, config, store }, { token, userInfo }) => {
        const air = config.airkit!;
        const claims = await verifyAirToken(token, {
          jwksUrl: air.jwksUrl,
          partnerId: air.partnerId,
          partnerUserId: identity.userId,
          issuer: air.tokenIssuer,
        });
        // User info comes from the browser; keep it only if it describes the same account.
        const info = userInfo && userInfo.user.id === claims.sub ? userInfo : undefined;
        const previous = await store.getWalletConnection(identity.userId, "airkit");
        await store.upsertWalletConnection({
          userId: identity.userId,
          provider: "airkit",
          status: "connected",
          address: claims.abstractAccountAddress,
          expiresAt: new Date(claims.exp * 1000),
          data: {
            partnerToken: previous?.data.partnerToken,
            airUserId: claims.sub,
            claims: { sub: claims.sub, abstractAccountAddress: claims.abstractAccountAddress, partnerId: claims.partnerId, partnerUserId: claims.partnerUserId, iss: claims.iss, iat: claims.iat, exp: claims.exp },
            userInfo: info ?? null,
          },
        });
        return { address: claims.abstractAccountAddress, expiresAt: claims.exp * 1000 };
      },
    ),
  },
};

import "server-only";
// Moojo ID, "authenticate with JWT": the server sends a Firebase ID token for the signed-in
// user to Moojo with the partner API key. Firebase users bring their own ID token; everyone
// else reaches Firebase through the custom-token bridge. Either way the token must belong to
// this session's user (verifyFirebaseIdTokenForSession) before it is forwarded.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { AppError } from "@/lib/http/errors";
import { verifyFirebaseIdTokenForSession } from "@/lib/identity/providers/firebase/bridge";
import { defineAction, type WalletProvider } from "../types";

const authResponse = z.object({
  status: z.literal("success"),
  data: z.object({
    token: z.string().regex(/^[0-9a-f]{64}$/),
    expiresAtIso8601: z.string(),
    publicUserId: z.uuid(),
    publicKey: z.string().regex(/^0x0[23][0-9a-fA-F]{64}$/),
  }),
});

async function callMoojo(url: string, init: RequestInit): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(8000) });
  } catch {
    throw new AppError("upstream_unavailable", 502, "Moojo did not answer. Check that it is running and try again.");
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.status === 401 || response.status === 403) {
    console.error(`[moojo] refused: ${response.status}`);
    throw new AppError("wallet_refused", 502, "Moojo refused the sign-in. Sign out and in again; if it persists, check MOOJO_API_KEY.");
  }
  if (!response.ok) {
    console.error(`[moojo] answered ${response.status}`);
    throw new AppError("upstream_unavailable", 502, "Moojo could not complete the sign-in. Try again in a moment.");
  }
  return body;
}

export const moojoProvider: WalletProvider = {
  id: "moojo",
  name: "Moojo ID",
  isConfigured: (config) => Boolean(config.moojo && config.firebase),
  addressLabel: "Public key",
  describe: (data) =>
    [
      ["Public user id", data.publicUserId],
      ["Firebase uid", data.firebaseUid],
    ].filter((row): row is [string, string] => typeof row[1] === "string"),
  clientConfig: (config) => {
    const f = config.firebase!;
    return { apiKey: f.apiKey, authDomain: f.authDomain, projectId: f.projectId, emulatorHost: f.emulatorHost ?? null };
  },
  actions: {
    authenticate: defineAction(z.object({ idToken: z.string().min(20).max(8192) }).strict(), async ({ identity, config, store }, { idToken }) => {
      const claims = await verifyFirebaseIdTokenForSession(idToken, identity);
      const moojo = config.moojo!;
      const parsed = authResponse.safeParse(
        await callMoojo(`${moojo.apiUrl}/user/authenticate`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-api-key": moojo.apiKey },
          body: JSON.stringify({ idType: "firebaseJwt", id: idToken }),
        }),
      );
      if (!parsed.success) throw new AppError("upstream_invalid", 502, "Moojo answered in an unexpected format.");
      const { token, expiresAtIso8601, publicUserId, publicKey } = parsed.data.data;
      // Prove the token works as a bearer on a user call before recording the wallet.
      const me = await callMoojo(`${moojo.apiUrl}/user/me`, { headers: { authorization: `Bearer ${token}` } });
      const expiresAt = new Date(expiresAtIso8601);
      await store.upsertWalletConnection({
        userId: identity.userId,
        provider: "moojo",
        status: "connected",
        address: publicKey,
        expiresAt: Number.isNaN(expiresAt.getTime()) ? null : expiresAt,
        data: {
          publicUserId,
          firebaseUid: claims.sub,
          userInfo: (me as { data?: unknown } | null)?.data ?? null,
          exchange: { id: randomUUID(), idType: "firebaseJwt", firebaseSignInProvider: claims.firebase?.sign_in_provider ?? null },
        },
      });
      return { publicUserId, publicKey, expiresAt: expiresAt.getTime() };
    }),
  },
};

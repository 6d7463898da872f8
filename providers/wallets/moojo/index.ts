import "server-only";
// Moojo ID, "authenticate with JWT": the server sends a Firebase ID token for the signed-in
// user to Moojo with the partner API key. The token must carry this app user's one Firebase uid
// (firebaseUidFor: decided once, whatever the sign-in method), so a person has one Moojo
// identity. The browser learns that uid from `prepare` and brings either its own Firebase ID
// token (same uid) or one from the custom-token bridge; the server verifies it either way.
// Moojo's user token then proves itself on a documented user call (list-credentials), stays on
// the server (sealed, never sent to the browser), and lists the credentials shown on the card.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { AppError } from "@/lib/http/errors";
import { firebaseUidFor, verifyFirebaseIdTokenForSession } from "@/providers/identity/firebase/bridge";
import type { AppStore } from "@/lib/store/types";
import type { StoredData } from "@/lib/wallets/card";
import { defineAction, type WalletProvider } from "@/lib/wallets/types";
import { moojoCard, moojoData } from "./card";
import { MoojoSessionExpired, addCredential, authenticate, ensureDemoCredentialDefined, listCredentials } from "./client";
import { demoCredentialRequest } from "./demo-credential";
import type { MoojoCredential } from "./schema";
import { openUserToken, sealUserToken } from "./token-box";

type MoojoData = StoredData<typeof moojoData>;

async function saveCredentials(store: AppStore, userId: string, credentials: MoojoCredential[]): Promise<void> {
  const connection = await store.getWalletConnection(userId, "moojo");
  if (!connection) return;
  await store.upsertWalletConnection({ ...connection, data: { ...connection.data, ...({ credentials } satisfies MoojoData) } });
}

export const moojoProvider: WalletProvider = {
  id: "moojo",
  name: "Moojo ID",
  description:
    "Moojo ID takes a Firebase ID token that stands for you and answers with your Moojo identity, its public key and credentials. It does not sign messages.",
  isConfigured: (config) => Boolean(config.moojo && config.firebase),
  card: moojoCard,
  buttons: [{ action: "issueDemoCredential", label: "Issue a demo credential", busyLabel: "Issuing…" }],
  clientConfig: (config) => {
    const f = config.firebase!;
    return { apiKey: f.apiKey, authDomain: f.authDomain, projectId: f.projectId, emulatorUrl: f.emulatorUrl ?? null };
  },
  actions: {
    /** The Firebase uid the ID token must carry; the first call decides it for good. */
    prepare: defineAction(z.object({}).strict(), async ({ identity }) => ({ firebaseUid: await firebaseUidFor(identity) })),

    authenticate: defineAction(
      z.object({ idToken: z.string().min(20).max(8192) }).strict(),
      async ({ identity, config, store }, { idToken }) => {
        const claims = await verifyFirebaseIdTokenForSession(idToken, identity);
        const moojo = config.moojo!;
        const { token, expiresAtIso8601, publicUserId, publicKey } = await authenticate(moojo, idToken);
        // The documented user call proves the token works (both x-api-key and Bearer) before the
        // wallet is recorded, and gives the card its credentials.
        const credentials = await listCredentials(moojo, token).catch((error: unknown) => {
          if (error instanceof MoojoSessionExpired)
            throw new AppError("upstream_invalid", 502, "Moojo did not accept the session it had just created. Try again in a moment.");
          throw error;
        });
        const expiresAt = new Date(expiresAtIso8601);
        await store.upsertWalletConnection({
          userId: identity.userId,
          provider: "moojo",
          status: "connected",
          address: publicKey,
          expiresAt,
          data: {
            publicUserId,
            firebaseUid: claims.sub,
            credentials,
            exchange: { id: randomUUID(), idType: "firebaseJwt", firebaseSignInProvider: claims.firebase?.sign_in_provider ?? null },
          } satisfies MoojoData,
        });
        await store.setWalletSecret(identity.userId, "moojo", sealUserToken(token, identity.userId, config.env.AUTH_SECRET));
        return { publicUserId, publicKey, expiresAt: expiresAt.getTime(), credentials: credentials.length };
      },
    ),

    /**
     * Defines the demo credential (once) and adds one to this user, then lists again. The user
     * is the server's record of this session user's connection, never anything in the request.
     */
    issueDemoCredential: defineAction(z.object({}).strict(), async ({ identity, config, store }) => {
      const connection = await store.getWalletConnection(identity.userId, "moojo");
      const publicUserId = z.uuid().safeParse(connection?.data.publicUserId);
      if (!connection || connection.status !== "connected" || !publicUserId.success) {
        throw new AppError("wallet_not_connected", 409, "Connect Moojo first.");
      }
      const moojo = config.moojo!;
      const sealed = await store.getWalletSecret(identity.userId, "moojo");
      const token = sealed === null ? null : openUserToken(sealed, identity.userId, config.env.AUTH_SECRET);
      const expired = connection.expiresAt !== null && connection.expiresAt.getTime() <= Date.now();
      if (token === null || expired) throw new MoojoSessionExpired();

      await ensureDemoCredentialDefined(moojo);
      await addCredential(moojo, demoCredentialRequest(publicUserId.data, identity.provider, new Date()));
      let credentials: MoojoCredential[];
      try {
        credentials = await listCredentials(moojo, token);
      } catch (error) {
        if (error instanceof MoojoSessionExpired) {
          // Moojo ended the session early: show the card as expired, with its reconnect button.
          await store.upsertWalletConnection({ ...connection, expiresAt: new Date() });
          await store.setWalletSecret(identity.userId, "moojo", null);
        }
        throw error;
      }
      await saveCredentials(store, identity.userId, credentials);
      return { credentials: credentials.length };
    }),
  },
};

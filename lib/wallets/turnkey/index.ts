import "server-only";
// Turnkey, backend authentication with OIDC. The server finds or creates the user's
// sub-organization (root user, OAuth provider = the app as issuer, a default wallet with
// Ethereum and Solana accounts), then logs in with an ID token whose nonce is bound to the
// browser's public key (oauth_login). The browser's stamped whoami, relayed by the server,
// proves it holds that key before the wallet is recorded.
import { randomBytes } from "node:crypto";
import { DEFAULT_ETHEREUM_ACCOUNTS, DEFAULT_SOLANA_ACCOUNTS, Turnkey } from "@turnkey/sdk-server";
import { decodeJwt } from "jose";
import { z } from "zod";
import type { AppConfig } from "@/lib/config/load";
import { AppError } from "@/lib/http/errors";
import type { Identity } from "@/lib/identity/types";
import type { KeySet } from "@/lib/keys/keyset";
import { decodeForDisplay } from "@/lib/tokens/decode";
import { mintIdToken, nonceForPublicKey } from "@/lib/tokens/id-token";
import { defineAction, type WalletProvider } from "../types";

const SESSION_SECONDS = 900;

type Client = ReturnType<Turnkey["apiClient"]>;
let client: { key: string; api: Client } | undefined;

function api(config: NonNullable<AppConfig["turnkey"]>): Client {
  const key = `${config.apiUrl}|${config.organizationId}|${config.apiPublicKey}`;
  if (client?.key !== key) {
    const sdk = new Turnkey({
      apiBaseUrl: config.apiUrl,
      defaultOrganizationId: config.organizationId,
      apiPublicKey: config.apiPublicKey,
      apiPrivateKey: config.apiPrivateKey,
    });
    client = { key, api: sdk.apiClient() };
  }
  return client.api;
}

/** Turnkey's SDK errors carry a reason; people get a stable code and a next step, never the upstream text. */
async function turnkey<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const reason = (error as { details?: { reason?: string }[] }).details?.[0]?.reason;
    console.error(`[turnkey] ${what} failed${reason ? `: ${reason}` : ""}`);
    if (error instanceof TypeError || /fetch failed|ECONNREFUSED/.test(String(error))) {
      throw new AppError("upstream_unavailable", 502, "Turnkey did not answer. Check that it is running and try again.");
    }
    throw new AppError("wallet_refused", 502, "Turnkey refused the login. Try again; if it persists, check the Turnkey settings.");
  }
}

function idToken(keySet: KeySet, config: AppConfig, identity: Identity, nonce: string) {
  return mintIdToken(keySet, {
    issuer: config.appUrl,
    audience: config.turnkey!.oidcAudience,
    subject: identity.userId,
    email: identity.email ?? "",
    emailVerified: identity.emailVerified,
    nonce,
    alg: "RS256",
  });
}

const publicKeySchema = z.string().regex(/^0[23][0-9a-f]{64}$/, "a compressed P-256 public key in lowercase hex");

export const turnkeyProvider: WalletProvider = {
  id: "turnkey",
  name: "Turnkey",
  isConfigured: (config) => Boolean(config.turnkey),
  addressLabel: "Ethereum address",
  describe: (data) =>
    [
      ["Solana address", data.solanaAddress],
      ["Sub-organization", data.organizationId],
      ["Turnkey user id", data.turnkeyUserId],
    ].filter((row): row is [string, string] => typeof row[1] === "string"),
  clientConfig: () => ({}),
  actions: {
    "oauth-login": defineAction(z.object({ publicKey: publicKeySchema }).strict(), async ({ identity, config, store, keySet }, { publicKey }) => {
      const tk = config.turnkey!;
      const client = api(tk);
      // Finding and registering use a token not bound to any key; logging in uses one bound to this browser's key.
      const lookup = await idToken(keySet, config, identity, randomBytes(16).toString("hex"));
      const found = await turnkey("getSubOrgIds", () =>
        client.getSubOrgIds({ organizationId: tk.organizationId, filterType: "OIDC_TOKEN", filterValue: lookup.token }),
      );
      let organizationId = found.organizationIds?.[0];
      if (!organizationId) {
        const created = await turnkey("createSubOrganization", () =>
          client.createSubOrganization({
            organizationId: tk.organizationId,
            subOrganizationName: `user ${identity.userId}`,
            rootUsers: [
              {
                userName: identity.name ?? identity.email ?? identity.userId,
                ...(identity.email && identity.emailVerified ? { userEmail: identity.email } : {}),
                apiKeys: [],
                authenticators: [],
                oauthProviders: [{ providerName: "byo-auth", oidcToken: lookup.token }],
              },
            ],
            rootQuorumThreshold: 1,
            wallet: { walletName: "Default Wallet", accounts: [...DEFAULT_ETHEREUM_ACCOUNTS, ...DEFAULT_SOLANA_ACCOUNTS] },
          }),
        );
        organizationId = created.subOrganizationId;
      }
      const login = await idToken(keySet, config, identity, nonceForPublicKey(publicKey));
      const { session } = await turnkey("oauthLogin", () =>
        client.oauthLogin({ organizationId: organizationId!, oidcToken: login.token, publicKey, expirationSeconds: String(SESSION_SECONDS) }),
      );
      const { wallets } = await turnkey("getWallets", () => client.getWallets({ organizationId: organizationId! }));
      const walletId = wallets?.[0]?.walletId;
      const { accounts } = walletId
        ? await turnkey("getWalletAccounts", () => client.getWalletAccounts({ organizationId: organizationId!, walletId }))
        : { accounts: [] };
      const ethereum = accounts.find((a) => a.addressFormat === "ADDRESS_FORMAT_ETHEREUM")?.address ?? null;
      const solana = accounts.find((a) => a.addressFormat === "ADDRESS_FORMAT_SOLANA")?.address ?? null;
      const claims = decodeJwt(session);
      await store.upsertWalletConnection({
        userId: identity.userId,
        provider: "turnkey",
        status: "pending",
        address: ethereum,
        expiresAt: typeof claims.exp === "number" ? new Date(claims.exp * 1000) : null,
        data: {
          organizationId,
          solanaAddress: solana,
          sessionPublicKey: publicKey,
          partnerToken: decodeForDisplay(login.token),
          sessionClaims: { exp: claims.exp, user_id: claims.user_id, organization_id: claims.organization_id, session_type: claims.session_type },
        },
      });
      return { session, organizationId };
    }),

    /** Relays the browser's stamped whoami; it must be signed by the session key that logged in. */
    whoami: defineAction(z.object({ body: z.string().max(1024), stamp: z.string().max(4096) }).strict(), async ({ identity, config, store }, input) => {
      const pending = await store.getWalletConnection(identity.userId, "turnkey");
      if (!pending || typeof pending.data.organizationId !== "string") throw new AppError("wallet_not_started", 409, "Start connecting Turnkey first.");
      let response: Response;
      try {
        response = await fetch(`${config.turnkey!.apiUrl}/public/v1/query/whoami`, {
          method: "POST",
          headers: { "content-type": "application/json", "X-Stamp": input.stamp },
          body: input.body,
          signal: AbortSignal.timeout(8000),
        });
      } catch {
        throw new AppError("upstream_unavailable", 502, "Turnkey did not answer. Check that it is running and try again.");
      }
      if (!response.ok) throw new AppError("wallet_refused", 502, "Turnkey did not accept this browser's key. Connect again.");
      const me = z.object({ organizationId: z.string(), userId: z.string(), username: z.string().optional() }).safeParse(await response.json().catch(() => null));
      if (!me.success || me.data.organizationId !== pending.data.organizationId) {
        throw new AppError("wallet_mismatch", 403, "That Turnkey session belongs to another account.");
      }
      await store.upsertWalletConnection({ ...pending, status: "connected", data: { ...pending.data, turnkeyUserId: me.data.userId, userInfo: me.data } });
      return { organizationId: me.data.organizationId, userId: me.data.userId };
    }),
  },
};

import "server-only";
// The app server's Turnkey client (@turnkey/sdk-server, stamped with the parent organization's
// API key) and the one place Turnkey's errors become the app's. A refusal is read by contract
// (schema.ts `readTurnkeyFailure`): the gRPC status `code`, the `turnkeyErrorCode` of a
// TurnkeyErrorDetail and an attempt count, each found by type wherever it stands in `details`.
// The message is English prose Turnkey may reword at any time: it is never matched, and like
// all upstream text it never reaches a person.
import { DEFAULT_ETHEREUM_ACCOUNTS, DEFAULT_SOLANA_ACCOUNTS, Turnkey } from "@turnkey/sdk-server";
import type { z } from "zod";
type TransportEnum =
  | "AUTHENTICATOR_TRANSPORT_BLE"
  | "AUTHENTICATOR_TRANSPORT_INTERNAL"
  | "AUTHENTICATOR_TRANSPORT_NFC"
  | "AUTHENTICATOR_TRANSPORT_USB"
  | "AUTHENTICATOR_TRANSPORT_HYBRID";
import type { AppConfig } from "@/lib/config/load";
import { AppError } from "@/lib/http/errors";
import type { Identity } from "@/lib/identity/types";
import {
  createSubOrganizationResultSchema,
  readTurnkeyFailure,
  subOrgIdsResponseSchema,
  walletAccountsResponseSchema,
  walletsResponseSchema,
  type TurnkeyFailure,
} from "./schema";

export type TurnkeyConfig = NonNullable<AppConfig["turnkey"]>;
type Client = ReturnType<Turnkey["apiClient"]>;

let cached: { key: string; api: Client } | undefined;

export function turnkeyApi(config: TurnkeyConfig): Client {
  const key = `${config.apiUrl}|${config.organizationId}|${config.apiPublicKey}`;
  if (cached?.key !== key) {
    const sdk = new Turnkey({
      apiBaseUrl: config.apiUrl,
      defaultOrganizationId: config.organizationId,
      apiPublicKey: config.apiPublicKey,
      apiPrivateKey: config.apiPrivateKey,
    });
    cached = { key, api: sdk.apiClient() };
  }
  return cached.api;
}

/** gRPC status codes Turnkey answers with. */
export const GRPC = {
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

export type { TurnkeyFailure } from "./schema";

const unavailable = () => new AppError("upstream_unavailable", 502, "Turnkey did not answer. Check that it is running and try again.");

/**
 * Runs one Turnkey call. `explain` may turn a refusal into a specific error (a wrong code is
 * the user's to fix, not a server fault); anything else is `wallet_refused` or
 * `upstream_unavailable`. Upstream text goes to the server log only.
 */
export async function callTurnkey<T>(
  what: string,
  call: () => Promise<T>,
  explain?: (failure: TurnkeyFailure) => AppError | undefined,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const failure = readTurnkeyFailure(error);
    console.error(
      `[turnkey] ${what} failed${failure ? ` (code ${failure.grpcCode}${failure.turnkeyErrorCode ? `, ${failure.turnkeyErrorCode}` : ""})` : ""}`,
    );
    // Turnkey states every refusal as a gRPC status; an answer without one came from something
    // in between (a proxy, an outage page), so it counts as "not answering", not as a refusal.
    if (!failure || failure.grpcCode === GRPC.UNAVAILABLE) throw unavailable();
    const specific = explain?.(failure);
    if (specific) throw specific;
    throw new AppError("wallet_refused", 502, "Turnkey refused the login. Try again; if it persists, check the Turnkey settings.");
  }
}

/** Turnkey's answer read with the app's schema (schema.ts); anything else is an unexpected answer now, not a confusing failure later. */
export function expectAnswer<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  console.error(`[turnkey] the ${what} answer is not in the documented shape`);
  throw new AppError(
    "upstream_invalid",
    502,
    "Turnkey answered in an unexpected format. Try again; if it persists, check the Turnkey settings.",
  );
}

/** What a sign-up adds to the root user: a passkey (Turnkey verifies its attestation) and an API key. */
export interface SubOrganizationExtras {
  authenticators?: {
    authenticatorName: string;
    challenge: string;
    attestation: { credentialId: string; clientDataJson: string; attestationObject: string; transports: string[] };
  }[];
  apiKeys?: { apiKeyName: string; publicKey: string; curveType: "API_KEY_CURVE_P256"; expirationSeconds: string }[];
}

/** The sub-organization whose root user has this OIDC identity (`lookupToken`, bound to no key), if any. */
export async function findSubOrganization(config: TurnkeyConfig, lookupToken: string): Promise<string | undefined> {
  const found = await callTurnkey("getSubOrgIds", () =>
    turnkeyApi(config).getSubOrgIds({ organizationId: config.organizationId, filterType: "OIDC_TOKEN", filterValue: lookupToken }),
  );
  return expectAnswer(subOrgIdsResponseSchema, found, "getSubOrgIds").organizationIds[0];
}

/**
 * The user's sub-organization: found by the app's OIDC identity, or created with a root user
 * that has that identity as its OAuth provider, the user's email (which an email code later
 * proves) and a default wallet with one Ethereum and one Solana account. `lookupToken` is an
 * ID token bound to no key: finding and registering must not consume a login nonce.
 */
export async function findOrCreateSubOrganization(
  config: TurnkeyConfig,
  identity: Identity,
  lookupToken: string,
  extras: SubOrganizationExtras = {},
): Promise<string> {
  const api = turnkeyApi(config);
  const existing = await findSubOrganization(config, lookupToken);
  if (existing) return existing;
  const created = await callTurnkey("createSubOrganization", () =>
    api.createSubOrganization({
      organizationId: config.organizationId,
      subOrganizationName: `user ${identity.userId}`,
      rootUsers: [
        {
          userName: identity.name ?? identity.email ?? identity.userId,
          // Turnkey treats the email as unverified until an email code proves it (otp_login),
          // and the app never looks sub-organizations up by email, so an unverified address
          // cannot reach anyone else's wallet.
          ...(identity.email ? { userEmail: identity.email } : {}),
          apiKeys: extras.apiKeys ?? [],
          // A passkey's attestation over the challenge the app issued (Turnkey checks it):
          // https://docs.turnkey.com/api-reference/activities/create-sub-organization
          authenticators: (extras.authenticators ?? []).map((a) => ({
            ...a,
            attestation: { ...a.attestation, transports: a.attestation.transports as TransportEnum[] },
          })),
          oauthProviders: [{ providerName: "byo-auth", oidcToken: lookupToken }],
        },
      ],
      rootQuorumThreshold: 1,
      wallet: { walletName: "Default Wallet", accounts: [...DEFAULT_ETHEREUM_ACCOUNTS, ...DEFAULT_SOLANA_ACCOUNTS] },
    }),
  );
  return expectAnswer(createSubOrganizationResultSchema, created, "createSubOrganization").subOrganizationId;
}

/** The Ethereum and Solana addresses of the sub-organization's first wallet. */
export async function walletAddresses(
  config: TurnkeyConfig,
  organizationId: string,
): Promise<{ ethereum: string | null; solana: string | null }> {
  const api = turnkeyApi(config);
  const { wallets } = expectAnswer(
    walletsResponseSchema,
    await callTurnkey("getWallets", () => api.getWallets({ organizationId })),
    "getWallets",
  );
  const walletId = wallets[0]?.walletId;
  const { accounts } = walletId
    ? expectAnswer(
        walletAccountsResponseSchema,
        await callTurnkey("getWalletAccounts", () => api.getWalletAccounts({ organizationId, walletId })),
        "getWalletAccounts",
      )
    : { accounts: [] };
  return {
    ethereum: accounts.find((a) => a.addressFormat === "ADDRESS_FORMAT_ETHEREUM")?.address ?? null,
    solana: accounts.find((a) => a.addressFormat === "ADDRESS_FORMAT_SOLANA")?.address ?? null,
  };
}

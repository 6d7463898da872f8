/**
 * `create_sub_organization` (V7 and V8): a sub-organization under the parent, its root users
 * with their credentials, and optionally one HD wallet with the requested accounts.
 *
 * Invariants:
 * - Everything that can fail without touching the database (key parsing, OIDC token checks,
 *   key derivation) runs first; the writes then happen in one transaction, so a refused
 *   request leaves no half-created organization.
 * - API keys must be compressed P-256 keys not registered anywhere else (a stamp names exactly
 *   one user). OAuth identities (iss, aud, sub) are unique across the counterpart.
 * - A provider given as `oidcToken` is registered only if the token verifies (signature
 *   through the issuer's discovery, exp/iat). This activity is parent-only, so the issuer it
 *   names is one the parent chose to trust.
 * - A passkey (authenticator) is registered only if its attestation verifies (lib/webauthn.ts:
 *   format "none", the `challenge` given is the one clientDataJSON carries, an allowed browser
 *   origin, the RP id of that origin, user presence) and its credential id is new; its public key,
 *   RP id and counter are kept so its X-Stamp-Webauthn stamps can be checked later.
 * - Wallet seeds are random (see lib/wallet-keys.ts), stored, and never returned.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { bytesToHex } from "@noble/hashes/utils.js";
import type { v1WalletAccount } from "@turnkey/sdk-types";
import { P256KeyError, parseP256PublicKey } from "../lib/p256-keys";
import { WebAuthnError, verifyRegistration, type RegisteredCredential } from "../lib/webauthn";
import { WalletKeyError, deriveEd25519, deriveSecp256k1, ethereumAddress, solanaAddress } from "../lib/wallet-keys";
import { MAX_SESSION_SECONDS, type TurnkeyContext } from "./context";
import { GRPC, TurnkeyApiError, invalid, unimplemented } from "./errors";
import type { AuthenticatorParams, CreateSubOrganizationParams, OauthProviderParams, WalletAccountParams } from "./params";
import {
  CREDENTIAL_API_KEY_P256,
  findPrincipal,
  insertApiKey,
  insertAuthenticator,
  insertOauthProvider,
  insertOrganization,
  insertUser,
  insertWallet,
  insertWalletAccount,
} from "./store";

const WALLET_SEED_BYTES = 64;

export interface CreateSubOrganizationResult {
  subOrganizationId: string;
  wallet?: { walletId: string; addresses: string[] };
  rootUserIds: string[];
}

interface DerivedAccount {
  readonly params: WalletAccountParams;
  readonly address: string;
  readonly publicKey: string;
}

export async function createSubOrganization(
  ctx: TurnkeyContext,
  parentId: string,
  params: CreateSubOrganizationParams,
): Promise<CreateSubOrganizationResult> {
  if (params.verificationToken !== undefined || params.clientSignature !== undefined) {
    throw unimplemented("signup_verification_unsupported", "Sign-up with a verification token is not supported by this counterpart");
  }
  if (params.rootQuorumThreshold > params.rootUsers.length) {
    throw invalid("root_quorum_invalid", "rootQuorumThreshold must not exceed the number of root users");
  }

  const seen = new Set<string>();
  const users = await Promise.all(
    params.rootUsers.map(async (user) => ({
      params: user,
      apiKeys: user.apiKeys.map((key) => {
        if (key.curveType !== "API_KEY_CURVE_P256") {
          throw unimplemented("api_key_curve_unsupported", "Only API_KEY_CURVE_P256 keys can stamp requests here");
        }
        let publicKey: string;
        try {
          publicKey = parseP256PublicKey(key.publicKey, "compressed").compressedHex;
        } catch (error) {
          if (error instanceof P256KeyError)
            throw invalid("api_key_public_key_invalid", "API key publicKey must be a compressed P-256 key in hex");
          throw error;
        }
        if (seen.has(publicKey)) throw invalid("api_key_duplicate", "The same API key appears twice");
        seen.add(publicKey);
        if (key.expirationSeconds !== undefined && (key.expirationSeconds < 1 || key.expirationSeconds > MAX_SESSION_SECONDS)) {
          throw invalid("api_key_expiration_invalid", `API key expirationSeconds must be in [1, ${MAX_SESSION_SECONDS}]`);
        }
        return { name: key.apiKeyName, publicKey, expirationSeconds: key.expirationSeconds };
      }),
      providers: await Promise.all(user.oauthProviders.map((provider) => resolveProvider(ctx, provider))),
      authenticators: user.authenticators.map((authenticator) => {
        const registered = verifyAuthenticator(ctx, authenticator);
        if (seen.has(`webauthn:${registered.credential.credentialId}`))
          throw invalid("authenticator_duplicate", "The same passkey appears twice");
        seen.add(`webauthn:${registered.credential.credentialId}`);
        return registered;
      }),
    })),
  );
  const accounts = params.wallet?.accounts ?? [];
  const seed = new Uint8Array(randomBytes(WALLET_SEED_BYTES));
  const derived = accounts.map((account) => deriveAccount(seed, account));

  const now = ctx.now();
  const subOrganizationId = randomUUID();
  const walletId = randomUUID();
  const rootUserIds = await ctx.db.transaction(async (tx) => {
    await insertOrganization(tx, { id: subOrganizationId, name: params.subOrganizationName, parentId, now });
    const ids: string[] = [];
    for (const user of users) {
      const userId = randomUUID();
      ids.push(userId);
      await insertUser(tx, {
        id: userId,
        organizationId: subOrganizationId,
        userName: user.params.userName,
        ...(user.params.userEmail !== undefined ? { email: user.params.userEmail } : {}),
        ...(user.params.userPhoneNumber !== undefined ? { phoneNumber: user.params.userPhoneNumber } : {}),
        now,
      });
      for (const key of user.apiKeys) {
        if (await findPrincipal(tx, key.publicKey)) {
          throw new TurnkeyApiError(GRPC.ALREADY_EXISTS, "api_key_exists", "This public key is already registered");
        }
        const expiresAt = key.expirationSeconds !== undefined ? new Date(now.getTime() + key.expirationSeconds * 1000) : null;
        await insertApiKey(tx, {
          userId,
          name: key.name,
          publicKey: key.publicKey,
          credentialType: CREDENTIAL_API_KEY_P256,
          expiresAt,
          now,
        });
      }
      for (const { name, credential, rpId, transports } of user.authenticators) {
        const outcome = await insertAuthenticator(tx, {
          userId,
          name,
          credentialId: credential.credentialId,
          transports,
          publicKeyJwk: credential.publicKey.jwk,
          alg: credential.publicKey.alg,
          rpId,
          aaguid: credential.aaguid,
          signCount: credential.signCount,
          now,
        });
        if (outcome === "exists")
          throw new TurnkeyApiError(GRPC.ALREADY_EXISTS, "authenticator_exists", "This passkey is already registered");
      }
      for (const provider of user.providers) {
        const outcome = await insertOauthProvider(tx, { userId, organizationId: subOrganizationId, ...provider, now });
        if (outcome === "exists") {
          throw new TurnkeyApiError(GRPC.ALREADY_EXISTS, "oauth_provider_exists", "This OIDC identity is already linked to a user");
        }
      }
    }
    if (params.wallet) {
      await insertWallet(tx, {
        id: walletId,
        organizationId: subOrganizationId,
        name: params.wallet.walletName,
        seedHex: bytesToHex(seed),
        now,
      });
      for (const account of derived) {
        await insertWalletAccount(tx, {
          wallet_id: walletId,
          organization_id: subOrganizationId,
          curve: account.params.curve,
          path_format: account.params.pathFormat,
          path: account.params.path,
          address_format: account.params.addressFormat as v1WalletAccount["addressFormat"],
          address: account.address,
          public_key: account.publicKey,
          name: account.params.name ?? null,
          now,
        });
      }
    }
    return ids;
  });

  return {
    subOrganizationId,
    ...(params.wallet ? { wallet: { walletId, addresses: derived.map((account) => account.address) } } : {}),
    rootUserIds,
  };
}

/**
 * Checks one authenticator's registration. The RP id is the host name of the origin the
 * ceremony ran on (what a browser uses when `rp.id` is left to its default, as the kit does).
 */
function verifyAuthenticator(
  ctx: TurnkeyContext,
  authenticator: AuthenticatorParams,
): { name: string; credential: RegisteredCredential; rpId: string; transports: readonly string[] } {
  const { attestation } = authenticator;
  let origin: unknown;
  try {
    origin = (JSON.parse(Buffer.from(attestation.clientDataJson, "base64url").toString("utf8")) as { origin?: unknown }).origin;
  } catch {
    throw invalid("authenticator_webauthn_malformed", "attestation.clientDataJson is not base64url JSON");
  }
  if (typeof origin !== "string" || !ctx.allowedOrigins.includes(origin)) {
    throw invalid("authenticator_origin_not_allowed", "The passkey was created on an origin this organization does not allow");
  }
  const rpId = new URL(origin).hostname;
  let credential: RegisteredCredential;
  try {
    credential = verifyRegistration(
      { clientDataJSON: attestation.clientDataJson, attestationObject: attestation.attestationObject },
      { challenge: authenticator.challenge, origins: ctx.allowedOrigins, rpId, requireUserVerification: false },
    );
  } catch (error) {
    if (error instanceof WebAuthnError) throw invalid(`authenticator_${error.code}`, `Passkey registration refused: ${error.message}`);
    throw error;
  }
  if (credential.credentialId !== attestation.credentialId.replace(/=+$/, "")) {
    throw invalid("authenticator_credential_id_mismatch", "attestation.credentialId is not the credential the authenticator created");
  }
  return { name: authenticator.authenticatorName, credential, rpId, transports: attestation.transports };
}

async function resolveProvider(
  ctx: TurnkeyContext,
  provider: OauthProviderParams,
): Promise<{ providerName: string; issuer: string; audience: string; subject: string }> {
  if ("oidcClaims" in provider) {
    const { iss, aud, sub } = provider.oidcClaims;
    return { providerName: provider.providerName, issuer: iss, audience: aud, subject: sub };
  }
  const verified = await ctx.oidc.verify(provider.oidcToken, { issuerAllowed: () => true });
  const [audience, ...others] = verified.audiences;
  if (audience === undefined || others.length > 0) {
    throw invalid("oidc_token_audience_ambiguous", "The OIDC token must have exactly one audience to register it");
  }
  return { providerName: provider.providerName, issuer: verified.issuer, audience, subject: verified.subject };
}

function deriveAccount(seed: Uint8Array, account: WalletAccountParams): DerivedAccount {
  try {
    if (account.addressFormat === "ADDRESS_FORMAT_ETHEREUM") {
      if (account.curve !== "CURVE_SECP256K1") throw invalid("address_format_curve_mismatch", "Ethereum accounts use CURVE_SECP256K1");
      const { publicKey } = deriveSecp256k1(seed, account.path);
      return { params: account, address: ethereumAddress(publicKey), publicKey: bytesToHex(publicKey) };
    }
    if (account.addressFormat === "ADDRESS_FORMAT_SOLANA") {
      if (account.curve !== "CURVE_ED25519") throw invalid("address_format_curve_mismatch", "Solana accounts use CURVE_ED25519");
      const { publicKey } = deriveEd25519(seed, account.path);
      return { params: account, address: solanaAddress(publicKey), publicKey: bytesToHex(publicKey) };
    }
  } catch (error) {
    if (error instanceof WalletKeyError) throw invalid(error.code, `Wallet account ${account.path}: ${error.message}`);
    throw error;
  }
  throw unimplemented(
    "address_format_unsupported",
    "This counterpart creates ADDRESS_FORMAT_ETHEREUM and ADDRESS_FORMAT_SOLANA accounts only",
  );
}

import "server-only";
// "Sign a test message", the server's half: issue a fresh nonce and the exact text to sign,
// then check what the wallet signed. The rules (docs/security.md, "Signed messages"):
//  - the address is the one on record for the user's connection, never one from a request;
//  - a nonce is ours (random, stored), for this user and this provider, used once, and
//    younger than CHALLENGE_TTL_MS;
//  - the first verification attempt spends the nonce, whether or not the signature is good,
//    so a refused attempt cannot be retried with another signature and a replay is refused.
import { randomBytes } from "node:crypto";
import { getAddress, isAddress } from "viem";
import { AppError } from "@/lib/http/errors";
import type { AppStore, WalletConnection, WalletProviderId } from "@/lib/store/types";
import { buildSignMessage } from "./message";
import { checkSignature } from "./verify";

/** How long a challenge may wait for its signature: enough for a passkey prompt, short enough to be fresh. */
export const CHALLENGE_TTL_MS = 5 * 60_000;
/** Unused, unexpired challenges one user may hold per provider; more is someone filling the table. */
export const MAX_OPEN_CHALLENGES = 10;
/** Expired challenges are kept this long (so a late replay is told "expired"), then pruned. */
const KEEP_EXPIRED_MS = 24 * 3600_000;

export interface SigningContext {
  userId: string;
  provider: { id: WalletProviderId; name: string };
  store: AppStore;
  appName: string;
  appUrl: string;
  now?: () => Date;
}

export interface IssuedChallenge {
  nonce: string;
  message: string;
  address: string;
  expiresAt: string;
}

export interface VerifiedSignature {
  verified: true;
  address: string;
  signature: string;
  message: string;
}

export const signingErrors = {
  notConnected: (name: string) =>
    new AppError("wallet_not_connected", 409, `Connect ${name} first: only a connected wallet with an address can sign a test message.`),
  sessionExpired: (name: string) =>
    new AppError("wallet_session_expired", 409, `Your ${name} session has ended. Reconnect the wallet, then sign again.`),
  tooMany: () =>
    new AppError(
      "sign_too_many_open",
      429,
      "Too many test messages are waiting for a signature. Sign one of them, or wait five minutes and try again.",
    ),
  unknownNonce: () =>
    new AppError(
      "sign_nonce_unknown",
      400,
      "This server did not ask for that signature (unknown nonce). Press “Sign a test message” again for a fresh one.",
    ),
  usedNonce: () =>
    new AppError(
      "sign_nonce_used",
      409,
      "That message was already checked once; a nonce is good for one check only. Press “Sign a test message” again for a fresh one.",
    ),
  expiredNonce: () =>
    new AppError(
      "sign_nonce_expired",
      400,
      "That message is more than five minutes old. Press “Sign a test message” again and sign the fresh one promptly.",
    ),
  addressChanged: (name: string) =>
    new AppError(
      "wallet_address_changed",
      409,
      `The ${name} wallet on this card changed after the message was issued. Sign a fresh message.`,
    ),
  malformed: () =>
    new AppError(
      "signature_malformed",
      400,
      "That is not a valid Ethereum signature (65 bytes as 0x-hex, EIP-191). Sign the message again with the wallet.",
    ),
  wrongSigner: (recovered: string, expected: string) =>
    new AppError(
      "signature_wrong_signer",
      400,
      `The signature was made by ${recovered}, not by this card's wallet ${expected}. Sign with the wallet shown on the card.`,
      { recovered, expected },
    ),
};

/** The connection's address, if it is live: connected, with a valid address, not expired. */
function liveAddress(connection: WalletConnection | null, name: string, now: Date): `0x${string}` {
  if (!connection || connection.status !== "connected" || !connection.address || !isAddress(connection.address, { strict: false })) {
    throw signingErrors.notConnected(name);
  }
  if (connection.expiresAt && connection.expiresAt.getTime() <= now.getTime()) throw signingErrors.sessionExpired(name);
  return getAddress(connection.address);
}

/** A fresh nonce and the exact message for the user's connected wallet to sign. */
export async function issueSignChallenge(ctx: SigningContext): Promise<IssuedChallenge> {
  const now = ctx.now?.() ?? new Date();
  const address = liveAddress(await ctx.store.getWalletConnection(ctx.userId, ctx.provider.id), ctx.provider.name, now);
  const nonce = randomBytes(16).toString("hex");
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
  const message = buildSignMessage({
    appName: ctx.appName,
    appUrl: ctx.appUrl,
    providerName: ctx.provider.name,
    address,
    nonce,
    issuedAt: now,
    expiresAt,
  });
  const stored = await ctx.store.createSignChallenge(
    { nonce, userId: ctx.userId, provider: ctx.provider.id, address, message, expiresAt },
    { maxOpen: MAX_OPEN_CHALLENGES, now, pruneBefore: new Date(now.getTime() - KEEP_EXPIRED_MS) },
  );
  if (!stored) throw signingErrors.tooMany();
  return { nonce, message, address, expiresAt: expiresAt.toISOString() };
}

/** Spends the nonce, then checks the signature against the address on record. */
export async function verifySignedChallenge(ctx: SigningContext, input: { nonce: string; signature: string }): Promise<VerifiedSignature> {
  const now = ctx.now?.() ?? new Date();
  const found = await ctx.store.consumeSignChallenge(input.nonce, ctx.userId, ctx.provider.id);
  if (found.outcome === "unknown") throw signingErrors.unknownNonce();
  if (found.outcome === "already_used") throw signingErrors.usedNonce();
  const { challenge } = found;
  if (challenge.expiresAt.getTime() <= now.getTime()) throw signingErrors.expiredNonce();
  // The address to check against is the one on record now, and it must still be the one the
  // message names: a wallet swapped in between is a different wallet.
  const address = liveAddress(await ctx.store.getWalletConnection(ctx.userId, ctx.provider.id), ctx.provider.name, now);
  if (getAddress(challenge.address) !== address) throw signingErrors.addressChanged(ctx.provider.name);
  const result = await checkSignature(challenge.message, input.signature, address);
  if (!result.ok) throw result.reason === "malformed" ? signingErrors.malformed() : signingErrors.wrongSigner(result.recovered, address);
  return { verified: true, address: result.address, signature: input.signature.toLowerCase(), message: challenge.message };
}

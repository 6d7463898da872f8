/**
 * sign_raw_payload on the Turnkey counterpart, driven by the real clients: @turnkey/sdk-server
 * (what a backend sends) and @turnkey/core's TurnkeyClient.signMessage (what the Embedded Wallet
 * Kit sends for an Ethereum account: the EIP-191-prefixed message as hex, KECCAK256). viem then
 * checks that the answer recovers the account's address, so a wrong key derivation, a wrong
 * hash or a wrong v fails here.
 */
import { ApiKeyStamper } from "@turnkey/api-key-stamper";
import { TurnkeyClient } from "@turnkey/core";
import { generateP256KeyPair } from "@turnkey/crypto";
import { hashMessage, keccak256, recoverAddress, serializeSignature, toHex, verifyMessage } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, idToken, rejectionReason, startTurnkeyStack, type KeyPair, type TurnkeyStack } from "./test-support";

/** `{ r, s, v }` (v the recovery id in hex) as the 65-byte r‖s‖v, v = 27 + recovery id, that EIP-191 verifiers take. */
const signatureFromRsv = (result: { r: string; s: string; v: string }) =>
  serializeSignature({ r: `0x${result.r}`, s: `0x${result.s}`, yParity: Number.parseInt(result.v, 16) });

let stack: TurnkeyStack;
let sub: string;
let address: `0x${string}`;
let solana: string;
let session: KeyPair;
const MESSAGE = "127.0.0.1 wants you to sign with your Ethereum account.\nNonce: 0123456789abcdef0123456789abcdef";

beforeAll(async () => {
  stack = await startTurnkeyStack();
  const created = await createUser(stack, "signer@example.com", "signer-subject");
  sub = created.subOrganizationId;
  [address, solana] = (created.wallet?.addresses ?? []) as [`0x${string}`, string];
  session = generateP256KeyPair();
  await stack.client().oauthLogin({
    organizationId: sub,
    oidcToken: await idToken(stack, "signer-subject", session.publicKey),
    publicKey: session.publicKey,
  });
});
afterAll(async () => {
  await stack?.close();
});

describe("sign_raw_payload", () => {
  it("signs what the Embedded Wallet Kit's signMessage sends, and the signature recovers the account's address", async () => {
    // init() would pick IndexedDB; the kit's HTTP client only calls `stamp(body)`, which the plain
    // API key stamper provides, with the session key the kit would hold.
    const stamper = new ApiKeyStamper({ apiPublicKey: session.publicKey, apiPrivateKey: session.privateKey });
    const kit = new TurnkeyClient(
      { apiBaseUrl: stack.url, organizationId: sub },
      stamper as unknown as ConstructorParameters<typeof TurnkeyClient>[1],
    );
    kit.httpClient = kit.createHttpClient();
    const result = await kit.signMessage({
      message: MESSAGE,
      walletAccount: { address, addressFormat: "ADDRESS_FORMAT_ETHEREUM", source: "embedded" } as Parameters<
        typeof kit.signMessage
      >[0]["walletAccount"],
      addEthereumPrefix: true,
    });
    expect(result).toEqual({
      r: expect.stringMatching(/^[0-9a-f]{64}$/),
      s: expect.stringMatching(/^[0-9a-f]{64}$/),
      v: expect.stringMatching(/^0[01]$/),
    });
    const signature = signatureFromRsv(result);
    expect(await verifyMessage({ address, message: MESSAGE, signature })).toBe(true);
    expect(signature.endsWith(result.v === "00" ? "1b" : "1c")).toBe(true);
  });

  it.each([
    [
      "HEXADECIMAL + KECCAK256 over the prefixed message",
      () =>
        ({
          payload: toHex(new TextEncoder().encode(`\x19Ethereum Signed Message:\n${MESSAGE.length}${MESSAGE}`)),
          encoding: "PAYLOAD_ENCODING_HEXADECIMAL",
          hashFunction: "HASH_FUNCTION_KECCAK256",
        }) as const,
    ],
    [
      "HEXADECIMAL + NO_OP over viem's hashMessage (Alchemy's signer client)",
      () => ({ payload: hashMessage(MESSAGE), encoding: "PAYLOAD_ENCODING_HEXADECIMAL", hashFunction: "HASH_FUNCTION_NO_OP" }) as const,
    ],
    [
      "TEXT_UTF8 + KECCAK256 over the prefixed message",
      () =>
        ({
          payload: `\x19Ethereum Signed Message:\n${MESSAGE.length}${MESSAGE}`,
          encoding: "PAYLOAD_ENCODING_TEXT_UTF8",
          hashFunction: "HASH_FUNCTION_KECCAK256",
        }) as const,
    ],
  ] as const)("@turnkey/sdk-server: %s gives an EIP-191 signature by the account", async (_name, params) => {
    const result = await stack.client(session, sub).signRawPayload({ signWith: address, ...params() });
    expect(await verifyMessage({ address, message: MESSAGE, signature: signatureFromRsv(result) })).toBe(true);
  });

  it("SHA256 hashes the decoded bytes with SHA-256, and the lower-cased address names the same account", async () => {
    const payload = toHex(new TextEncoder().encode("sha"));
    const result = await stack.client(session, sub).signRawPayload({
      signWith: address.toLowerCase(),
      payload,
      encoding: "PAYLOAD_ENCODING_HEXADECIMAL",
      hashFunction: "HASH_FUNCTION_SHA256",
    });
    const { createHash } = await import("node:crypto");
    const digest = `0x${createHash("sha256").update("sha").digest("hex")}` as const;
    const signature = serializeSignature({ r: `0x${result.r}`, s: `0x${result.s}`, yParity: Number.parseInt(result.v, 16) });
    expect(await recoverAddress({ hash: digest, signature })).toBe(address);
    // …and not the keccak of the same bytes.
    expect(await recoverAddress({ hash: keccak256(payload), signature })).not.toBe(address);
  });

  it.each([
    ["an address of no account here", () => ({ signWith: "0x000000000000000000000000000000000000dEaD" }), "wallet_account_not_found"],
    ["the Solana account (ed25519)", () => ({ signWith: solana, hashFunction: "HASH_FUNCTION_NOT_APPLICABLE" }), "curve_unsupported"],
    ["NO_OP with a payload that is not 32 bytes", () => ({ payload: "0x1234", hashFunction: "HASH_FUNCTION_NO_OP" }), "payload_invalid"],
    ["odd-length hex", () => ({ payload: "0x123" }), "payload_invalid"],
    ["NOT_APPLICABLE for secp256k1", () => ({ hashFunction: "HASH_FUNCTION_NOT_APPLICABLE" }), "hash_function_invalid"],
    ["EIP-712 encoding", () => ({ encoding: "PAYLOAD_ENCODING_EIP712" }), "payload_encoding_unsupported"],
  ] as const)("refuses %s", async (_name, change, reason) => {
    const params = {
      signWith: address as string,
      payload: "0xabcd",
      encoding: "PAYLOAD_ENCODING_HEXADECIMAL",
      hashFunction: "HASH_FUNCTION_KECCAK256",
      ...change(),
    };
    expect(
      await rejectionReason(
        stack.client(session, sub).signRawPayload(params as Parameters<ReturnType<TurnkeyStack["client"]>["signRawPayload"]>[0]),
      ),
    ).toBe(reason);
  });

  it("lets only the organization's own users sign: not the parent's key, not another user's session", async () => {
    const params = {
      signWith: address,
      payload: hashMessage("x"),
      encoding: "PAYLOAD_ENCODING_HEXADECIMAL",
      hashFunction: "HASH_FUNCTION_NO_OP",
    } as const;
    expect(await rejectionReason(stack.client(stack.parent, sub).signRawPayload(params))).toBe("organization_forbidden");
    const other = await createUser(stack, "other@example.com", "other-subject");
    const otherKey = generateP256KeyPair();
    await stack.client().oauthLogin({
      organizationId: other.subOrganizationId,
      oidcToken: await idToken(stack, "other-subject", otherKey.publicKey),
      publicKey: otherKey.publicKey,
    });
    expect(await rejectionReason(stack.client(otherKey, sub).signRawPayload(params))).toBe("organization_forbidden");
    // In its own organization, the other user cannot name this user's address either.
    expect(await rejectionReason(stack.client(otherKey, other.subOrganizationId).signRawPayload(params))).toBe("wallet_account_not_found");
  });

  it("refuses an expired session key", async () => {
    const short = generateP256KeyPair();
    await stack.client().oauthLogin({
      organizationId: sub,
      oidcToken: await idToken(stack, "signer-subject", short.publicKey),
      publicKey: short.publicKey,
      expirationSeconds: "60",
    });
    stack.clock.advance(61);
    try {
      expect(
        await rejectionReason(
          stack.client(short, sub).signRawPayload({
            signWith: address,
            payload: hashMessage("y"),
            encoding: "PAYLOAD_ENCODING_HEXADECIMAL",
            hashFunction: "HASH_FUNCTION_NO_OP",
          }),
        ),
      ).toBe("api_key_expired");
    } finally {
      stack.clock.reset();
    }
  });
});

describe("sign_raw_payload in the sparse variant", () => {
  it("answers r, s, v among unknown members, which the clients ignore", async () => {
    const sparse = await startTurnkeyStack({ variant: "sparse" });
    try {
      const created = await createUser(sparse, "sparse-signer@example.com", "sparse-subject");
      // The sparse answer leaves out the optional `wallet`: the address is read back as a client would.
      expect(created.wallet).toBeUndefined();
      const key = generateP256KeyPair();
      await sparse.client().oauthLogin({
        organizationId: created.subOrganizationId,
        oidcToken: await idToken(sparse, "sparse-subject", key.publicKey),
        publicKey: key.publicKey,
      });
      const asUser = sparse.client(key, created.subOrganizationId);
      const [wallet] = (await asUser.getWallets({})).wallets;
      const { accounts } = await asUser.getWalletAccounts({ walletId: wallet!.walletId });
      const ethAddress = accounts.find((a) => a.addressFormat === "ADDRESS_FORMAT_ETHEREUM")?.address as `0x${string}` | undefined;
      const result = await asUser.signRawPayload({
        signWith: ethAddress!,
        payload: hashMessage(MESSAGE),
        encoding: "PAYLOAD_ENCODING_HEXADECIMAL",
        hashFunction: "HASH_FUNCTION_NO_OP",
      });
      expect(Object.keys(result).length).toBeGreaterThan(3);
      expect(await verifyMessage({ address: ethAddress!, message: MESSAGE, signature: signatureFromRsv(result) })).toBe(true);
    } finally {
      await sparse.close();
    }
  });
});

/**
 * Passkeys on the Turnkey counterpart: registration through create_sub_organization's
 * authenticators, X-Stamp-Webauthn stamps checked as Turnkey checks them, and stamp_login (by a
 * passkey, or by a live session key: the kit's refresh). Ceremonies come from a software
 * authenticator (lib/test-webauthn.ts) so each test breaks exactly one thing.
 */
import { randomBytes } from "node:crypto";
import { ApiKeyStamper } from "@turnkey/api-key-stamper";
import { WebauthnStamper } from "@turnkey/core";
import { generateP256KeyPair, verifySessionJwtSignature } from "@turnkey/crypto";
import { DEFAULT_ETHEREUM_ACCOUNTS } from "@turnkey/sdk-server";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newSoftAuthenticator, softAssertion, softRegistration, type SoftAuthenticator } from "../lib/test-webauthn";
import { webAuthnChallengeForBody } from "../lib/turnkey-webauthn-stamp";
import { ERROR_INFO_TYPE, type RpcStatus } from "./errors";
import { SESSION_CAP_PATH } from "./service";
import { APP_ORIGIN, PARENT_ORG, rejectionReason, startTurnkeyStack, type TurnkeyStack } from "./test-support";

const RP_ID = new URL(APP_ORIGIN).hostname;
let stack: TurnkeyStack;

const b64u = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString("base64url");

/** An authenticator entry for create_sub_organization, as the kit's createPasskey returns it. */
function authenticatorEntry(
  a: SoftAuthenticator,
  overrides: { challenge?: string; origin?: string; rpId?: string; clientChallenge?: string; fmt?: string } = {},
) {
  const challenge = overrides.challenge ?? b64u(randomBytes(32));
  const { clientDataJSON, attestationObject } = softRegistration(a, {
    rpId: overrides.rpId ?? RP_ID,
    origin: overrides.origin ?? APP_ORIGIN,
    challenge: overrides.clientChallenge ?? challenge,
    ...(overrides.fmt ? { fmt: overrides.fmt } : {}),
  });
  return {
    authenticatorName: "Passkey",
    challenge,
    attestation: {
      credentialId: b64u(a.credentialId),
      clientDataJson: clientDataJSON,
      attestationObject,
      transports: ["AUTHENTICATOR_TRANSPORT_INTERNAL" as const],
    },
  };
}

function createWithPasskey(entry: ReturnType<typeof authenticatorEntry>, name = `passkey user ${Math.random()}`) {
  return stack.client().createSubOrganization({
    subOrganizationName: name,
    rootUsers: [{ userName: name, apiKeys: [], authenticators: [entry], oauthProviders: [] }],
    rootQuorumThreshold: 1,
    wallet: { walletName: "Default Wallet", accounts: DEFAULT_ETHEREUM_ACCOUNTS },
  });
}

const loginBody = (organizationId: string, publicKey: string, expirationSeconds = "900") =>
  JSON.stringify({
    parameters: { publicKey, expirationSeconds },
    organizationId,
    timestampMs: String(Date.now()),
    type: "ACTIVITY_TYPE_STAMP_LOGIN",
  });

/** A stamp as @turnkey/webauthn-stamper builds it: plain JSON of the assertion's base64url members. */
function passkeyStamp(
  a: SoftAuthenticator,
  body: string,
  overrides: { origin?: string; rpId?: string; challengeBody?: string; counter?: number; tamper?: boolean } = {},
): string {
  const assertion = softAssertion(a, {
    rpId: overrides.rpId ?? RP_ID,
    origin: overrides.origin ?? APP_ORIGIN,
    challenge: webAuthnChallengeForBody(new TextEncoder().encode(overrides.challengeBody ?? body)),
    counter: overrides.counter ?? 1,
    ...(overrides.tamper ? { tamper: true } : {}),
  });
  return JSON.stringify({
    authenticatorData: assertion.authenticatorData,
    clientDataJson: assertion.clientDataJSON,
    credentialId: b64u(a.credentialId),
    signature: assertion.signature,
  });
}

async function submit(path: string, body: string, headers: Record<string, string>) {
  const response = await fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body,
  });
  return {
    status: response.status,
    body: (await response.json()) as RpcStatus & { activity?: { result: { stampLoginResult?: { session: string } } } },
  };
}
const reasonOf = (body: RpcStatus) => (body.details.find((d) => d["@type"] === ERROR_INFO_TYPE) as { reason?: string } | undefined)?.reason;

beforeAll(async () => {
  stack = await startTurnkeyStack({ faultInjection: true });
});
afterAll(async () => {
  await stack?.close();
});

describe("passkey registration (create_sub_organization authenticators)", () => {
  it("registers a verified attestation, and the same credential only once", async () => {
    const a = newSoftAuthenticator();
    const entry = authenticatorEntry(a);
    const { subOrganizationId } = await createWithPasskey(entry);
    expect(subOrganizationId).toBeTruthy();
    expect(await rejectionReason(createWithPasskey(authenticatorEntry(a)))).toBe("authenticator_exists");
  });

  it.each([
    ["another origin", { origin: "https://evil.example" }, "authenticator_origin_not_allowed"],
    ["another RP id", { rpId: "evil.example" }, "authenticator_rp_id_mismatch"],
    ["a challenge other than the one named", { clientChallenge: b64u(randomBytes(32)) }, "authenticator_challenge_mismatch"],
    ["an attestation format it cannot check", { fmt: "packed" }, "authenticator_attestation_unsupported"],
  ] as const)("refuses %s", async (_name, overrides, reason) => {
    expect(await rejectionReason(createWithPasskey(authenticatorEntry(newSoftAuthenticator(), overrides)))).toBe(reason);
  });
});

describe("X-Stamp-Webauthn and stamp_login", () => {
  let passkey: SoftAuthenticator;
  let organizationId: string;
  let counter = 0;
  /** The counter of the last stamp the counterpart accepted. */
  let accepted = 0;
  beforeAll(async () => {
    passkey = newSoftAuthenticator();
    organizationId = (await createWithPasskey(authenticatorEntry(passkey))).subOrganizationId;
  });

  it("a passkey-stamped stamp_login naming the parent logs the passkey's user in, with a session for the new key", async () => {
    const sessionKey = generateP256KeyPair();
    const body = loginBody(PARENT_ORG, sessionKey.publicKey);
    const answer = await submit("/public/v1/submit/stamp_login", body, {
      "X-Stamp-Webauthn": passkeyStamp(passkey, body, { counter: ++counter }),
    });
    expect(answer.status).toBe(200);
    accepted = counter;
    const session = answer.body.activity!.result.stampLoginResult!.session;
    expect(await verifySessionJwtSignature(session, stack.keys.notarizerPublicKey)).toBe(true);
    expect(decodeJwt(session)).toMatchObject({
      organization_id: organizationId,
      public_key: sessionKey.publicKey,
      session_type: "SESSION_TYPE_READ_WRITE",
    });

    // The session key now stamps; a stamp_login by it (the kit's refresh) gives a session for yet another key.
    const next = generateP256KeyPair();
    const refreshed = await stack.client(sessionKey, organizationId).stampLogin({ publicKey: next.publicKey, expirationSeconds: "900" });
    expect(decodeJwt(refreshed.session)).toMatchObject({ organization_id: organizationId, public_key: next.publicKey });
    expect((await stack.client(next, organizationId).getWhoami({ organizationId })).organizationId).toBe(organizationId);
  });

  it.each([
    ["a stamp over another body (wrong challenge)", { challengeBody: "{}" }, "stamp_webauthn_challenge_mismatch"],
    ["another origin", { origin: "https://evil.example" }, "stamp_webauthn_origin_not_allowed"],
    ["another RP id", { rpId: "evil.example" }, "stamp_webauthn_rp_id_mismatch"],
    ["a bad signature", { tamper: true }, "stamp_webauthn_signature_invalid"],
  ] as const)("refuses %s with 401 and Turnkey's error shape", async (_name, overrides, reason) => {
    const body = loginBody(organizationId, generateP256KeyPair().publicKey);
    const answer = await submit("/public/v1/submit/stamp_login", body, {
      "X-Stamp-Webauthn": passkeyStamp(passkey, body, { ...overrides, counter: ++counter }),
    });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe(16);
    expect(reasonOf(answer.body)).toBe(reason);
  });

  it("refuses a replayed counter, an unknown passkey, a stamp that is not JSON, and both stamp headers at once", async () => {
    const body = loginBody(organizationId, generateP256KeyPair().publicKey);
    const replay = await submit("/public/v1/submit/stamp_login", body, {
      "X-Stamp-Webauthn": passkeyStamp(passkey, body, { counter: accepted }),
    });
    expect([replay.status, reasonOf(replay.body)]).toEqual([401, "stamp_webauthn_counter_not_increased"]);

    const unknown = await submit("/public/v1/submit/stamp_login", body, { "X-Stamp-Webauthn": passkeyStamp(newSoftAuthenticator(), body) });
    expect([unknown.status, reasonOf(unknown.body)]).toEqual([401, "authenticator_not_found"]);

    const garbage = await submit("/public/v1/submit/stamp_login", body, { "X-Stamp-Webauthn": "not json" });
    expect([garbage.status, reasonOf(garbage.body)]).toEqual([400, "stamp_malformed"]);

    const apiStamp = (await new ApiKeyStamper({ apiPublicKey: stack.parent.publicKey, apiPrivateKey: stack.parent.privateKey }).stamp(body))
      .stampHeaderValue;
    const both = await submit("/public/v1/submit/stamp_login", body, {
      "X-Stamp-Webauthn": passkeyStamp(passkey, body, { counter: ++counter }),
      "X-Stamp": apiStamp,
    });
    expect([both.status, reasonOf(both.body)]).toEqual([400, "stamp_malformed"]);
  });

  it("accepts the stamp @turnkey/webauthn-stamper itself makes (its challenge rule, its header), and only over the body it stamped", async () => {
    // The browser's part, played by a software authenticator behind navigator.credentials.get.
    const own = newSoftAuthenticator();
    const ownOrg = (await createWithPasskey(authenticatorEntry(own))).subOrganizationId;
    const toBuffer = (value: string) => Uint8Array.from(Buffer.from(value, "base64url")).buffer;
    const get = async (options: { publicKey: { challenge: Uint8Array; rpId: string } }) => {
      const assertion = softAssertion(own, {
        rpId: options.publicKey.rpId,
        origin: APP_ORIGIN,
        challenge: b64u(options.publicKey.challenge),
        counter: 7,
      });
      return {
        type: "public-key",
        id: b64u(own.credentialId),
        rawId: Uint8Array.from(own.credentialId).buffer,
        response: {
          clientDataJSON: toBuffer(assertion.clientDataJSON),
          authenticatorData: toBuffer(assertion.authenticatorData),
          signature: toBuffer(assertion.signature),
          userHandle: null,
        },
        getClientExtensionResults: () => ({}),
      };
    };
    const previous = Object.getOwnPropertyDescriptor(globalThis, "navigator");
    Object.defineProperty(globalThis, "navigator", { value: { credentials: { get } }, configurable: true, writable: true });
    try {
      const body = loginBody(ownOrg, generateP256KeyPair().publicKey);
      const { stampHeaderName, stampHeaderValue } = await new WebauthnStamper({ rpId: RP_ID }).stamp(body);
      expect(stampHeaderName).toBe("X-Stamp-Webauthn");
      const tampered = await submit("/public/v1/submit/stamp_login", body.replace(ownOrg, PARENT_ORG), {
        [stampHeaderName]: stampHeaderValue,
      });
      expect([tampered.status, reasonOf(tampered.body)]).toEqual([401, "stamp_webauthn_challenge_mismatch"]);
      const answer = await submit("/public/v1/submit/stamp_login", body, { [stampHeaderName]: stampHeaderValue });
      expect(answer.status).toBe(200);
      expect(decodeJwt(answer.body.activity!.result.stampLoginResult!.session).organization_id).toBe(ownOrg);
    } finally {
      if (previous) Object.defineProperty(globalThis, "navigator", previous);
      else Reflect.deleteProperty(globalThis, "navigator");
    }
  });

  it("a passkey of one sub-organization cannot log in to another", async () => {
    const other = (await createWithPasskey(authenticatorEntry(newSoftAuthenticator()))).subOrganizationId;
    const body = loginBody(other, generateP256KeyPair().publicKey);
    const answer = await submit("/public/v1/submit/stamp_login", body, {
      "X-Stamp-Webauthn": passkeyStamp(passkey, body, { counter: ++counter }),
    });
    expect([answer.status, reasonOf(answer.body)]).toEqual([403, "organization_forbidden"]);
  });

  it("the counterpart's session cap (tests only) shortens sessions issued from then on", async () => {
    const put = (seconds: number | null) =>
      fetch(`${stack.url}${SESSION_CAP_PATH}`, {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ seconds }),
      });
    expect((await put(75)).status).toBe(200);
    try {
      const key = generateP256KeyPair();
      const body = loginBody(organizationId, key.publicKey, "900");
      const answer = await submit("/public/v1/submit/stamp_login", body, {
        "X-Stamp-Webauthn": passkeyStamp(passkey, body, { counter: ++counter }),
      });
      const claims = decodeJwt(answer.body.activity!.result.stampLoginResult!.session);
      expect(claims.exp! - claims.iat!).toBe(75);
    } finally {
      expect((await put(null)).status).toBe(200);
    }
  });
});

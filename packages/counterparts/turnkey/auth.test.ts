/**
 * Authentication and authorization of every request, over raw HTTP: stamps made with
 * @turnkey/api-key-stamper, and what a tampered, foreign or expired stamp gets back.
 */
import { ApiKeyStamper } from "@turnkey/api-key-stamper";
import { generateP256KeyPair } from "@turnkey/crypto";
import { TurnkeyRequestError } from "@turnkey/sdk-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_INFO_TYPE, TURNKEY_ERROR_DETAIL_TYPE, type RpcStatus } from "./errors";
import { APP_ORIGIN, PARENT_ORG, createUser, idToken, startTurnkeyStack, type KeyPair, type TurnkeyStack } from "./test-support";

let stack: TurnkeyStack;
let subA: string;
let subB: string;
let userA: KeyPair;

async function stamp(body: string, key: KeyPair): Promise<string> {
  return (await new ApiKeyStamper({ apiPublicKey: key.publicKey, apiPrivateKey: key.privateKey }).stamp(body)).stampHeaderValue;
}

async function post(path: string, body: string, stampValue: string | undefined, headers: Record<string, string> = {}) {
  const response = await fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(stampValue !== undefined ? { "X-Stamp": stampValue } : {}), ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as RpcStatus & Record<string, unknown> };
}

const whoamiBody = (organizationId: string) => JSON.stringify({ organizationId });
const activityBody = (type: string, organizationId: string, parameters: object) =>
  JSON.stringify({ type, timestampMs: String(Date.now()), organizationId, parameters });

beforeAll(async () => {
  stack = await startTurnkeyStack();
  subA = (await createUser(stack, "a@example.com", "subject-a")).subOrganizationId;
  subB = (await createUser(stack, "b@example.com", "subject-b")).subOrganizationId;
  userA = generateP256KeyPair();
  await stack
    .client()
    .oauthLogin({ organizationId: subA, oidcToken: await idToken(stack, "subject-a", userA.publicKey), publicKey: userA.publicKey });
});
afterAll(async () => {
  await stack?.close();
});

describe("stamps", () => {
  it("a valid stamp over the exact bytes is accepted", async () => {
    const body = whoamiBody(PARENT_ORG);
    const answer = await post("/public/v1/query/whoami", body, await stamp(body, stack.parent));
    expect(answer).toMatchObject({ status: 200, body: { organizationId: PARENT_ORG } });
  });

  type Case = [
    name: string,
    request: () => Promise<{ path?: string; body: string; stamp: string | undefined; headers?: Record<string, string> }>,
    status: number,
    reason: string,
  ];
  const cases: Case[] = [
    ["missing stamp", async () => ({ body: whoamiBody(PARENT_ORG), stamp: undefined }), 401, "stamp_missing"],
    ["not a stamp", async () => ({ body: whoamiBody(PARENT_ORG), stamp: "%%%" }), 400, "stamp_malformed"],
    [
      "wrong scheme",
      async () => {
        const body = whoamiBody(PARENT_ORG);
        const s = JSON.parse(Buffer.from(await stamp(body, stack.parent), "base64url").toString()) as Record<string, string>;
        return { body, stamp: Buffer.from(JSON.stringify({ ...s, scheme: "SIGNATURE_SCHEME_TK_API_ED25519" })).toString("base64url") };
      },
      401,
      "stamp_scheme_unsupported",
    ],
    [
      "body changed after stamping",
      async () => ({ body: whoamiBody(subA), stamp: await stamp(whoamiBody(PARENT_ORG), stack.parent) }),
      401,
      "stamp_signature_invalid",
    ],
    [
      "signature flipped",
      async () => {
        const body = whoamiBody(PARENT_ORG);
        const s = JSON.parse(Buffer.from(await stamp(body, stack.parent), "base64url").toString()) as Record<string, string>;
        const sig = Buffer.from(s.signature ?? "", "hex");
        sig[12] = (sig[12] ?? 0) ^ 0x40;
        return { body, stamp: Buffer.from(JSON.stringify({ ...s, signature: sig.toString("hex") })).toString("base64url") };
      },
      401,
      "stamp_signature_invalid",
    ],
    [
      "stamped by an unregistered key",
      async () => ({ body: whoamiBody(PARENT_ORG), stamp: await stamp(whoamiBody(PARENT_ORG), generateP256KeyPair()) }),
      401,
      "api_key_not_found",
    ],
    [
      "user key on another sub-org",
      async () => ({ body: whoamiBody(subB), stamp: await stamp(whoamiBody(subB), userA) }),
      403,
      "organization_forbidden",
    ],
    [
      "user key on a sub-org's wallets",
      async () => ({ path: "/public/v1/query/list_wallets", body: whoamiBody(subB), stamp: await stamp(whoamiBody(subB), userA) }),
      403,
      "organization_forbidden",
    ],
    [
      "user key creating a sub-organization",
      async () => {
        const body = activityBody("ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8", subA, {
          subOrganizationName: "x",
          rootUsers: [],
          rootQuorumThreshold: 1,
        });
        return { path: "/public/v1/submit/create_sub_organization", body, stamp: await stamp(body, userA) };
      },
      403,
      "parent_organization_required",
    ],
    [
      "user key listing sub-organizations",
      async () => ({
        path: "/public/v1/query/list_suborgs",
        body: whoamiBody(PARENT_ORG),
        stamp: await stamp(whoamiBody(PARENT_ORG), userA),
      }),
      403,
      "organization_forbidden",
    ],
    [
      "unknown organization (parent)",
      async () => ({ body: whoamiBody("nope"), stamp: await stamp(whoamiBody("nope"), stack.parent) }),
      404,
      "organization_not_found",
    ],
    [
      "unknown organization (user: no existence oracle)",
      async () => ({ body: whoamiBody("nope"), stamp: await stamp(whoamiBody("nope"), userA) }),
      403,
      "organization_forbidden",
    ],
    [
      "unsupported activity version",
      async () => {
        const body = activityBody("ACTIVITY_TYPE_INIT_OTP", PARENT_ORG, { otpType: "OTP_TYPE_EMAIL", contact: "a@example.com" });
        return { path: "/public/v1/submit/init_otp", body, stamp: await stamp(body, stack.parent) };
      },
      501,
      "activity_type_unsupported",
    ],
    [
      "stamped body that is not an activity",
      async () => ({
        path: "/public/v1/submit/init_otp",
        body: whoamiBody(PARENT_ORG),
        stamp: await stamp(whoamiBody(PARENT_ORG), stack.parent),
      }),
      400,
      "invalid_request",
    ],
    [
      "wrong media type",
      async () => ({
        body: whoamiBody(PARENT_ORG),
        stamp: await stamp(whoamiBody(PARENT_ORG), stack.parent),
        headers: { "Content-Type": "text/plain" },
      }),
      415,
      "unsupported_media_type",
    ],
    [
      "body over the size cap",
      async () => {
        const body = JSON.stringify({ organizationId: PARENT_ORG, padding: "x".repeat(70 * 1024) });
        return { body, stamp: await stamp(body, stack.parent) };
      },
      413,
      "payload_too_large",
    ],
  ];

  it.each(cases)("%s", async (_name, request, status, reason) => {
    const r = await request();
    const answer = await post(r.path ?? "/public/v1/query/whoami", r.body, r.stamp, r.headers);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({
      code: expect.any(Number),
      message: expect.any(String),
      details: expect.arrayContaining([{ "@type": ERROR_INFO_TYPE, reason, domain: expect.any(String), metadata: expect.any(Object) }]),
    });
    // Besides the ErrorInfo, at most Turnkey's own detail, with a documented category code.
    const others = (answer.body as RpcStatus).details.filter((detail) => detail["@type"] !== ERROR_INFO_TYPE);
    expect(others).toEqual(
      others.length === 0 ? [] : [{ "@type": TURNKEY_ERROR_DETAIL_TYPE, turnkeyErrorCode: expect.stringMatching(/^[A-Z_]+$/) }],
    );
  });

  it("a session key stops working when it expires", async () => {
    const key = generateP256KeyPair();
    await stack.client().oauthLogin({
      organizationId: subA,
      oidcToken: await idToken(stack, "subject-a", key.publicKey),
      publicKey: key.publicKey,
      expirationSeconds: "120",
    });
    await expect(stack.client(key, subA).getWhoami({})).resolves.toMatchObject({ organizationId: subA });
    stack.clock.advance(121);
    try {
      const answer = await post("/public/v1/query/whoami", whoamiBody(subA), await stamp(whoamiBody(subA), key));
      expect(answer).toMatchObject({ status: 401 });
      expect((answer.body as RpcStatus).details).toEqual([
        { "@type": TURNKEY_ERROR_DETAIL_TYPE, turnkeyErrorCode: "API_KEY_EXPIRED" },
        expect.objectContaining({ "@type": ERROR_INFO_TYPE, reason: "api_key_expired" }),
      ]);
    } finally {
      stack.clock.reset();
    }
  });

  it("the SDK surfaces errors as TurnkeyRequestError with the gRPC code and the reason", async () => {
    const error = await stack
      .client(generateP256KeyPair())
      .getWhoami({})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TurnkeyRequestError);
    expect(error).toMatchObject({
      code: 16,
      details: [
        { "@type": TURNKEY_ERROR_DETAIL_TYPE, turnkeyErrorCode: "PUBLIC_KEY_NOT_FOUND" },
        { "@type": ERROR_INFO_TYPE, reason: "api_key_not_found" },
      ],
    });
    expect((error as Error).message).toMatch(/^Turnkey error 16: The stamping key is not registered/);
  });

  it("an identical resubmitted activity returns the recorded activity without running again", async () => {
    const body = activityBody("ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8", PARENT_ORG, {
      subOrganizationName: "idempotent",
      rootUsers: [{ userName: "u", apiKeys: [], authenticators: [], oauthProviders: [] }],
      rootQuorumThreshold: 1,
    });
    const first = await post("/public/v1/submit/create_sub_organization", body, await stamp(body, stack.parent));
    const second = await post("/public/v1/submit/create_sub_organization", body, await stamp(body, stack.parent));
    expect(first.status).toBe(200);
    expect(second.body).toEqual(first.body);
    const { organizationIds } = await stack.client().getSubOrgIds({ filterType: "NAME", filterValue: "idempotent" });
    expect(organizationIds).toHaveLength(1);
    const activity = (first.body as unknown as { activity: { id: string } }).activity;
    await expect(stack.client().getActivity({ activityId: activity.id })).resolves.toEqual({ activity });
  });

  it("redacts bearer-like inputs from the recorded activity", async () => {
    const key = generateP256KeyPair();
    const { activity } = await stack.client().oauthLogin({
      organizationId: subA,
      oidcToken: await idToken(stack, "subject-a", key.publicKey),
      publicKey: key.publicKey,
    });
    expect(activity.intent.oauthLoginIntent).toMatchObject({ oidcToken: "<redacted>", publicKey: key.publicKey });
  });
});

describe("CORS", () => {
  it.each([
    [APP_ORIGIN, 204],
    ["http://evil.example", 403],
  ])("preflight from %s → %i, allowing X-Stamp only for the allowlisted origin", async (origin, status) => {
    const response = await fetch(`${stack.url}/public/v1/query/whoami`, {
      method: "OPTIONS",
      headers: { Origin: origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type,x-stamp" },
    });
    expect(response.status).toBe(status);
    if (status === 204) {
      expect(response.headers.get("access-control-allow-origin")).toBe(origin);
      expect(response.headers.get("access-control-allow-headers")).toMatch(/X-Stamp/);
    } else {
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
      expect(response.headers.get("access-control-allow-headers")).toBeNull();
    }
  });
});

describe("public keys", () => {
  it("publishes public members only", async () => {
    const jwks = (await (await fetch(`${stack.url}/.well-known/jwks.json`)).json()) as { keys: Record<string, string>[] };
    expect(jwks.keys).toHaveLength(2);
    for (const key of jwks.keys) expect(Object.keys(key).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x", "y"]);
    expect(stack.keys.notarizerPublicKey).toMatch(/^04[0-9a-f]{128}$/);
  });
});

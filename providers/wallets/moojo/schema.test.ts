// The app's Moojo parsers against the documentation's own examples (./fixtures/README.md).
import { describe, expect, it } from "vitest";
import authenticateRequest from "./fixtures/authenticate-request.json";
import authenticateExample from "./fixtures/authenticate-response.json";
import fieldDefinitionExample from "./fixtures/field-definition.json";
import listExample from "./fixtures/list-credentials-response.json";
import { DEMO_CREDENTIAL_DEFINITION, demoCredentialRequest } from "./demo-credential";
import {
  addCredentialRequest,
  authenticateResponse,
  defineCredentialRequest,
  listCredentialsResponse,
  moojoCredential,
  writeResponse,
} from "./schema";

describe("documented examples", () => {
  it("the authenticate response example parses, every value kept", () => {
    expect(authenticateResponse.parse(authenticateExample).data).toEqual(authenticateExample.data);
  });

  it("the authenticate request example has the shape the app sends", () => {
    expect(Object.keys(authenticateRequest).sort()).toEqual(["id", "idType"]);
    expect(authenticateRequest.idType).toBe("firebaseJwt");
  });

  it("the list-credentials response example parses, every value kept", () => {
    expect(listCredentialsResponse.parse(listExample).data.credentials).toEqual(listExample.data.credentials);
  });

  it("the field-definition example is a valid field definition for the app's define request", () => {
    expect(defineCredentialRequest.parse({ slug: "monthly_expense", fieldDefinitions: [fieldDefinitionExample] }).fieldDefinitions).toEqual(
      [fieldDefinitionExample],
    );
  });
});

describe("legal variations the parsers must not refuse", () => {
  const credential = listExample.data.credentials[0]!;
  it.each<[string, unknown]>([
    ["no traceId", { status: "success", data: { credentials: [] } }],
    ["unknown fields everywhere", { status: "success", extra: 1, data: { credentials: [{ ...credential, extra: true }], more: {} } }],
    ["a credential with empty fields", { status: "success", data: { credentials: [{ ...credential, fields: {} }] } }],
    [
      "lower-case addresses",
      { status: "success", data: { credentials: [{ ...credential, attesterAddress: credential.attesterAddress.toLowerCase() }] } },
    ],
  ])("list-credentials with %s", (_label, body) => {
    expect(listCredentialsResponse.safeParse(body).success).toBe(true);
  });

  it("an expiry without milliseconds", () => {
    const body = { ...authenticateExample, data: { ...authenticateExample.data, expiresAtIso8601: "2025-02-16T15:12:52Z" } };
    expect(authenticateResponse.safeParse(body).success).toBe(true);
  });

  it("write answers need only status: success", () => {
    expect(writeResponse.safeParse({ status: "success" }).success).toBe(true);
    expect(writeResponse.safeParse({ status: "success", traceId: "x", data: { anything: 1 } }).success).toBe(true);
  });
});

describe("what the parsers refuse", () => {
  const credential = listExample.data.credentials[0]!;
  it.each<[string, unknown]>([
    ["an error envelope", { status: "error", error: { code: "x", message: "y" } }],
    ["a credential without an id", { status: "success", data: { credentials: [{ ...credential, id: undefined }] } }],
    [
      "a createdAt that is not epoch milliseconds",
      { status: "success", data: { credentials: [{ ...credential, createdAt: "2025-03-25" }] } },
    ],
    ["a field value of another type", { status: "success", data: { credentials: [{ ...credential, fields: { x: true } }] } }],
    ["a negative uint", { status: "success", data: { credentials: [{ ...credential, fields: { x: -1 } }] } }],
  ])("list-credentials with %s", (_label, body) => {
    expect(listCredentialsResponse.safeParse(body).success).toBe(false);
  });

  it("a user token that is not 64 hex characters", () => {
    expect(authenticateResponse.safeParse({ ...authenticateExample, data: { ...authenticateExample.data, token: "short" } }).success).toBe(
      false,
    );
  });

  it("a stored credential is parsed with the same schema", () => {
    expect(moojoCredential.safeParse(credential).success).toBe(true);
  });
});

describe("the app's demo credential", () => {
  it("is a valid definition within the documented limit of 12 fields, of the documented types", () => {
    const definition = defineCredentialRequest.parse(DEMO_CREDENTIAL_DEFINITION);
    expect(definition.fieldDefinitions.length).toBeLessThanOrEqual(12);
    expect(
      defineCredentialRequest.safeParse({
        ...definition,
        fieldDefinitions: Array.from({ length: 13 }, (_, i) => ({ name: `f${i}`, type: "uint" })),
      }).success,
    ).toBe(false);
  });

  it("issues values for exactly the defined fields, without personal data", () => {
    const body = addCredentialRequest.parse(
      demoCredentialRequest("a6e8f837-2f6b-478c-a007-82989d000000", "oidc", new Date(1_900_000_000_500)),
    );
    expect(Object.keys(body.fields).sort()).toEqual(DEMO_CREDENTIAL_DEFINITION.fieldDefinitions.map((f) => f.name).sort());
    expect(body.fields).toEqual({ "sign-in-method": "oidc", "issued-at": 1_900_000_000 });
  });
});

import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "./load";

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "cfg-"));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const mail = { MAIL_API_URL: "http://127.0.0.1:1/", MAIL_API_KEY: "k" };

describe("configuration", () => {
  it("generates dev secrets once into the data folder, outside production", async () => {
    const a = await loadConfig({ NODE_ENV: "development", DATA_DIR: dataDir, ...mail });
    const b = await loadConfig({ NODE_ENV: "development", DATA_DIR: dataDir, ...mail });
    expect(a.usingDevDefaults).toBe(true);
    expect(a.env.AUTH_SECRET).toBe(b.env.AUTH_SECRET);
    expect(a.env.SIGNING_KEYS).toBe(b.env.SIGNING_KEYS);
    const file = join(dataDir, "dev-secrets.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8")).AUTH_SECRET).toBe(a.env.AUTH_SECRET);
  });

  it("refuses a production start that would use dev defaults, naming the variable", async () => {
    await expect(loadConfig({ NODE_ENV: "production", DATA_DIR: dataDir, AUTH_URL: "https://x.example", ...mail })).rejects.toMatchObject({
      code: "config_invalid",
      variable: "AUTH_SECRET",
    });
    await expect(
      loadConfig({ NODE_ENV: "production", DATA_DIR: dataDir, AUTH_URL: "https://x.example", AUTH_SECRET: "x".repeat(40), ...mail }),
    ).rejects.toMatchObject({ variable: "SIGNING_KEYS" });
  });

  it("allows dev defaults in production only when ALLOW_DEV_DEFAULTS is set (the offline demo)", async () => {
    const config = await loadConfig({ NODE_ENV: "production", ALLOW_DEV_DEFAULTS: "true", DATA_DIR: dataDir, AUTH_URL: "http://127.0.0.1:3000", ...mail });
    expect(config.usingDevDefaults).toBe(true);
  });

  it("requires https for a non-loopback production AUTH_URL", async () => {
    await expect(
      loadConfig({ NODE_ENV: "production", ALLOW_DEV_DEFAULTS: "true", DATA_DIR: dataDir, AUTH_URL: "http://app.example.com", ...mail }),
    ).rejects.toMatchObject({ variable: "AUTH_URL" });
  });

  it("names the missing variable of a half-configured provider", async () => {
    await expect(loadConfig({ DATA_DIR: dataDir, ...mail, AUTH_OIDC_ISSUER: "https://tenant.auth0.com", AUTH_OIDC_ID: "id" })).rejects.toMatchObject({
      variable: "AUTH_OIDC_SECRET",
    });
  });

  it("derives the AIR Kit JWKS URL from its API URL", async () => {
    const config = await loadConfig({ DATA_DIR: dataDir, ...mail, AIRKIT_PARTNER_ID: "p", AIRKIT_API_URL: "http://127.0.0.1:3102" });
    expect(config.airkit?.jwksUrl).toBe("http://127.0.0.1:3102/.well-known/jwks.json");
    expect(config.airkit?.signingAlg).toBe("ES256");
  });

  it("defaults the AIR Kit JWKS URL to AIR's documented one when the real SDK is in use (no API URL)", async () => {
    const config = await loadConfig({ DATA_DIR: dataDir, ...mail, AIRKIT_PARTNER_ID: "p" });
    expect(config.airkit?.jwksUrl).toBe("https://static.air3.com/.well-known/jwks.json");
    expect(config.airkit?.apiUrl).toBeUndefined();
    const explicit = await loadConfig({ DATA_DIR: dataDir, ...mail, AIRKIT_PARTNER_ID: "p", AIRKIT_JWKS_URL: "https://keys.example/jwks.json" });
    expect(explicit.airkit?.jwksUrl).toBe("https://keys.example/jwks.json");
  });

  it("hides unconfigured providers and treats empty values as unset", async () => {
    const config = await loadConfig({ DATA_DIR: dataDir, ...mail, AUTH_OIDC_ISSUER: "", AIRKIT_PARTNER_ID: "" });
    expect(config.oidc).toBeUndefined();
    expect(config.airkit).toBeUndefined();
  });

  it("requires a mailer while password sign-up is enabled", async () => {
    await expect(loadConfig({ DATA_DIR: dataDir })).rejects.toMatchObject({ variable: "MAIL_API_URL" });
    await expect(loadConfig({ DATA_DIR: dataDir, AUTH_PASSWORD_ENABLED: "false" })).resolves.toBeTruthy();
  });
});

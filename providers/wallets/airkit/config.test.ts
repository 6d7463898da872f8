import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config/load";

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "cfg-airkit-"));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const base = () => ({ DATA_DIR: dataDir, MAIL_API_URL: "http://127.0.0.1:1/", MAIL_API_KEY: "k" });

describe("AIR Kit configuration", () => {
  it("derives the JWKS URL from its API URL, and signs partner tokens with the app's default algorithm", async () => {
    const config = await loadConfig({ ...base(), AIRKIT_PARTNER_ID: "p", AIRKIT_API_URL: "http://127.0.0.1:3102" });
    expect(config.airkit?.jwksUrl).toBe("http://127.0.0.1:3102/.well-known/jwks.json");
    expect(config.airkit?.signingAlg).toBe("ES256");
  });

  it("defaults the JWKS URL to AIR's documented one when the real SDK is in use (no API URL)", async () => {
    const config = await loadConfig({ ...base(), AIRKIT_PARTNER_ID: "p" });
    expect(config.airkit?.jwksUrl).toBe("https://static.air3.com/.well-known/jwks.json");
    expect(config.airkit?.apiUrl).toBeUndefined();
    const explicit = await loadConfig({ ...base(), AIRKIT_PARTNER_ID: "p", AIRKIT_JWKS_URL: "https://keys.example/jwks.json" });
    expect(explicit.airkit?.jwksUrl).toBe("https://keys.example/jwks.json");
  });

  it("is off when its partner id is empty", async () => {
    expect((await loadConfig({ ...base(), AIRKIT_PARTNER_ID: "" })).airkit).toBeUndefined();
  });
});

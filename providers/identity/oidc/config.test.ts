import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config/load";

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "cfg-oidc-"));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const base = () => ({ DATA_DIR: dataDir, MAIL_API_URL: "http://127.0.0.1:1/", MAIL_API_KEY: "k" });

describe("OpenID Connect configuration", () => {
  it("names the missing variable when only some are set", async () => {
    await expect(loadConfig({ ...base(), AUTH_OIDC_ISSUER: "https://tenant.auth0.com", AUTH_OIDC_ID: "id" })).rejects.toMatchObject({
      variable: "AUTH_OIDC_SECRET",
    });
  });

  it("publishes its issuer for the store and lets sign-in forms post to the issuer's origin (CSP form-action)", async () => {
    const config = await loadConfig({
      ...base(),
      AUTH_OIDC_ISSUER: "https://tenant.auth0.com/",
      AUTH_OIDC_ID: "id",
      AUTH_OIDC_SECRET: "s",
    });
    expect(config.identityIssuers.oidc).toBe("https://tenant.auth0.com/");
    expect(config.formActionOrigins).toContain("https://tenant.auth0.com");
  });
});

// providers: identity/oidc identity/firebase identity/supabase identity/password
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config/load";
import { configuredIdentityProviders, getIdentityProvider } from "./registry";

const base = { DATA_DIR: mkdtempSync(join(tmpdir(), "reg-")), MAIL_API_URL: "http://127.0.0.1:1", MAIL_API_KEY: "k" };

describe("identity provider registry", () => {
  it("offers only configured providers (the sign-in page hides the rest)", async () => {
    const only = await loadConfig({ ...base });
    expect(configuredIdentityProviders(only).map((p) => p.id)).toEqual(["password"]);

    const all = await loadConfig({
      ...base,
      AUTH_OIDC_ISSUER: "https://tenant.example.com/",
      AUTH_OIDC_ID: "id",
      AUTH_OIDC_SECRET: "secret",
      FIREBASE_PROJECT_ID: "demo-x",
      FIREBASE_API_KEY: "key",
      SUPABASE_URL: "https://abc.supabase.co",
      SUPABASE_PUBLISHABLE_KEY: "sb_publishable_x",
    });
    expect(configuredIdentityProviders(all).map((p) => p.id)).toEqual(["oidc", "firebase", "supabase", "password"]);

    const noPassword = await loadConfig({
      ...base,
      AUTH_PASSWORD_ENABLED: "false",
      FIREBASE_PROJECT_ID: "demo-x",
      FIREBASE_API_KEY: "key",
    });
    expect(configuredIdentityProviders(noPassword).map((p) => p.id)).toEqual(["firebase"]);
  });

  it("gives the browser only public settings", async () => {
    const config = await loadConfig({
      ...base,
      FIREBASE_PROJECT_ID: "demo-x",
      FIREBASE_API_KEY: "key",
      SUPABASE_URL: "https://abc.supabase.co",
      SUPABASE_PUBLISHABLE_KEY: "sb_publishable_x",
    });
    const shown = JSON.stringify([
      getIdentityProvider("firebase")!.clientConfig!(config),
      getIdentityProvider("supabase")!.clientConfig!(config),
    ]);
    expect(shown).not.toMatch(/private|secret|AUTH_SECRET|SIGNING/i);
    expect(getIdentityProvider("nope")).toBeUndefined();
  });

  it("refuses the Firebase emulator in a production configuration", async () => {
    await expect(
      loadConfig({
        ...base,
        NODE_ENV: "production",
        AUTH_URL: "https://x.example",
        AUTH_SECRET: "x".repeat(40),
        SIGNING_KEYS: "[]",
        FIREBASE_PROJECT_ID: "demo-x",
        FIREBASE_API_KEY: "k",
        FIREBASE_AUTH_EMULATOR_HOST: "127.0.0.1:9099",
      }),
    ).rejects.toMatchObject({ variable: "FIREBASE_AUTH_EMULATOR_HOST" });
  });
});

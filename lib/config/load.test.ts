import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { configFragments } from "@/providers/config";
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
    const config = await loadConfig({
      NODE_ENV: "production",
      ALLOW_DEV_DEFAULTS: "true",
      DATA_DIR: dataDir,
      AUTH_URL: "http://127.0.0.1:3000",
      ...mail,
    });
    expect(config.usingDevDefaults).toBe(true);
  });

  it("requires https for a non-loopback production AUTH_URL", async () => {
    await expect(
      loadConfig({ NODE_ENV: "production", ALLOW_DEV_DEFAULTS: "true", DATA_DIR: dataDir, AUTH_URL: "http://app.example.com", ...mail }),
    ).rejects.toMatchObject({ variable: "AUTH_URL" });
  });

  // Generic over the providers present (a pruned project has fewer): each provider's own
  // config.test.ts checks its variables.
  it("names the first missing variable of a half-configured provider", async () => {
    const fragment = Object.values(configFragments).find((f) => f.required.length >= 2);
    if (!fragment) return; // no provider with two required variables is present
    const [first, ...rest] = fragment.required;
    await expect(loadConfig({ DATA_DIR: dataDir, ...mail, [first!]: "https://value.example" })).rejects.toMatchObject({
      code: "config_invalid",
      variable: rest[0],
    });
  });

  it("hides unconfigured providers and treats empty values as unset", async () => {
    const empty = Object.fromEntries(Object.values(configFragments).flatMap((f) => f.required.map((name) => [name, ""])));
    const config = await loadConfig({ DATA_DIR: dataDir, ...mail, ...empty });
    for (const fragment of Object.values(configFragments)) {
      if (fragment.required.length > 0) expect(config[fragment.id as keyof typeof config]).toBeUndefined();
    }
  });
});

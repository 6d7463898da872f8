import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config/load";
import { PASSWORD_ISSUER } from "./config";

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "cfg-password-"));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe("email and password configuration", () => {
  it("requires a mailer while sign-up is enabled (the default), and not once it is switched off", async () => {
    await expect(loadConfig({ DATA_DIR: dataDir })).rejects.toMatchObject({ variable: "MAIL_API_URL" });
    const off = await loadConfig({ DATA_DIR: dataDir, AUTH_PASSWORD_ENABLED: "false" });
    expect(off.password).toBeUndefined();
  });

  it("is on by default, with its fixed issuer", async () => {
    const config = await loadConfig({ DATA_DIR: dataDir, MAIL_API_URL: "http://127.0.0.1:1/", MAIL_API_KEY: "k" });
    expect(config.password).toEqual({ enabled: true });
    expect(config.identityIssuers.password).toBe(PASSWORD_ISSUER);
  });
});

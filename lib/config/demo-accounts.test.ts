// DEMO_ACCOUNTS: the public demo people /signin lists, validated JSON; absent unless set.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "./load";

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "cfg-demo-"));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const load = (DEMO_ACCOUNTS?: string) =>
  loadConfig({
    NODE_ENV: "development",
    DATA_DIR: dataDir,
    MAIL_API_URL: "http://127.0.0.1:1/",
    MAIL_API_KEY: "k",
    ...(DEMO_ACCOUNTS !== undefined ? { DEMO_ACCOUNTS } : {}),
  });
const ada = { email: "ada@example.com", password: "correct horse battery", signInMethods: ["oidc", "firebase"] };

describe("DEMO_ACCOUNTS", () => {
  it("is absent unless set (also when empty)", async () => {
    expect((await load()).demoAccounts).toBeUndefined();
    expect((await load("")).demoAccounts).toBeUndefined();
    expect((await load("[]")).demoAccounts).toBeUndefined();
  });

  it("parses the list the counterparts contribute", async () => {
    const mallory = { email: "mallory@example.com", password: "not-to-be-trusted", signInMethods: ["oidc"], note: "Email not verified" };
    expect((await load(JSON.stringify([ada, mallory]))).demoAccounts).toEqual([ada, mallory]);
  });

  it.each([
    ["not JSON", "ada@example.com:pw", /JSON array/],
    ["not an email", JSON.stringify([{ ...ada, email: "ada" }]), /0\.email/],
    ["no sign-in method", JSON.stringify([{ ...ada, signInMethods: [] }]), /0\.signInMethods/],
    ["a method that is no provider id", JSON.stringify([{ ...ada, signInMethods: ["<script>"] }]), /provider ids/],
    ["an unknown member", JSON.stringify([{ ...ada, secret: "x" }]), /0/],
    ["too many people", JSON.stringify(Array.from({ length: 21 }, (_, i) => ({ ...ada, email: `p${i}@example.com` }))), /20/],
  ])("refuses %s, naming the variable", async (_, value, message) => {
    await expect(load(value)).rejects.toMatchObject({ variable: "DEMO_ACCOUNTS", message: expect.stringMatching(message) });
  });
});

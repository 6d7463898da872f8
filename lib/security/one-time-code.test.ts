import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPgliteStore } from "@/lib/store/pglite";
import type { AppStore } from "@/lib/store/types";
import { issueCode, type OneTimeCodePolicy, redeemCode } from "./one-time-code";

const policy: OneTimeCodePolicy = { purpose: "test", digits: 6, ttlSeconds: 600, maxAttempts: 3, maxIssuedPerHour: 3 };
const secret = "s".repeat(40);
const t0 = new Date("2026-11-21T12:00:00Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

let store: AppStore;
beforeAll(async () => {
  store = await openPgliteStore("memory://");
});
afterAll(() => store.close());

describe("app one-time codes", () => {
  it("are single-use", async () => {
    const code = await issueCode(store, policy, "single@example.com", secret, t0);
    expect(code).toMatch(/^\d{6}$/);
    await expect(redeemCode(store, policy, "single@example.com", code, secret, at(10))).resolves.toBeUndefined();
    await expect(redeemCode(store, policy, "single@example.com", code, secret, at(11))).rejects.toMatchObject({ code: "code_not_found" });
  });

  it("expire", async () => {
    const code = await issueCode(store, policy, "late@example.com", secret, t0);
    await expect(redeemCode(store, policy, "late@example.com", code, secret, at(601))).rejects.toMatchObject({ code: "code_expired" });
  });

  it("allow a limited number of wrong attempts, then lock even the right code", async () => {
    const code = await issueCode(store, policy, "guess@example.com", secret, t0);
    const wrong = code === "000000" ? "111111" : "000000";
    await expect(redeemCode(store, policy, "guess@example.com", wrong, secret, at(1))).rejects.toMatchObject({
      code: "code_invalid",
      details: { attemptsRemaining: 2 },
    });
    await expect(redeemCode(store, policy, "guess@example.com", wrong, secret, at(2))).rejects.toMatchObject({ code: "code_invalid" });
    await expect(redeemCode(store, policy, "guess@example.com", wrong, secret, at(3))).rejects.toMatchObject({
      code: "code_attempts_exceeded",
    });
    await expect(redeemCode(store, policy, "guess@example.com", code, secret, at(4))).rejects.toMatchObject({
      code: "code_attempts_exceeded",
    });
  });

  it("give a resend a new code but not a new guessing budget: guesses count per subject across codes", async () => {
    const first = await issueCode(store, policy, "budget@example.com", secret, t0);
    const wrong = (code: string) => (code === "000000" ? "111111" : "000000");
    await expect(redeemCode(store, policy, "budget@example.com", wrong(first), secret, at(1))).rejects.toMatchObject({
      code: "code_invalid",
    });
    await expect(redeemCode(store, policy, "budget@example.com", wrong(first), secret, at(2))).rejects.toMatchObject({
      code: "code_invalid",
    });
    // The resend: one guess of the three is left, on the new code too.
    const second = await issueCode(store, policy, "budget@example.com", secret, at(3));
    await expect(redeemCode(store, policy, "budget@example.com", wrong(second), secret, at(4))).rejects.toMatchObject({
      code: "code_attempts_exceeded",
    });
    await expect(redeemCode(store, policy, "budget@example.com", second, secret, at(5))).rejects.toMatchObject({
      code: "code_attempts_exceeded",
    });
    // And no further code is issued while the budget is spent.
    await expect(issueCode(store, policy, "budget@example.com", secret, at(6))).rejects.toMatchObject({ code: "code_rate_limited" });
  });

  it("are valid only for the binding they were issued for (an account replaced since confirms nothing)", async () => {
    const code = await issueCode(store, policy, { subject: "bound@example.com", binding: "account-1" }, secret, t0);
    await expect(
      redeemCode(store, policy, { subject: "bound@example.com", binding: "account-2" }, code, secret, at(1)),
    ).rejects.toMatchObject({ code: "code_invalid" });
    await expect(
      redeemCode(store, policy, { subject: "bound@example.com", binding: "account-1" }, code, secret, at(2)),
    ).resolves.toBeUndefined();
  });

  it("are bound to their subject and to the server secret", async () => {
    const code = await issueCode(store, policy, "owner@example.com", secret, t0);
    await issueCode(store, policy, "other@example.com", secret, t0);
    await expect(redeemCode(store, policy, "other@example.com", code, secret, at(1))).rejects.toMatchObject({ code: "code_invalid" });
    await expect(redeemCode(store, policy, "owner@example.com", code, "another secret entirely", at(1))).rejects.toMatchObject({
      code: "code_invalid",
    });
  });

  it("limit how many are sent per hour, even when requested in parallel", async () => {
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => issueCode(store, policy, "spam@example.com", secret)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(
      Array(7).fill("code_rate_limited"),
    );
  });

  it("count every guess, even parallel ones: a burst cannot out-run the attempt limit", async () => {
    const code = await issueCode(store, policy, "burst@example.com", secret, t0);
    const wrong = Array.from({ length: 50 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, "0"));
    const results = await Promise.allSettled(wrong.map((guess) => redeemCode(store, policy, "burst@example.com", guess, secret, at(1))));
    const codes = results.map((r) => (r as PromiseRejectedResult).reason.code);
    expect(codes.filter((c) => c === "code_invalid")).toHaveLength(2);
    expect(codes.filter((c) => c === "code_attempts_exceeded")).toHaveLength(48);
    await expect(redeemCode(store, policy, "burst@example.com", code, secret, at(2))).rejects.toMatchObject({
      code: "code_attempts_exceeded",
    });
  });
});

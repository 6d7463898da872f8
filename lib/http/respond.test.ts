import { describe, expect, it, vi } from "vitest";
import { IdentityTokenError } from "@/lib/identity/token-error";
import { AppError } from "./errors";
import { errorResponse } from "./respond";

describe("errorResponse", () => {
  it.each(["token_expired", "token_malformed", "signature_invalid", "aud_invalid"])(
    "a refused client token (%s) is a 401 with a stable code and the verdict as reason, not a 500",
    async (reason) => {
      const response = errorResponse(new IdentityTokenError(reason, "The token is bad."));
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: { code: "id_token_invalid", message: "The token is bad. Sign in again and retry.", details: { reason } },
      });
    },
  );

  it.each(["jwks_unreachable", "provider_unreachable"])("an unreachable identity provider (%s) is a 502", async (reason) => {
    const response = errorResponse(new IdentityTokenError(reason, "internal detail"));
    expect(response.status).toBe(502);
    expect(JSON.stringify(await response.json())).not.toContain("internal detail");
  });

  it("sends Retry-After with rate_limited", () => {
    const response = errorResponse(new AppError("rate_limited", 429, "slow down", { retryAfterSeconds: 7 }));
    expect(response.headers.get("retry-after")).toBe("7");
  });

  it("never sends an unexpected error's message or stack", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const response = errorResponse(new TypeError("secret internals at /srv/app.js:1"));
    expect(response.status).toBe(500);
    expect(JSON.stringify(await response.json())).not.toMatch(/secret|app\.js/);
    log.mockRestore();
  });
});

// What the demo's front proxy lets strangers send the Firebase Auth Emulator.
import { describe, expect, it } from "vitest";
import { firebaseBrowserRequest } from "./counterpart";

const ask = (method: string, pathname: string, headers: Record<string, string> = {}) =>
  firebaseBrowserRequest({ method, pathname, headers });

describe("firebaseBrowserRequest", () => {
  it("lets through the calls the Firebase JS SDK makes for a user's own account, and their preflights", () => {
    for (const call of ["signUp", "signInWithPassword", "signInWithCustomToken", "lookup", "update", "delete", "sendOobCode"]) {
      expect(ask("POST", `/identitytoolkit.googleapis.com/v1/accounts:${call}`), call).toBe(true);
      expect(ask("OPTIONS", `/identitytoolkit.googleapis.com/v1/accounts:${call}`), call).toBe(true);
    }
    expect(ask("POST", "/securetoken.googleapis.com/v1/token")).toBe(true);
    expect(ask("GET", "/identitytoolkit.googleapis.com/v2/recaptchaConfig")).toBe(true);
  });

  it("refuses the emulator's own API, admin-only calls and anything carrying credentials", () => {
    expect(ask("GET", "/emulator/v1/projects/demo-byo-auth/oobCodes")).toBe(false);
    expect(ask("DELETE", "/emulator/v1/projects/demo-byo-auth/accounts")).toBe(false);
    expect(ask("POST", "/identitytoolkit.googleapis.com/v1/projects/demo-byo-auth/accounts:query")).toBe(false);
    expect(ask("POST", "/identitytoolkit.googleapis.com/v1/accounts:batchDelete")).toBe(false);
    // The emulator's administrator credential, on a call that is otherwise open.
    expect(ask("POST", "/identitytoolkit.googleapis.com/v1/accounts:update", { authorization: "Bearer owner" })).toBe(false);
    expect(ask("GET", "/identitytoolkit.googleapis.com/v1/accounts:lookup")).toBe(false);
    expect(ask("PUT", "/securetoken.googleapis.com/v1/token")).toBe(false);
    expect(ask("GET", "/")).toBe(false);
  });
});

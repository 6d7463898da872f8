// AIR Kit over an AIR-compatible HTTP API (the local counterpart speaks it), with the SDK's
// session semantics (types.ts AirServiceLike), so the app's session rules are exercised offline
// exactly as they will be against the SDK:
// - a login is saved in localStorage, like the SDK's 30-day saved login, and `init` restores it
//   unless `skipRehydration`;
// - `login` returns the current session, if any, whatever token it is given;
// - MFA is a WebAuthn passkey created in this page (the SDK does it in AIR's iframe).
import { type AirClientConfig, AirClientError, type AirLoginResult, type AirServiceLike, type AirUserDetails } from "./types";
import { WRONG_CODE } from "@/lib/ui/wording";

const STORAGE_KEY = "airkit.session";

interface ApiError {
  error?: { code?: string; message?: string; attemptsRemaining?: number };
}

type LoginResponse =
  | { status: "authenticated"; result: AirLoginResult }
  | { status: "verification_required"; challengeId: string; email: string; expiresAt: string | number };

interface PasskeyOptions {
  challengeId: string;
  publicKey: {
    challenge: string;
    rp: { id: string; name: string };
    user: { id: string; name: string; displayName: string };
    pubKeyCredParams: { type: "public-key"; alg: number }[];
    authenticatorSelection: AuthenticatorSelectionCriteria;
    attestation: AttestationConveyancePreference;
    timeout: number;
  };
}

const FRIENDLY: Record<string, string> = {
  otp_invalid: WRONG_CODE,
  otp_expired: "That code has expired. Start again to get a new one.",
  otp_attempts_exceeded: "Too many wrong codes. Start again to get a new one.",
  otp_rate_limited: "Too many codes were requested for this email. Wait a few minutes and try again.",
  network: "AIR Kit could not be reached. Check that it is running and try again.",
  not_logged_in: "Not logged in to AIR Kit.",
  mfa_cancelled: "The passkey was not created. Try again when you are ready.",
  mfa_required: "Set up MFA (a passkey) with AIR Kit before signing.",
  address_mismatch: "AIR Kit refused: that address is not this session's account.",
  session_invalid: "Your AIR Kit session has ended. Reconnect AIR Kit, then try again.",
  session_expired: "Your AIR Kit session has ended. Reconnect AIR Kit, then try again.",
};

const fromBase64url = (value: string) => Uint8Array.from(atob(value.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
const toBase64url = (buffer: ArrayBuffer) =>
  btoa(String.fromCharCode(...new Uint8Array(buffer)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

export function createHttpAirService(config: AirClientConfig & { apiUrl: string }): AirServiceLike {
  const base = config.apiUrl.replace(/\/$/, "");
  let current: AirLoginResult | undefined;

  async function call<T>(path: string, init: { body?: unknown; token?: string }): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method: init.body === undefined ? "GET" : "POST",
        headers: {
          ...(init.body === undefined ? {} : { "content-type": "application/json" }),
          ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
    } catch {
      throw new AirClientError("network", FRIENDLY.network!);
    }
    const json = (await response.json().catch(() => ({}))) as T & ApiError;
    if (!response.ok) {
      const code = json.error?.code ?? `http_${response.status}`;
      throw new AirClientError(code, FRIENDLY[code] ?? "AIR Kit refused the request.");
    }
    return json;
  }

  function session(): AirLoginResult {
    if (!current) throw new AirClientError("not_logged_in", FRIENDLY.not_logged_in!);
    return current;
  }

  function forget(): string | null {
    const saved = localStorage.getItem(STORAGE_KEY);
    localStorage.removeItem(STORAGE_KEY);
    current = undefined;
    return saved;
  }

  const revoke = (token: string | null | undefined) =>
    token ? call("/v1/auth/logout", { body: {}, token }).catch(() => undefined) : undefined;

  return {
    get isLoggedIn() {
      return current !== undefined;
    },

    async init({ skipRehydration }) {
      if (skipRehydration) return null;
      const saved = localStorage.getItem(STORAGE_KEY);
      if (!saved) return null;
      try {
        const info = await call<AirUserDetails>("/v1/user", { token: saved });
        current = {
          isLoggedIn: true,
          id: info.user.id,
          abstractAccountAddress: info.user.abstractAccountAddress,
          token: saved,
          isMFASetup: info.user.isMFASetup,
        };
        return current;
      } catch {
        localStorage.removeItem(STORAGE_KEY);
        return null;
      }
    },

    async login(authToken, ui) {
      if (current) return current;
      let answer = await call<LoginResponse>("/v1/auth/login", { body: { partnerId: config.partnerId, authToken } });
      let error: string | undefined;
      while (answer.status === "verification_required") {
        const challenge = answer;
        const code = await ui.requestCode({ email: challenge.email, expiresAt: new Date(challenge.expiresAt).getTime(), error });
        if (code === null) throw new AirClientError("cancelled", "Login cancelled.");
        try {
          answer = await call<LoginResponse>("/v1/auth/verify", { body: { challengeId: challenge.challengeId, code } });
        } catch (e) {
          if (e instanceof AirClientError && e.code === "otp_invalid") {
            error = WRONG_CODE;
            continue;
          }
          throw e;
        }
      }
      current = answer.result;
      localStorage.setItem(STORAGE_KEY, current.token);
      return current;
    },

    getUserInfo: () => call<AirUserDetails>("/v1/user", { token: session().token }),

    async setupOrUpdateMfa() {
      const { token } = session();
      const { challengeId, publicKey } = await call<PasskeyOptions>("/v1/mfa/passkey/options", { body: {}, token });
      let credential: Credential | null;
      try {
        credential = await navigator.credentials.create({
          publicKey: {
            ...publicKey,
            challenge: fromBase64url(publicKey.challenge),
            user: { ...publicKey.user, id: fromBase64url(publicKey.user.id) },
            timeout: publicKey.timeout,
          },
        });
      } catch (e) {
        // NotAllowedError: dismissed or timed out; anything else: no usable authenticator.
        console.error("[airkit] passkey creation failed", e);
        throw new AirClientError("mfa_cancelled", FRIENDLY.mfa_cancelled!);
      }
      if (!(credential instanceof PublicKeyCredential) || !(credential.response instanceof AuthenticatorAttestationResponse)) {
        throw new AirClientError("mfa_cancelled", FRIENDLY.mfa_cancelled!);
      }
      await call("/v1/mfa/passkey", {
        token,
        body: {
          challengeId,
          credential: {
            id: credential.id,
            type: credential.type,
            response: {
              clientDataJSON: toBase64url(credential.response.clientDataJSON),
              attestationObject: toBase64url(credential.response.attestationObject),
            },
          },
        },
      });
      current = { ...session(), isMFASetup: true };
    },

    async getAccessToken() {
      const { token } = await call<{ token: string }>("/v1/auth/token", { body: {}, token: session().token });
      // The saved login moves on to the newest token, as the SDK's does.
      const previous = session().token;
      current = { ...session(), token };
      localStorage.setItem(STORAGE_KEY, token);
      await revoke(previous);
      return { token };
    },

    // The counterpart's stand-in for the SDK's EIP-1193 wallet (packages/counterparts/airkit/service.ts).
    async personalSign(data, address) {
      const { result } = await call<{ result?: unknown }>("/v1/wallet/rpc", {
        body: { method: "personal_sign", params: [data, address] },
        token: session().token,
      });
      if (typeof result !== "string" || !/^0x[0-9a-fA-F]+$/.test(result))
        throw new AirClientError("sign_failed", "AIR Kit answered without a signature.");
      return result as `0x${string}`;
    },

    async logout() {
      const { token } = session();
      forget();
      await revoke(token);
    },

    async cleanUp() {
      await revoke(forget());
    },
  };
}

// AIR Kit login over an AIR-compatible HTTP API (the local counterpart speaks it).
import { type AirClient, type AirClientConfig, AirClientError, type AirLoginResult, type AirUserDetails } from "./types";

// Like the SDK, the AIR session lives in the browser for the tab's lifetime.
const STORAGE_KEY = "airkit.session";

interface ApiError {
  error?: { code?: string; message?: string; attemptsRemaining?: number };
  attemptsRemaining?: number;
}

type LoginResponse =
  | { status: "authenticated"; result: AirLoginResult }
  | { status: "verification_required"; challengeId: string; email: string; expiresAt: string | number };

const FRIENDLY: Record<string, string> = {
  otp_invalid: "That code is not right.",
  otp_expired: "That code has expired. Start again to get a new one.",
  otp_attempts_exceeded: "Too many wrong codes. Start again to get a new one.",
  otp_rate_limited: "Too many codes were requested for this email. Wait a few minutes and try again.",
  network: "AIR Kit could not be reached. Check that it is running and try again.",
};

export function createHttpAirClient(config: AirClientConfig & { apiUrl: string }): AirClient {
  const base = config.apiUrl.replace(/\/$/, "");

  async function call<T>(path: string, init: { body?: unknown; token?: string; method?: string }): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method: init.method ?? (init.body === undefined ? "GET" : "POST"),
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
      throw new AirClientError(code, FRIENDLY[code] ?? json.error?.message ?? "AIR Kit refused the request.");
    }
    return json;
  }

  const session = {
    get: () => sessionStorage.getItem(STORAGE_KEY),
    set: (token: string) => sessionStorage.setItem(STORAGE_KEY, token),
    clear: () => sessionStorage.removeItem(STORAGE_KEY),
  };

  return {
    async login(authToken, ui) {
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
            error = "That code is not right. Check the newest email and try again.";
            continue;
          }
          throw e;
        }
      }
      session.set(answer.result.token);
      return answer.result;
    },
    async getUserInfo() {
      const token = session.get();
      if (!token) throw new AirClientError("not_logged_in", "Not logged in to AIR Kit.");
      return call<AirUserDetails>("/v1/user", { token });
    },
    async logout() {
      const token = session.get();
      session.clear();
      if (token) await call("/v1/auth/logout", { body: {}, token }).catch(() => undefined);
    },
  };
}

// The browser side of AIR Kit login. Two backings with the same surface: the real
// @mocanetwork/airkit SDK, or an HTTP API that speaks the AIR-compatible contract (the local
// counterpart). Which one is configuration (AIRKIT_API_URL), not code. The app's rules about
// whose session may be used live on top of both, in session-policy.ts.
import type { AirLoginResult, AirUserDetails } from "@mocanetwork/airkit";

export type { AirLoginResult, AirUserDetails };

export interface CodePrompt {
  /** Masked address the code went to. */
  email: string;
  expiresAt: number;
  /** Set when the previous code was refused. */
  error?: string;
}

export interface AirLoginUi {
  /** Ask the person for the one-time code; null means they cancelled. The SDK shows its own dialog and never calls this. */
  requestCode(prompt: CodePrompt): Promise<string | null>;
}

/**
 * The part of the SDK's `AirService` the app uses, with the SDK's semantics, which the offline
 * backing reproduces: `init` restores a login saved in this browser (for 30 days) unless
 * `skipRehydration`; `login` hands back the current session, if there is one, whatever token it
 * is given; `logout` requires a session; `cleanUp` ends the auth session and resets the service.
 */
export interface AirServiceLike {
  readonly isLoggedIn: boolean;
  init(options: { skipRehydration: boolean }): Promise<AirLoginResult | null>;
  login(authToken: string, ui: AirLoginUi): Promise<AirLoginResult>;
  getUserInfo(): Promise<AirUserDetails>;
  /** Enrols MFA (a passkey) for the logged-in user. */
  setupOrUpdateMfa(): Promise<void>;
  /** A current token for the logged-in user (after MFA set-up, one with the address). */
  getAccessToken(): Promise<{ token: string }>;
  /**
   * EIP-1193 `personal_sign` through the wallet: `data` as 0x-hex bytes, signed by `address`
   * (the SDK: `getProvider().request({ method: "personal_sign", params: [data, address] })`).
   */
  personalSign(data: `0x${string}`, address: string): Promise<`0x${string}`>;
  logout(): Promise<void>;
  cleanUp(): Promise<void>;
}

/** What the connector uses: AirServiceLike under the app's session rules (session-policy.ts). */
export interface AirClient {
  /** True while this page holds an AIR session (one the app started). */
  readonly isLoggedIn: boolean;
  /** Logs in with this user's partner token; any AIR session already in this browser is ended first. */
  login(authToken: string, ui: AirLoginUi): Promise<AirLoginResult>;
  getUserInfo(): Promise<AirUserDetails>;
  setupMfa(): Promise<void>;
  freshToken(): Promise<string>;
  /** EIP-191 signature of `message` (UTF-8) by `address`, through AIR's wallet. */
  signMessage(message: string, address: string): Promise<`0x${string}`>;
  /** Ends AIR's session in this browser, including one saved by an earlier page. */
  endSession(): Promise<void>;
}

export interface AirClientConfig {
  partnerId: string;
  apiUrl: string | null;
  buildEnv: string;
}

export class AirClientError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "AirClientError";
  }
}

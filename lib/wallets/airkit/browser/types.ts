// The one interface the browser uses for AIR Kit login. Two backings: the real
// @mocanetwork/airkit SDK, or any HTTP API that speaks the AIR-compatible contract
// (the local counterpart). Which one is configuration (AIRKIT_API_URL), not code.
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

export interface AirClient {
  login(authToken: string, ui: AirLoginUi): Promise<AirLoginResult>;
  getUserInfo(): Promise<AirUserDetails>;
  logout(): Promise<void>;
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

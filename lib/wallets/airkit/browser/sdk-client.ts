// AIR Kit through the real SDK. Loaded only when no AIRKIT_API_URL is configured; needs network
// access to Moca's servers, so it cannot run offline.
import type { BUILD_ENV_TYPE } from "@mocanetwork/airkit";
import { type AirClientConfig, AirClientError, type AirServiceLike } from "./types";

function failed(code: string, message: string) {
  return (error: unknown): never => {
    console.error(`[airkit] ${code}`, error);
    throw new AirClientError(code, message);
  };
}

export async function createSdkAirService(config: AirClientConfig): Promise<AirServiceLike> {
  const { AirService } = await import("@mocanetwork/airkit");
  const air = new AirService({ partnerId: config.partnerId });
  const buildEnv = config.buildEnv as Exclude<BUILD_ENV_TYPE, "production">;
  return {
    get isLoggedIn() {
      return air.isLoggedIn;
    },
    init: ({ skipRehydration }) => air.init({ buildEnv, skipRehydration }),
    // The SDK shows its own one-time-code dialog in its iframe, so `ui` is unused here.
    login: (authToken) => air.login({ authToken }).catch(failed("sdk_login_failed", "AIR Kit login did not complete. Try again.")),
    getUserInfo: () => air.getUserInfo(),
    // AIR's own dialog creates the passkey ("User Management": setupOrUpdateMfa()).
    setupOrUpdateMfa: () => air.setupOrUpdateMfa().catch(failed("sdk_mfa_failed", "MFA set-up did not complete. Try again.")),
    getAccessToken: () => air.getAccessToken(),
    logout: () => air.logout(),
    cleanUp: () => air.cleanUp(),
  };
}

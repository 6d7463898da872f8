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
    // The wallet behind the SDK's EIP-1193 provider (airService.getProvider(), "Usage":
    // https://docs.air3.com/air-kit-1.3.x/account-sdk/usage) signs in AIR's iframe.
    personalSign: async (data, address) => {
      const signature = await air
        .getProvider()
        .request({ method: "personal_sign", params: [data, address] })
        .catch(failed("sdk_sign_failed", "AIR Kit did not sign the message. Try again."));
      if (typeof signature !== "string" || !/^0x[0-9a-fA-F]+$/.test(signature))
        throw new AirClientError("sdk_sign_failed", "AIR Kit answered without a signature.");
      return signature as `0x${string}`;
    },
    logout: () => air.logout(),
    cleanUp: () => air.cleanUp(),
  };
}

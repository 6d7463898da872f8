// AIR Kit login through the real SDK. Loaded only when no AIRKIT_API_URL is configured;
// needs network access to Moca's servers, so it cannot run offline.
import type { BUILD_ENV_TYPE } from "@mocanetwork/airkit";
import { type AirClient, type AirClientConfig, AirClientError } from "./types";

export async function createSdkAirClient(config: AirClientConfig): Promise<AirClient> {
  const { AirService } = await import("@mocanetwork/airkit");
  const air = new AirService({ partnerId: config.partnerId });
  const buildEnv = config.buildEnv as Exclude<BUILD_ENV_TYPE, "production">;
  await air.init({ buildEnv });
  return {
    // The SDK shows its own one-time-code dialog in its iframe, so `ui` is unused here.
    async login(authToken) {
      try {
        return await air.login({ authToken });
      } catch (error) {
        console.error("[airkit] login failed", error);
        throw new AirClientError("sdk_login_failed", "AIR Kit login did not complete. Try again.");
      }
    },
    getUserInfo: () => air.getUserInfo(),
    logout: () => air.logout(),
  };
}

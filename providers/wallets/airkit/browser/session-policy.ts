// Whose AIR session the app may use. The SDK saves a login in the browser for 30 days and
// restores it at `init` unless `skipRehydration` is set ("User Login & Sessions",
// https://docs.moca.network/airkit/usage/user-authentication), and `login()` then returns that
// session whatever partner token it is given. In a browser that several people use, that is the
// previous person's AIR account. So:
// - `init` always runs with `skipRehydration: true` (index.ts): only a login started by the app,
//   with the signed-in user's partner token, ever produces a session here;
// - `login` ends any session the service still holds (an earlier user of this page) first;
// - `endSession` (sign-out, disconnect) logs out and also cleans up a session saved by an earlier
//   page that this page never restored.
// The server checks the same thing independently (verify-air-token.ts, index.ts).
import type { AirClient, AirLoginUi, AirServiceLike } from "./types";

export function createAirClient(service: AirServiceLike, onEnded: () => void): AirClient {
  return {
    get isLoggedIn() {
      return service.isLoggedIn;
    },
    async login(authToken: string, ui: AirLoginUi) {
      if (service.isLoggedIn) await service.logout();
      return service.login(authToken, ui);
    },
    getUserInfo: () => service.getUserInfo(),
    setupMfa: () => service.setupOrUpdateMfa(),
    freshToken: async () => (await service.getAccessToken()).token,
    // personal_sign takes the message as hex bytes (EIP-1474); wallets prefix and hash it (EIP-191).
    signMessage: (message, address) =>
      service.personalSign(`0x${Array.from(new TextEncoder().encode(message), (b) => b.toString(16).padStart(2, "0")).join("")}`, address),
    async endSession() {
      try {
        if (service.isLoggedIn) await service.logout();
        await service.cleanUp();
      } finally {
        // A cleaned-up service cannot be used again: the next connect creates a new one.
        onEnded();
      }
    },
  };
}

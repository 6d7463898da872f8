// AIR Kit's connector at rest (ConnectFace): light, no SDK; ./connect.tsx renders the same.
import { Alert } from "@/components/alert";
import type { ConnectFace, ConnectorProps } from "@/components/wallets/types";

export type AirKitIntent = "connect" | "mfa";

export function airkitFace({ reconnect, awaitingAddress }: Pick<ConnectorProps, "reconnect" | "awaitingAddress">): ConnectFace {
  if (awaitingAddress) {
    return {
      intents: [{ id: "mfa" satisfies AirKitIntent, label: "Set up MFA" }],
      notice: (
        <Alert tone="info" testId="air-mfa-needed">
          AIR Kit gives out your account address only once you have set up MFA, which is a passkey on this device. Set it up to see your
          address.
        </Alert>
      ),
    };
  }
  return { intents: [{ id: "connect" satisfies AirKitIntent, label: reconnect ? "Reconnect AIR Kit" : "Connect AIR Kit" }] };
}

// Moojo ID's connector at rest (ConnectFace): light, no SDK; ./connect.tsx renders the same.
import type { ConnectFace, ConnectorProps } from "@/components/wallets/types";

export function moojoFace({ reconnect }: Pick<ConnectorProps, "reconnect">): ConnectFace {
  return { intents: [{ id: "connect", label: reconnect ? "Reconnect Moojo" : "Connect Moojo" }] };
}

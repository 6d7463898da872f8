// Alchemy's connector at rest (ConnectFace): light, no SDK; ./connect.tsx renders the same.
import type { ConnectFace, ConnectorProps } from "@/components/wallets/types";

export type AlchemyIntent = "connect" | "pregenerate";

export function alchemyFace({ reconnect }: Pick<ConnectorProps, "reconnect">): ConnectFace {
  if (reconnect) return { intents: [{ id: "connect" satisfies AlchemyIntent, label: "Reconnect Alchemy" }] };
  return {
    intents: [
      { id: "connect" satisfies AlchemyIntent, label: "Connect Alchemy" },
      { id: "pregenerate" satisfies AlchemyIntent, label: "Pre-generate the address only", describedBy: "alchemy-pregenerate-hint" },
    ],
    hint: (
      <span id="alchemy-pregenerate-hint">
        &ldquo;Pre-generate the address only&rdquo;: your server asks Alchemy for your wallet&apos;s address without a browser key, so you
        can show or fund it before anyone signs. Connect later to sign with it.
      </span>
    ),
  };
}

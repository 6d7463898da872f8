// Turnkey's connector at rest (ConnectFace): light, no SDK (not the Embedded Wallet Kit);
// ./connect.tsx renders the same once the kit has loaded.
import type { ConnectFace, ConnectIntent, ConnectorProps } from "@/components/wallets/types";

export type TurnkeyIntent = "connect" | "email-code" | "passkey-login" | "passkey-signup";

/** The intents that need the kit initialised (its session keys); an email code is asked for first. */
export const NEEDS_KIT: readonly string[] = ["connect", "passkey-login", "passkey-signup"] satisfies TurnkeyIntent[];

export function turnkeyFace({ reconnect }: Pick<ConnectorProps, "reconnect">): ConnectFace {
  const intents: (ConnectIntent & { id: TurnkeyIntent })[] = [
    { id: "connect", label: reconnect ? "Reconnect Turnkey" : "Connect Turnkey" },
    { id: "email-code", label: "Use an email code instead", describedBy: "turnkey-email-code-hint" },
    { id: "passkey-login", label: "Log in with a passkey" },
  ];
  // A wallet exists already when reconnecting: no second one.
  if (!reconnect) intents.push({ id: "passkey-signup", label: "Create a wallet with a passkey", style: "ghost" });
  return {
    intents,
    hint: (
      <span id="turnkey-email-code-hint">
        &ldquo;Use an email code instead&rdquo;: Turnkey emails a code to your address and this browser proves it, without your
        server&apos;s ID token. Same wallet either way.
      </span>
    ),
  };
}

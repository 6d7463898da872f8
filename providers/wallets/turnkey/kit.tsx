"use client";
// Turnkey's Embedded Wallet Kit, set up for backend authentication ("Advanced backend
// authentication", https://docs.turnkey.com/sdks/react/advanced-backend-authentication):
// no `authProxyConfigId`, so the kit never fetches a wallet-kit config from Turnkey's auth proxy
// and runs offline against whatever `apiBaseUrl` the app is configured with (the local
// counterpart in development). Only the provider and its hooks are used: none of the kit's
// modals open, so its stylesheet is not loaded. The kit keeps the browser's P-256 login keys
// in IndexedDB (non-extractable) and the session JWT in localStorage, and with
// `autoRefreshSession` renews the session (a stamp_login by the live key) a minute before it ends.
import { TurnkeyProvider, type TurnkeyCallbacks, type TurnkeyProviderConfig } from "@turnkey/react-wallet-kit";
import { useMemo, type ReactNode } from "react";

export type TurnkeyClientConfig = Record<string, string | null>;

/** The kit's configuration from the provider's public client config (providers/wallets/turnkey). */
export function kitConfig(config: TurnkeyClientConfig): TurnkeyProviderConfig {
  return {
    organizationId: config.organizationId ?? "",
    apiBaseUrl: config.apiBaseUrl ?? undefined,
    // Passkeys are bound to this site's host name (the kit's default RP id).
    passkeyConfig: { userVerification: "preferred", timeout: 60_000 },
    auth: { autoRefreshSession: true, sessionExpirationSeconds: config.sessionSeconds ?? "900" },
    // No external-wallet login or connecting: the kit would otherwise probe injected wallets.
    walletConfig: { features: { auth: false, connecting: false }, chains: {} },
    // The kit's managed refresh of user and wallets asks the (absent) wallet manager for
    // providers first and fails without one; the session panel calls refreshUser itself.
    autoRefreshManagedState: false,
    ui: { authModal: { methods: { walletAuthEnabled: false } } },
  };
}

export function TurnkeyKit({
  config,
  callbacks,
  children,
}: {
  config: TurnkeyClientConfig;
  callbacks?: TurnkeyCallbacks;
  children: ReactNode;
}) {
  // A new config object would make the kit rebuild its client: keep it stable.
  const turnkeyConfig = useMemo(() => kitConfig(config), [config]);
  return (
    <TurnkeyProvider config={turnkeyConfig} callbacks={callbacks}>
      {children}
    </TurnkeyProvider>
  );
}

/**
 * Ends this browser's Turnkey sessions without a mounted provider (sign-out, disconnect): the
 * kit's own client clears every stored session and deletes their keys from IndexedDB.
 */
export async function clearTurnkeySessions(config: TurnkeyClientConfig): Promise<void> {
  const { TurnkeyClient } = await import("@turnkey/react-wallet-kit");
  const client = new TurnkeyClient({
    organizationId: config.organizationId ?? "",
    ...(config.apiBaseUrl ? { apiBaseUrl: config.apiBaseUrl } : {}),
  });
  await client.init();
  const sessions = (await client.getAllSessions()) ?? {};
  // One at a time: each clear rewrites the kit's list of session keys.
  for (const sessionKey of Object.keys(sessions)) await client.clearSession({ sessionKey });
  await client.clearUnusedKeyPairs();
}

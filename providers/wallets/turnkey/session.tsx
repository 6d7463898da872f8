"use client";

import { ClientState, StamperType, useTurnkey } from "@turnkey/react-wallet-kit";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Alert } from "@/components/alert";
import { ApiError, postJson } from "@/components/api";
import { Countdown } from "@/components/countdown";
import { formatDateTime } from "@/components/format-date";
import { signatureFromRsv } from "@/lib/wallets/signing/rsv";
import { SignMessageButton, WalletSignError } from "@/components/wallets/sign-message";
import { Connect } from "./connect";
import { TurnkeyKit } from "./kit";
import type { WalletSessionProps } from "@/components/wallets/types";

const time = (ms: number) => formatDateTime(ms);

/**
 * The Turnkey session this browser holds, from the kit: when it ends (the session JWT's `exp`),
 * and when the kit renewed it. The kit's auto-refresh stamps a stamp_login with the live key a
 * minute before the end; a session that outlives the server's record is such a refresh, and is
 * handed to the server (with a whoami stamped by the new key) so the card shows the new end.
 */
function Panel({ config, expiresAt, address }: WalletSessionProps) {
  const kit = useTurnkey();
  const router = useRouter();
  const [refreshedAt, setRefreshedAt] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const synced = useRef<string | null>(null);
  const session = kit.session;
  const { clientState, refreshUser } = kit;
  const userFor = useRef<string | null>(null);

  // The kit's `user` (a get_user stamped by the session key), once per session user.
  useEffect(() => {
    if (clientState !== ClientState.Ready || !session || userFor.current === session.userId) return;
    userFor.current = session.userId;
    void refreshUser().catch(() => undefined);
  }, [clientState, session, refreshUser]);

  useEffect(() => {
    if (!session || !kit.httpClient || expiresAt === null) return;
    // One second of slack: the server stores the same `exp`, in milliseconds.
    if (session.expiry * 1000 <= expiresAt + 1000 || synced.current === session.token) return;
    synced.current = session.token;
    const http = kit.httpClient;
    void (async () => {
      try {
        const signed = await http.stampGetWhoami({ organizationId: session.organizationId }, StamperType.ApiKey);
        if (!signed) throw new Error("the kit could not stamp");
        await postJson("/api/wallets/turnkey/session", {
          session: session.token,
          via: "refresh",
          body: signed.body,
          stamp: signed.stamp.stampHeaderValue,
        });
        setRefreshedAt(Date.now());
        setError(null);
        router.refresh();
      } catch (e) {
        setError(e instanceof ApiError ? e.message : "Turnkey renewed the session, but the server could not record it. Reconnect.");
      }
    })();
  }, [session, expiresAt, kit.httpClient, router]);

  /**
   * "Sign a test message" with the kit's own signMessage: EIP-191 prefix, Keccak-256, a
   * sign_raw_payload stamped by this browser's session key for the card's account; the kit's
   * { r, s, v } (v a recovery id) packed as r‖s‖(27+v) for the server's EIP-191 check.
   */
  async function sign(message: string): Promise<`0x${string}`> {
    if (!kit.session) throw new WalletSignError("This browser holds no Turnkey session for this wallet. Reconnect, then sign.");
    const wallets = await kit.fetchWallets();
    const account = wallets.flatMap((wallet) => wallet.accounts).find((a) => a.address.toLowerCase() === address.toLowerCase());
    if (!account) throw new WalletSignError("This card's address is not in this browser's Turnkey session. Reconnect, then sign.");
    return signatureFromRsv(await kit.signMessage({ message, walletAccount: account, addEthereumPrefix: true }));
  }

  if (kit.clientState !== ClientState.Ready) {
    return (
      <p role="status" className="text-sm text-slate-500">
        Loading Turnkey&apos;s Embedded Wallet Kit…
      </p>
    );
  }
  if (!session) {
    return (
      <div className="space-y-3" data-testid="turnkey-session">
        <Alert tone="info" testId="turnkey-session-missing">
          This browser holds no Turnkey session for this wallet (it ended here, or you connected in another browser). Reconnect to sign with
          it.
        </Alert>
        <Connect provider="turnkey" name="Turnkey" config={config} reconnect />
      </div>
    );
  }
  return (
    <div className="space-y-2 rounded-lg border border-slate-200 px-3 py-2 text-sm dark:border-slate-800" data-testid="turnkey-session">
      <p>
        <span className="font-medium">Turnkey session in this browser</span> ends in{" "}
        <Countdown expiresAt={session.expiry * 1000} testId="turnkey-session-ends" />
      </p>
      {kit.user && (
        <p className="text-xs text-slate-500">
          Turnkey user <span data-testid="turnkey-user">{kit.user.userName}</span>, from the kit&apos;s <code>user</code>
        </p>
      )}
      {refreshedAt !== null ? (
        <p data-testid="turnkey-session-refreshed" className="text-emerald-700 dark:text-emerald-300">
          Refreshed at {time(refreshedAt)}, now ends at {time(session.expiry * 1000)}.
        </p>
      ) : (
        <p className="text-xs text-slate-500">
          Turnkey&apos;s kit renews it a minute before it ends, with a new key signed in by the current one.
        </p>
      )}
      {error && <Alert testId="turnkey-session-error">{error}</Alert>}
      <SignMessageButton
        provider="turnkey"
        walletName="Turnkey"
        sign={sign}
        signingText="Turnkey is signing with this browser's session key (the kit's signMessage, sign_raw_payload)…"
      />
    </div>
  );
}

export default function TurnkeySession(props: WalletSessionProps) {
  return (
    <TurnkeyKit config={props.config}>
      <Panel {...props} />
    </TurnkeyKit>
  );
}

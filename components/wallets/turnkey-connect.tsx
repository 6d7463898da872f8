"use client";

import { useState } from "react";
import { postJson } from "@/components/api";
import { CodeField } from "@/components/identity/code-field";
import { ConnectShell, useConnectFlow } from "./connect-shell";
import type { ConnectorProps } from "./types";

const STEP_TEXT = {
  key: "Creating this browser's session key (non-extractable, kept in IndexedDB)…",
  login: "Your server is logging in to Turnkey with an ID token bound to that key…",
  send: "Your server is asking Turnkey to email you a code…",
  encrypt: "Encrypting the code and this browser's public key to Turnkey's one-time key…",
  verify: "Turnkey is checking the code…",
  otpLogin: "Signing the login with this browser's key (otp_login)…",
  whoami: "Proving the key works (a stamped whoami)…",
} as const;
type Step = keyof typeof STEP_TEXT;

const SESSION = "turnkey.session";

async function browserKeys() {
  const [keyStore, stamping] = await Promise.all([import("@/lib/wallets/turnkey/browser/key-store"), import("@/lib/wallets/turnkey/browser/stamp")]);
  return { ...keyStore, ...stamping };
}

/** A failed attempt leaves nothing behind: no session, no key in IndexedDB. */
function cleanUpOnFailure(task: (step: (s: Step) => void) => Promise<void>) {
  return async (step: (s: Step) => void) => {
    try {
      await task(step);
    } catch (error) {
      await endTurnkeySession().catch(() => undefined);
      throw error;
    }
  };
}

/** Keeps the session and proves the key works: a whoami stamped by it, relayed by the server. */
async function finish(step: (s: Step) => void, session: { session: string; organizationId: string }, keys: CryptoKeyPair) {
  const { stamp } = await browserKeys();
  sessionStorage.setItem(SESSION, session.session);
  step("whoami");
  const body = JSON.stringify({ organizationId: session.organizationId });
  await postJson("/api/wallets/turnkey/whoami", { body, stamp: await stamp(body, keys) });
}

export default function TurnkeyConnect({ config, reconnect }: ConnectorProps) {
  const flow = useConnectFlow(STEP_TEXT, "Connecting Turnkey failed. Try again.");
  // Set once a code is on its way: the target bundle from init_otp and where it went.
  const [otp, setOtp] = useState<{ otpId: string; bundle: string; email: string } | null>(null);
  const [code, setCode] = useState("");
  const codeLength = Number(config.otpLength ?? 6);

  const connectWithIdToken = () =>
    flow.run(
      cleanUpOnFailure(async (step) => {
        const { createSessionKey, compressedPublicKeyHex } = await browserKeys();
        step("key");
        // One key per login attempt, stored before its public half leaves the browser.
        const keys = await createSessionKey();
        const publicKey = await compressedPublicKeyHex(keys.publicKey);
        step("login");
        const session = await postJson<{ session: string; organizationId: string }>("/api/wallets/turnkey/oauth-login", { publicKey });
        await finish(step, session, keys);
      }),
    );

  const sendCode = () =>
    flow.run(
      async (step) => {
        step("send");
        const sent = await postJson<{ otpId: string; otpEncryptionTargetBundle: string; email: string }>("/api/wallets/turnkey/otp-init", {});
        setCode("");
        setOtp({ otpId: sent.otpId, bundle: sent.otpEncryptionTargetBundle, email: sent.email });
      },
      { refresh: false },
    );

  const verifyCode = () =>
    flow.run(
      cleanUpOnFailure(async (step) => {
        if (!otp) return;
        const [{ createSessionKey, compressedPublicKeyHex, signLoginUsage }, { encryptOtpCodeToBundle }] = await Promise.all([browserKeys(), import("@turnkey/crypto")]);
        step("key");
        // The key the code is bound to is the key that signs the login and later every request.
        const keys = await createSessionKey();
        const publicKey = await compressedPublicKeyHex(keys.publicKey);
        step("encrypt");
        // Checks Turnkey's signature on the bundle first (its production key unless configured).
        const encryptedOtpBundle = await encryptOtpCodeToBundle(code, otp.bundle, publicKey, config.otpSignerPublicKey ?? undefined);
        step("verify");
        const { verificationToken } = await postJson<{ verificationToken: string }>("/api/wallets/turnkey/otp-verify", { otpId: otp.otpId, encryptedOtpBundle });
        step("otpLogin");
        const signature = await signLoginUsage(verificationToken, keys);
        const session = await postJson<{ session: string; organizationId: string }>("/api/wallets/turnkey/otp-login", { verificationToken, signature });
        await finish(step, session, keys);
        setOtp(null);
      }),
    );

  if (otp) {
    return (
      <ConnectShell
        status={flow.status}
        error={flow.error}
        busy={flow.busy || code.length !== codeLength}
        label="Verify and connect"
        onConnect={() => void verifyCode()}
        actions={
          <>
            <button type="button" className="btn-secondary" onClick={() => void sendCode()} disabled={flow.busy}>
              Send a new code
            </button>
            <button type="button" className="btn-ghost" onClick={() => setOtp(null)} disabled={flow.busy}>
              Cancel
            </button>
          </>
        }
      >
        <form
          data-testid="turnkey-otp"
          onSubmit={(e) => {
            e.preventDefault();
            if (code.length === codeLength && !flow.busy) void verifyCode();
          }}
        >
          <p className="mb-2 text-sm text-slate-600 dark:text-slate-300">
            Turnkey sent a {codeLength}-digit code to <strong>{otp.email}</strong>. It works once, for five minutes.
          </p>
          <CodeField id="turnkey-code" label="Code from Turnkey" value={code} onChange={setCode} mailboxUrl={config.mailboxUrl ?? null} length={codeLength} />
        </form>
      </ConnectShell>
    );
  }

  return (
    <ConnectShell
      status={flow.status}
      error={flow.error}
      busy={flow.busy}
      label={reconnect ? "Reconnect Turnkey" : "Connect Turnkey"}
      onConnect={() => void connectWithIdToken()}
      actions={
        <button type="button" className="btn-secondary" onClick={() => void sendCode()} disabled={flow.busy}>
          Use an email code instead
        </button>
      }
    />
  );
}

/** Forgets the session and deletes the key from IndexedDB. */
export async function endTurnkeySession(): Promise<void> {
  sessionStorage.removeItem(SESSION);
  await (await import("@/lib/wallets/turnkey/browser/key-store")).deleteSessionKey();
}

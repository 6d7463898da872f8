"use client";

import { ClientState, getClientSignatureMessageForLogin, StamperType, useTurnkey } from "@turnkey/react-wallet-kit";
import { useRef, useState } from "react";
import { announce } from "@/components/announcer";
import { postJson } from "@/components/api";
import { focusById, useFocusOnStep, walletHeadingId } from "@/components/focus";
import { maskEmail } from "@/lib/ui/wording";
import { CodeField } from "@/components/identity/code-field";
import { ConnectShell, FaceShell, useConnectFlow, useStartIntent } from "@/components/wallets/connect-shell";
import { TurnkeyKit } from "./kit";
import type { ConnectorProps } from "@/components/wallets/types";
import { NEEDS_KIT, type TurnkeyIntent, turnkeyFace } from "./face";

const STEP_TEXT = {
  key: "Creating this browser's session key (non-extractable, kept in IndexedDB by Turnkey's kit)…",
  login: "Your server is logging in to Turnkey with an ID token bound to that key…",
  send: "Your server is asking Turnkey to email you a code…",
  encrypt: "Encrypting the code and this browser's public key to Turnkey's one-time key…",
  verify: "Turnkey is checking the code…",
  otpLogin: "Signing the login with this browser's key (otp_login)…",
  whoami: "Proving the key works (a stamped whoami)…",
  precheck: "Your server is checking that you have no Turnkey wallet yet…",
  createPasskey: "Create a passkey for your Turnkey wallet…",
  signup: "Your server is creating your Turnkey wallet with that passkey (create_sub_organization)…",
  stampLogin: "Logging this browser in with the sign-up key (stamp_login)…",
  passkeyLogin: "Sign in with your passkey (a passkey-stamped stamp_login)…",
} as const;
export type TurnkeyStep = keyof typeof STEP_TEXT;

type Kit = ReturnType<typeof useTurnkey>;

/**
 * Keeps a session JWT in the kit and proves to the server that this browser holds its key: a
 * whoami stamped by the kit with that key, relayed by the server (`whoami` after the server's
 * own login; `session` for a session the browser obtained itself).
 */
export async function proveSession(
  kit: Kit,
  step: (s: TurnkeyStep) => void,
  session: string,
  record: { action: "whoami" } | { action: "session"; via: "passkey" | "refresh" },
) {
  if (!kit.httpClient) throw new Error("Turnkey's kit is not ready");
  await kit.storeSession({ sessionToken: session });
  step("whoami");
  const organizationId = (await kit.getSession())?.organizationId;
  if (!organizationId) throw new Error("the kit did not keep the session");
  const signed = await kit.httpClient.stampGetWhoami({ organizationId }, StamperType.ApiKey);
  if (!signed) throw new Error("the kit could not stamp");
  const stamped = { body: signed.body, stamp: signed.stamp.stampHeaderValue };
  if (record.action === "whoami") await postJson("/api/wallets/turnkey/whoami", stamped);
  else await postJson("/api/wallets/turnkey/session", { session, via: record.via, ...stamped });
}

/** A failed attempt leaves nothing behind: the keys it made and any session it stored are deleted. */
async function cleanUp(kit: Kit, keys: string[]) {
  await Promise.all(keys.map((publicKey) => kit.deleteApiKeyPair({ publicKey }).catch(() => undefined)));
  if (await kit.getSession().catch(() => undefined)) await kit.logout().catch(() => undefined);
}

/** Passkey login as "Advanced backend authentication" describes it: the kit's loginWithPasskey (stamp_login stamped by the passkey), then the server records it. */
export async function loginWithPasskey(kit: Kit, step: (s: TurnkeyStep) => void, sessionSeconds: string) {
  step("passkeyLogin");
  // The kit names the parent organization; Turnkey resolves the passkey's own sub-organization.
  const { sessionToken } = await kit.loginWithPasskey({ expirationSeconds: sessionSeconds });
  try {
    await proveSession(kit, step, sessionToken, { action: "session", via: "passkey" });
  } catch (error) {
    await cleanUp(kit, []);
    throw error;
  }
}

/** The connect buttons and flows; needs a TurnkeyKit around it. */
export function Connect({ provider, name, config, reconnect, start }: ConnectorProps) {
  const kit = useTurnkey();
  const flow = useConnectFlow({ provider, name }, STEP_TEXT, "Connecting Turnkey failed. Try again.");
  // Set once a code is on its way: the target bundle from init_otp and where it went.
  const [otp, setOtp] = useState<{ otpId: string; bundle: string; email: string } | null>(null);
  const [code, setCode] = useState("");
  const codeLength = Number(config.otpLength ?? 6);
  const sessionSeconds = config.sessionSeconds ?? "900";
  const ready = kit.clientState === ClientState.Ready;
  // The code step replaces the button that had focus: focus goes to the code field (a new code
  // is a new step too, so the field is focused again after "Send a new code").
  const root = useRef<HTMLDivElement>(null);
  useFocusOnStep(root, otp?.otpId ?? null);

  const connectWithIdToken = () =>
    flow.run(async (step) => {
      step("key");
      // One key per login attempt, kept by the kit before its public half leaves the browser.
      const publicKey = await kit.createApiKeyPair();
      try {
        step("login");
        const { session } = await postJson<{ session: string }>("/api/wallets/turnkey/oauth-login", { publicKey });
        await proveSession(kit, step, session, { action: "whoami" });
      } catch (error) {
        await cleanUp(kit, [publicKey]);
        throw error;
      }
    });

  const sendCode = () =>
    flow.run(
      async (step) => {
        step("send");
        const sent = await postJson<{ otpId: string; otpEncryptionTargetBundle: string; email: string }>(
          "/api/wallets/turnkey/otp-init",
          {},
        );
        setCode("");
        setOtp({ otpId: sent.otpId, bundle: sent.otpEncryptionTargetBundle, email: sent.email });
        announce(`Code sent to ${maskEmail(sent.email)}`);
      },
      { refresh: false },
    );

  const verifyCode = () =>
    flow.run(async (step) => {
      if (!otp) return;
      const { encryptOtpCodeToBundle } = await import("@turnkey/crypto");
      step("key");
      // The key the code is bound to is the key that signs the login and later every request.
      const publicKey = await kit.createApiKeyPair();
      try {
        step("encrypt");
        // Checks Turnkey's signature on the bundle first (its production key unless configured).
        const encryptedOtpBundle = await encryptOtpCodeToBundle(code, otp.bundle, publicKey, config.otpSignerPublicKey ?? undefined);
        step("verify");
        const { verificationToken } = await postJson<{ verificationToken: string }>("/api/wallets/turnkey/otp-verify", {
          otpId: otp.otpId,
          encryptedOtpBundle,
        });
        step("otpLogin");
        // The login usage the kit builds from the token; signed only if the token names this browser's key.
        const usage = getClientSignatureMessageForLogin({ verificationToken });
        if (usage.publicKey !== publicKey) throw new Error("refusing to sign a login for another key");
        const signature = await kit.signWithApiKey({ message: usage.message, publicKey });
        const { session } = await postJson<{ session: string }>("/api/wallets/turnkey/otp-login", { verificationToken, signature });
        await proveSession(kit, step, session, { action: "whoami" });
        setOtp(null);
      } catch (error) {
        await cleanUp(kit, [publicKey]);
        throw error;
      }
    });

  /**
   * Passkey sign-up: the kit creates the passkey (createPasskey); the server creates
   * the sub-organization with it and with a 60-second sign-up key; that key stamps one
   * stamp_login for the session key (as the kit's own signUpWithPasskey does), then is deleted.
   */
  const signUpWithPasskey = () =>
    flow.run(async (step) => {
      if (!kit.httpClient) throw new Error("Turnkey's kit is not ready");
      step("precheck");
      await postJson("/api/wallets/turnkey/passkey-precheck", {});
      step("createPasskey");
      // The kit picks the challenge: its createPasskey({ challenge }) hands a string to
      // navigator.credentials.create, which needs bytes, so a server challenge cannot pass.
      const passkey = await kit.createPasskey({ name: "BYO Auth passkey" });
      const signupKey = await kit.createApiKeyPair();
      const made = [signupKey];
      try {
        step("signup");
        const { organizationId } = await postJson<{ organizationId: string }>("/api/wallets/turnkey/passkey-signup", {
          challenge: passkey.encodedChallenge,
          attestation: passkey.attestation,
          publicKey: signupKey,
        });
        step("stampLogin");
        const sessionKey = await kit.createApiKeyPair();
        made.push(sessionKey);
        await kit.overrideApiKeyStamper({ temporaryPublicKey: signupKey });
        let session: string;
        try {
          ({ session } = await kit.httpClient.stampLogin(
            { publicKey: sessionKey, organizationId, expirationSeconds: sessionSeconds },
            StamperType.ApiKey,
          ));
        } finally {
          await kit.overrideApiKeyStamper({ temporaryPublicKey: "" });
        }
        await kit.deleteApiKeyPair({ publicKey: signupKey });
        await proveSession(kit, step, session, { action: "session", via: "passkey" });
      } catch (error) {
        await cleanUp(kit, made);
        throw error;
      }
    });

  const logInWithPasskey = () => flow.run((step) => loginWithPasskey(kit, step, sessionSeconds));

  const intents: Record<TurnkeyIntent, () => Promise<boolean>> = {
    connect: connectWithIdToken,
    "email-code": sendCode,
    "passkey-login": logInWithPasskey,
    "passkey-signup": signUpWithPasskey,
  };
  const runIntent = (intent: string) => void (Object.hasOwn(intents, intent) ? intents[intent as TurnkeyIntent]() : undefined);
  // A press made before the kit loaded runs once the kit is ready (an email code needs no kit yet).
  useStartIntent(start, runIntent, ready || !NEEDS_KIT.includes(start ?? ""));

  if (otp) {
    return (
      <div ref={root}>
        <ConnectShell
          status={flow.status}
          error={flow.error}
          busy={flow.busy || code.length !== codeLength || !ready}
          label="Verify and connect"
          onConnect={() => void verifyCode()}
          actions={
            <>
              <button type="button" className="btn-secondary" onClick={() => void sendCode()} disabled={flow.busy}>
                Send a new code
              </button>
              <button
                type="button"
                className="btn-ghost"
                onClick={() => {
                  setOtp(null);
                  focusById(walletHeadingId(provider));
                }}
                disabled={flow.busy}
              >
                Cancel
              </button>
            </>
          }
        >
          <form
            data-testid="turnkey-otp"
            onSubmit={(e) => {
              e.preventDefault();
              if (code.length === codeLength && !flow.busy && ready) void verifyCode();
            }}
          >
            <p className="mb-2 text-sm text-slate-600 dark:text-slate-300">
              Turnkey sent a {codeLength}-digit code to <strong data-testid="code-sent-to">{maskEmail(otp.email)}</strong>. It works once,
              for five minutes.
            </p>
            <CodeField
              id="turnkey-code"
              label="Code from Turnkey"
              value={code}
              onChange={setCode}
              mailboxUrl={config.mailboxUrl ?? null}
              to={otp.email}
              length={codeLength}
            />
          </form>
        </ConnectShell>
      </div>
    );
  }

  return (
    <div ref={root}>
      <FaceShell
        face={turnkeyFace({ reconnect })}
        run={runIntent}
        status={flow.status ?? (ready ? null : "Loading Turnkey's Embedded Wallet Kit…")}
        error={flow.error}
        busy={flow.busy}
        disabled={(intent) => !ready && NEEDS_KIT.includes(intent)}
      />
    </div>
  );
}

export default function TurnkeyConnect(props: ConnectorProps) {
  return (
    <TurnkeyKit config={props.config}>
      <Connect {...props} />
    </TurnkeyKit>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { Alert } from "@/components/alert";
import { announce } from "@/components/announcer";
import { ApiError, postJson } from "@/components/api";
import { focusById, walletHeadingId } from "@/components/focus";
import { mailboxLink } from "@/components/identity/code-field";
import { maskEmail } from "@/lib/ui/wording";
import { type AirClient, AirClientError, type CodePrompt, getAirClient } from "@/providers/wallets/airkit/browser";
import { FaceShell, connected, useStartIntent } from "@/components/wallets/connect-shell";
import { reportConnectOutcome } from "@/components/wallets/connect-outcomes";
import type { ConnectorProps } from "@/components/wallets/types";
import { airkitFace } from "./face";

type Step = "idle" | "token" | "login" | "code" | "mfa" | "session";

const STEP_TEXT: Record<Exclude<Step, "idle">, string> = {
  token: "Your server is minting a partner token…",
  login: "AIR Kit is checking the token against your JWKS…",
  code: "AIR Kit sent a code to confirm your email.",
  mfa: "Create a passkey to set up MFA with AIR Kit…",
  session: "Your server is verifying AIR's session…",
};

export default function AirKitConnect({ provider, name, config, reconnect, awaitingAddress, start }: ConnectorProps) {
  const router = useRouter();
  const [step, setStep] = useState<Step>("idle");
  const [error, setError] = useState<string | null>(null);
  const [prompt, setPrompt] = useState<CodePrompt | null>(null);
  const [code, setCode] = useState("");
  const answer = useRef<((code: string | null) => void) | null>(null);
  // Set by "Send a new code": the login in progress is cancelled and a new one started, for
  // which AIR sends a new code.
  const restart = useRef(false);

  function requestCode(p: CodePrompt): Promise<string | null> {
    if (!p.error) announce(`Code sent to ${maskEmail(p.email)}`);
    setPrompt(p);
    setCode("");
    setStep("code");
    return new Promise((resolve) => {
      answer.current = (value) => {
        answer.current = null;
        setStep("login");
        resolve(value);
      };
    });
  }

  /** Logs in to AIR as the signed-in user (a fresh partner token; any other AIR session is ended first). */
  async function login(): Promise<{ air: AirClient; token: string; isMFASetup: boolean }> {
    setStep("token");
    const { token: partnerToken } = await postJson<{ token: string }>("/api/wallets/airkit/partner-token");
    setStep("login");
    const air = await getAirClient({ partnerId: config.partnerId!, apiUrl: config.apiUrl ?? null, buildEnv: config.buildEnv ?? "sandbox" });
    const result = await air.login(partnerToken, { requestCode });
    return { air, token: result.token, isMFASetup: result.isMFASetup };
  }

  async function record(air: AirClient, token: string) {
    const userInfo = await air.getUserInfo().catch(() => undefined);
    setStep("session");
    await postJson("/api/wallets/airkit/session", { token, userInfo });
  }

  async function run(task: () => Promise<void>) {
    setError(null);
    try {
      await task();
      setStep("idle");
      connected({ provider, name });
      router.refresh();
    } catch (e) {
      setStep("idle");
      setPrompt(null);
      if (e instanceof AirClientError && e.code === "cancelled") {
        if (restart.current) {
          restart.current = false;
          void connect();
        } else reportConnectOutcome(provider, "cancelled");
        return;
      }
      setError(e instanceof ApiError || e instanceof AirClientError ? e.message : "Connecting AIR Kit failed. Try again.");
      reportConnectOutcome(provider, "failed");
    }
  }

  // Connect: the server records AIR's session even before MFA, so the dashboard can show that state.
  const connect = () =>
    run(async () => {
      const { air, token } = await login();
      await record(air, token);
    });

  // AIR returns the address only once MFA is set up ("User Management"): enrol a passkey, then
  // have the server verify a fresh token, which now carries the address.
  const setUpMfa = () =>
    run(async () => {
      const { air, isMFASetup } = await login();
      if (!isMFASetup) {
        setStep("mfa");
        await air.setupMfa();
      }
      await record(air, await air.freshToken());
    });

  const runIntent = (intent: string) => void (intent === "mfa" ? setUpMfa() : connect());
  useStartIntent(start, runIntent);

  if (step === "code" && prompt) {
    return (
      <form
        className="space-y-3"
        data-testid="air-otp"
        onSubmit={(e) => {
          e.preventDefault();
          answer.current?.(code);
        }}
      >
        <Alert tone="info">
          AIR Kit sent a code to <strong data-testid="code-sent-to">{maskEmail(prompt.email)}</strong> to confirm it is yours. This happens
          only the first time.
        </Alert>
        {prompt.error && <Alert>{prompt.error}</Alert>}
        <div>
          <label className="label" htmlFor="air-otp-code">
            Code from AIR Kit
          </label>
          <input
            id="air-otp-code"
            className="input font-mono tracking-widest"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            value={code}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, ""))}
            autoFocus
          />
          {config.mailboxUrl && (
            <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">
              Demo: open the{" "}
              <a
                className="font-medium text-brand-700 dark:text-brand-300 underline"
                href={mailboxLink(config.mailboxUrl, prompt.email)}
                target="_blank"
                rel="noreferrer"
              >
                local mailbox
              </a>{" "}
              to read it.
            </p>
          )}
        </div>
        <div className="flex gap-2">
          <button type="submit" className="btn-primary" disabled={code.length !== 6}>
            Verify code
          </button>
          <button
            type="button"
            className="btn-secondary"
            onClick={() => {
              restart.current = true;
              answer.current?.(null);
            }}
          >
            Send a new code
          </button>
          <button
            type="button"
            className="btn-ghost"
            onClick={() => {
              answer.current?.(null);
              focusById(walletHeadingId(provider));
            }}
          >
            Cancel
          </button>
        </div>
      </form>
    );
  }

  return (
    <FaceShell
      face={airkitFace({ reconnect, awaitingAddress })}
      run={runIntent}
      status={step === "idle" ? null : STEP_TEXT[step as Exclude<Step, "idle">]}
      error={error}
      busy={step !== "idle"}
    />
  );
}

"use client";

// "Sign a test message" on a connected wallet card. The provider-specific part is one
// function, `sign(message) → 0x-hex EIP-191 signature`, made with the provider's own signing
// call; everything else (nonce, verification) is the server's (lib/wallets/signing):
//
//   <SignMessageButton provider="turnkey" walletName="Turnkey" sign={(m) => kit.signMessage(…)} />
//
// Throw a WalletSignError from `sign` to show your own message (written for people); any
// other error shows a generic one, never the SDK's text.
import { useId, useState } from "react";
import { Alert } from "@/components/alert";
import { ApiError, postJson } from "@/components/api";
import { CopyButton } from "@/components/copy-button";
import { useHydrated } from "@/components/use-hydrated";

export type SignFn = (message: string) => Promise<`0x${string}`>;

/** An error from a `sign` function whose message is meant for the user (what went wrong, what to do). */
export class WalletSignError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WalletSignError";
  }
}

interface Challenge {
  nonce: string;
  message: string;
  address: string;
  expiresAt: string;
}

interface Verified {
  verified: true;
  address: string;
  signature: string;
  message: string;
}

type Step = "challenge" | "sign" | "verify";

export function SignMessageButton({
  provider,
  walletName,
  sign,
  signingText,
}: {
  /** The wallet provider's id: the server routes are /api/wallets/{provider}/sign-challenge and /sign-verify. */
  provider: string;
  walletName: string;
  sign: SignFn;
  /** The status line while the wallet signs (default: "{walletName} is signing the message…"). */
  signingText?: string;
}) {
  const [step, setStep] = useState<Step | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Verified | null>(null);
  const headingId = useId();
  // Until hydrated the click handler is not attached: say so (aria-disabled, as while busy).
  const hydrated = useHydrated();
  const stepText: Record<Step, string> = {
    challenge: "Your server is issuing a fresh nonce and the message to sign…",
    sign: signingText ?? `${walletName} is signing the message…`,
    verify: "Your server is checking the signature against this card's address (EIP-191)…",
  };

  async function run() {
    setError(null);
    setResult(null);
    try {
      setStep("challenge");
      const challenge = await postJson<Challenge>(`/api/wallets/${provider}/sign-challenge`, {});
      setStep("sign");
      let signature: string;
      try {
        signature = await sign(challenge.message);
      } catch (e) {
        throw e instanceof WalletSignError || e instanceof ApiError
          ? e
          : new WalletSignError(
              `${walletName} did not sign the message. Try again; if it keeps failing, disconnect and reconnect the wallet.`,
            );
      }
      setStep("verify");
      setResult(await postJson<Verified>(`/api/wallets/${provider}/sign-verify`, { nonce: challenge.nonce, signature }));
    } catch (e) {
      setError(e instanceof ApiError || e instanceof WalletSignError ? e.message : "Signing failed. Try again.");
    } finally {
      setStep(null);
    }
  }

  return (
    <section aria-labelledby={headingId} className="space-y-2" data-testid="sign-message">
      <h3 id={headingId} className="sr-only">
        Sign a test message with {walletName}
      </h3>
      {/* aria-disabled rather than disabled: a disabled button drops keyboard focus mid-flow. */}
      <button
        type="button"
        className="btn-secondary aria-disabled:cursor-wait aria-disabled:opacity-60"
        onClick={() => void (step === null && run())}
        aria-disabled={step !== null || !hydrated}
        aria-busy={step !== null}
      >
        {step === null ? "Sign a test message" : "Signing…"}
      </button>
      {step && (
        <p role="status" className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-300" data-testid="sign-step">
          <span aria-hidden className="size-3 animate-spin rounded-full border-2 border-brand-500 border-t-transparent" />
          {stepText[step]}
        </p>
      )}
      {error && <Alert testId="sign-error">{error}</Alert>}
      {result && (
        <Alert tone="success" testId="sign-result">
          <p className="font-medium">Signature verified</p>
          <p className="mt-0.5 text-xs">
            Your server recovered the signer from the signature and it is this card&apos;s wallet. The nonce is now spent.
          </p>
          <dl className="mt-2 space-y-1.5 text-xs">
            <div>
              <dt className="font-medium">Recovered address</dt>
              <dd className="flex flex-wrap items-center gap-2">
                <code data-testid="sign-address" className="font-mono break-all">
                  {result.address}
                </code>
              </dd>
            </div>
            <div>
              <dt className="font-medium">Signature</dt>
              <dd className="flex flex-wrap items-center gap-2">
                <code data-testid="sign-signature" className="min-w-0 font-mono break-all">
                  {result.signature}
                </code>
                <CopyButton value={result.signature} what="signature" />
              </dd>
            </div>
            <div>
              <dt className="font-medium">Signed message</dt>
              <dd>
                <pre data-testid="sign-message-text" className="mt-1 font-mono text-xs whitespace-pre-wrap break-words">
                  {result.message}
                </pre>
              </dd>
            </div>
          </dl>
        </Alert>
      )}
    </section>
  );
}

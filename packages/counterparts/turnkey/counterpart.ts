// The Turnkey counterpart's descriptor (see ../lib/counterpart.ts). The app's Turnkey API key
// is a dev secret: the counterpart is registered with its public half, the app gets both.
import { p256 } from "@noble/curves/nist.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { secret, type Counterpart } from "../lib/counterpart";
import { mailViaMailbox } from "../mailbox/counterpart";
import { startTurnkey } from "./service";

export const TURNKEY_ORGANIZATION_ID = "00000000-0000-4000-8000-00000000b10a";

/** A P-256 API key pair as Turnkey writes it: private key hex, public key compressed hex. */
function apiKeyPair(): Record<string, string> {
  const privateKey = p256.utils.randomSecretKey();
  return { TURNKEY_API_PRIVATE_KEY: bytesToHex(privateKey), TURNKEY_API_PUBLIC_KEY: bytesToHex(p256.getPublicKey(privateKey, true)) };
}

export const turnkeyCounterpart: Counterpart = {
  port: 8,
  label: "turnkey",
  needs: ["mailbox"],
  browserFacing: true,
  secrets: { names: ["TURNKEY_API_PRIVATE_KEY", "TURNKEY_API_PUBLIC_KEY"], generate: apiKeyPair },
  realServiceConfigured: (env) => Boolean(env.TURNKEY_API_URL),
  async start(ctx) {
    const turnkey = await startTurnkey({
      faultInjection: ctx.faultInjection,
      variant: ctx.variant,
      port: ctx.port,
      host: ctx.host,
      dataDir: ctx.dataDir,
      ...(ctx.publicUrl ? { publicUrl: ctx.publicUrl } : {}),
      parentOrganizationId: TURNKEY_ORGANIZATION_ID,
      parentApiPublicKey: secret(ctx, "TURNKEY_API_PUBLIC_KEY"),
      mail: mailViaMailbox(ctx, "Turnkey (local) <no-reply@turnkey.local>"),
      allowedOrigins: [ctx.appUrl],
    });
    try {
      // The counterpart signs with its own keys, not Turnkey's production ones; the app (and
      // @turnkey/crypto in the browser) must check against these instead.
      const response = await fetch(`${turnkey.url}/counterpart/v1/keys`);
      if (!response.ok) throw new Error(`counterparts: GET ${turnkey.url}/counterpart/v1/keys answered ${response.status}`);
      const keys = (await response.json()) as { notarizerPublicKey: string; otpSignerPublicKey: string };
      return {
        service: turnkey,
        sweep: (createdBefore) => turnkey.sweep(createdBefore),
        env: {
          TURNKEY_API_URL: ctx.publicUrl ?? turnkey.url,
          TURNKEY_ORGANIZATION_ID,
          TURNKEY_OTP_SIGNER_PUBLIC_KEY: keys.otpSignerPublicKey,
          TURNKEY_NOTARIZER_PUBLIC_KEY: keys.notarizerPublicKey,
          // The app's own API key: the counterpart knows only its public half.
          TURNKEY_API_PUBLIC_KEY: secret(ctx, "TURNKEY_API_PUBLIC_KEY"),
          TURNKEY_API_PRIVATE_KEY: secret(ctx, "TURNKEY_API_PRIVATE_KEY"),
        },
      };
    } catch (error) {
      await turnkey.close();
      throw error;
    }
  },
};

// Starts the local counterparts of outside services that the configuration leaves unset,
// and returns the environment that points the app at them. The app never imports this: it
// only ever sees base URLs and credentials.
//
//   npm run sandboxes   runs them alone (ports 3101-3108), for a `next dev` you start yourself.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { startAirKit } from "./airkit";
import { startAlchemy } from "./alchemy";
import { createVerifiedUser, EMULATOR_WEB_API_KEY, signInWithPassword, signUpWithPassword, startFirebaseAuthEmulator } from "./firebase";
import type { RunningService } from "./lib/http";
import { startMailbox } from "./mailbox";
import { SEEDED_USERS, startOidcProvider } from "./oidc";
import { startMoojo } from "./moojo";
import { startSupabaseAuth } from "./supabase";
import { startTurnkey } from "./turnkey";
import type { SandboxVariant } from "./lib/variant";

export interface SandboxOptions {
  /** Public origin of the app (its JWKS is registered with the AIR Kit counterpart). */
  appUrl: string;
  dataDir: string;
  host?: string;
  ports: { oidc: number; airkit: number; mailbox: number; firebase: number; supabase: number; moojo: number; alchemy: number; turnkey: number };
  secrets: { oidcClientSecret: string; mailApiKey: string; supabaseKey: string; moojoApiKey: string; alchemyApiKey: string; turnkeyApiPublicKey: string };
  /** Which counterparts to start; a provider the developer configured for real is skipped. */
  start: { oidc: boolean; airkit: boolean; mailbox: boolean; firebase: boolean; supabase: boolean; moojo: boolean; alchemy: boolean; turnkey: boolean };
  log?: (line: string) => void;
  /** Lets end-to-end tests take the wallet counterparts down (PUT /sandbox/v1/fault). Test stack only. */
  faultInjection?: boolean;
  /** Which legal shapes the wallet counterparts answer with (lib/variant.ts); "standard" by default. */
  variant?: SandboxVariant;
}

export interface RunningSandboxes {
  services: RunningService[];
  /** Variables for the app: exactly what a developer would set for the real services. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export const OIDC_CLIENT_ID = "byo-auth-demo";
export const AIRKIT_PARTNER_ID = "demo-partner";
export const FIREBASE_PROJECT_ID = "demo-byo-auth";
export const ALCHEMY_AUDIENCE = "byo-demo-project";
export const TURNKEY_ORGANIZATION_ID = "00000000-0000-4000-8000-00000000b10a";

/**
 * The OpenID Provider's demo users also exist in the Firebase Auth Emulator, with the same
 * email, password and verification state, so that explicit account linking (Link Firebase on
 * the dashboard) can be tried by hand. The app never links them by email: it does not trust the
 * emulator's word that an email is verified.
 */
async function seedFirebaseUsers(emulatorHost: string): Promise<void> {
  for (const user of SEEDED_USERS) {
    const credentials = { email: user.email, password: user.password };
    const exists = await signInWithPassword(emulatorHost, credentials).then(
      () => true,
      () => false,
    );
    if (exists) continue;
    if (user.email_verified) await createVerifiedUser(emulatorHost, FIREBASE_PROJECT_ID, credentials);
    else await signUpWithPassword(emulatorHost, credentials);
  }
}

export async function startSandboxes(o: SandboxOptions): Promise<RunningSandboxes> {
  const host = o.host ?? "127.0.0.1";
  const services: RunningService[] = [];
  const env: Record<string, string> = {};
  const log = o.log ?? (() => undefined);
  try {
    let mailApiUrl: string | undefined;
    if (o.start.mailbox || o.start.airkit || o.start.supabase || o.start.turnkey) {
      const mailbox = await startMailbox({ port: o.ports.mailbox, host, dataDir: join(o.dataDir, "mailbox"), apiKey: o.secrets.mailApiKey });
      services.push(mailbox);
      mailApiUrl = mailbox.url;
      env.DEMO_MAILBOX_URL = mailbox.url;
      if (o.start.mailbox) Object.assign(env, { MAIL_API_URL: mailbox.url, MAIL_API_KEY: o.secrets.mailApiKey });
      log(`mailbox          ${mailbox.url}`);
    }
    // The rest start side by side; the Firebase emulator alone takes ~12 s.
    const started = await Promise.allSettled([
      o.start.oidc &&
        startOidcProvider({
          variant: o.variant,
          port: o.ports.oidc,
          host,
          dataDir: join(o.dataDir, "oidc"),
          clients: [
            {
              clientId: OIDC_CLIENT_ID,
              clientSecret: o.secrets.oidcClientSecret,
              redirectUris: [`${o.appUrl}/api/auth/callback/oidc`],
              postLogoutRedirectUris: [`${o.appUrl}/signin`],
            },
          ],
        }).then((oidc) => {
          services.push(oidc);
          Object.assign(env, {
            AUTH_OIDC_ISSUER: oidc.url,
            AUTH_OIDC_ID: OIDC_CLIENT_ID,
            AUTH_OIDC_SECRET: o.secrets.oidcClientSecret,
            AUTH_OIDC_NAME: "Local OpenID Provider",
          });
          log(`openid provider  ${oidc.url}`);
        }),
      o.start.airkit &&
        startAirKit({
          faultInjection: o.faultInjection,
          variant: o.variant,
          port: o.ports.airkit,
          host,
          dataDir: join(o.dataDir, "airkit"),
          partners: [{ partnerId: AIRKIT_PARTNER_ID, jwksUrl: `${o.appUrl}/.well-known/jwks.json`, allowedOrigins: [o.appUrl] }],
          mail: { apiUrl: mailApiUrl!, apiKey: o.secrets.mailApiKey, from: "AIR Kit (local) <no-reply@air.local>" },
        }).then((airkit) => {
          services.push(airkit);
          Object.assign(env, { AIRKIT_PARTNER_ID, AIRKIT_API_URL: airkit.url });
          log(`air kit          ${airkit.url}`);
        }),
      o.start.turnkey &&
        startTurnkey({
          faultInjection: o.faultInjection,
          variant: o.variant,
          port: o.ports.turnkey,
          host,
          dataDir: join(o.dataDir, "turnkey"),
          parentOrganizationId: TURNKEY_ORGANIZATION_ID,
          parentApiPublicKey: o.secrets.turnkeyApiPublicKey,
          mail: { apiUrl: mailApiUrl!, apiKey: o.secrets.mailApiKey, from: "Turnkey (local) <no-reply@turnkey.local>" },
          allowedOrigins: [o.appUrl],
        }).then(async (turnkey) => {
          services.push(turnkey);
          // The counterpart signs with its own keys, not Turnkey's production ones; the app (and
          // @turnkey/crypto in the browser) must check against these instead.
          const keys = (await (await fetch(`${turnkey.url}/sandbox/v1/keys`)).json()) as { notarizerPublicKey: string; otpSignerPublicKey: string };
          Object.assign(env, {
            TURNKEY_API_URL: turnkey.url,
            TURNKEY_ORGANIZATION_ID,
            TURNKEY_OTP_SIGNER_PUBLIC_KEY: keys.otpSignerPublicKey,
            TURNKEY_NOTARIZER_PUBLIC_KEY: keys.notarizerPublicKey,
          });
          log(`turnkey          ${turnkey.url}`);
        }),
      o.start.alchemy &&
        startAlchemy({
          faultInjection: o.faultInjection,
          variant: o.variant,
          port: o.ports.alchemy,
          host,
          dataDir: join(o.dataDir, "alchemy"),
          apiKey: o.secrets.alchemyApiKey,
          audiences: [ALCHEMY_AUDIENCE],
          allowedOrigins: [o.appUrl],
          // Like the real service, trust only the registered issuer: the app itself.
          issuers: [o.appUrl],
        }).then((alchemy) => {
          services.push(alchemy);
          Object.assign(env, { ALCHEMY_API_URL: alchemy.url, ALCHEMY_API_KEY: o.secrets.alchemyApiKey, ALCHEMY_AUDIENCE });
          log(`alchemy          ${alchemy.url}`);
        }),
      o.start.supabase &&
        startSupabaseAuth({
          variant: o.variant,
          port: o.ports.supabase,
          host,
          dataDir: join(o.dataDir, "supabase"),
          anonKey: o.secrets.supabaseKey,
          mail: { apiUrl: mailApiUrl!, apiKey: o.secrets.mailApiKey, from: "Supabase Auth (local) <no-reply@supabase.local>" },
          allowedOrigins: [o.appUrl],
        }).then((supabase) => {
          services.push(supabase);
          Object.assign(env, { SUPABASE_URL: supabase.url, SUPABASE_PUBLISHABLE_KEY: o.secrets.supabaseKey });
          log(`supabase auth    ${supabase.url}`);
        }),
      o.start.firebase &&
        startFirebaseAuthEmulator({
          port: o.ports.firebase,
          host,
          projectId: FIREBASE_PROJECT_ID,
          dataDir: join(o.dataDir, "firebase"),
          log: (line) => log(`firebase: ${line}`),
        }).then(async (firebase) => {
          services.push(firebase);
          await seedFirebaseUsers(firebase.emulatorHost);
          Object.assign(env, {
            FIREBASE_PROJECT_ID,
            FIREBASE_API_KEY: EMULATOR_WEB_API_KEY,
            FIREBASE_AUTH_EMULATOR_HOST: firebase.emulatorHost,
          });
          log(`firebase auth    ${firebase.url} (emulator, ${(firebase.startupMs / 1000).toFixed(1)} s)`);
          // Moojo verifies Firebase ID tokens, so it trusts this emulator (demo-* project only).
          if (!o.start.moojo) return;
          const moojo = await startMoojo({
            faultInjection: o.faultInjection,
          variant: o.variant,
            port: o.ports.moojo,
            host,
            dataDir: join(o.dataDir, "moojo"),
            apiKey: o.secrets.moojoApiKey,
            firebase: { projectId: FIREBASE_PROJECT_ID, emulatorHost: firebase.emulatorHost },
          });
          services.push(moojo);
          Object.assign(env, { MOOJO_API_URL: moojo.url, MOOJO_API_KEY: o.secrets.moojoApiKey });
          log(`moojo            ${moojo.url}`);
        }),
    ]);
    const failed = started.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
  } catch (error) {
    await Promise.allSettled(services.map((s) => s.close()));
    throw error;
  }
  return {
    services,
    env,
    close: async () => {
      await Promise.allSettled(services.map((s) => s.close()));
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { runSandboxesAlone } = await import("../scripts/lib/stack");
  await runSandboxesAlone();
}

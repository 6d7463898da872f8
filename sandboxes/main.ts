// Starts the local counterparts of outside services that the configuration leaves unset,
// and returns the environment that points the app at them. The app never imports this: it
// only ever sees base URLs and credentials.
//
//   npm run sandboxes   runs them alone (ports 3101-3103), for a `next dev` you start yourself.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { startAirKit } from "./airkit";
import type { RunningService } from "./lib/http";
import { startMailbox } from "./mailbox";
import { startOidcProvider } from "./oidc";

export interface SandboxOptions {
  /** Public origin of the app (its JWKS is registered with the AIR Kit counterpart). */
  appUrl: string;
  dataDir: string;
  host?: string;
  ports: { oidc: number; airkit: number; mailbox: number };
  secrets: { oidcClientSecret: string; mailApiKey: string };
  /** Which counterparts to start; a provider the developer configured for real is skipped. */
  start: { oidc: boolean; airkit: boolean; mailbox: boolean };
  log?: (line: string) => void;
}

export interface RunningSandboxes {
  services: RunningService[];
  /** Variables for the app: exactly what a developer would set for the real services. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export const OIDC_CLIENT_ID = "byo-auth-demo";
export const AIRKIT_PARTNER_ID = "demo-partner";

export async function startSandboxes(o: SandboxOptions): Promise<RunningSandboxes> {
  const host = o.host ?? "127.0.0.1";
  const services: RunningService[] = [];
  const env: Record<string, string> = {};
  const log = o.log ?? (() => undefined);
  try {
    let mailApiUrl: string | undefined;
    if (o.start.mailbox || o.start.airkit) {
      const mailbox = await startMailbox({ port: o.ports.mailbox, host, dataDir: join(o.dataDir, "mailbox"), apiKey: o.secrets.mailApiKey });
      services.push(mailbox);
      mailApiUrl = mailbox.url;
      env.DEMO_MAILBOX_URL = mailbox.url;
      if (o.start.mailbox) Object.assign(env, { MAIL_API_URL: mailbox.url, MAIL_API_KEY: o.secrets.mailApiKey });
      log(`mailbox        ${mailbox.url}`);
    }
    if (o.start.oidc) {
      const oidc = await startOidcProvider({
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
      });
      services.push(oidc);
      Object.assign(env, {
        AUTH_OIDC_ISSUER: oidc.url,
        AUTH_OIDC_ID: OIDC_CLIENT_ID,
        AUTH_OIDC_SECRET: o.secrets.oidcClientSecret,
        AUTH_OIDC_NAME: "Local OpenID Provider",
      });
      log(`openid provider ${oidc.url}`);
    }
    if (o.start.airkit) {
      const airkit = await startAirKit({
        port: o.ports.airkit,
        host,
        dataDir: join(o.dataDir, "airkit"),
        partners: [{ partnerId: AIRKIT_PARTNER_ID, jwksUrl: `${o.appUrl}/.well-known/jwks.json`, allowedOrigins: [o.appUrl] }],
        mail: { apiUrl: mailApiUrl!, apiKey: o.secrets.mailApiKey, from: "AIR Kit (local) <no-reply@air.local>" },
      });
      services.push(airkit);
      Object.assign(env, { AIRKIT_PARTNER_ID, AIRKIT_API_URL: airkit.url, AIRKIT_TOKEN_ISSUER: airkit.url });
      log(`air kit        ${airkit.url}`);
    }
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

// The local OpenID Provider's descriptor (see ../lib/counterpart.ts).
import { randomBytes } from "node:crypto";
import { secret, type Counterpart } from "../lib/counterpart";
import { publicDemoAccounts } from "../lib/demo-users";
import { startOidcProvider } from "./index";

export const OIDC_CLIENT_ID = "byo-auth-demo";

export const oidcCounterpart: Counterpart = {
  port: 1,
  label: "openid provider",
  browserFacing: true,
  secrets: { names: ["OIDC_CLIENT_SECRET"], generate: () => ({ OIDC_CLIENT_SECRET: randomBytes(24).toString("base64url") }) },
  realServiceConfigured: (env) => Boolean(env.AUTH_OIDC_ISSUER),
  async start(ctx) {
    const clientSecret = secret(ctx, "OIDC_CLIENT_SECRET");
    const oidc = await startOidcProvider({
      variant: ctx.variant,
      port: ctx.port,
      // Behind the demo's front proxy the issuer is the public origin, and X-Forwarded-Proto
      // (set by that proxy, never by the client) tells it when cookies must be Secure.
      ...(ctx.publicUrl ? { issuer: ctx.publicUrl, behindProxy: true } : {}),
      host: ctx.host,
      dataDir: ctx.dataDir,
      clients: [
        {
          clientId: OIDC_CLIENT_ID,
          clientSecret,
          redirectUris: [`${ctx.appUrl}/api/auth/callback/oidc`],
          postLogoutRedirectUris: [`${ctx.appUrl}/signin`],
        },
      ],
    });
    return {
      service: oidc,
      sweep: (createdBefore) => oidc.sweep(createdBefore),
      // The app's "oidc" identity provider signs in here; the login page lists the same people.
      demoAccounts: { signInMethod: "oidc", accounts: publicDemoAccounts() },
      env: {
        AUTH_OIDC_ISSUER: oidc.url,
        AUTH_OIDC_ID: OIDC_CLIENT_ID,
        AUTH_OIDC_SECRET: clientSecret,
        AUTH_OIDC_NAME: "Local OpenID Provider",
      },
    };
  },
};

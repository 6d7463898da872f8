/**
 * Local OpenID Provider: the offline, loopback counterpart of Auth0 / Okta / Keycloak.
 *
 * A real OpenID Connect OP (oidc-provider 9) served over plain HTTP on 127.0.0.1, with its own
 * login page, seeded users (./users.ts), persisted signing keys, PKCE (S256) required for
 * every authorization request, and RP-initiated logout. The app's Auth.js generic OIDC
 * provider logs in against it exactly as it would against a hosted IdP:
 *
 *   const op = await startOidcProvider({ port: 0, dataDir, clients: [{ clientId, clientSecret,
 *     redirectUris: ["http://localhost:3000/api/auth/callback/oidc"] }] });
 *   // issuer = op.url (no trailing slash), discovery at `${op.url}/.well-known/openid-configuration`
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { debuglog } from "node:util";
import type { Account, Configuration, KoaContextWithOIDC, Provider } from "oidc-provider";
import { z } from "zod";
import { createCredentialStore } from "./accounts";
import { OIDC_MIGRATIONS, createAdapterFactory } from "./adapter";
import type { SweepResult } from "../lib/counterpart";
import { openDatabase } from "../lib/db";
import { createInteractionHandler } from "./interactions";
import { loadOrCreateKeys } from "./keys";
import type { CounterpartVariant } from "../lib/variant";
import { SEEDED_USERS, publicClaims, sparseClaims } from "./users";
import { HTML_SECURITY_HEADERS, errorPage, loggedOutPage, logoutPage } from "./views";

export { SEEDED_USERS, type SeededUser } from "./users";
export { PROVIDER_TITLE, WRONG_CREDENTIALS } from "./views";

export interface OidcClientConfig {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
}

export interface StartOidcProviderOptions {
  port: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Where signing keys and cookie keys are persisted (created if missing). */
  dataDir: string;
  /** Issuer identifier; default `http://<host>:<actual port>`. */
  issuer?: string;
  /**
   * True only behind a proxy that sets X-Forwarded-Proto/-Host itself and drops clients' copies
   * (the demo's front proxy): cookies are then Secure when the public URL is https.
   */
  behindProxy?: boolean;
  clients: OidcClientConfig[];
  /**
   * "standard": scope-granted claims (email, name, ...) in the ID token too, as Auth0 does.
   * "sparse": what OpenID Connect Core §5.4 strictly promises and no more: with the code flow an
   * access token is issued, so scope claims come from the UserInfo endpoint only and the ID
   * token carries just `sub` and the protocol claims; the profile scope's claims are left out
   * (a provider may withhold them) and UserInfo adds a claim no client knows.
   * https://openid.net/specs/openid-connect-core-1_0.html#ScopeClaims
   */
  variant?: CounterpartVariant;
}

export interface RunningOidcProvider {
  name: string;
  /** The issuer identifier (also the base URL of every endpoint). */
  url: string;
  /** Retention: sessions, grants and tokens created before the cutoff go (./adapter.ts). */
  sweep(createdBefore: Date): Promise<SweepResult>;
  close(): Promise<void>;
}

const debug = debuglog("oidc");

const optionsSchema = z.object({
  port: z.number().int().min(0).max(65_535),
  host: z.string().min(1).optional(),
  dataDir: z.string().min(1),
  issuer: z
    .url({ protocol: /^https?$/ })
    .refine((v) => {
      const u = new URL(v);
      return (u.pathname === "/" || u.pathname === "") && !u.search && !u.hash && !v.endsWith("?") && !v.endsWith("#");
    }, "issuer must be an origin (no path, query or fragment): interaction routes are served from the root")
    .optional(),
  clients: z
    .array(
      z.object({
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        redirectUris: z.array(z.url()).min(1),
        postLogoutRedirectUris: z.array(z.url()).optional(),
      }),
    )
    .min(1),
  variant: z.enum(["standard", "sparse"]).optional(),
  behindProxy: z.boolean().optional(),
});

let providerModule: Promise<typeof import("oidc-provider")> | undefined;

/**
 * oidc-provider 9 prints "Unsupported runtime. Use Node.js v22.x LTS" at import time on Node 20
 * (this repo supports Node >= 20.19, and oidc-provider works there). That one line is routed to
 * `NODE_DEBUG=oidc` instead of every dev/test run's stderr; all other warnings pass through.
 * Imported lazily (and only once) so the filter can be in place while the module evaluates.
 */
function loadOidcProvider(): Promise<typeof import("oidc-provider")> {
  providerModule ??= (async () => {
    const original = console.warn;
    console.warn = (...args: unknown[]) => {
      const first = args[0];
      if (typeof first === "string" && first.includes("oidc-provider WARNING: Unsupported runtime")) {
        debug("%s (Node %s)", first, process.version);
        return;
      }
      original.apply(console, args);
    };
    try {
      return await import("oidc-provider");
    } finally {
      console.warn = original;
    }
  })();
  return providerModule;
}

function formatHostForUrl(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

function setHtml(ctx: KoaContextWithOIDC, html: string): void {
  for (const [name, value] of Object.entries(HTML_SECURITY_HEADERS)) ctx.set(name, value);
  ctx.type = "html";
  ctx.body = html;
}

function clientLabel(ctx: KoaContextWithOIDC): string | undefined {
  const client = ctx.oidc.client;
  return client ? (client.clientName ?? client.clientId) : undefined;
}

export async function startOidcProvider(opts: StartOidcProviderOptions): Promise<RunningOidcProvider> {
  const options = optionsSchema.parse(opts);
  const host = options.host ?? "127.0.0.1";

  const [{ Provider: ProviderClass }, keys, credentials] = await Promise.all([
    loadOidcProvider(),
    loadOrCreateKeys(options.dataDir),
    createCredentialStore(SEEDED_USERS),
  ]);
  // Sessions, grants and tokens survive a restart on the same data dir (./adapter.ts).
  const db = await openDatabase(options.dataDir, OIDC_MIGRATIONS);
  const store = createAdapterFactory(db);

  // The issuer depends on the real port (port 0), so listen first and install the provider's
  // request handler right after; anything arriving in between gets a 503.
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (handle) {
      handle(req, res);
    } else {
      res.statusCode = 503;
      res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => {
      server.off("error", reject);
      resolve();
    });
  }).catch(async (error: unknown) => {
    await db.close().catch(() => undefined);
    throw error;
  });

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    }).finally(() => db.close());
    return closing;
  };

  try {
    const { port } = server.address() as AddressInfo;
    const issuer = options.issuer ?? `http://${formatHostForUrl(host)}:${port}`;
    const sparse = options.variant === "sparse";

    const configuration: Configuration = {
      adapter: (model: string) => store.adapter(model),
      clients: options.clients.map((c) => ({
        client_id: c.clientId,
        client_secret: c.clientSecret,
        redirect_uris: c.redirectUris,
        post_logout_redirect_uris: c.postLogoutRedirectUris ?? [],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        // Registered as client_secret_basic; oidc-provider accepts client_secret_post for
        // such clients too, so the RP may use either (Auth.js defaults to basic).
        token_endpoint_auth_method: "client_secret_basic",
        id_token_signed_response_alg: "RS256",
      })),
      // Browser-side (CORS) calls are only allowed from the client's own redirect origins.
      clientBasedCORS: (_ctx, origin, client) =>
        (client.redirectUris ?? []).some((uri) => URL.canParse(uri) && new URL(uri).origin === origin),
      // Authorization-code flow only (with PKCE), like a modern Auth0/Okta tenant.
      responseTypes: ["code"],
      clientAuthMethods: ["client_secret_basic", "client_secret_post"],
      scopes: ["openid", "email", "profile"],
      claims: {
        openid: sparse ? ["sub", "https://example.com/claims/unknown"] : ["sub"],
        email: ["email", "email_verified"],
        profile: ["name", "given_name", "family_name"],
      },
      // Standard: scope-granted claims (email, name, ...) in the ID token as well, the way Auth0
      // does. Sparse: only where the spec promises them, the UserInfo endpoint (see `variant`).
      conformIdTokenClaims: sparse,
      cookies: {
        // Prefixed names: cookies are not port-isolated, so generic names like `_session`
        // could collide with other loopback services on the same host.
        names: { session: "op_session", interaction: "op_interaction", resume: "op_interaction_resume" },
        // Over plain http://127.0.0.1 these cookies are NOT `Secure` (oidc-provider only sets
        // Secure when Koa sees an https request, and `proxy` is off so X-Forwarded-Proto is
        // ignored). Fine on loopback; behind the demo's front proxy (`behindProxy`) an https
        // public URL makes them Secure.
        long: { httpOnly: true, sameSite: "lax" },
        short: { httpOnly: true, sameSite: "lax" },
        keys: keys.cookieKeys,
      },
      enabledJWA: { idTokenSigningAlgValues: ["RS256", "ES256"] },
      features: {
        devInteractions: { enabled: false },
        rpInitiatedLogout: {
          enabled: true,
          logoutSource: (ctx: KoaContextWithOIDC, form: string) => setHtml(ctx, logoutPage(form, clientLabel(ctx))),
          postLogoutSuccessSource: (ctx: KoaContextWithOIDC) => setHtml(ctx, loggedOutPage(clientLabel(ctx))),
        },
      },
      findAccount: async (_ctx, sub): Promise<Account | undefined> => {
        const user = credentials.findBySub(sub);
        if (!user) return undefined;
        return { accountId: user.sub, claims: () => (sparse ? sparseClaims(user) : { ...publicClaims(user) }) };
      },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      jwks: { keys: keys.jwks.keys },
      pkce: { required: () => true },
      renderError: (ctx, out) => {
        // Only the OAuth error code and its public description; never stacks or internals.
        setHtml(ctx, errorPage(out.error, out.error_description));
      },
      ttl: {
        AccessToken: 60 * 60,
        AuthorizationCode: 60,
        IdToken: 60 * 60,
        Grant: 24 * 60 * 60,
        Session: 24 * 60 * 60,
        Interaction: 10 * 60,
        RefreshToken: 24 * 60 * 60,
      },
    };

    const provider: Provider = new ProviderClass(issuer, configuration);
    // Plain http on loopback: do not trust X-Forwarded-* headers.
    provider.proxy = options.behindProxy === true;
    provider.on("server_error", (_ctx, err) => console.error("[oidc] server_error:", err));

    const interactions = createInteractionHandler({ provider, issuer, credentials, demoUsers: SEEDED_USERS });
    const callback = provider.callback();
    handle = (req, res) => {
      const pathname = (req.url ?? "/").split("?", 1)[0] ?? "/";
      if (pathname.startsWith("/interaction/")) {
        void interactions(req, res, pathname);
      } else {
        callback(req, res);
      }
    };

    return { name: "oidc", url: issuer, sweep: (createdBefore) => store.sweep(createdBefore), close };
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
}

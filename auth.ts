// The one Auth.js facade: `handlers` for the route, `auth` to read the session, `signIn` and
// `signOut` for server actions. Everything else reads the session through lib/identity.
import "server-only";
import { headers } from "next/headers";
import NextAuth from "next-auth";
import { getConfig } from "@/lib/config";
import { configuredIdentityProviders, getIdentityProvider } from "@/providers/identity/registry";
import { sessionEndsAt, sessionIsLive } from "@/lib/identity/session-token";
import { getStore } from "@/lib/store";

export const { handlers, auth, signIn, signOut } = NextAuth(async () => {
  const config = await getConfig();
  return {
    secret: config.env.AUTH_SECRET,
    providers: configuredIdentityProviders(config).map((p) => p.authjs(config)),
    // JWT sessions: an encrypted (JWE), HttpOnly, SameSite=Lax cookie; Secure and
    // `__Secure-` prefixed whenever AUTH_URL is https.
    session: { strategy: "jwt", maxAge: config.env.AUTH_SESSION_MAX_AGE },
    pages: { signIn: "/signin", error: "/signin" },
    logger: {
      // A wrong password is an expected outcome with its own error code, not a server error.
      error(error) {
        // Auth.js errors carry their kind in `type`; `name` is minified in production builds.
        const kind = (error as Error & { type?: string }).type ?? error.name;
        if (kind === "CredentialsSignin") return;
        if (kind === "JWTSessionError") {
          // An expired or foreign session cookie: the person is simply signed out.
          console.warn("[auth] ignored a session cookie that is expired or was not issued with this AUTH_SECRET");
          return;
        }
        // The kind and message only: causes can carry token payloads (emails, subjects).
        console.error(`[auth][error] ${kind}: ${error.message}`);
      },
    },
    callbacks: {
      async jwt({ token, account, profile, user }) {
        if (!account) {
          // The lifetime counts from sign-in, whatever the renewed `exp` says (session-token.ts);
          // getIdentity() applies the same rule to the cookie it reads itself.
          return sessionIsLive(token, config.env.AUTH_SESSION_MAX_AGE) ? token : null;
        }
        // Sign-in: normalise what the provider proved, then tie it to an app user. The
        // app user id, not the provider's subject, is what every partner token carries.
        const provider = getIdentityProvider(account.provider);
        if (!provider) throw new Error(`Unknown identity provider ${account.provider}`);
        const verified = provider.toVerifiedIdentity({ account, profile, user });
        const store = await getStore();
        const { user: appUser } = await store.linkIdentity(verified);
        token.sub = appUser.id;
        token.signedInAt = Math.floor(Date.now() / 1000);
        // The server-side record that makes the session revocable on every instance at once.
        token.sid = (
          await store.createSession({
            userId: appUser.id,
            userAgent: await requestUserAgent(),
            expiresAt: new Date((token.signedInAt + config.env.AUTH_SESSION_MAX_AGE) * 1000),
          })
        ).id;
        // For RP-initiated logout (lib/identity/sign-out.ts). Never copied into the session
        // object, which the browser can read at /api/auth/session.
        if (provider.signIn === "redirect" && typeof account.id_token === "string") token.idToken = account.id_token;
        token.identity = {
          provider: verified.provider,
          subject: verified.subject,
          email: verified.email,
          emailVerified: verified.emailVerified,
          name: verified.name,
          userId: appUser.id,
        };
        // Auth.js copies these defaults into the token; the identity above replaces them.
        delete token.email;
        delete token.name;
        delete token.picture;
        return token;
      },
      session({ session, token }) {
        if (token.identity) session.identity = token.identity;
        if (typeof token.signedInAt === "number") session.expiresAt = sessionEndsAt(token, config.env.AUTH_SESSION_MAX_AGE) * 1000;
        return session;
      },
    },
    events: {
      async signOut(message) {
        // Ending the app session ends every wallet session the server knows about, even if
        // the browser never got to tell the wallet provider.
        const token = "token" in message ? message.token : null;
        const userId = token?.identity?.userId;
        const store = await getStore();
        // Revoked in the database, so every instance refuses this cookie from now on.
        if (typeof token?.sid === "string") await store.revokeSession(token.sid);
        if (userId) await store.deleteWalletConnections(userId);
      },
    },
  };
});

/** The sign-in request's User-Agent, for the sessions list; null where there is no request scope. */
async function requestUserAgent(): Promise<string | null> {
  try {
    return (await headers()).get("user-agent");
  } catch {
    return null;
  }
}

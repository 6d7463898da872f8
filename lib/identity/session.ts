import "server-only";
import type { JWT } from "@auth/core/jwt";
import { cookies } from "next/headers";
import { getConfig } from "@/lib/config";
import { errors } from "@/lib/http/errors";
import { getStore, type User } from "@/lib/store";
import { decodeSessionToken, sessionCookieName, sessionEndsAt, sessionIsLive, sessionTokenFromCookies } from "./session-token";
import type { Identity } from "./types";

/** The session's identity, its record's id, and the app user it belongs to as this request read it. */
export type SessionIdentity = Identity & { sessionExpiresAt: number | null; sessionId: string; user: User };

/**
 * The request's live session token, or null: decrypted and checked on every call, as Auth.js's
 * `auth()` would, minus the re-encrypted cookie that `auth()` computes and then drops when
 * called from a route handler or a Server Component (./session-token.ts explains).
 */
async function readSessionToken(): Promise<JWT | null> {
  const config = await getConfig();
  const name = sessionCookieName(config.appUrl);
  const token = sessionTokenFromCookies((await cookies()).getAll(), name);
  if (!token) return null;
  let payload: JWT;
  try {
    payload = await decodeSessionToken(token, config.env.AUTH_SECRET, name);
  } catch {
    // As auth.ts's logger says for the same case: the person is simply signed out.
    console.warn("[auth] ignored a session cookie that is expired or was not issued with this AUTH_SECRET");
    return null;
  }
  return sessionIsLive(payload, config.env.AUTH_SESSION_MAX_AGE) ? payload : null;
}

/**
 * The signed-in user's identity from the server-side session, or null. The cookie alone is not
 * enough: its session record must be live (not signed out here or on any other instance, not
 * revoked by "sign out everywhere else", its user not deleted). One primary-key lookup joined
 * to the user, on every call and never cached, so a revoked session is refused by the very
 * next request on every instance. A cookie from before session records (no sid) is signed out.
 */
export async function getIdentity(): Promise<SessionIdentity | null> {
  const [config, token] = await Promise.all([getConfig(), readSessionToken()]);
  if (!token?.identity || typeof token.sid !== "string") return null;
  const live = await (await getStore()).getActiveSession(token.sid, token.identity.userId);
  if (!live) return null;
  return {
    ...token.identity,
    sessionExpiresAt: sessionEndsAt(token, config.env.AUTH_SESSION_MAX_AGE) * 1000,
    sessionId: token.sid,
    user: live.user,
  };
}

/** As getIdentity, for route handlers: no session is a 401. */
export async function requireIdentity(): Promise<SessionIdentity> {
  const identity = await getIdentity();
  if (!identity) throw errors.unauthenticated();
  return identity;
}

import "server-only";
import { auth } from "@/auth";
import { errors } from "@/lib/http/errors";
import { getStore } from "@/lib/store";
import type { Identity } from "./types";

export type SessionIdentity = Identity & { sessionExpiresAt: number | null; sessionId: string };

/**
 * The signed-in user's identity from the server-side session, or null. The cookie alone is not
 * enough: its session record must be live (not signed out here or on any other instance, not
 * revoked by "sign out everywhere else", its user not deleted). One primary-key lookup joined
 * to the user, on every call and never cached, so a revoked session is refused by the very
 * next request on every instance. A cookie from before session records (no sid) is signed out.
 */
export async function getIdentity(): Promise<SessionIdentity | null> {
  const session = await auth();
  if (!session?.identity || !session.sid) return null;
  const live = await (await getStore()).getActiveSession(session.sid, session.identity.userId);
  if (!live) return null;
  return { ...session.identity, sessionExpiresAt: session.expiresAt ?? null, sessionId: session.sid };
}

/** As getIdentity, for route handlers: no session is a 401. */
export async function requireIdentity(): Promise<SessionIdentity> {
  const identity = await getIdentity();
  if (!identity) throw errors.unauthenticated();
  return identity;
}

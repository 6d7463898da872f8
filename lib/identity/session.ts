import "server-only";
import { auth } from "@/auth";
import { errors } from "@/lib/http/errors";
import { getStore } from "@/lib/store";
import type { Identity } from "./types";

export type SessionIdentity = Identity & { sessionExpiresAt: number | null };

/**
 * The signed-in user's identity from the server-side session, or null. A session whose user
 * no longer exists (deleted, or the database was reset) counts as signed out.
 */
export async function getIdentity(): Promise<SessionIdentity | null> {
  const session = await auth();
  if (!session?.identity) return null;
  const user = await (await getStore()).getUser(session.identity.userId);
  if (!user) return null;
  return { ...session.identity, sessionExpiresAt: session.expiresAt ?? null };
}

/** As getIdentity, for route handlers: no session is a 401. */
export async function requireIdentity(): Promise<SessionIdentity> {
  const identity = await getIdentity();
  if (!identity) throw errors.unauthenticated();
  return identity;
}

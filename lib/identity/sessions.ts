import "server-only";
import { getStore } from "@/lib/store";
import { describeDevice } from "./device";
import type { SessionIdentity } from "./session";

export interface SessionView {
  device: string;
  startedAt: string;
  lastSeenAt: string;
  current: boolean;
}

/** The signed-in user's live sessions, this one first, as the dashboard shows them (no ids). */
export async function listMySessions(identity: SessionIdentity): Promise<SessionView[]> {
  const sessions = await (await getStore()).listSessions(identity.userId);
  return sessions
    .map((s) => ({
      device: describeDevice(s.userAgent),
      startedAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      current: s.id === identity.sessionId,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current));
}

/** "Sign out everywhere else": ends every other live session of the user, on every instance at once. */
export async function signOutOtherSessions(identity: SessionIdentity): Promise<{ ended: number }> {
  return { ended: await (await getStore()).revokeOtherSessions(identity.userId, identity.sessionId) };
}

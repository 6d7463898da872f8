// Browser helper for the app's own JSON API: errors come back as { error: { code, message } }.

/**
 * Dispatched on `window` when the app's server answers 401 `unauthenticated`: the app session
 * ended (expired, signed out elsewhere, revoked). <SessionBoundary> turns the whole dashboard
 * into one "Sign in again" state, so no card goes on claiming a live connection.
 */
export const SESSION_ENDED_EVENT = "app:session-ended";

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export async function postJson<T>(path: string, body: unknown = {}, method = "POST"): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: { "content-type": "application/json" },
      body: method === "DELETE" ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError("network", "The app's server could not be reached. Check your connection and try again.", 0);
  }
  if (response.status === 204) return undefined as T;
  const json = (await response.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
  if (!response.ok) {
    if (response.status === 401 && json?.error?.code === "unauthenticated") window.dispatchEvent(new Event(SESSION_ENDED_EVENT));
    throw new ApiError(json?.error?.code ?? "http_error", json?.error?.message ?? `Request failed (${response.status}).`, response.status);
  }
  return json as T;
}

import "server-only";
// The Moojo ID calls the app makes, exactly as documented, and nothing else:
// - POST /user/authenticate                 x-api-key                      (Authenticate with JWT)
// - POST /user/vault/list-credentials       x-api-key + Bearer user token  (Retrieve user credentials)
// - POST /define-credential                 x-api-key                      (Define & add new credentials)
// - POST /user/add-credential               x-api-key                      (Define & add new credentials)
// https://docs.moojo.id/authentication/authenticate-with-jwt
// https://docs.moojo.id/user-credentials/retrieve-user-credentials
// https://docs.moojo.id/user-credentials/define-and-add-new-credentials
// Upstream text never reaches the user: failures become AppErrors with our own messages.
import type { z } from "zod";
import { AppError } from "@/lib/http/errors";
import { DEMO_CREDENTIAL_DEFINITION } from "./demo-credential";
import {
  addCredentialRequest,
  authenticateResponse,
  defineCredentialRequest,
  listCredentialsResponse,
  writeResponse,
  type MoojoCredential,
} from "./schema";

export interface MoojoSettings {
  apiUrl: string;
  apiKey: string;
}

interface Answer {
  status: number;
  body: unknown;
}

async function post(settings: MoojoSettings, path: string, body: unknown, bearer?: string): Promise<Answer> {
  let response: Response;
  try {
    response = await fetch(`${settings.apiUrl}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-api-key": settings.apiKey,
        ...(bearer !== undefined ? { authorization: `Bearer ${bearer}` } : {}),
      },
      // "Leave the body empty" (list-credentials) is an empty body, not `{}`.
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(8000),
    });
  } catch {
    throw new AppError("upstream_unavailable", 502, "Moojo did not answer. Check that it is running and try again.");
  }
  return { status: response.status, body: await response.json().catch(() => null) };
}

function parsed<S extends z.ZodType>(schema: S, answer: Answer, path: string): z.output<S> {
  const result = schema.safeParse(answer.body);
  if (!result.success) {
    console.error(`[moojo] ${path}: unexpected answer format`);
    throw new AppError("upstream_invalid", 502, "Moojo answered in an unexpected format.");
  }
  return result.data;
}

function failed(answer: Answer, path: string, failure: string): AppError {
  console.error(`[moojo] ${path} answered ${answer.status}`);
  if (answer.status === 403 || (answer.status === 401 && path !== "/user/vault/list-credentials")) {
    return new AppError("wallet_refused", 502, "Moojo refused the request. Sign out and in again; if it persists, check MOOJO_API_KEY.");
  }
  return new AppError("upstream_unavailable", 502, failure);
}

/** Exchanges a (verified) Firebase ID token for Moojo's user token and the user's identity. */
export async function authenticate(settings: MoojoSettings, firebaseIdToken: string) {
  const answer = await post(settings, "/user/authenticate", { idType: "firebaseJwt", id: firebaseIdToken });
  if (answer.status === 401 || answer.status === 403) {
    console.error(`[moojo] refused: ${answer.status}`);
    throw new AppError("wallet_refused", 502, "Moojo refused the sign-in. Sign out and in again; if it persists, check MOOJO_API_KEY.");
  }
  if (answer.status !== 200) throw failed(answer, "/user/authenticate", "Moojo could not complete the sign-in. Try again in a moment.");
  return parsed(authenticateResponse, answer, "/user/authenticate").data;
}

/** Thrown when Moojo no longer accepts the user token (expired after 2 hours, or revoked). */
export class MoojoSessionExpired extends AppError {
  constructor() {
    super(
      "moojo_session_expired",
      409,
      "Your Moojo session has expired (Moojo's user tokens last 2 hours). Reconnect Moojo and try again.",
    );
  }
}

/** The user's credentials this app issued. Also the proof that a fresh user token works. */
export async function listCredentials(settings: MoojoSettings, userToken: string): Promise<MoojoCredential[]> {
  const path = "/user/vault/list-credentials";
  const answer = await post(settings, path, undefined, userToken);
  if (answer.status === 401) throw new MoojoSessionExpired();
  if (answer.status !== 200) throw failed(answer, path, "Moojo could not list your credentials. Try again in a moment.");
  return parsed(listCredentialsResponse, answer, path).data.credentials;
}

// "Once per app": the app defines its credential lazily, before the first add, and at most once
// per server process once Moojo has confirmed it (concurrent first issues share one request).
// Definitions are permanent at Moojo, so another process, or a restart, defining the same slug
// again must not break, and the docs do not show what Moojo answers then. So: 200/201 and 409
// Conflict mean "defined"; any other 4xx (but 401/403, a key problem) means "unconfirmed" and
// the add goes ahead, since its success proves the slug exists and its failure is reported.
// See docs/going-live/moojo.md.
const confirmed = new Set<string>();
const defining = new Map<string, Promise<void>>();
const definitionKey = (settings: MoojoSettings, slug: string) => `${settings.apiUrl}\u0000${slug}`;

export function ensureDemoCredentialDefined(settings: MoojoSettings): Promise<void> {
  const key = definitionKey(settings, DEMO_CREDENTIAL_DEFINITION.slug);
  if (confirmed.has(key)) return Promise.resolve();
  let pending = defining.get(key);
  if (!pending) {
    pending = (async () => {
      const path = "/define-credential";
      const answer = await post(settings, path, defineCredentialRequest.parse(DEMO_CREDENTIAL_DEFINITION));
      if (answer.status === 200 || answer.status === 201) {
        parsed(writeResponse, answer, path);
        confirmed.add(key);
      } else if (answer.status === 409) {
        confirmed.add(key);
      } else if (answer.status >= 400 && answer.status < 500 && answer.status !== 401 && answer.status !== 403) {
        console.error(`[moojo] ${path} answered ${answer.status}; the add will tell whether the slug is defined`);
      } else {
        throw failed(answer, path, "Moojo could not define the demo credential. Try again in a moment.");
      }
    })().finally(() => defining.delete(key));
    defining.set(key, pending);
  }
  return pending;
}

/** Adds a credential to a Moojo user. */
export async function addCredential(settings: MoojoSettings, body: z.input<typeof addCredentialRequest>): Promise<void> {
  const path = "/user/add-credential";
  const request = addCredentialRequest.parse(body);
  const key = definitionKey(settings, request.slug);
  const answer = await post(settings, path, request);
  if (answer.status !== 200 && answer.status !== 201) {
    // Perhaps the definition is missing or differs: define again next time rather than trust the memo.
    confirmed.delete(key);
    throw failed(answer, path, "Moojo could not add the credential. Try again in a moment.");
  }
  parsed(writeResponse, answer, path);
  confirmed.add(key);
}

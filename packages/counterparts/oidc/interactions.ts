import type { IncomingMessage, ServerResponse } from "node:http";
import type { Grant, Interaction, Provider } from "oidc-provider";
import { z } from "zod";
import type { CredentialStore } from "./accounts";
import type { SeededUser } from "./users";
import { HTML_SECURITY_HEADERS, WRONG_CREDENTIALS, errorPage, loginPage, type DemoUserHint } from "./views";

/**
 * Our own interaction endpoints (login page), replacing oidc-provider's devInteractions:
 *
 *   GET  /interaction/:uid         login form (or silent first-party consent, see below)
 *   POST /interaction/:uid/login   verify credentials, finish the interaction with a Grant
 *   POST /interaction/:uid/abort   finish with access_denied (RP receives ?error=access_denied)
 *
 * CSRF: oidc-provider binds each interaction to the browser with a signed, path-scoped
 * `op_interaction` cookie, and `interactionDetails` resolves the interaction from that cookie
 * (we additionally require it to match the uid in the URL). On top of that, POSTs whose
 * Origin header is present and differs from the issuer origin are rejected.
 */

/** Scopes granted to the first-party clients without a consent screen. */
export const FIRST_PARTY_SCOPE = "openid email profile";

const ROUTE = /^\/interaction\/([A-Za-z0-9_-]{1,128})(?:\/(login|abort))?\/?$/;
const MAX_BODY_BYTES = 16 * 1024;

const loginForm = z.object({
  email: z.string().max(320),
  password: z.string().max(1024),
});

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

export interface InteractionDeps {
  provider: Provider;
  issuer: string;
  credentials: CredentialStore;
  demoUsers: readonly SeededUser[];
}

function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.statusCode = status;
  for (const [name, value] of Object.entries({ ...HTML_SECURITY_HEADERS, ...headers })) res.setHeader(name, value);
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(html));
  res.end(html);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    throw new HttpError(415, "unsupported_media_type", "Expected an HTML form submission.");
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, "payload_too_large", "The form submission is too large.");
    chunks.push(buf);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

function isSessionNotFound(err: unknown): boolean {
  return err instanceof Error && err.name === "SessionNotFound";
}

export function createInteractionHandler(deps: InteractionDeps) {
  const { provider, credentials } = deps;
  const issuerOrigin = new URL(deps.issuer).origin;
  const demoUsers: DemoUserHint[] = deps.demoUsers.map((u) => ({
    email: u.email,
    password: u.password,
    emailVerified: u.email_verified,
  }));

  async function loadInteraction(req: IncomingMessage, res: ServerResponse, uid: string): Promise<Interaction> {
    let details: Interaction;
    try {
      details = await provider.interactionDetails(req, res);
    } catch (err) {
      if (isSessionNotFound(err)) {
        throw new HttpError(400, "interaction_expired", "This sign-in attempt expired or its cookie is missing (cookies must be enabled).");
      }
      throw err;
    }
    if (details.uid !== uid) {
      throw new HttpError(400, "interaction_mismatch", "This sign-in page does not belong to the current sign-in attempt.");
    }
    return details;
  }

  async function clientLabel(details: Interaction): Promise<string> {
    const clientId = String(details.params.client_id ?? "");
    const client = clientId ? await provider.Client.find(clientId) : undefined;
    return client?.clientName ?? (clientId || "the application");
  }

  /** Existing grant for this account/client, or a new one. */
  async function grantFor(details: Interaction, accountId: string): Promise<Grant> {
    const clientId = String(details.params.client_id);
    const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
    if (existing && existing.accountId === accountId && existing.clientId === clientId) return existing;
    return new provider.Grant({ accountId, clientId });
  }

  function assertSameOrigin(req: IncomingMessage): void {
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== issuerOrigin) {
      throw new HttpError(403, "invalid_origin", "Cross-origin form submissions are not accepted.");
    }
  }

  async function renderLogin(res: ServerResponse, details: Interaction, status: number, email?: string, error?: string) {
    sendHtml(res, status, loginPage({ uid: details.uid, clientLabel: await clientLabel(details), email, error, demoUsers }));
  }

  async function show(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    const details = await loadInteraction(req, res, uid);
    if (details.prompt.name === "login") {
      const hint = typeof details.params.login_hint === "string" ? details.params.login_hint : undefined;
      await renderLogin(res, details, 200, hint);
      return;
    }
    if (details.prompt.name === "consent") {
      // First-party clients: no consent screen. Grant exactly what oidc-provider reports as
      // missing (the user is already authenticated in this browser session).
      const accountId = details.session?.accountId;
      if (!accountId) throw new HttpError(400, "login_required", "No signed-in user for this request.");
      const grant = await grantFor(details, accountId);
      const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = details.prompt.details;
      grant.addOIDCScope(FIRST_PARTY_SCOPE);
      if (Array.isArray(missingOIDCScope)) grant.addOIDCScope(missingOIDCScope.map(String));
      if (Array.isArray(missingOIDCClaims)) grant.addOIDCClaims(missingOIDCClaims.map(String));
      if (missingResourceScopes && typeof missingResourceScopes === "object") {
        for (const [resource, scopes] of Object.entries(missingResourceScopes)) {
          if (Array.isArray(scopes)) grant.addResourceScope(resource, scopes.map(String));
        }
      }
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return;
    }
    throw new HttpError(400, "unsupported_prompt", `Unsupported interaction prompt "${details.prompt.name}".`);
  }

  async function login(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    assertSameOrigin(req);
    const form = await readForm(req);
    const details = await loadInteraction(req, res, uid);
    if (details.prompt.name !== "login") {
      throw new HttpError(400, "unexpected_prompt", "This sign-in attempt is not waiting for a login.");
    }
    const parsed = loginForm.safeParse({ email: form.get("email") ?? "", password: form.get("password") ?? "" });
    const email = parsed.success ? parsed.data.email : "";
    const user = parsed.success && email.trim() !== "" ? await credentials.verify(email, parsed.data.password) : undefined;
    if (!user) {
      await renderLogin(res, details, 401, email.slice(0, 320), WRONG_CREDENTIALS);
      return;
    }

    const grant = await grantFor(details, user.sub);
    grant.addOIDCScope(FIRST_PARTY_SCOPE);
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.sub, amr: ["pwd"] }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  async function abort(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    assertSameOrigin(req);
    await loadInteraction(req, res, uid);
    await provider.interactionFinished(
      req,
      res,
      { error: "access_denied", error_description: "End-User aborted the sign-in" },
      { mergeWithLastSubmission: false },
    );
  }

  /** Handles the request if it targets /interaction/*; returns false otherwise. */
  return async function handleInteraction(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
    const match = ROUTE.exec(pathname);
    if (!pathname.startsWith("/interaction/")) return false;
    try {
      if (!match?.[1]) throw new HttpError(404, "not_found", "Unknown interaction URL.");
      const uid = match[1];
      const action = match[2];
      const method = req.method ?? "GET";
      if (action === undefined) {
        if (method !== "GET" && method !== "HEAD") throw new HttpError(405, "method_not_allowed", "Use GET.", { Allow: "GET, HEAD" });
        await show(req, res, uid);
      } else {
        if (method !== "POST") throw new HttpError(405, "method_not_allowed", "Use POST.", { Allow: "POST" });
        await (action === "login" ? login(req, res, uid) : abort(req, res, uid));
      }
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
      } else if (err instanceof HttpError) {
        sendHtml(res, err.status, errorPage(err.code, err.description), err.headers);
      } else {
        console.error("[oidc] interaction error:", err);
        sendHtml(res, 500, errorPage("server_error"));
      }
    }
    return true;
  };
}

// A person's browser at the HTTP level, for tests and load runs that need many sessions
// without a browser each: cookies, the Origin the app expects, and the client address the test
// stack's trusted header carries. Talks to any instance; the public origin (AUTH_URL) is the
// same for all, as behind a load balancer.
export interface AppClientOptions {
  /** The public origin every instance is configured with (AUTH_URL): sent as Origin. */
  origin: string;
  /** The client address for per-client limits (CLIENT_IP_HEADER in the test stack). */
  ip?: string;
  ipHeader?: string;
}

export class AppClient {
  readonly cookies = new Map<string, string>();
  constructor(readonly options: AppClientOptions) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { origin: this.options.origin, ...extra };
    if (this.cookies.size > 0) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (this.options.ip) h[this.options.ipHeader ?? "x-test-client-ip"] = this.options.ip;
    return h;
  }

  private keep(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(
    instance: string,
    path: string,
    init: { method?: string; json?: unknown; form?: Record<string, string> } = {},
  ): Promise<Response> {
    const extra: Record<string, string> = {};
    let body: string | undefined;
    if (init.json !== undefined) {
      extra["content-type"] = "application/json";
      body = JSON.stringify(init.json);
    } else if (init.form) {
      extra["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(`${instance}${path}`, {
      method: init.method ?? (body === undefined ? "GET" : "POST"),
      headers: this.headers(extra),
      body,
      redirect: "manual",
    });
    this.keep(response);
    return response;
  }

  async json<T>(instance: string, path: string, json: unknown = {}): Promise<{ status: number; body: T }> {
    const response = await this.request(instance, path, { json });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  }

  /** Signs in with email and password through Auth.js's credentials callback; returns where it redirected. */
  async signInWithPassword(instance: string, email: string, password: string): Promise<{ ok: boolean; location: string }> {
    const { csrfToken } = (await (await this.request(instance, "/api/auth/csrf")).json()) as { csrfToken: string };
    const response = await this.request(instance, "/api/auth/callback/password", {
      form: { csrfToken, email, password, callbackUrl: "/dashboard" },
    });
    const location = response.headers.get("location") ?? "";
    return { ok: new URL(location, this.options.origin).pathname === "/dashboard", location };
  }

  /** The signed-in identity as the app's protected routes see it, via GET /api/session/sessions. */
  async sessions(instance: string): Promise<{ status: number; body: { sessions?: { current: boolean }[] } | null }> {
    const response = await this.request(instance, "/api/session/list");
    return { status: response.status, body: (await response.json().catch(() => null)) as { sessions?: { current: boolean }[] } | null };
  }
}

/** Signs up with a password and confirms the email with the code from the local mailbox. */
export async function createConfirmedPasswordUser(
  client: AppClient,
  instance: string,
  mailboxUrl: string,
  email: string,
  password: string,
): Promise<void> {
  const up = await client.json(instance, "/api/password/sign-up", { email, password, name: "Load Tester" });
  if (up.status !== 200) throw new Error(`sign-up answered ${up.status}: ${JSON.stringify(up.body)}`);
  const code = await codeFromMailbox(mailboxUrl, email, /confirm/i);
  const verified = await client.json(instance, "/api/password/verify-email", { email, code });
  if (verified.status !== 200) throw new Error(`verify-email answered ${verified.status}: ${JSON.stringify(verified.body)}`);
}

/** The newest 6-digit code in `to`'s mailbox whose subject matches (polls for a few seconds). */
export async function codeFromMailbox(mailboxUrl: string, to: string, subject: RegExp, seen: Set<string> = new Set()): Promise<string> {
  for (let i = 0; i < 80; i++) {
    const { messages } = (await (await fetch(`${mailboxUrl}/api/messages?to=${encodeURIComponent(to)}`)).json()) as {
      messages: { subject: string; text?: string; body?: string }[];
    };
    for (const m of messages) {
      if (!subject.test(m.subject)) continue;
      const code = /\b(\d{6})\b/.exec(m.text ?? m.body ?? "")?.[1];
      if (code && !seen.has(code)) {
        seen.add(code);
        return code;
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no code for ${to} in the mailbox`);
}

/**
 * Minimal client for a Resend-shaped `POST /emails` API (the local mailbox, or the real thing).
 */

export const DEFAULT_MAIL_TIMEOUT_MS = 5_000;

export type MailDeliveryErrorCode = "mail_rejected" | "mail_unreachable" | "mail_timeout" | "mail_bad_response";

export class MailDeliveryError extends Error {
  override readonly name = "MailDeliveryError";
  constructor(
    readonly code: MailDeliveryErrorCode,
    message: string,
    /** HTTP status of the API's answer, when there was one. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A Resend email tag (https://resend.com/docs/api-reference/emails/send-email, `tags`):
 * name and value hold only ASCII letters, digits, `_` and `-`, at most 256 characters each.
 */
export interface MailTag {
  readonly name: string;
  readonly value: string;
}

export interface SendMailOptions {
  /** Base URL of the API, e.g. `http://127.0.0.1:4010`; the request goes to `<apiUrl>/emails`. */
  readonly apiUrl: string;
  readonly apiKey: string;
  readonly from: string;
  readonly to: string | readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  /** Sent only when non-empty, so untagged mail has exactly the body it always had. */
  readonly tags?: readonly MailTag[];
  readonly timeoutMs?: number;
}

export async function sendMail(options: SendMailOptions): Promise<{ id: string }> {
  const base = options.apiUrl.endsWith("/") ? options.apiUrl : `${options.apiUrl}/`;
  const endpoint = new URL("emails", base);
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: "POST",
      headers: { Authorization: `Bearer ${options.apiKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        from: options.from,
        to: options.to,
        subject: options.subject,
        text: options.text,
        ...(options.html !== undefined ? { html: options.html } : {}),
        ...(options.tags !== undefined && options.tags.length > 0 ? { tags: options.tags } : {}),
      }),
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_MAIL_TIMEOUT_MS),
      redirect: "error",
    });
  } catch (cause) {
    if (cause instanceof Error && cause.name === "TimeoutError") {
      throw new MailDeliveryError("mail_timeout", "The mail API did not answer in time", undefined, { cause });
    }
    throw new MailDeliveryError("mail_unreachable", "The mail API could not be reached", undefined, { cause });
  }

  if (!response.ok) {
    // The body may explain, but it is the API's text: keep it out of our message.
    await response.body?.cancel().catch(() => undefined);
    throw new MailDeliveryError("mail_rejected", `The mail API answered ${response.status}`, response.status);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (cause) {
    throw new MailDeliveryError("mail_bad_response", "The mail API answer is not JSON", response.status, { cause });
  }
  const id = (body as { id?: unknown } | null)?.id;
  if (typeof id !== "string" || id === "") {
    throw new MailDeliveryError("mail_bad_response", "The mail API answer has no id", response.status);
  }
  return { id };
}

import "server-only";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/http/errors";

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/**
 * Sends mail through a Resend-shaped HTTP API (`POST {MAIL_API_URL}/emails`). The local
 * mailbox speaks the same API, so pointing MAIL_API_URL at https://api.resend.com with a
 * real key is the whole switch.
 */
export async function sendMail(mail: Mail): Promise<void> {
  const { mail: cfg } = await getConfig();
  if (!cfg) throw new AppError("mail_not_configured", 503, "Email is not configured on this server (MAIL_API_URL).");
  let response: Response;
  try {
    response = await fetch(new URL("/emails", cfg.apiUrl), {
      method: "POST",
      headers: { authorization: `Bearer ${cfg.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ from: cfg.from, to: mail.to, subject: mail.subject, text: mail.text }),
      signal: AbortSignal.timeout(8000),
    });
  } catch {
    throw new AppError("mail_unavailable", 502, "We could not send the email right now. Try again in a moment.");
  }
  if (!response.ok) {
    console.error(`[mail] provider answered ${response.status}`);
    throw new AppError("mail_unavailable", 502, "We could not send the email right now. Try again in a moment.");
  }
}

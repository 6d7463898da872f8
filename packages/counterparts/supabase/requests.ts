/**
 * Request bodies of the GoTrue endpoints this counterpart serves, as auth-js sends them.
 *
 * GoTrue decodes bodies into Go structs: unknown members are ignored (auth-js also sends
 * `gotrue_meta_security`, `options`, ...), `null` reads as the zero value, and a member of the
 * wrong JSON type fails the whole request with 400 `bad_json`. The schemas mirror that:
 * objects are non-strict, strings accept `null`, and any mismatch is reported as `bad_json`.
 */
import { z } from "zod";
import { AuthFailure } from "./errors";

const text = z
  .string()
  .nullish()
  .transform((value) => value ?? "");
/** User metadata (`data`): a JSON object, as GoTrue's `map[string]interface{}`. */
const metadata = z
  .record(z.string(), z.unknown())
  .nullish()
  .transform((value) => value ?? {});

const pkce = { code_challenge: text, code_challenge_method: text };

export const signupBody = z.object({ email: text, phone: text, password: text, data: metadata, ...pkce });
export const passwordGrantBody = z.object({ email: text, phone: text, password: text });
export const refreshGrantBody = z.object({ refresh_token: text });
export const otpBody = z.object({
  email: text,
  phone: text,
  // GoTrue defaults `create_user` to true before decoding; only an explicit false disables it.
  create_user: z
    .boolean()
    .nullish()
    .transform((value) => value ?? true),
  data: metadata,
  channel: text,
  ...pkce,
});
export const resendBody = z.object({ type: text, email: text, phone: text, ...pkce });
export const verifyBody = z.object({ type: text, token: text, token_hash: text, email: text, phone: text });

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "body";
    throw new AuthFailure(400, "bad_json", `Could not parse request body as JSON: ${where}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

/** GoTrue's `validatePKCEParams`: both or neither. The counterpart issues codes, not links, so a
 * valid challenge is accepted and has no further effect (verifyOtp with a code never uses it). */
export function checkPkceParams(body: { code_challenge: string; code_challenge_method: string }): void {
  if ((body.code_challenge === "") !== (body.code_challenge_method === "")) {
    throw new AuthFailure(400, "validation_failed", "PKCE flow requires code_challenge_method and code_challenge");
  }
}

const emailFormat = z.email();

/** GoTrue's `validateEmail`: required, at most 255 characters, valid format; lower-cased. */
export function validateEmail(email: string): string {
  if (email === "") throw new AuthFailure(400, "validation_failed", "An email address is required");
  if (email.length > 255) throw new AuthFailure(400, "validation_failed", "An email address is too long");
  if (!emailFormat.safeParse(email).success) {
    throw new AuthFailure(400, "validation_failed", "Unable to validate email address: invalid format");
  }
  return email.toLowerCase();
}

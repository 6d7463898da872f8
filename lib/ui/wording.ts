// Words the app uses in more than one place, so every provider says the same thing the same way.
// Plain functions: imported by server routes and browser components alike.

/** The one message for a one-time code that was refused, whichever provider checked it. */
export const WRONG_CODE = "That code is not right. Check the latest email, or send a new code.";

/** WRONG_CODE, with the attempts left where the checker states them. */
export function wrongCode(attemptsLeft?: number): string {
  if (attemptsLeft === undefined) return WRONG_CODE;
  return `${WRONG_CODE} ${attemptsLeft} attempt${attemptsLeft === 1 ? "" : "s"} left.`;
}

/**
 * An email address as the app shows it where a code was sent: the first character of the local
 * part, then "•••", then the domain (`ada@example.com` → `a•••@example.com`). Idempotent over
 * an address a provider already masked its own way (AIR Kit's `a***@example.com`), so every card
 * shows the same form. Anything without an `@` is hidden whole.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return "•••";
  return `${email[0]}•••${email.slice(at)}`;
}

/**
 * What an email sign-in form says before asking anyone when a field is empty: "Enter your
 * email." rather than the provider's "Wrong email or password." for a request that was never
 * a guess. `password` null: the form has no password field (an email code).
 */
export function missingCredentials(email: string, password: string | null): string | null {
  if (email.trim() === "") return "Enter your email.";
  if (password !== null && password === "") return "Enter your password.";
  return null;
}

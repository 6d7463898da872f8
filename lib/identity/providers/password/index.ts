// The app's own user table: email + password, with email confirmation by one-time code.
import Credentials from "next-auth/providers/credentials";
import { CredentialsSignin } from "next-auth";
import { AppError } from "@/lib/http/errors";
import type { IdentityProvider } from "../../types";
import { authenticate } from "./service";

/** Auth.js forwards `code` to the client (`signIn(...).code`); never a message or a stack. */
class PasswordSignInError extends CredentialsSignin {
  constructor(code: string) {
    super();
    this.code = code;
  }
}

export const passwordProvider: IdentityProvider = {
  id: "password",
  label: () => "Email and password",
  isConfigured: (config) => config.password.enabled,
  authjs() {
    return Credentials({
      id: "password",
      name: "Email and password",
      credentials: { email: { type: "email" }, password: { type: "password" } },
      async authorize(credentials) {
        try {
          const credential = await authenticate(credentials);
          return { id: credential.id, email: credential.email, name: credential.name };
        } catch (error) {
          if (error instanceof AppError) throw new PasswordSignInError(error.code);
          throw error;
        }
      },
    });
  },
  toVerifiedIdentity({ user }) {
    // authorize() only succeeds for confirmed emails, so the email is verified here.
    return {
      provider: "password",
      subject: String(user.id),
      email: user.email ?? null,
      emailVerified: Boolean(user.email),
      name: user.name ?? null,
      profile: { email: user.email, name: user.name ?? undefined },
    };
  },
};

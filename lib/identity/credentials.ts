// Shared by the providers whose proof arrives as a credential (a password, an ID token from a
// browser SDK): Auth.js calls authorize(), which verifies and returns the identity.
import "server-only";
import { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import type { Provider } from "next-auth/providers";
import { ZodError } from "zod";
import { AppError } from "@/lib/http/errors";
import { IdentityTokenError } from "./token-error";
import type { SignInEvent, VerifiedIdentity } from "./types";

/** Auth.js forwards `code` to the browser (`signIn(...).code`): a stable code, never a message or a stack. */
class SignInRefused extends CredentialsSignin {
  constructor(code: string) {
    super();
    this.code = code;
  }
}

export function credentialsProvider(
  id: string,
  name: string,
  fields: Record<string, { type: string }>,
  verify: (credentials: Record<string, unknown>, request: Request) => Promise<VerifiedIdentity>,
): Provider {
  return Credentials({
    id,
    name,
    credentials: fields,
    async authorize(credentials, request) {
      try {
        const identity = await verify(credentials as Record<string, unknown>, request);
        return { id: identity.subject, email: identity.email, name: identity.name, verifiedIdentity: identity };
      } catch (error) {
        if (error instanceof AppError || error instanceof IdentityTokenError) throw new SignInRefused(error.code);
        if (error instanceof ZodError) throw new SignInRefused("invalid_request");
        throw error;
      }
    },
  });
}

export function identityFromCredentials({ user }: SignInEvent): VerifiedIdentity {
  if (!user.verifiedIdentity) throw new Error("authorize() returned no verified identity");
  return user.verifiedIdentity;
}

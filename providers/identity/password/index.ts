// The app's own user table: email + password, with email confirmation by one-time code.
import "server-only";
import { credentialsProvider, identityFromCredentials } from "@/lib/identity/credentials";
import { limitClientIp } from "@/lib/http/route";
import { cookies } from "next/headers";
import { clientIp } from "@/lib/security/client-ip";
import {
  isKnownDevice,
  KNOWN_DEVICE_MAX_AGE_SECONDS,
  knownDeviceCookieName,
  knownDeviceToken,
  readCookie,
} from "@/lib/security/known-device";
import type { IdentityProvider } from "@/lib/identity/types";
import { authenticate } from "./service";
import { PASSWORD_ISSUER } from "./config";

export const passwordProvider: IdentityProvider = {
  id: "password",
  label: () => "Email and password",
  signIn: "browser",
  isConfigured: (config) => Boolean(config.password),
  authjs: (config) =>
    credentialsProvider(
      "password",
      "Email and password",
      { email: { type: "email" }, password: { type: "password" } },
      async (input, request) => {
        // Per email inside authenticate(); per client IP here, so one client cannot spray many emails.
        await limitClientIp(request, config.clientIpHeader, "signIn");
        // …and per (email, client) inside, so that failures from other clients never lock the owner out.
        const secure = config.appUrl.startsWith("https:");
        const device = readCookie(request.headers.get("cookie"), knownDeviceCookieName(secure));
        const credential = await authenticate(input, clientIp(request.headers, config.clientIpHeader), {
          knownDeviceFor: (email) => isKnownDevice(config.env.AUTH_SECRET, email, device),
        });
        // This browser proved the password: from now on it is exempt from the per-email ceiling.
        (await cookies()).set(knownDeviceCookieName(secure), knownDeviceToken(config.env.AUTH_SECRET, credential.email), {
          httpOnly: true,
          sameSite: "lax",
          secure,
          path: "/",
          maxAge: KNOWN_DEVICE_MAX_AGE_SECONDS,
        });
        // authenticate() only succeeds for confirmed emails, so the email is verified here.
        return {
          provider: "password",
          issuer: PASSWORD_ISSUER,
          subject: credential.id,
          email: credential.email,
          emailVerified: true,
          name: credential.name,
          profile: {
            email: credential.email,
            name: credential.name ?? undefined,
            email_verified_at: credential.emailVerifiedAt?.toISOString(),
          },
        };
      },
    ),
  toVerifiedIdentity: identityFromCredentials,
};

// Firebase Auth. Not NEXT_PUBLIC_*: those are inlined at build time, and this app is built once
// and configured at run time. The server hands the browser the (public) web config.
import { z } from "zod";
import { booleanFlag, optionalString, optionalUrl } from "@/lib/config/fields";
import { ConfigError, defineConfigFragment } from "@/lib/config/fragment";

/** The `iss` of a project's ID tokens (the same for the Auth Emulator). */
export const firebaseIssuer = (projectId: string) => `https://securetoken.google.com/${projectId}`;

export const firebaseConfig = defineConfigFragment({
  id: "firebase",
  variables: {
    FIREBASE_PROJECT_ID: optionalString,
    /** The web API key (public by design; it identifies the project, it does not authorise). */
    FIREBASE_API_KEY: optionalString,
    FIREBASE_AUTH_DOMAIN: optionalString,
    /** host:port of the Firebase Auth Emulator; the standard variable firebase-admin also reads. */
    FIREBASE_AUTH_EMULATOR_HOST: optionalString,
    /**
     * The emulator's URL as browsers reach it, when that is not http://<FIREBASE_AUTH_EMULATOR_HOST>:
     * e.g. https://firebase.demo.example.org for a demo behind a proxy, while the server keeps
     * the loopback host.
     */
    FIREBASE_AUTH_EMULATOR_URL: optionalUrl,
    /**
     * "true" only when you alone can reach that emulator (loopback, for development and tests):
     * its accounts may then be linked to a user. Anyone who reaches an emulator can take over
     * any of its accounts (its admin API is open), so on a shared demo they prove nothing.
     */
    FIREBASE_AUTH_EMULATOR_PRIVATE: booleanFlag,
    /** Service account JSON (or base64 of it) for minting custom tokens against real Firebase. */
    FIREBASE_SERVICE_ACCOUNT: optionalString,
    /** Where Google publishes the keys that sign Firebase ID tokens. */
    FIREBASE_JWKS_URL: z.url().default("https://www.googleapis.com/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com"),
    /** Show "Continue with Google" (enable the Google provider in the Firebase console first). */
    FIREBASE_GOOGLE_SIGN_IN: booleanFlag,
  },
  required: ["FIREBASE_PROJECT_ID", "FIREBASE_API_KEY"],
  load: (env, { isProduction, allowDevDefaults }) => {
    if (env.FIREBASE_AUTH_EMULATOR_HOST) {
      // The emulator issues unsigned tokens: anyone can forge one. Only demo-* projects (which
      // exist nowhere but in the emulator) may use it, and in a production build only for the
      // offline demo, whose users are demo data by definition.
      if (!env.FIREBASE_PROJECT_ID!.startsWith("demo-")) {
        throw new ConfigError(
          "FIREBASE_AUTH_EMULATOR_HOST",
          "may only be used with a demo-* FIREBASE_PROJECT_ID (emulator tokens are unsigned).",
        );
      }
      if (isProduction && !allowDevDefaults) {
        throw new ConfigError("FIREBASE_AUTH_EMULATOR_HOST", "must not be set in production: the emulator's tokens are unsigned.");
      }
    }
    return {
      projectId: env.FIREBASE_PROJECT_ID!,
      apiKey: env.FIREBASE_API_KEY!,
      authDomain: env.FIREBASE_AUTH_DOMAIN ?? `${env.FIREBASE_PROJECT_ID}.firebaseapp.com`,
      /** Set only for the Auth Emulator; the one case where unsigned ID tokens are accepted. */
      emulatorHost: env.FIREBASE_AUTH_EMULATOR_HOST,
      /** Where browsers reach the emulator (connectAuthEmulator accepts http and https). */
      emulatorUrl: env.FIREBASE_AUTH_EMULATOR_HOST
        ? (env.FIREBASE_AUTH_EMULATOR_URL?.replace(/\/$/, "") ?? `http://${env.FIREBASE_AUTH_EMULATOR_HOST}`)
        : undefined,
      /** The emulator is reachable by this machine's user alone (FIREBASE_AUTH_EMULATOR_PRIVATE). */
      emulatorPrivate: Boolean(env.FIREBASE_AUTH_EMULATOR_HOST) && env.FIREBASE_AUTH_EMULATOR_PRIVATE,
      serviceAccount: parseServiceAccount(env.FIREBASE_SERVICE_ACCOUNT),
      jwksUrl: env.FIREBASE_JWKS_URL,
      googleSignIn: env.FIREBASE_GOOGLE_SIGN_IN,
    };
  },
  identityIssuer: (firebase) => firebaseIssuer(firebase.projectId),
});

function parseServiceAccount(raw: string | undefined): { projectId: string; clientEmail: string; privateKey: string } | undefined {
  if (!raw) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw.trim().startsWith("{") ? raw : Buffer.from(raw, "base64").toString("utf8"));
  } catch {
    throw new ConfigError("FIREBASE_SERVICE_ACCOUNT", "is not a service account JSON (or base64 of one).");
  }
  const parsed = z
    .object({ project_id: z.string(), client_email: z.string(), private_key: z.string().includes("PRIVATE KEY") })
    .safeParse(json);
  if (!parsed.success) throw new ConfigError("FIREBASE_SERVICE_ACCOUNT", "needs project_id, client_email and private_key.");
  return { projectId: parsed.data.project_id, clientEmail: parsed.data.client_email, privateKey: parsed.data.private_key };
}

// Verifies a Supabase Auth access token with the project's asymmetric signing keys
// (<url>/auth/v1/.well-known/jwks.json): iss <url>/auth/v1, aud "authenticated", exp, and
// role "authenticated" (anon and service_role tokens are not users). Projects still on the
// legacy shared HS256 secret must migrate to asymmetric keys; HS256 is refused here, since a
// JWKS can never vouch for it.
import { decodeProtectedHeader, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import { fromJoseError, IdentityTokenError } from "@/lib/identity/token-error";
import { supabaseIssuer } from "./config";

export interface SupabaseClaims extends JWTPayload {
  sub: string;
  email?: string;
  role: "authenticated";
  session_id?: string;
  is_anonymous?: boolean;
  user_metadata?: Record<string, unknown>;
}

export interface SupabaseVerifyOptions {
  url: string;
  keys: JWTVerifyGetKey;
  now?: Date;
}

export async function verifySupabaseAccessToken(token: string, o: SupabaseVerifyOptions): Promise<SupabaseClaims> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw new IdentityTokenError("token_malformed", "The token is malformed.");
  }
  if (header.alg !== "ES256" && header.alg !== "RS256") {
    throw new IdentityTokenError("alg_not_allowed", "Supabase access tokens must be signed with an asymmetric key (ES256 or RS256).");
  }
  if (!header.kid) throw new IdentityTokenError("kid_missing", "The token has no key id.");
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, o.keys, {
      algorithms: ["ES256", "RS256"],
      issuer: supabaseIssuer(o.url),
      audience: "authenticated",
      typ: "JWT",
      requiredClaims: ["sub", "exp", "iat"],
      currentDate: o.now,
      clockTolerance: 30,
      // A sign-in presents a token Supabase just issued; an older one is a replay.
      maxTokenAge: "10m",
    }));
  } catch (error) {
    throw fromJoseError(error);
  }
  if (payload.role !== "authenticated") throw new IdentityTokenError("role_invalid", "The token does not belong to a signed-in user.");
  if (payload.is_anonymous === true) throw new IdentityTokenError("anonymous_user", "Anonymous Supabase users cannot sign in here.");
  return payload as SupabaseClaims;
}

export { supabaseIssuer };

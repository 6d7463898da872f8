import { getKeySet } from "@/lib/keys";

export const dynamic = "force-dynamic";

// Verifiers cache this. New keys must be published here before they sign anything;
// a verifier that meets an unknown kid refetches (at most once per cooldown).
export async function GET() {
  const keySet = await getKeySet();
  return Response.json(keySet.jwks, {
    headers: {
      "Cache-Control": "public, max-age=300, stale-while-revalidate=60",
      "Access-Control-Allow-Origin": "*",
      "Content-Type": "application/jwk-set+json",
    },
  });
}

import { getConfig } from "@/lib/config";
import { getKeySet } from "@/lib/keys";
import { discoveryDocument } from "@/lib/tokens/discovery";

export const dynamic = "force-dynamic";

export async function GET() {
  const [config, keySet] = await Promise.all([getConfig(), getKeySet()]);
  return Response.json(discoveryDocument(config.appUrl, keySet), {
    headers: { "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" },
  });
}

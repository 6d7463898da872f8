import "server-only";
import { getConfig } from "@/lib/config";
import { clientIp } from "@/lib/security/client-ip";
import { assertSameOrigin } from "@/lib/security/origin";
import { counting, hitClientIp, type IpLimit } from "@/lib/security/rate-limit";
import { getStore } from "@/lib/store";
import { errors } from "./errors";
import { errorResponse, readJson } from "./respond";

/**
 * Wraps a state-changing route handler: checks Origin, parses the JSON body, and turns
 * errors into `{ error: { code, message } }` with the right status.
 */
export function mutation<P>(
  handler: (body: unknown, params: P, context: { client: ClientKey; request: Request }) => Promise<unknown>,
  options: { body?: boolean; ipLimit?: IpLimit } = {},
) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    const started = performance.now();
    // Server-Timing lets a developer (and scripts/measure/exchanges.ts) see each exchange's server-side time.
    const timed = (response: Response) => {
      response.headers.set("Server-Timing", `app;dur=${(performance.now() - started).toFixed(1)}`);
      return response;
    };
    try {
      const config = await getConfig();
      assertSameOrigin(request, config.appUrl);
      await limitClientIp(request, config.clientIpHeader, "request");
      if (options.ipLimit) await limitClientIp(request, config.clientIpHeader, options.ipLimit);
      const body = options.body === false ? undefined : await readJson(request);
      const result = await handler(body, await context.params, { client: clientIp(request.headers, config.clientIpHeader), request });
      return timed(
        result === undefined ? new Response(null, { status: 204 }) : Response.json(result, { headers: { "Cache-Control": "no-store" } }),
      );
    } catch (error) {
      return timed(errorResponse(error));
    }
  };
}

/** The client's counting key (lib/security/client-ip.ts); null when no address is known. */
export type ClientKey = string | null;

/**
 * Throws `rate_limited` once the client's address is over `kind`'s limit (counted across every
 * instance), `limits_unavailable` when it cannot be counted; a no-op when no address is known.
 */
export async function limitClientIp(request: Request, header: string | undefined, kind: IpLimit): Promise<void> {
  const ip = clientIp(request.headers, header);
  if (ip === null) return;
  const gate = await hitClientIp(await counting(getStore), kind, ip);
  if (!gate.allowed) throw errors.rateLimited(gate.retryAfterSeconds);
}

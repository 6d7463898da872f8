import "server-only";
import { NextRequest } from "next/server";
import { MAX_AUTH_BODY_BYTES, readBodyLimited } from "./body";
import { errorResponse } from "./respond";

/**
 * Wraps a handler that reads its own body (Auth.js): the body is read here first, streaming,
 * up to `limit` bytes (413 beyond), and handed on as a fresh request with the same URL,
 * method and headers.
 */
export function withBodyLimit(handler: (request: NextRequest) => Promise<Response>, limit = MAX_AUTH_BODY_BYTES) {
  return async (request: NextRequest): Promise<Response> => {
    let body: Uint8Array;
    try {
      body = await readBodyLimited(request, limit);
    } catch (error) {
      return errorResponse(error);
    }
    const headers = new Headers(request.headers);
    headers.delete("content-length");
    return handler(
      new NextRequest(request.url, {
        method: request.method,
        headers,
        body: body.byteLength > 0 ? (body as Uint8Array<ArrayBuffer>) : null,
      }),
    );
  };
}

/**
 * Reads a JSON request body as raw bytes: the one body reader of the counterparts. Endpoints
 * whose authentication signs the exact bytes (Turnkey stamps) use it directly, since
 * re-serializing a parsed value would not reproduce what was signed; `http.ts`'s
 * `readJsonBody` is this plus `parseJsonBytes`.
 *
 * Rules and error codes: `application/json` only (so browsers must preflight), at most
 * `maxBytes`, 413 `payload_too_large` / 415 `unsupported_media_type`.
 * Parsing is separate (`parseJsonBytes`) so a caller can authenticate the bytes before it
 * interprets them.
 */
import type { IncomingMessage } from "node:http";
import { HttpError } from "./http-error";

export async function readRawJsonBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const mediaType = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/json") {
    throw new HttpError(415, "unsupported_media_type", "Content-Type must be application/json");
  }
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw new HttpError(413, "payload_too_large", `Request body exceeds ${maxBytes} bytes`);
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > maxBytes) {
        req.off("data", onData);
        req.resume(); // Discard the rest; the 413 answer can still be delivered.
        settle(() => reject(new HttpError(413, "payload_too_large", `Request body exceeds ${maxBytes} bytes`)));
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => settle(() => resolve(Buffer.concat(chunks))));
    req.once("error", (error) => settle(() => reject(error)));
    req.once("close", () => settle(() => reject(new HttpError(400, "bad_request", "Request body ended early"))));
  });
}

/** Strict UTF-8 + JSON parse of a body read with `readRawJsonBody`. */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, "invalid_json", "Request body is not valid UTF-8");
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, "invalid_json", "Request body is not valid JSON");
  }
}

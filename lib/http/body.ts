// Request bodies, read defensively: the media type is parsed (not substring-matched), and the
// body is read as a stream with a byte limit, so an oversized body is refused with 413 as soon
// as it crosses the limit instead of being buffered in full first.
import { AppError } from "./errors";

/**
 * The largest JSON body any route here accepts. The largest legitimate one is a wallet step
 * carrying two tokens of at most 8 KiB each; anything far beyond that is not a client of ours.
 */
export const MAX_JSON_BODY_BYTES = 32 * 1024;

/** Auth.js sign-in posts (a form with a CSRF token and, for browser providers, an ID or access token). */
export const MAX_AUTH_BODY_BYTES = 32 * 1024;

export const bodyErrors = {
  tooLarge: (limit: number) =>
    new AppError("body_too_large", 413, `The request body is larger than ${limit} bytes.`, { limitBytes: limit }),
  mediaType: () => new AppError("unsupported_media_type", 415, "Send the body as application/json (UTF-8)."),
  invalidJson: () => new AppError("invalid_json", 400, "The request body is not valid JSON."),
};

// RFC 9110 §5.6.2 token characters.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export interface MediaType {
  /** `type/subtype`, lowercased. */
  essence: string;
  /** Parameter names lowercased; values unquoted (case kept). */
  parameters: Map<string, string>;
}

/**
 * Parses a Content-Type value (RFC 9110 §8.3.1: `type "/" subtype *( OWS ";" OWS parameter )`),
 * or returns null when it is not one. `text/plain; x=application/json` is `text/plain`.
 */
export function parseMediaType(value: string | null): MediaType | null {
  if (value === null) return null;
  const [head = "", ...rest] = splitParameters(value);
  const slash = head.indexOf("/");
  const type = head.slice(0, slash).trim();
  const subtype = head.slice(slash + 1).trim();
  if (slash < 0 || !TOKEN.test(type) || !TOKEN.test(subtype)) return null;
  const parameters = new Map<string, string>();
  for (const part of rest) {
    const trimmed = part.trim();
    if (trimmed === "") continue;
    const eq = trimmed.indexOf("=");
    if (eq <= 0) return null;
    const name = trimmed.slice(0, eq).toLowerCase();
    let raw = trimmed.slice(eq + 1);
    if (!TOKEN.test(name)) return null;
    if (raw.startsWith('"')) {
      if (raw.length < 2 || !raw.endsWith('"')) return null;
      raw = raw.slice(1, -1).replace(/\\(.)/g, "$1");
    } else if (!TOKEN.test(raw)) {
      return null;
    }
    // A repeated parameter makes the value ambiguous: refuse rather than pick one.
    if (parameters.has(name)) return null;
    parameters.set(name, raw);
  }
  return { essence: `${type}/${subtype}`.toLowerCase(), parameters };
}

/** Splits at semicolons outside quoted strings. */
function splitParameters(value: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quoted && c === "\\" && i + 1 < value.length) {
      current += c + value[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ";" && !quoted) {
      parts.push(current);
      current = "";
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

/** application/json, with no charset or charset=utf-8 (RFC 8259 §8.1: JSON between systems is UTF-8). */
export function isJsonMediaType(value: string | null): boolean {
  const media = parseMediaType(value);
  if (media?.essence !== "application/json") return false;
  const charset = media.parameters.get("charset");
  return charset === undefined || charset.toLowerCase() === "utf-8";
}

/**
 * Reads the whole body, refusing (413) one that declares or turns out to be over `limit` bytes.
 * A declared Content-Length over the limit is refused before a byte is read; a body sent
 * without one (chunked) is counted as it streams and abandoned the moment it crosses.
 */
export async function readBodyLimited(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && (!/^\d+$/.test(declared) || Number(declared) > limit)) throw bodyErrors.tooLarge(limit);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        throw bodyErrors.tooLarge(limit);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A JSON body: media type checked first (415), then size (413), then syntax and encoding (400). */
export async function readJsonLimited(request: Request, limit = MAX_JSON_BODY_BYTES): Promise<unknown> {
  if (!isJsonMediaType(request.headers.get("content-type"))) throw bodyErrors.mediaType();
  const bytes = await readBodyLimited(request, limit);
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch {
    throw bodyErrors.invalidJson();
  }
}

import { describe, expect, it } from "vitest";
import { AppError } from "./errors";
import { isJsonMediaType, parseMediaType, readBodyLimited, readJsonLimited } from "./body";

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return `${error.status} ${error.code}`;
    throw error;
  }
  return "resolved";
}

/** A body that would go on forever, counting how many chunks were pulled from it. */
function endless(chunkBytes: number) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++;
      controller.enqueue(new Uint8Array(chunkBytes).fill(0x20));
    },
  });
  return { stream, pulled: () => pulled };
}

const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request("http://localhost/api/x", {
    method: "POST",
    body,
    headers,
    ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);

describe("parseMediaType", () => {
  it.each([
    ["application/json", "application/json", {}],
    ["Application/JSON; Charset=UTF-8", "application/json", { charset: "UTF-8" }],
    ['application/json; charset="utf-8"', "application/json", { charset: "utf-8" }],
    ['text/plain; x="application/json"', "text/plain", { x: "application/json" }],
    ['text/plain; x="a;b"', "text/plain", { x: "a;b" }],
    ["application/json ;charset=utf-8", "application/json", { charset: "utf-8" }],
  ])("%s → %s", (value, essence, parameters) => {
    const media = parseMediaType(value);
    expect(media?.essence).toBe(essence);
    expect(Object.fromEntries(media!.parameters)).toEqual(parameters);
  });

  // An unquoted "/" is not a token (RFC 9110 §5.6.2): the whole header is malformed.
  it.each([
    null,
    "",
    "json",
    "text/plain; x=application/json",
    "application/",
    "/json",
    "application/json; charset",
    "application/json; charset=utf-8; charset=latin1",
    'application/json; x="open',
    "application json",
  ])("refuses %j", (value) => expect(parseMediaType(value)).toBeNull());
});

describe("isJsonMediaType", () => {
  it.each([
    ["application/json", true],
    ["application/json; charset=utf-8", true],
    ["APPLICATION/JSON;CHARSET=UTF-8", true],
    ["text/plain; x=application/json", false],
    ["application/json-patch+json", false],
    ["application/jsonx", false],
    ["application/json; charset=latin1", false],
    ["multipart/form-data; boundary=application/json", false],
    [null, false],
  ])("%s → %s", (value, expected) => expect(isJsonMediaType(value)).toBe(expected));
});

describe("readBodyLimited", () => {
  it("refuses a declared Content-Length over the limit before reading anything", async () => {
    const body = endless(1024);
    const request = post(body.stream, { "content-length": String(10 * 1024 * 1024) });
    expect(await codeOf(readBodyLimited(request, 1024))).toBe("413 body_too_large");
    expect(body.pulled()).toBeLessThanOrEqual(1);
  });

  it("stops reading a body without a length as soon as it crosses the limit", async () => {
    const body = endless(4096);
    expect(await codeOf(readBodyLimited(post(body.stream), 32 * 1024))).toBe("413 body_too_large");
    // 9 chunks cross 32 KiB; the stream's own read-ahead may add a couple, not thousands.
    expect(body.pulled()).toBeLessThan(16);
  });

  it("returns a body at the limit exactly", async () => {
    const bytes = await readBodyLimited(post(new Uint8Array(1024)), 1024);
    expect(bytes.byteLength).toBe(1024);
  });

  it("refuses a malformed Content-Length", async () => {
    const request = new Request("http://localhost/", { method: "POST", body: "{}" });
    Object.defineProperty(request, "headers", { value: new Headers({ "content-length": "-1" }) });
    expect(await codeOf(readBodyLimited(request, 1024))).toBe("413 body_too_large");
  });
});

describe("readJsonLimited", () => {
  const json = { "content-type": "application/json" };
  it("parses JSON", async () => expect(await readJsonLimited(post('{"a":1}', json))).toEqual({ a: 1 }));
  it("415 for a media type that merely contains application/json", async () =>
    expect(await codeOf(readJsonLimited(post("{}", { "content-type": "text/plain; x=application/json" })))).toBe(
      "415 unsupported_media_type",
    ));
  it("415 without a content type", async () => expect(await codeOf(readJsonLimited(post("{}")))).toBe("415 unsupported_media_type"));
  it("400 for bad JSON", async () => expect(await codeOf(readJsonLimited(post("{not json", json)))).toBe("400 invalid_json"));
  it("400 for invalid UTF-8", async () =>
    expect(await codeOf(readJsonLimited(post(new Uint8Array([0x22, 0xff, 0x22]), json)))).toBe("400 invalid_json"));
  it("413 over the limit", async () =>
    expect(await codeOf(readJsonLimited(post(`"${"a".repeat(40_000)}"`, json)))).toBe("413 body_too_large"));
});

import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  DEMO_VISITOR_HEADER,
  DEMO_VISITOR_TAG,
  VISITOR_PRELOAD_PATH,
  newVisitorId,
  parseVisitorId,
  visitorOf,
  visitorPreloadNodeOption,
  visitorTags,
} from "./visitor";

describe("visitor ids", () => {
  it.each([
    ["22 base64url characters (128 bits)", "AAAAAAAAAAAAAAAAAAAAAA"],
    ["43 characters with - and _", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ-_0123"],
  ])("accepts %s", (_name, id) => {
    expect(parseVisitorId(id)).toBe(id);
  });

  it.each([
    ["too short (21)", "A".repeat(21)],
    ["too long (44)", "A".repeat(44)],
    ["standard base64 (+)", `${"A".repeat(21)}+`],
    ["padding", `${"A".repeat(21)}=`],
    ["surrounding space", ` ${"A".repeat(22)}`],
    ["two ids joined as Node joins a repeated header", `${"A".repeat(22)}, ${"B".repeat(22)}`],
    ["a header array", ["A".repeat(22), "B".repeat(22)]],
    ["a number", 12345678901234567890123],
    ["empty", ""],
    ["absent", undefined],
  ])("rejects %s", (_name, value) => {
    expect(parseVisitorId(value)).toBeUndefined();
  });

  it("mints 43-character ids that parse, never the same twice", () => {
    const ids = new Set(Array.from({ length: 200 }, () => newVisitorId()));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(parseVisitorId(id)).toBe(id);
    expect([...ids][0]).toHaveLength(43);
  });

  it("reads the header of a request, strictly", () => {
    const id = newVisitorId();
    expect(visitorOf({ headers: { [DEMO_VISITOR_HEADER]: id } })).toBe(id);
    expect(visitorOf({ headers: { [DEMO_VISITOR_HEADER]: `${id}, ${id}` } })).toBeUndefined();
    expect(visitorOf({ headers: {} })).toBeUndefined();
  });

  it("becomes one demo_visitor tag, or none", () => {
    const id = newVisitorId();
    expect(visitorTags(id)).toEqual([{ name: DEMO_VISITOR_TAG, value: id }]);
    expect(visitorTags(undefined)).toEqual([]);
  });

  it("names the preload by a file URL NODE_OPTIONS can carry unquoted", () => {
    expect(existsSync(VISITOR_PRELOAD_PATH)).toBe(true);
    const option = visitorPreloadNodeOption();
    expect(option).toMatch(/^--import=file:\/\/\S+visitor-preload\.mjs$/);
    expect(fileURLToPath(option.slice("--import=".length))).toBe(VISITOR_PRELOAD_PATH);
    // The preload reads the header name and the parser from the same module as this file does.
    expect(readFileSync(VISITOR_PRELOAD_PATH, "utf8")).toContain('from "./visitor-id.mjs"');
  });
});

import { afterEach, describe, expect, it, vi } from "vitest";
import { findChromium } from "./chromium";

describe("findChromium", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("takes CHROMIUM_PATH when it is an executable file", () => {
    vi.stubEnv("CHROMIUM_PATH", process.execPath);
    expect(findChromium()).toEqual({ path: process.execPath });
  });

  it("names a CHROMIUM_PATH that cannot run instead of falling back silently", () => {
    vi.stubEnv("CHROMIUM_PATH", "/nonexistent/chromium");
    expect(findChromium()).toEqual({ missing: expect.stringContaining("/nonexistent/chromium") });
  });
});

// The bench's profile summary: self time to the sampled frame, total time once per distinct
// function on the stack (recursion not counted twice), idle left out, modules named by package.
import { describe, expect, it } from "vitest";
import { type CpuProfile, moduleOf, summariseCpuProfile } from "./cpuprofile";

const frame = (functionName: string, url = "", lineNumber = 0) => ({ functionName, url, lineNumber });

// (root) → handler (app chunk) → sign (jose, inside the chunk path) → sign (recursion)
//        → (idle)
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame("(root)"), children: [2, 5] },
    { id: 2, callFrame: frame("handler", "file:///app/.next/server/chunks/app_1.js", 9), children: [3] },
    { id: 3, callFrame: frame("sign", "file:///app/node_modules/jose/dist/sign.js", 4), children: [4] },
    { id: 4, callFrame: frame("sign", "file:///app/node_modules/jose/dist/sign.js", 4) },
    { id: 5, callFrame: frame("(idle)") },
  ],
  startTime: 0,
  endTime: 100,
  // The time before sample i+1 belongs to sample i: 10 µs to node 2, 20 to 4, 30 to 3, 40 to idle.
  samples: [2, 4, 3, 5],
  timeDeltas: [0, 10, 20, 30, 40],
};

describe("summariseCpuProfile", () => {
  const s = summariseCpuProfile({ ...profile, timeDeltas: [0, 10, 20, 30] });
  it("charges self time to the sampled frame and leaves idle out of busy time", () => {
    expect(s.sampled).toBe(60);
    expect(s.busy).toBe(60);
    expect(s.functions.find((f) => f.name.startsWith("handler"))).toMatchObject({ self: 10, total: 60 });
  });

  it("counts a recursive function once per sample in its total", () => {
    expect(s.functions.find((f) => f.name.startsWith("sign"))).toMatchObject({ self: 50, total: 50 });
  });

  it("groups by module", () => {
    expect(s.modules.find((m) => m.name === "jose")).toMatchObject({ self: 50, total: 50 });
    expect(s.modules.find((m) => m.name === ".next/server/chunks/app_1.js")).toMatchObject({ self: 10, total: 60 });
  });

  it("does not count idle samples as busy", () => {
    const withIdle = summariseCpuProfile({ ...profile, samples: [2, 5, 3], timeDeltas: [0, 10, 40, 30] });
    // handler 10, idle 40, sign 30
    expect(withIdle.sampled).toBe(80);
    expect(withIdle.busy).toBe(40);
  });
});

describe("moduleOf", () => {
  it.each([
    ["file:///a/node_modules/@electric-sql/pglite/dist/index.js", "@electric-sql/pglite"],
    ["file:///a/node_modules/next/dist/compiled/x/node_modules/react/index.js", "react"],
    ["node:internal/webstreams/readablestream", "node:webstreams"],
    ["node:events", "node:events"],
    ["file:///a/.next/standalone/.next/server/chunks/ssr/x.js", ".next/server/chunks/ssr/x.js"],
  ])("%s → %s", (url, expected) => {
    expect(moduleOf(url, "f")).toBe(expected);
  });
});

import { describe, expect, it } from "vitest";
import type { AppConfig } from "@/lib/config/load";
import { firebaseProvider } from "./index";

const config = (firebase: Partial<NonNullable<AppConfig["firebase"]>>) =>
  ({ firebase: { projectId: "demo-x", apiKey: "k", ...firebase } }) as AppConfig;

describe("linking a Firebase sign-in", () => {
  it("is allowed against real Firebase, whose accounts only their owners control", () => {
    expect(firebaseProvider.linkable!(config({ emulatorHost: undefined, emulatorPrivate: false }))).toBe(true);
  });
  it("is refused against an Auth Emulator others can reach: anyone there can take over any account, and then the user it is linked to", () => {
    expect(firebaseProvider.linkable!(config({ emulatorHost: "127.0.0.1:9099", emulatorPrivate: false }))).toBe(false);
  });
  it("is allowed against an emulator only you can reach (FIREBASE_AUTH_EMULATOR_PRIVATE, set by the dev and test launcher)", () => {
    expect(firebaseProvider.linkable!(config({ emulatorHost: "127.0.0.1:9099", emulatorPrivate: true }))).toBe(true);
  });
});

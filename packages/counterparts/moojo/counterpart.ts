// The Moojo ID counterpart's descriptor (see ../lib/counterpart.ts). Moojo verifies Firebase
// ID tokens, so it trusts the Firebase Auth Emulator (demo-* project only) and runs only with it.
import { randomBytes } from "node:crypto";
import { secret, type Counterpart } from "../lib/counterpart";
import type { RunningFirebaseAuthEmulator } from "../firebase/emulator";
import { startMoojo } from "./service";

export const moojoCounterpart: Counterpart = {
  port: 6,
  label: "moojo",
  needs: ["firebase"],
  secrets: { names: ["MOOJO_API_KEY"], generate: () => ({ MOOJO_API_KEY: `mj_dev_${randomBytes(18).toString("base64url")}` }) },
  // With a real Firebase project there is no emulator for it to trust.
  realServiceConfigured: (env) => Boolean(env.MOOJO_API_URL || env.FIREBASE_PROJECT_ID),
  async start(ctx) {
    const firebase = ctx.needs.firebase?.service as RunningFirebaseAuthEmulator | undefined;
    if (!firebase?.emulatorHost) throw new Error("counterparts: moojo needs the Firebase Auth Emulator");
    const apiKey = secret(ctx, "MOOJO_API_KEY");
    const moojo = await startMoojo({
      faultInjection: ctx.faultInjection,
      variant: ctx.variant,
      port: ctx.port,
      host: ctx.host,
      dataDir: ctx.dataDir,
      apiKey,
      firebase: { projectId: firebase.projectId, emulatorHost: firebase.emulatorHost },
    });
    return {
      service: moojo,
      sweep: (createdBefore) => moojo.sweep(createdBefore),
      env: { MOOJO_API_URL: moojo.url, MOOJO_API_KEY: apiKey },
    };
  },
};

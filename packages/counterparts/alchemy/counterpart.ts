// The Alchemy counterpart's descriptor (see ../lib/counterpart.ts).
import { randomBytes } from "node:crypto";
import { secret, type Counterpart } from "../lib/counterpart";
import { startAlchemy } from "./service";

export const ALCHEMY_AUDIENCE = "byo-demo-project";

export const alchemyCounterpart: Counterpart = {
  port: 7,
  label: "alchemy",
  secrets: { names: ["ALCHEMY_API_KEY"], generate: () => ({ ALCHEMY_API_KEY: `alcht_dev_${randomBytes(18).toString("base64url")}` }) },
  realServiceConfigured: (env) => Boolean(env.ALCHEMY_API_URL),
  async start(ctx) {
    const apiKey = secret(ctx, "ALCHEMY_API_KEY");
    const alchemy = await startAlchemy({
      faultInjection: ctx.faultInjection,
      variant: ctx.variant,
      port: ctx.port,
      host: ctx.host,
      dataDir: ctx.dataDir,
      apiKey,
      audiences: [ALCHEMY_AUDIENCE],
      allowedOrigins: [ctx.appUrl],
      // Like the real service, trust only the registered issuer: the app itself.
      issuers: [ctx.appUrl],
    });
    return {
      service: alchemy,
      sweep: (createdBefore) => alchemy.sweep(createdBefore),
      env: { ALCHEMY_API_URL: alchemy.url, ALCHEMY_API_KEY: apiKey, ALCHEMY_AUDIENCE },
    };
  },
};

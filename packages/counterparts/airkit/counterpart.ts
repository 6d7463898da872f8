// The AIR Kit counterpart's descriptor (see ../lib/counterpart.ts). It trusts partner tokens
// signed with the app's JWKS and mails email-login codes through the mailbox.
import type { Counterpart } from "../lib/counterpart";
import { mailViaMailbox } from "../mailbox/counterpart";
import { startAirKit } from "./service";

export const AIRKIT_PARTNER_ID = "demo-partner";

export const airkitCounterpart: Counterpart = {
  port: 2,
  label: "air kit",
  needs: ["mailbox"],
  browserFacing: true,
  realServiceConfigured: (env) => Boolean(env.AIRKIT_PARTNER_ID),
  async start(ctx) {
    const airkit = await startAirKit({
      faultInjection: ctx.faultInjection,
      variant: ctx.variant,
      port: ctx.port,
      host: ctx.host,
      dataDir: ctx.dataDir,
      partners: [{ partnerId: AIRKIT_PARTNER_ID, jwksUrl: `${ctx.appUrl}/.well-known/jwks.json`, allowedOrigins: [ctx.appUrl] }],
      mail: mailViaMailbox(ctx, "AIR Kit (local) <no-reply@air.local>"),
    });
    return {
      service: airkit,
      sweep: (createdBefore) => airkit.sweep(createdBefore),
      env: { AIRKIT_PARTNER_ID, AIRKIT_API_URL: ctx.publicUrl ?? airkit.url },
    };
  },
};

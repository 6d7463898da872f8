// The Supabase Auth counterpart's descriptor (see ../lib/counterpart.ts). Email codes go
// through the mailbox.
import { randomBytes } from "node:crypto";
import { secret, type Counterpart } from "../lib/counterpart";
import { mailViaMailbox } from "../mailbox/counterpart";
import { startSupabaseAuth } from "./service";

export const supabaseCounterpart: Counterpart = {
  port: 5,
  label: "supabase auth",
  needs: ["mailbox"],
  browserFacing: true,
  secrets: {
    names: ["SUPABASE_PUBLISHABLE_KEY"],
    generate: () => ({ SUPABASE_PUBLISHABLE_KEY: `sb_publishable_dev_${randomBytes(18).toString("base64url")}` }),
  },
  realServiceConfigured: (env) => Boolean(env.SUPABASE_URL),
  async start(ctx) {
    const anonKey = secret(ctx, "SUPABASE_PUBLISHABLE_KEY");
    const supabase = await startSupabaseAuth({
      variant: ctx.variant,
      port: ctx.port,
      host: ctx.host,
      dataDir: ctx.dataDir,
      anonKey,
      ...(ctx.publicUrl ? { publicUrl: ctx.publicUrl } : {}),
      mail: mailViaMailbox(ctx, "Supabase Auth (local) <no-reply@supabase.local>"),
      allowedOrigins: [ctx.appUrl],
    });
    return {
      service: supabase,
      sweep: (createdBefore) => supabase.sweep(createdBefore),
      env: { SUPABASE_URL: ctx.publicUrl ?? supabase.url, SUPABASE_PUBLISHABLE_KEY: anonKey },
    };
  },
};

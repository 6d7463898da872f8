import "server-only";
import { createServerClient } from "@supabase/ssr";
import { cookies } from "next/headers";
import WebSocket from "ws";

/**
 * Supabase client for server code (route handlers, server actions, server components), bound
 * to the request's cookies as @supabase/ssr expects. Create one per request; never share.
 */
export async function createSupabaseServerClient(url: string, publishableKey: string) {
  const cookieStore = await cookies();
  return createServerClient(url, publishableKey, {
    cookies: {
      getAll: () => cookieStore.getAll(),
      setAll(toSet) {
        try {
          for (const { name, value, options } of toSet) cookieStore.set(name, value, options);
        } catch {
          // Called from a server component, where cookies are read-only; the browser client
          // keeps its own cookies fresh.
        }
      },
    },
    // Node 20 has no global WebSocket; supabase-js needs one for its realtime client.
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
}

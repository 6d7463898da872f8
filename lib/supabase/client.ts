// Supabase client for the browser, created once per page and loaded only when used.
import type { SupabaseClient } from "@supabase/supabase-js";

let client: Promise<SupabaseClient> | undefined;

export function getSupabaseBrowserClient(url: string, publishableKey: string): Promise<SupabaseClient> {
  client ??= import("@supabase/ssr").then(({ createBrowserClient }) => createBrowserClient(url, publishableKey));
  return client;
}

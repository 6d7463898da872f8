// Supabase client for the browser, created once per page and loaded only when used.
//
// The session is kept in memory only: the app hands the access token to its server at once
// and runs on its own HttpOnly session from then on. Persisting it (supabase-js's default, or
// @supabase/ssr's cookies) would leave a refresh token readable by any script on the origin.
import type { SupabaseClient } from "@supabase/supabase-js";

let client: Promise<SupabaseClient> | undefined;

export function getSupabaseBrowserClient(url: string, publishableKey: string): Promise<SupabaseClient> {
  client ??= import("@supabase/supabase-js").then(({ createClient }) =>
    createClient(url, publishableKey, { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } }),
  );
  return client;
}

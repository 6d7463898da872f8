"use client";

import dynamic from "next/dynamic";
import type { BrowserIdentity } from "@/components/identity/types";

export const supabaseBrowser: BrowserIdentity = {
  linkable: true,
  // No browser session to end: the Supabase session lives in memory only (./browser.ts).
  Form: dynamic(() => import("./sign-in")),
};

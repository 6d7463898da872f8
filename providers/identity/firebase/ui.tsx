"use client";

import dynamic from "next/dynamic";
import type { BrowserIdentity } from "@/components/identity/types";

export const firebaseBrowser: BrowserIdentity = {
  linkable: true,
  // The Firebase SDK loads only when the option is opened.
  Form: dynamic(() => import("./sign-in")),
  VerifyEmail: dynamic(() => import("./verify-email")),
  endSession: async (config) => (await import("./sign-in")).endFirebaseSession(config),
};

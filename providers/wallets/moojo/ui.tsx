"use client";

import dynamic from "next/dynamic";
import type { BrowserWallet } from "@/components/wallets/types";

export const moojoBrowser: BrowserWallet = {
  Connector: dynamic(() => import("./connect")),
  // Moojo's session token stays on the server and simply expires; nothing to end here.
  endSession: async () => undefined,
};

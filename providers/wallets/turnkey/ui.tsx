"use client";

import dynamic from "next/dynamic";
import type { BrowserWallet } from "@/components/wallets/types";

export const turnkeyBrowser: BrowserWallet = {
  Connector: dynamic(() => import("./connect")),
  Session: dynamic(() => import("./session")),
  endSession: async (config) => (await import("./kit")).clearTurnkeySessions(config),
};

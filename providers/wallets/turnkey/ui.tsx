"use client";

import dynamic from "next/dynamic";
import type { BrowserWallet } from "@/components/wallets/types";
import { turnkeyFace } from "./face";

export const turnkeyBrowser: BrowserWallet = {
  face: turnkeyFace,
  loadConnector: () => import("./connect"),
  Session: dynamic(() => import("./session")),
  endSession: async (config) => (await import("./kit")).clearTurnkeySessions(config),
};

"use client";

import dynamic from "next/dynamic";
import type { BrowserWallet } from "@/components/wallets/types";
import { airkitFace } from "./face";

export const airkitBrowser: BrowserWallet = {
  face: airkitFace,
  loadConnector: () => import("./connect"),
  async endSession(config) {
    const { getAirClient } = await import("./browser");
    const air = await getAirClient({ partnerId: config.partnerId!, apiUrl: config.apiUrl ?? null, buildEnv: config.buildEnv ?? "sandbox" });
    await air.endSession();
  },
  Signer: dynamic(() => import("./sign")),
};

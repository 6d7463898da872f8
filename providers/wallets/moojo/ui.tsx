"use client";

import type { BrowserWallet } from "@/components/wallets/types";
import { moojoFace } from "./face";

export const moojoBrowser: BrowserWallet = {
  face: moojoFace,
  loadConnector: () => import("./connect"),
  // Moojo's session token stays on the server and simply expires; nothing to end here.
  endSession: async () => undefined,
};

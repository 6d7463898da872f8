"use client";

import dynamic from "next/dynamic";
import type { BrowserWallet } from "@/components/wallets/types";
import { alchemyFace } from "./face";

export const alchemyBrowser: BrowserWallet = {
  face: alchemyFace,
  loadConnector: () => import("./connect"),
  // The session key kept for signing (non-extractable, IndexedDB) goes; the server forgets the wallet.
  endSession: async () => (await import("./browser/session-key")).deleteSessionKey(),
  Signer: dynamic(() => import("./sign")),
};

import { mutation } from "@/lib/http/route";
import { disconnectWallet } from "@/lib/wallets/service";

export const DELETE = mutation<{ provider: string }>(async (_body, { provider }) => disconnectWallet(provider), { body: false });

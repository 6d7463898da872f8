import { mutation } from "@/lib/http/route";
import { runWalletAction } from "@/lib/wallets/service";

export const POST = mutation<{ provider: string; action: string }>((body, { provider, action }) => runWalletAction(provider, action, body));

import "server-only";
import { getConfig } from "@/lib/config";
import { errors } from "@/lib/http/errors";
import { requireIdentity } from "@/lib/identity/session";
import { getKeySet } from "@/lib/keys";
import { getStore } from "@/lib/store";
import { getWalletProvider } from "@/providers/wallets/registry";

/** Runs one server-side wallet step for the signed-in user. */
export async function runWalletAction(providerId: string, actionName: string, body: unknown): Promise<unknown> {
  const [config, identity] = await Promise.all([getConfig(), requireIdentity()]);
  const provider = getWalletProvider(providerId);
  if (!provider) throw errors.notFound("This wallet provider");
  if (!provider.isConfigured(config)) throw errors.notConfigured(provider.name);
  const action = Object.hasOwn(provider.actions, actionName) ? provider.actions[actionName] : undefined;
  if (!action) throw errors.notFound("This wallet action");
  const input = action.input.parse(body ?? {});
  const [store, keySet] = await Promise.all([getStore(), getKeySet()]);
  return action.run({ identity, user: identity.user, config, store, keySet }, input);
}

/** Forgets the server's record of a wallet session (the browser ends the provider's own). */
export async function disconnectWallet(providerId: string | undefined): Promise<void> {
  const identity = await requireIdentity();
  // The id the store gets is the registry's own, never the request's string.
  const provider = providerId === undefined ? undefined : getWalletProvider(providerId);
  if (providerId !== undefined && !provider) throw errors.notFound("This wallet provider");
  const store = await getStore();
  await store.deleteWalletConnections(identity.userId, provider?.id);
}

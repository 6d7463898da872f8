// Between the wallet cards' connectors and the page, per page and by provider id: a card's
// connector says how a connect ended, and the page can start a card's connect and wait for
// that (the dashboard's "Reconnect previous wallets", which runs them one after another).

/** How a connect ended: connected, failed (the card shows why), or cancelled by the person. */
export type ConnectOutcome = "connected" | "failed" | "cancelled";

const waiting = new Map<string, (outcome: ConnectOutcome) => void>();
const starters = new Map<string, () => void>();

/** Called by connectors when a connect ends, however it was started; no-op when nobody waits. */
export function reportConnectOutcome(provider: string, outcome: ConnectOutcome): void {
  const resolve = waiting.get(provider);
  if (!resolve) return;
  waiting.delete(provider);
  resolve(outcome);
}

/** A card on the page registers how to start its primary connect; returns the unregistering function. */
export function registerCardConnect(provider: string, start: () => void): () => void {
  starters.set(provider, start);
  return () => {
    if (starters.get(provider) === start) starters.delete(provider);
  };
}

/**
 * Starts the card's primary connect as if its button were pressed, and resolves with how it
 * ended (which may take as long as the person needs to answer what it asks, an email code).
 * Null when no card of that provider offers a connect on the page.
 */
export function connectCard(provider: string): Promise<ConnectOutcome> | null {
  const start = starters.get(provider);
  if (!start) return null;
  // A wait still open for this card (never answered) ends as cancelled: one wait per card.
  reportConnectOutcome(provider, "cancelled");
  const outcome = new Promise<ConnectOutcome>((resolve) => waiting.set(provider, resolve));
  start();
  return outcome;
}

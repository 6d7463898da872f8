// A concurrency gate for expensive work (password hashing), fair between clients.
//
// Invariants:
// - At most `concurrency` tasks run at once (scrypt takes a libuv thread and 32 MiB each).
// - One client has at most `perClient` tasks running or waiting; more are refused at once
//   ("client_busy"), so a client firing many requests in parallel cannot fill the queue.
// - The queue is bounded (`maxQueued`); beyond it the gate refuses ("server_busy") instead of
//   queueing without end. Nothing waits unboundedly.
// - Waiting tasks are served round-robin by client, not first-come: one client's burst cannot
//   make everyone else wait behind it.
// - A refusal is a value, not an exception: the gate is shared process-wide (globalThis) by
//   every bundle of the app, and an error class from one bundle fails `instanceof` in another.
//   The caller turns a refusal into its own error.

export type GateResult<T> = { ok: true; value: T } | { ok: false; refusal: "client_busy" | "server_busy" };

export interface WorkGate {
  run<T>(client: string, task: () => Promise<T>): Promise<GateResult<T>>;
  /** Running and waiting tasks, for tests and diagnostics. */
  load(): { running: number; queued: number };
}

export function createWorkGate({
  concurrency,
  perClient,
  maxQueued,
}: {
  concurrency: number;
  perClient: number;
  maxQueued: number;
}): WorkGate {
  let running = 0;
  let queued = 0;
  /** Tasks running or waiting, per client. */
  const active = new Map<string, number>();
  /** Waiting starters per client; the Map's order is the round-robin order. */
  const waiting = new Map<string, (() => void)[]>();

  function release(client: string) {
    const n = (active.get(client) ?? 1) - 1;
    if (n <= 0) active.delete(client);
    else active.set(client, n);
    running -= 1;
    // Next in line: the first client in round-robin order; it goes to the back afterwards.
    const next = waiting.entries().next();
    if (next.done) return;
    const [nextClient, starters] = next.value;
    const start = starters.shift()!;
    waiting.delete(nextClient);
    if (starters.length > 0) waiting.set(nextClient, starters);
    queued -= 1;
    running += 1;
    start();
  }

  return {
    async run(client, task) {
      const mine = active.get(client) ?? 0;
      if (mine >= perClient) return { ok: false, refusal: "client_busy" };
      if (running >= concurrency) {
        if (queued >= maxQueued) return { ok: false, refusal: "server_busy" };
        active.set(client, mine + 1);
        queued += 1;
        await new Promise<void>((resolve) => {
          const list = waiting.get(client);
          if (list) list.push(resolve);
          else waiting.set(client, [resolve]);
        });
        // release() counted this task as running before starting it.
      } else {
        active.set(client, mine + 1);
        running += 1;
      }
      try {
        return { ok: true, value: await task() };
      } finally {
        release(client);
      }
    },
    load: () => ({ running, queued }),
  };
}

import { describe, expect, it } from "vitest";
import { createWorkGate } from "./work-gate";

/** A task that finishes when told to, and records when it started. */
function pending(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { task: async () => (log.push(name), done), finish };
}

describe("work gate (password hashing)", () => {
  it("runs at most `concurrency` tasks; a client over its share is refused at once", async () => {
    const gate = createWorkGate({ concurrency: 2, perClient: 2, maxQueued: 8 });
    const log: string[] = [];
    const a = pending(log, "a1");
    const b = pending(log, "a2");
    const first = gate.run("junk", a.task);
    const second = gate.run("junk", b.task);
    expect(await gate.run("junk", async () => "never")).toEqual({ ok: false, refusal: "client_busy" });
    expect(gate.load()).toEqual({ running: 2, queued: 0 });
    a.finish();
    b.finish();
    await Promise.all([first, second]);
    expect(gate.load()).toEqual({ running: 0, queued: 0 });
  });

  it("never queues without end: beyond the queue limit it refuses (server_busy)", async () => {
    const gate = createWorkGate({ concurrency: 1, perClient: 1, maxQueued: 2 });
    const log: string[] = [];
    const hold = pending(log, "hold");
    const running = gate.run("c0", hold.task);
    const queued = [gate.run("c1", async () => "1"), gate.run("c2", async () => "2")];
    expect(await gate.run("c3", async () => "3")).toEqual({ ok: false, refusal: "server_busy" });
    hold.finish();
    await running;
    expect(await Promise.all(queued)).toEqual([
      { ok: true, value: "1" },
      { ok: true, value: "2" },
    ]);
  });

  it("serves waiting clients round-robin: a real user's task is next, not behind a burst", async () => {
    const gate = createWorkGate({ concurrency: 1, perClient: 4, maxQueued: 16 });
    const log: string[] = [];
    const hold = pending(log, "hold");
    const all = [gate.run("junk", hold.task)];
    for (let i = 0; i < 3; i++) all.push(gate.run("junk", async () => void log.push(`junk${i}`)));
    all.push(gate.run("real", async () => void log.push("real")));
    hold.finish();
    await Promise.all(all);
    expect(log).toEqual(["hold", "junk0", "real", "junk1", "junk2"]);
  });

  it("frees the slot when a task fails", async () => {
    const gate = createWorkGate({ concurrency: 1, perClient: 1, maxQueued: 1 });
    await expect(gate.run("c", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await gate.run("c", async () => "ok")).toEqual({ ok: true, value: "ok" });
  });
});

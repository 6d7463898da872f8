/**
 * Resend must not tell pending addresses from unknown or confirmed ones by its timing. The
 * mailer here accepts connections and never answers (the slowest mail provider there is):
 * a resend that waited for it would take seconds for pending addresses only.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let dataDir: string;
let mailer: Server;
const sockets = new Set<Socket>();
let service: typeof import("./service");
let store: Awaited<ReturnType<typeof import("@/lib/store").getStore>>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "password-resend-"));
  mailer = createServer((socket) => void sockets.add(socket));
  await new Promise<void>((resolve) => mailer.listen(0, "127.0.0.1", resolve));
  const { port } = mailer.address() as { port: number };
  Object.assign(process.env, {
    DATA_DIR: dataDir,
    AUTH_PASSWORD_ENABLED: "true",
    MAIL_API_URL: `http://127.0.0.1:${port}`,
    MAIL_API_KEY: "resend-test-key-0123456789",
  });
  service = await import("./service");
  store = await (await import("@/lib/store")).getStore();
}, 60_000);

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => mailer.close(resolve));
  await store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function timed(email: string): Promise<number> {
  const started = performance.now();
  await service.resendConfirmation({ email });
  return performance.now() - started;
}

describe("resend timing", () => {
  it("answers pending, confirmed and unknown addresses without waiting for the mail", async () => {
    const pending = await store.createPasswordCredential({ email: "pending@example.com", passwordHash: "scrypt$unused", name: null });
    const confirmed = await store.createPasswordCredential({ email: "confirmed@example.com", passwordHash: "scrypt$unused", name: null });
    await store.markPasswordEmailVerified(confirmed!.id);
    expect(pending).not.toBeNull();

    for (const email of ["pending@example.com", "confirmed@example.com", "unknown@example.com"]) {
      // A few queries each; a wait for the mailer would be its 8 s timeout.
      expect(await timed(email)).toBeLessThan(1000);
    }
  });
});

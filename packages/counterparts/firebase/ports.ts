/**
 * Port helpers for services that, unlike our own node:http counterparts, cannot listen on port 0
 * and report the port they got (the Firebase emulators need fixed ports in firebase.json).
 *
 * There is an unavoidable race: a port is free when we close our probe and could be taken
 * before the real service binds it. Ports come from the kernel's ephemeral range, so a
 * collision needs another process to bind that exact port in the gap; callers that care still
 * check the port right before use.
 *
 * Several ports wanted at once must be probed at once: the kernel may hand out a port again
 * as soon as its probe is closed, so probing one after the other can return duplicates.
 */
import { createServer, type Server } from "node:net";

function openProbe(host: string): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        server.close();
        reject(new Error("Probe server has no TCP address"));
        return;
      }
      resolve({ server, port: address.port });
    });
  });
}

function closeProbe(server: Server): Promise<void> {
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

/**
 * `count` distinct ports on `host` that the kernel considers free right now, none of them in
 * `exclude` (e.g. a port already promised to another service that has not bound it yet).
 */
export async function findFreePorts(count: number, options: { host?: string; exclude?: readonly number[] } = {}): Promise<number[]> {
  const host = options.host ?? "127.0.0.1";
  const exclude = new Set(options.exclude ?? []);
  const probes: Server[] = [];
  const ports: number[] = [];
  try {
    // An excluded port stays held by its probe, so the kernel cannot offer it again.
    for (let attempts = 0; ports.length < count; attempts++) {
      if (attempts > count + 64) throw new Error("Could not find enough free ports");
      const probe = await openProbe(host);
      probes.push(probe.server);
      if (!exclude.has(probe.port)) ports.push(probe.port);
    }
    return ports;
  } finally {
    await Promise.all(probes.map(closeProbe));
  }
}

/** A port on `host` that the kernel considers free right now. */
export async function findFreePort(host = "127.0.0.1"): Promise<number> {
  const [port] = await findFreePorts(1, { host });
  if (port === undefined) throw new Error("Could not find a free port");
  return port;
}

/** True when a TCP server could listen on `host:port` now (nothing else is bound to it). */
export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE" || error.code === "EACCES") resolve(false);
      else reject(error);
    });
    probe.listen({ port, host, exclusive: true }, () => {
      probe.close((error) => (error ? reject(error) : resolve(true)));
    });
  });
}

// A TLS-terminating proxy for the host-routed demo's end-to-end run, doing what Caddy or nginx
// (docs/deploy.md) or a host's router does in front of `npm run demo`: it ends TLS for
// `demo.localhost` and every `*.demo.localhost`, and forwards plain HTTP to the demo's front
// proxy with X-Forwarded-For (the client's address appended), -Proto and -Host. Its
// certificate is self-signed, generated for the run (never committed); Chromium is told to
// trust exactly that key (`--ignore-certificate-errors-spki-list`), so the pages are secure
// contexts without certificate errors and Secure cookies, `__Host-` prefixes and WebAuthn
// behave as they do on a real host.
import { createHash, createPublicKey } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:https";
import { join } from "node:path";
import { createProxyServer } from "httpxy";
import { generate } from "selfsigned";

export interface TestCertificate {
  readonly cert: string;
  readonly key: string;
  /** base64 SHA-256 of the certificate's SubjectPublicKeyInfo, for --ignore-certificate-errors-spki-list. */
  readonly spki: string;
}

function spkiHash(cert: string): string {
  const der = createPublicKey(cert).export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("base64");
}

/**
 * The certificate for `host` and its sub-hosts, kept in `dir`: generated when missing or more
 * than a day old, read back otherwise. Playwright loads its config in every worker as well as
 * in the runner, and the terminator runs in the web server's process: all must see one key.
 */
export async function testCertificate(dir: string, host: string): Promise<TestCertificate> {
  const certFile = join(dir, "cert.pem");
  const keyFile = join(dir, "key.pem");
  const stale = !existsSync(certFile) || !existsSync(keyFile) || Date.now() - statSync(certFile).mtimeMs > 24 * 3600_000;
  if (stale) {
    const now = Date.now();
    const pems = await generate([{ name: "commonName", value: host }], {
      keyType: "ec",
      curve: "P-256",
      algorithm: "sha256",
      notBeforeDate: new Date(now - 3600_000),
      notAfterDate: new Date(now + 2 * 24 * 3600_000),
      extensions: [
        { name: "basicConstraints", cA: false },
        { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
        { name: "extKeyUsage", serverAuth: true },
        {
          name: "subjectAltName",
          altNames: [
            { type: 2, value: host },
            { type: 2, value: `*.${host}` },
          ],
        },
      ],
    } as Parameters<typeof generate>[1]);
    mkdirSync(dir, { recursive: true });
    writeFileSync(certFile, pems.cert);
    writeFileSync(keyFile, pems.private, { mode: 0o600 });
  }
  const cert = readFileSync(certFile, "utf8");
  return { cert, key: readFileSync(keyFile, "utf8"), spki: spkiHash(cert) };
}

/** Listens with TLS on `port` (loopback) and forwards everything to `target` as a TLS proxy would. */
export async function startTlsTerminator(options: {
  certificate: TestCertificate;
  port: number;
  target: string;
}): Promise<() => Promise<void>> {
  // xfwd: append the client's address to X-Forwarded-For and set -Proto (https) and -Host, as
  // Caddy's reverse_proxy does by default.
  const proxy = createProxyServer({ target: options.target, xfwd: true });
  proxy.on("error", (_error, _req, res) => {
    if (res && "writeHead" in res && !res.headersSent) res.writeHead(502).end();
    else res?.destroy();
  });
  const server = createServer({ cert: options.certificate.cert, key: options.certificate.key }, (req, res) => {
    proxy.web(req, res).catch(() => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
      proxy.close();
    });
}

// The host-routed demo behind a TLS-terminating proxy, for playwright.demo.config.ts: the test
// stack with DEMO_PUBLIC_URL (https), then TLS on the public port forwarding to the front proxy.
// The terminator opens its port last, so an open port means everything answers.
//
//   DEMO_PUBLIC_URL=https://demo.localhost:3900 PORT=3901 TLS_PORT=3900 TLS_DIR=… tsx scripts/test/demo-behind-tls.ts
import { runStack } from "../lib/stack";
import { startTlsTerminator, testCertificate } from "./tls";

const publicUrl = new URL(process.env.DEMO_PUBLIC_URL ?? "");
const certificate = await testCertificate(process.env.TLS_DIR ?? ".data/e2e-demo-tls", publicUrl.hostname);
await runStack("test");
await startTlsTerminator({ certificate, port: Number(process.env.TLS_PORT), target: `http://127.0.0.1:${process.env.PORT}` });
console.log(`[tls] ${publicUrl.origin} → front proxy on 127.0.0.1:${process.env.PORT}`);

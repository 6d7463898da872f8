import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL(".", import.meta.url)),
      // `server-only` throws outside React Server Components by design; unit tests run
      // server modules directly in Node, which is the environment the marker protects.
      "server-only": fileURLToPath(new URL("./scripts/test/server-only-stub.ts", import.meta.url)),
    },
  },
  test: {
    include: ["{lib,providers,packages,app,components,scripts}/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    // next-auth imports "next/server" without an extension, which Node's ESM resolver refuses;
    // inlining lets Vite resolve it as Next.js itself does.
    server: { deps: { inline: ["next-auth"] } },
    hookTimeout: 30_000,
    // One real PostgreSQL for the run (store tests run on PGlite and on PostgreSQL), and the
    // Firebase Auth Emulator installed on first use (the emulator tests need it).
    globalSetup: ["scripts/test/postgres-global-setup.ts", "scripts/test/counterparts-install-setup.ts"],
  },
});

// Vitest global setup: the Firebase Auth Emulator tests need firebase-tools, which is not part of
// the workspace install (packages/counterparts/firebase/install.ts). Installed here, once per
// checkout and before any test starts, so a clean clone runs `npm test` without an extra step
// and no test hook has to wait minutes for an install. Later runs only compare a hash.
import { ensureFirebaseTools } from "@byo/counterparts/firebase";

export default async function setup(): Promise<void> {
  await ensureFirebaseTools((line) => process.stderr.write(`[vitest] ${line}\n`));
}

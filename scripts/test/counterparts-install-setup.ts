// Vitest global setup: installs what the counterparts present need before their first start
// (the Firebase Auth Emulator's firebase-tools, which is not part of the workspace install;
// packages/counterparts/firebase/install.ts). Once per checkout and before any test starts, so a
// clean clone runs `npm test` without an extra step and no test hook waits minutes for an
// install. Later runs only compare a hash. Nothing happens when no counterpart needs an install.
import { installCounterparts } from "@byo/counterparts";

export default async function setup(): Promise<void> {
  await installCounterparts((line) => process.stderr.write(`[vitest] ${line}\n`));
}

// CLI: tsx scripts/stack.ts <dev|demo|test>
import { runStack, type StackMode } from "./lib/stack";

const mode = process.argv[2] as StackMode;
if (!["dev", "demo", "test"].includes(mode)) {
  console.error("usage: tsx scripts/stack.ts <dev|demo|test>");
  process.exit(2);
}
await runStack(mode);

import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect } from "./test";

// WCAG 2.2 AA, as the axe rule tags name it (2.0, 2.1 and 2.2, levels A and AA).
const WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

/**
 * Fails with every violation axe finds in the page as it is now: the rule, its impact and the
 * first few offending elements, so a failure names what to fix without opening the trace.
 */
export async function expectAccessible(page: Page, state: string): Promise<void> {
  // Colours are read from the rendered page: a button caught mid-transition (enabled a moment
  // ago) has a blend of its two states' colours. Judge the page once every transition ends.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"));
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze();
  const summary = violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(1).join(" ").trim()}`),
  }));
  expect(summary, `axe violations on ${state}`).toEqual([]);
}

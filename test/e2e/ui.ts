/**
 * UI checks through a real browser, as a person sees the packaged extension:
 * open a policy file, see the squiggle and the Problems entry for a plaintext
 * port, hover it. Ends with the README's screenshot.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { ROOT } from "./build";

export interface UiOptions {
  readonly url: string;
  readonly workspace: string;
  /** Where to save the screenshot of the editor with its hover. */
  readonly screenshot: string;
  readonly log: (s: string) => void;
}

/** The fixture with one plaintext port (pop3 from any). */
const FILE = "plaintext.mailpolicy.yaml";
const CODE = "security.plaintext-access";

/** Where a failing check leaves a picture of the page (out/ is not committed). */
export const FAILURE_SCREENSHOT = path.join(ROOT, "out", "e2e", "ui-failure.png");

/** Runs one named check, logging its time; on failure, saves a picture of the page and names the check. */
export async function step<T>(page: Page, name: string, log: (s: string) => void, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    const value = await fn();
    log(`  ui: ${name} (${Date.now() - started} ms)`);
    return value;
  } catch (err) {
    mkdirSync(path.dirname(FAILURE_SCREENSHOT), { recursive: true });
    const saved = await page.screenshot({ path: FAILURE_SCREENSHOT }).then(
      () => ` (screenshot: ${path.relative(ROOT, FAILURE_SCREENSHOT)})`,
      () => "",
    );
    const reason = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new Error(`UI check "${name}" failed: ${reason}${saved}`);
  }
}

async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press("Control+P");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible", timeout: 10_000 });
  await input.fill(name);
  await page.locator(".quick-input-list .monaco-list-row", { hasText: name }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press("Enter");
  await page.locator(`.tabs-container .tab.active[aria-label*="${name}"]`).waitFor({ timeout: 10_000 });
}

/** Runs the checks; throws with the first one that fails. */
export async function runUiChecks(browser: Browser, options: UiOptions): Promise<void> {
  const { log } = options;
  const context = await browser.newContext({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  try {
    await step(page, "workbench loads", log, async () => {
      await page.goto(`${options.url}/?folder=${encodeURIComponent(options.workspace)}`);
      await page.locator(".monaco-workbench .part.editor").waitFor({ timeout: 30_000 });
      await page.locator(".explorer-folders-view, .explorer-viewlet").first().waitFor({ timeout: 30_000 });
    });
    await step(page, `open ${FILE}`, log, () => openFile(page, FILE));
    await step(page, "language mode is Mail Policy", log, async () => {
      await page.locator('[id="status.editor.mode"]', { hasText: "Mail Policy" }).waitFor({ timeout: 10_000 });
    });
    const squiggle = page.locator(".monaco-editor .squiggly-warning").first();
    await step(page, "plaintext port has a warning squiggle", log, () => squiggle.waitFor({ timeout: 15_000 }));
    await step(page, "Problems panel lists the warning", log, async () => {
      await page.locator('[id="status.problems"]').click();
      await page.locator(".markers-panel .monaco-list-row", { hasText: CODE }).first().waitFor({ timeout: 10_000 });
    });
    await step(page, "hover explains the port", log, async () => {
      // Click into the editor first so the hover belongs to it, not to the panel.
      const box = await squiggle.boundingBox();
      if (!box) throw new Error("the squiggle has no position on screen");
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.move(box.x + box.width / 2 + 1, box.y + box.height / 2);
      const hover = page.locator(".monaco-hover:not(.hidden)", { hasText: "110/tcp" }).first();
      await hover.waitFor({ state: "visible", timeout: 10_000 });
      const text = (await hover.textContent()) ?? "";
      if (!text.includes("pop3")) throw new Error(`the hover does not describe pop3: ${text.slice(0, 200)}`);
    });
    await step(page, "screenshot", log, async () => {
      await page.waitForTimeout(800);
      await page.screenshot({ path: options.screenshot });
    });
  } finally {
    await context.close();
  }
}

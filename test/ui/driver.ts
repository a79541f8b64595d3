// A small driver for UI tests: a real VS Code workbench (code-server) in headless Chromium with
// this extension loaded, and the few gestures tests need. It runs in plain Node (mocha), outside
// the extension host, so it sees only what a user sees: the DOM.
//
//   const wb = await UiWorkbench.start();            // fresh git workspace, or { workspace }
//   await wb.clickActivityBarItem('AI Provenance');
//   await wb.screenshot('review-view');              // test-results/ui/review-view.png
//   await wb.close();

import * as fs from 'fs';
import * as path from 'path';
import type { Locator, Page } from 'playwright-core';
import { launchWorkbench, LaunchOptions, repoRoot, Workbench } from './codeServer';

/** How long a gesture waits for its target to appear. */
const UI_TIMEOUT = 30_000;

/** Playwright wants CSS strings; labels come from tests and may contain quotes. */
function cssString(value: string): string {
  return JSON.stringify(value);
}

export class UiWorkbench {
  private constructor(private readonly workbench: Workbench) {}

  get page(): Page {
    return this.workbench.page;
  }

  get workspace(): string {
    return this.workbench.workspace;
  }

  /** Starts the workbench and waits until its activity bar is on screen. */
  static async start(options: Pick<LaunchOptions, 'workspace' | 'viewport' | 'env' | 'extensionTestsPath'> = {}): Promise<UiWorkbench> {
    const workbench = await launchWorkbench(options);
    const ui = new UiWorkbench(workbench);
    try {
      await ui.page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    } catch (error) {
      await ui.screenshot('startup-failure').catch(() => undefined);
      await workbench.close();
      throw error;
    }
    return ui;
  }

  /** Runs a command through the Command Palette by its title as shown there (e.g. "AI Provenance: Show Log"). */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ timeout: UI_TIMEOUT });
    await input.fill(`>${title}`);
    const row = this.page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ timeout: UI_TIMEOUT });
    await row.click();
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  }

  /**
   * Reloads the window as a user would ("Developer: Reload Window") and waits until the new page
   * has loaded and shows its activity bar. A flag left on the old page must be gone afterwards,
   * which proves the page was really replaced rather than the command silently doing nothing.
   */
  async reloadWindow(timeout = 90_000): Promise<void> {
    await this.page.evaluate('window.__aipBeforeReload = true');
    const loaded = this.page.waitForEvent('load', { timeout });
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ timeout: UI_TIMEOUT });
    await input.fill('>Developer: Reload Window');
    await this.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Developer: Reload Window' }).first().waitFor({ timeout: UI_TIMEOUT });
    // Enter, not a click: the click's own post-action checks can trip over the navigation it starts.
    await this.page.keyboard.press('Enter');
    await loaded;
    await this.page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout });
    if (await this.page.evaluate('window.__aipBeforeReload === true')) throw new Error('the window did not reload');
  }

  /** Presses keys in order, Playwright style: 'Escape', 'Control+Shift+P', 'ArrowDown'. */
  async pressKeys(...keys: string[]): Promise<void> {
    for (const key of keys) await this.page.keyboard.press(key);
  }

  /** The activity-bar entry whose accessible label starts with `label` (a badge may follow it). */
  activityBarItem(label: string): Locator {
    return this.page.locator(`.part.activitybar .action-item a.action-label[aria-label^=${cssString(label)}]`).first();
  }

  /** Clicks an activity-bar item, e.g. 'AI Provenance' or 'Explorer'. */
  async clickActivityBarItem(label: string): Promise<void> {
    const item = this.activityBarItem(label);
    await item.waitFor({ timeout: UI_TIMEOUT });
    await item.click();
  }

  /** A tree or list row in the side bar whose text contains `label`. */
  treeItem(label: string): Locator {
    return this.page.locator('.part.sidebar .monaco-list-row', { hasText: label }).first();
  }

  /** Clicks a row of a tree view in the side bar by the text it shows. */
  async clickTreeItem(label: string): Promise<void> {
    const item = this.treeItem(label);
    await item.waitFor({ timeout: UI_TIMEOUT });
    await item.click();
  }

  /**
   * The messages in the notification center. In this workbench, extension notifications go to
   * the center without showing a toast, so tests read them here.
   */
  async notificationMessages(): Promise<string[]> {
    await this.runCommand('Notifications: Show Notifications');
    const center = this.page.locator('.notifications-center');
    await center.waitFor({ timeout: UI_TIMEOUT });
    return center.locator('.notification-list-item-message').allTextContents();
  }

  /** Saves a PNG under test-results/ui/ (gitignored) and returns its path. */
  async screenshot(name: string): Promise<string> {
    const file = path.join(repoRoot, 'test-results', 'ui', `${name.replace(/[^\w.-]+/g, '-')}.png`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Opens a workspace file through Quick Open and waits until its editor shows `visibleText`. */
  async openFile(name: string, visibleText: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    const quickOpen = this.page.locator('.quick-input-widget .quick-input-box input');
    await quickOpen.waitFor({ timeout: UI_TIMEOUT });
    await quickOpen.fill(name);
    await this.see(`${name} in quick open`, this.page.locator('.quick-input-widget .monaco-list-row', { hasText: name }));
    await this.page.keyboard.press('Enter');
    await this.see(`the editor of ${name}`, this.page.locator('.part.editor .monaco-editor .view-line', { hasText: visibleText }));
  }

  /**
   * Waits for `locator` to show; on failure saves a screenshot named after `what` and fails with
   * its path, so a red UI test says what it was waiting for and what the screen looked like.
   */
  async see(what: string, locator: Locator, timeout = UI_TIMEOUT): Promise<Locator> {
    try {
      await locator.first().waitFor({ timeout });
      return locator.first();
    } catch {
      const shot = await this.screenshot(`missing-${what}`);
      throw new Error(`did not see ${what} within ${timeout} ms (screenshot: ${shot})`);
    }
  }

  async close(): Promise<void> {
    await this.workbench.close();
  }
}

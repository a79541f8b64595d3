// UI: the whole review flow in a real workbench, driven like a user through the browser.
// The panel's welcome offers the missing hook -> the first-activation offer is accepted -> a
// fixture inline completion is accepted with Tab -> the gutter icon appears -> the next-unreviewed
// keybinding selects it -> a commit from the terminal is blocked and explained -> the panel lists
// the region -> it is marked reviewed from the panel -> the icon changes and the list empties ->
// the same commit from the terminal succeeds. Along the way it takes the README screenshots, in a
// dark and a light theme: into test-results/ui/screenshots/, or over media/screenshots/ when
// AIP_UPDATE_SCREENSHOTS=1 (so that a test run leaves the working tree as it found it).

import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Locator } from 'playwright-core';
import { createGitWorkspace, repoRoot } from './codeServer';
import { UiWorkbench } from './driver';
import { acceptFixtureCompletion } from './fixtures/acceptCompletion';

const SHOTS = process.env.AIP_UPDATE_SCREENSHOTS === '1' ? path.join(repoRoot, 'media', 'screenshots') : path.join(repoRoot, 'test-results', 'ui', 'screenshots');
const T = 30_000;

suite('UI: review flow', () => {
  let wb: UiWorkbench;
  let tmp: string;
  let workspace: string;

  const git = (...args: string[]) => execFileSync('git', args, { cwd: workspace, encoding: 'utf8', env: { ...process.env, HOME: path.join(tmp, 'home'), GIT_CONFIG_NOSYSTEM: '1' } });
  const headSubject = () => git('log', '-1', '--format=%s').trim();

  suiteSetup(async function () {
    this.timeout(180_000);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aip-ui-flow-'));
    workspace = createGitWorkspace(path.join(tmp, 'workspace'), path.join(tmp, 'home'));
    // Reviewed lines keep a fainter icon, so "the icon changes" is visible, not just gone.
    fs.mkdirSync(path.join(workspace, '.vscode'));
    writeSettings();
    git('add', '-A');
    git('commit', '-qm', 'Workspace settings');
    wb = await UiWorkbench.start({
      workspace,
      viewport: { width: 1440, height: 860 },
      extensionTestsPath: path.join(__dirname, 'fixtures', 'completionHost.js'),
    });
  });

  suiteTeardown(async () => {
    await wb?.close();
    if (tmp && process.env.AIP_KEEP_TMP !== '1') fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** Waits for `locator`; on failure saves a screenshot and says where. */
  const see = (what: string, locator: Locator, timeout = T): Promise<Locator> => wb.see(`review-flow-${what}`, locator, timeout);

  /**
   * A notification, as a toast or else in the notification centre (opened from the status bar):
   * the workbench keeps some notifications, e.g. those raised while it starts, out of the toasts.
   */
  async function notification(what: string, text: string, timeout = T): Promise<Locator> {
    const toast = wb.page.locator('.notifications-toasts .notification-toast', { hasText: text });
    const listed = wb.page.locator('.notifications-center .notification-list-item', { hasText: text });
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
      if (await toast.count()) return toast.first();
      if (await listed.count()) return listed.first();
      if (!(await wb.page.locator('.notifications-center.visible').count())) await wb.page.locator('#status\\.notifications').click();
      await wb.page.waitForTimeout(500);
    }
    const shot = await wb.screenshot(`review-flow-${what}`);
    assert.fail(`no notification "${text}" (screenshot: ${shot})`);
  }

  async function closeNotifications(): Promise<void> {
    if (await wb.page.locator('.notifications-center.visible').count()) await wb.page.locator('#status\\.notifications').click();
  }

  /** The class names of the glyph-margin decorations on screen, with the icon each one draws. */
  async function gutterIcons(): Promise<string[]> {
    // Runs in the page (this project compiles without DOM types, hence the string).
    return wb.page.evaluate(`[...document.querySelectorAll('.part.editor .monaco-editor .margin-view-overlays div, .part.editor .monaco-editor .glyph-margin-widgets div')]
      .map((el) => getComputedStyle(el).backgroundImage)
      .filter((bg) => bg.includes('gutter-'))`);
  }

  async function waitForIcons(what: string, ok: (icons: string[]) => boolean): Promise<string[]> {
    const deadline = Date.now() + T;
    let icons: string[] = [];
    while (Date.now() < deadline) {
      icons = await gutterIcons();
      if (ok(icons)) return icons;
      await wb.page.waitForTimeout(200);
    }
    const shot = await wb.screenshot(`review-flow-${what}`);
    assert.fail(`gutter icons never showed ${what}: ${JSON.stringify(icons)} (screenshot: ${shot})`);
  }

  async function shot(name: string, target?: Locator): Promise<void> {
    fs.mkdirSync(SHOTS, { recursive: true });
    const file = path.join(SHOTS, `${name}.png`);
    if (target) await target.screenshot({ path: file });
    else await wb.page.screenshot({ path: file });
  }

  /** Workspace settings; the workbench applies a change to the file as it would a user's edit. */
  function writeSettings(extra: Record<string, unknown> = {}): void {
    const settings = { 'aiProvenance.gutter.showReviewed': true, 'editor.minimap.enabled': false, ...extra };
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
  }

  async function setTheme(name: string): Promise<void> {
    writeSettings({ 'workbench.colorTheme': name });
    const dark = name.includes('Dark');
    await see(`the ${name} theme`, wb.page.locator(dark ? '.monaco-workbench.vs-dark' : '.monaco-workbench.vs:not(.vs-dark)'));
    await wb.page.waitForTimeout(500);
  }

  /** Hovers the first on-screen line that contains `text`, and waits for our hover. */
  async function hoverLine(text: string): Promise<Locator> {
    const line = await see(`the line "${text}"`, wb.page.locator('.part.editor .view-line', { hasText: text }));
    const box = (await line.boundingBox())!;
    await wb.page.mouse.move(box.x + 40, box.y + box.height / 2);
    await wb.page.mouse.move(box.x + 44, box.y + box.height / 2);
    return see('the provenance hover', wb.page.locator('.monaco-hover', { hasText: 'AI-written code' }));
  }

  async function runInTerminal(command: string): Promise<void> {
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('Control+Backquote');
    const terminal = await see('the terminal', wb.page.locator('.terminal-wrapper.active .xterm, .terminal .xterm'));
    await terminal.click();
    // Characters typed before the shell is ready are lost: first wait until it runs a command.
    const ready = path.join(workspace, '.git', 'aip-terminal-ready');
    const deadline = Date.now() + T;
    while (!fs.existsSync(ready)) {
      if (Date.now() > deadline) assert.fail(`the terminal never ran a command (screenshot: ${await wb.screenshot('review-flow-terminal')})`);
      await wb.page.keyboard.type('touch .git/aip-terminal-ready\n', { delay: 5 });
      for (let i = 0; i < 10 && !fs.existsSync(ready); i++) await wb.page.waitForTimeout(200);
    }
    fs.rmSync(ready);
    await wb.page.keyboard.type(`${command}\n`, { delay: 5 });
  }

  async function waitForCommit(subject: string, timeout = T): Promise<boolean> {
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
      if (headSubject() === subject) return true;
      await wb.page.waitForTimeout(250);
    }
    return false;
  }

  test('accept a completion, see it, get blocked, review it from the panel, commit', async function () {
    this.timeout(240_000);
    const page = wb.page;

    // The panel before anything happened: nothing to review, and the hook is missing.
    await wb.clickActivityBarItem('AI Provenance');
    const welcome = page.locator('.part.sidebar .welcome-view-content');
    await see('the hook-missing welcome', welcome.filter({ hasText: 'The pre-commit hook is not installed' }).locator('.monaco-button', { hasText: 'Install Commit Hook' }));

    // First activation in a repository without the hook: the offer, accepted.
    const offer = await notification('the-hook-offer', 'Install the pre-commit hook', 60_000);
    await offer.locator('.monaco-button', { hasText: 'Install Hook' }).click();
    await notification('the-installed-message', 'pre-commit hook is installed');
    await closeNotifications();
    await see('the nothing-to-review welcome', welcome.filter({ hasText: 'Lines that AI writes' }));
    assert.strictEqual(await welcome.filter({ hasText: 'Install Commit Hook' }).count(), 0, 'the install button is gone once the hook is in');
    const hookFile = path.join(workspace, '.git', 'hooks', 'pre-commit');
    assert.match(fs.readFileSync(hookFile, 'utf8'), /# ai-provenance pre-commit hook/);

    // Open src/math.ts and accept the fixture completion at its end with Tab.
    await acceptFixtureCompletion(wb);
    await page.keyboard.press('Control+S');

    // The gutter marks the three accepted lines.
    const unreviewed = await waitForIcons('three unreviewed icons', (icons) => icons.filter((i) => i.includes('gutter-unreviewed')).length === 3);
    assert.ok(unreviewed.every((i) => i.includes('gutter-unreviewed')), `only unreviewed icons: ${unreviewed.join(', ')}`);

    // The keybinding jumps to the region and selects it (the cursor ends at its last line). It is
    // enabled by the count the panel sets with its badge, which can follow the gutter by a moment:
    // a key pressed before would do nothing.
    await see('the badge before the keybinding', page.locator('.part.activitybar .action-item .badge-content', { hasText: '1' }));
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Control+Alt+BracketRight');
    await see('the region selected', page.locator('.part.statusbar', { hasText: /Ln 11, Col 2 \(\d+ selected\)/ }));

    // A commit from the terminal is blocked; the editor says why and offers the panel.
    await runInTerminal('git add src/math.ts && git commit -m "Add multiply"');
    const blocked = await notification('the-blocked-commit-message', 'AI Provenance blocked the commit: 1 unreviewed AI region, the first at src/math.ts:9-11');
    assert.notStrictEqual(headSubject(), 'Add multiply', 'the hook blocked the commit');
    await blocked.locator('.monaco-button', { hasText: 'Open Panel' }).click();

    // The panel lists it, with a badge.
    const row = await see('the region in the panel', page.locator('.part.sidebar .monaco-list-row', { hasText: 'Lines 9–11' }));
    await see('the file in the panel', page.locator('.part.sidebar .monaco-list-row', { hasText: 'math.ts' }));
    await see('the badge', page.locator('.part.activitybar .action-item .badge-content', { hasText: '1' }));

    // Screenshots in both themes: the gutter with the hover, and the panel.
    await page.keyboard.press('Escape');
    for (const [theme, suffix] of [['Default Dark Modern', 'dark'], ['Default Light Modern', 'light']] as const) {
      await setTheme(theme);
      await page.locator('.part.editor .monaco-editor .view-lines').click();
      const hover = await hoverLine('return a * b');
      assert.match((await hover.innerText()).replace(/\s+/g, ' '), /unreviewed · lines 9–11.*Source: inline completion.*Written .* by test@example\.com.*Mark reviewed.*Mark file reviewed/);
      await shot(`gutter-hover-${suffix}`, page.locator('.part.editor'));
      await page.mouse.move(5, 500);
      await page.keyboard.press('Escape');
      await page.locator('.monaco-hover:visible').waitFor({ state: 'detached', timeout: T });
      await shot(`panel-${suffix}`);
    }

    // Mark it reviewed from the panel's inline action.
    await row.hover();
    await row.locator('.action-label[aria-label="Mark Reviewed"]').click();
    await see('the empty panel', page.locator('.part.sidebar .welcome-view-content', { hasText: 'No unreviewed AI code' }));
    assert.strictEqual(await page.locator('.part.sidebar .monaco-list-row', { hasText: 'Lines 9–11' }).count(), 0);
    const reviewed = await waitForIcons('three reviewed icons', (icons) => icons.length === 3 && icons.every((i) => i.includes('gutter-reviewed')));
    assert.strictEqual(reviewed.length, 3);
    await shot('panel-reviewed-light');

    // The same commit from the terminal now goes through the hook.
    await runInTerminal('git commit -m "Add multiply"');
    assert.ok(await waitForCommit('Add multiply'), `the commit went through (HEAD: ${headSubject()})`);
    assert.match(git('show', 'HEAD:src/math.ts'), /return a \* b/);
  });
});

// UI: the extension's view container shows in the activity bar of a real workbench.

import * as assert from 'assert';
import { UiWorkbench } from './driver';

suite('UI: activity bar', () => {
  let wb: UiWorkbench;

  suiteSetup(async function () {
    this.timeout(180_000);
    wb = await UiWorkbench.start();
  });

  suiteTeardown(async () => {
    await wb?.close();
  });

  test('shows the "AI Provenance" view container', async function () {
    this.timeout(60_000);
    const item = wb.activityBarItem('AI Provenance');
    try {
      // The extension's contributions arrive once the remote extension host has scanned it.
      await item.waitFor({ timeout: 45_000 });
    } catch {
      const shot = await wb.screenshot('activity-bar-missing');
      assert.fail(`no "AI Provenance" item in the activity bar (screenshot: ${shot})`);
    }
    await wb.clickActivityBarItem('AI Provenance');
    await wb.screenshot('activity-bar-ai-provenance');
  });

  test('the panel title bar shows Previous and Next as buttons, not in the overflow menu', async function () {
    this.timeout(60_000);
    // Only the "navigation" group of view/title becomes buttons; any other group goes to "…".
    for (const title of ['Go to Previous Unreviewed AI Code', 'Go to Next Unreviewed AI Code', 'Mark All Reviewed', 'Refresh']) {
      await wb.see(`title-button-${title}`, wb.page.locator(`.part.sidebar .title-actions .action-label[aria-label^="${title}"], .part.sidebar .pane-header .actions .action-label[aria-label^="${title}"]`), 30_000);
    }
  });
});

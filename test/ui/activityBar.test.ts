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
});

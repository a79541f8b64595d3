// Entry point that VS Code loads in the extension host (extensionTestsPath). It runs every
// compiled *.test.js beside it with mocha's TDD interface (suite/test/suiteSetup/...), and
// rejects — so the extension host exits non-zero — when a test fails or none ran.

import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

function findTests(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findTests(full);
    return entry.name.endsWith('.test.js') ? [full] : [];
  }).sort();
}

export function run(): Promise<void> {
  return runTestsIn(__dirname);
}

/** Runs every *.test.js below `dir` (also the entry of the packaged-extension tests, test/packaged). */
export function runTestsIn(dir: string): Promise<void> {
  // AIP_TEST_GREP reaches us through the extension host's environment (set by the runner).
  const grep = process.env.AIP_TEST_GREP || undefined;
  const mocha = new Mocha({ ui: 'tdd', reporter: 'spec', timeout: 30_000, grep });
  for (const file of findTests(dir)) mocha.addFile(file);

  return new Promise((resolve, reject) => {
    const failed: string[] = [];
    try {
      const runner = mocha.run(() => {
        if (failed.length > 0) {
          const error = new Error(`${failed.length} integration test(s) failed:\n${failed.map((t) => `  - ${t}`).join('\n')}`);
          error.stack = error.message; // the names are the point; mocha already printed each stack
          reject(error);
        } else if (runner.stats?.tests === 0) {
          reject(new Error(`No integration test ran${grep ? ` (grep: ${grep})` : ''}.`));
        } else {
          resolve();
        }
      });
      // Hook failures (suiteSetup etc.) count too; their title names the hook and the suite.
      runner.on('fail', (test) => failed.push(test.fullTitle()));
    } catch (error) {
      reject(error);
    }
  });
}

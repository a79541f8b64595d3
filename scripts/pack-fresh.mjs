#!/usr/bin/env node
// Builds the .vsix the way a fresh clone does: `npm run package` in a copy of the repository's
// files (tracked and new, never ignored ones such as dist/ or out/), with this checkout's
// node_modules linked in. So the package cannot pick up stale build output, and the checkout's own
// development build (dist/ with source maps) is left alone.
//
//   node scripts/pack-fresh.mjs <out.vsix>

import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runs `npm run package` in a fresh copy and moves the .vsix to `outFile`; returns npm's output. */
export function packFresh(outFile) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'aip-pack-'));
  try {
    const copy = path.join(tmp, 'ai-provenance');
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' })
      .split('\0').filter(Boolean);
    for (const rel of files) {
      const from = path.join(repoRoot, rel);
      const to = path.join(copy, rel);
      mkdirSync(path.dirname(to), { recursive: true });
      try {
        copyFileSync(from, to);
      } catch (e) {
        if (e.code !== 'ENOENT') throw e; // deleted in the work tree but still in the index
      }
    }
    symlinkSync(path.join(repoRoot, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
    const npm = process.env.npm_execpath;
    const [cmd, args] = npm ? [process.execPath, [npm, 'run', 'package']] : ['npm', ['run', 'package']];
    const output = execFileSync(cmd, args, { cwd: copy, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    mkdirSync(path.dirname(path.resolve(outFile)), { recursive: true });
    try {
      renameSync(path.join(copy, 'ai-provenance.vsix'), outFile);
    } catch {
      cpSync(path.join(copy, 'ai-provenance.vsix'), outFile); // another file system
    }
    return output;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) {
    process.stderr.write('usage: node scripts/pack-fresh.mjs <out.vsix>\n');
    process.exit(2);
  }
  try {
    packFresh(out);
    process.stdout.write(`${out}\n`);
  } catch (e) {
    process.stderr.write(`packaging failed:\n${e.stdout ?? ''}${e.stderr ?? e.message}\n`);
    process.exit(1);
  }
}

// Two bundles: the extension (vscode stays external) and the CLI (self-contained, runnable by the git hook).
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  define: { AIP_VERSION: JSON.stringify(process.env.npm_package_version ?? 'dev') },
  format: 'cjs',
  // jsonc-parser's UMD build requires its parts at run time, which a bundle cannot follow; its ESM build bundles.
  mainFields: ['module', 'main'],
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
]);

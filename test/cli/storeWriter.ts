/**
 * A writer process for the lock and crash tests (run as `node out/test/cli/storeWriter.js`), using
 * the compiled store exactly as the CLI and the extension do.
 *
 *   storeWriter <storeDir> <rel> loop            updates forever, printing "ack <rev>" after each one returns
 *   storeWriter <storeDir> <rel> count <n> <id>  makes n updates that each add a region on its own line
 *                                                 (writer id * n + k), then exits
 *   storeWriter <storeDir> <rel> hold            takes the file's lock, prints "holding" and never lets go
 *
 * `loop` and `count` print "ready" once loaded and start on a line from stdin, so that the parent
 * can start several at the same moment, or start one without waiting for Node to load. The parent
 * kills them with SIGKILL at moments of its choosing.
 */
import * as path from 'node:path';
import { recordFor } from '../../src/core/markerFile';
import { createRegion } from '../../src/core/regions';
import { MarkerStore } from '../../src/store/markerStore';

/** The text every record describes: one line per region a `count` writer may add. */
export const WRITER_TEXT = 'line\n'.repeat(1000);

async function main(): Promise<void> {
  const [storeDir, rel, mode, n, id] = process.argv.slice(2);
  const store = new MarkerStore(path.dirname(storeDir), storeDir);
  const region = (line: number): ReturnType<typeof createRegion> => createRegion({ source: 'chat', start: { line, character: 0 }, end: { line, character: 4 } });
  const go = (): Promise<unknown> => {
    process.stdout.write('ready\n');
    return new Promise((resolve) => process.stdin.once('data', resolve));
  };
  switch (mode) {
    case 'loop':
      await go();
      for (;;) {
        const record = await store.update(rel, (cur) => cur ?? recordFor(rel, WRITER_TEXT, [region(0)]));
        process.stdout.write(`ack ${record?.rev}\n`);
      }
    case 'count': {
      await go();
      for (let k = 0; k < Number(n); k++) {
        const line = Number(id) * Number(n) + k;
        await store.update(rel, (cur) => recordFor(rel, WRITER_TEXT, [...(cur?.regions ?? []), region(line)]));
      }
      process.exit(0);
    }
    case 'hold':
      setInterval(() => undefined, 1 << 30); // a pending promise alone would let the process end
      await store.update(rel, () => {
        process.stdout.write('holding\n');
        return new Promise(() => undefined);
      });
      return;
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${(e as Error).stack}\n`);
    process.exit(1);
  });
}

/**
 * The text of the plugin modules we install for agents whose extensions are code (OpenCode, Amp, Pi):
 * the smallest module that hands the agent's own tool events, as JSON on stdin, to the hook command
 * (`ai-provenance record --agent <name>`) and waits for it. It never throws and ignores the
 * recorder's exit code and output, so the agent's tool always runs as it would without it.
 *
 * Plain JavaScript, so the same text loads as `.js` in OpenCode and as `.ts` in Amp (Bun) and Pi
 * (jiti), and the tests can import it in Node.
 */
import { fileMark } from './agent';

export interface PluginSpec {
  /** The agent's registry name. */
  agent: string;
  /** What the agent is called, for the header comment. */
  label: string;
  /** The tools whose events we pass on; the others never start a process. */
  tools: readonly string[];
  /** Lines that go first, before our header (Amp's plugin marker). */
  preamble?: string[];
  /** The module's exports, in JavaScript; they call `record(payload)`, which returns a promise. */
  body: string[];
}

/** Longer than any snapshot or record takes; the agent must not hang on a stuck recorder. */
const TIMEOUT_MS = 30_000;

export function pluginSource(spec: PluginSpec, command: string): string {
  return [
    ...(spec.preamble ?? []),
    `// ${fileMark(spec.agent)}: records the lines ${spec.label}'s tools write, with \`ai-provenance record\`.`,
    `// Written by \`ai-provenance agents install ${spec.agent}\`; \`ai-provenance agents uninstall ${spec.agent}\` removes it.`,
    `import { spawn } from "node:child_process";`,
    ``,
    `const COMMAND = ${JSON.stringify(command)};`,
    `const TOOLS = new Set(${JSON.stringify(spec.tools)});`,
    ``,
    `/** Pipes one event to the recorder and waits for it to finish; never throws. */`,
    `function record(payload, cwd) {`,
    `  return new Promise((resolve) => {`,
    `    try {`,
    `      const child = spawn(COMMAND, { cwd, shell: true, stdio: ["pipe", "ignore", "ignore"], windowsHide: true });`,
    `      const timer = setTimeout(() => child.kill(), ${TIMEOUT_MS});`,
    `      const done = () => { clearTimeout(timer); resolve(); };`,
    `      child.on("error", done);`,
    `      child.on("close", done);`,
    `      child.stdin.on("error", () => {});`,
    `      child.stdin.end(JSON.stringify(payload));`,
    `    } catch {`,
    `      resolve();`,
    `    }`,
    `  });`,
    `}`,
    ``,
    ...spec.body,
    ``,
  ].join('\n');
}

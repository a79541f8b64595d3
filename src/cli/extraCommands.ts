/** Commands that live in their own modules (agent hooks), gathered here so main.ts stays a table. */
import { agentsCommand } from './agents';
import type { Command } from './main';
import { recordCommand } from './record';

export const EXTRA_COMMANDS: Record<string, Command> = {
  record: recordCommand,
  agents: agentsCommand,
};

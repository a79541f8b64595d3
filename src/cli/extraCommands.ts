/** Commands that live in their own modules (agent hooks), gathered here so main.ts stays a table. */
import type { Command } from './main';

export const EXTRA_COMMANDS: Record<string, Command> = {};

/** What every command module exports and what it is given; below main.ts so that nothing imports main. */
import { FlagSpec, Parsed } from './args';

export interface Io {
  cwd: string;
  out(text: string): void;
  err(text: string): void;
  stdin(): Promise<string>;
  /** Whether `out` may carry ANSI colours: a terminal, and NO_COLOR unset. */
  color?: boolean;
}

export interface Command {
  usage: string;
  summary: string;
  flags: FlagSpec;
  run(args: Parsed, io: Io): Promise<number>;
  /** Exit code for a usage error, when 2 would mean something else to the caller (agents read 2 as "block the tool"). */
  usageErrorExit?: number;
}

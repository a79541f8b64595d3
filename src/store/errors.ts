/**
 * The errors the command line names in its one-line messages (main.ts), in one light module so
 * that it can tell them apart without loading the code that throws them.
 */

/** The store cannot be read or written safely (a newer format, a lock that never frees, an I/O error). */
export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

/** A path that is not inside the repository. */
export class OutsideRepositoryError extends Error {
  constructor(readonly input: string, readonly root: string) {
    super(`${input} is outside the repository ${root}`);
    this.name = 'OutsideRepositoryError';
  }
}

/** A file we refuse to track, with the reason in words. */
export class UnsupportedFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedFileError';
  }
}

/** History cannot be read as asked (a range that does not resolve, a clone too shallow): exit 2. */
export class HistoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HistoryError';
  }
}

/** Agent Trace input that cannot be imported (exit 2); the message names the line of the file. */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

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

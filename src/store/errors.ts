/** The store cannot be read or written safely (a newer format, a lock that never frees, an I/O error). */
export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

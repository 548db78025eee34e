import type { ErrorCode, FieldIssue } from './api';

/** An error that is a value of the contract: it crosses the wire as `{ code, message, issues? }`. */
export class AlmanacError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: FieldIssue[],
  ) {
    super(message);
    this.name = 'AlmanacError';
  }
}

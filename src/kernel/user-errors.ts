/** Which errors are the user's to fix (shown as a message) rather than bugs (shown with a stack). */
import { DatasetError } from '../engine/data/dataset';
import { ImageDecodeError } from '../engine/data/imageio';
import { SessionNameError } from './session';

const USER_ERROR_NAMES = new Set(['DatasetError', 'ImageDecodeError', 'SessionNameError', 'UserInputError', 'CalibrationFormatError', 'FitError']);

/**
 * JavaScript's own RangeErrors (a stack overflow, an invalid array or string length) are bugs or
 * resource limits, not the user's mistake; the engine's RangeErrors about a value are the user's.
 */
const RUNTIME_RANGE_ERROR = /maximum call stack|invalid (typed )?array length|invalid string length|array buffer allocation failed|out of memory/i;

export function isUserError(error: Error): boolean {
  if (error.name === 'RangeError') return !RUNTIME_RANGE_ERROR.test(error.message);
  return (
    error instanceof DatasetError ||
    error instanceof ImageDecodeError ||
    error instanceof SessionNameError ||
    error instanceof UserInputError ||
    USER_ERROR_NAMES.has(error.name)
  );
}

/** A problem with what the user asked for (a value, a combination), with what to do. */
export class UserInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserInputError';
  }
}

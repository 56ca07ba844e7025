/** Which errors are the user's to fix (shown as a message) rather than bugs (shown with a stack). */
import { DatasetError } from '../engine/data/dataset';
import { ImageDecodeError } from '../engine/data/imageio';
import { SessionNameError } from './session';

const USER_ERROR_NAMES = new Set(['RangeError', 'DatasetError', 'ImageDecodeError', 'SessionNameError', 'UserInputError', 'CalibrationFormatError']);

export function isUserError(error: Error): boolean {
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

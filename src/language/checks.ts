/** Value checks shared by statement descriptions: each returns a problem or undefined. */

export const positiveInteger = (what: string) => (value: number) =>
  Number.isInteger(value) && value > 0 ? undefined : `${what} must be a whole number above 0, not ${value}`;

export const nonNegativeInteger = (what: string) => (value: number) =>
  Number.isInteger(value) && value >= 0 ? undefined : `${what} must be a whole number, 0 or more, not ${value}`;

export const inClosedRange = (what: string, low: number, high: number) => (value: number) =>
  value >= low && value <= high ? undefined : `${what} must be between ${low} and ${high}, not ${value}`;

/** The width multiplier: 0 < alpha <= 4. */
export const alphaCheck = (value: number) =>
  value > 0 && value <= 4 ? undefined : `alpha (the width multiplier) must be above 0 and at most 4, not ${value}`;

/** A fraction of the base accuracy: 0 < x <= 1; a percentage gets a hint. */
export const accuracyCheck = (value: number) => {
  if (value > 1 && value <= 100) return `accuracy ${value} is above 1; give a fraction: did you mean ${value / 100}?`;
  return value > 0 && value <= 1 ? undefined : `accuracy must be above 0 and at most 1, not ${value}`;
};

export const ratioCheck = (value: number) => (value >= 0 && value < 1 ? undefined : `ratio must be at least 0 and below 1, not ${value}`);

/** Bits per stored kernel weight: 2 to 16 (symmetric integers per output channel), or 32 (float32). */
export const bitsCheck = (value: number) => (Number.isInteger(value) && ((value >= 2 && value <= 16) || value === 32) ? undefined : `bits must be a whole number from 2 to 16, or 32 (float), not ${value}`);

/** Bits of quantize: 2 to 16. */
export const quantizeBitsCheck = (value: number) => (Number.isInteger(value) && value >= 2 && value <= 16 ? undefined : `bits must be a whole number from 2 to 16, not ${value}`);

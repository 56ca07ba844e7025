/**
 * The held-out split: a seeded shuffle puts `testFraction` (default 20%) of a dataset's samples
 * aside for testing (at least 1 when there are 2 or more samples); the rest is for training
 * (which takes its own validation split from it). The same seed gives the same split.
 */
import { SeededRandom, shuffledIndices } from '../util/random';

export const DEFAULT_TEST_FRACTION = 0.2;

export function splitTrainTest<T>(items: readonly T[], seed: number, testFraction = DEFAULT_TEST_FRACTION): { train: T[]; test: T[] } {
  if (items.length < 2) return { train: [...items], test: [...items] };
  const order = shuffledIndices(items.length, new SeededRandom(seed * 7919 + 13));
  const testCount = Math.min(items.length - 1, Math.max(1, Math.round(items.length * testFraction)));
  const test = order.slice(0, testCount).sort((a, b) => a - b);
  const train = order.slice(testCount).sort((a, b) => a - b);
  return { train: train.map((i) => items[i]!), test: test.map((i) => items[i]!) };
}

/**
 * A share of the training images for the studies (the H&E study's N_tr = r x N_p): the first
 * max(1, round(fraction x N)) of a shuffle seeded by the seed and the fraction, so every study
 * and every width of weights trained on (seed, fraction) sees the same images.
 */
export function fractionSubset<T>(train: readonly T[], fraction: number, seed: number): T[] {
  const count = Math.max(1, Math.round(fraction * train.length));
  return shuffledIndices(train.length, new SeededRandom(seed * 31 + Math.round(fraction * 1000))).slice(0, count).map((i) => train[i]!);
}


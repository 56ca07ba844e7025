/**
 * The held-out split: a seeded shuffle puts `testFraction` (default 20%) of a dataset's samples
 * aside for testing (at least 1 when there are 2 or more samples); the rest is for training
 * (which takes its own validation split from it). The same seed gives the same split.
 */
import { SeededRandom } from '../util/random';

export const DEFAULT_TEST_FRACTION = 0.2;

export function splitTrainTest<T>(items: readonly T[], seed: number, testFraction = DEFAULT_TEST_FRACTION): { train: T[]; test: T[] } {
  if (items.length < 2) return { train: [...items], test: [...items] };
  const random = new SeededRandom(seed * 7919 + 13);
  const order = Array.from({ length: items.length }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = random.integer(0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const testCount = Math.min(items.length - 1, Math.max(1, Math.round(items.length * testFraction)));
  const test = order.slice(0, testCount).sort((a, b) => a - b);
  const train = order.slice(testCount).sort((a, b) => a - b);
  return { train: train.map((i) => items[i]!), test: test.map((i) => items[i]!) };
}

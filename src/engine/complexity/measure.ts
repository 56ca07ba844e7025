/** The shape every image complexity measure has; one module per measure implements it. */
import type { DecodedImage } from '../data/imageio';

export interface ImageMeasure {
  /** Short id used in cells and on the command line (`metrics j,b`). */
  id: string;
  /** The paper's symbol, e.g. "J". */
  symbol: string;
  /** Human name, e.g. "JPEG complexity". */
  name: string;
  /** One line: definition and unit. */
  summary: string;
  /**
   * Version of the measure's definition and settings. Raise it whenever a change alters the
   * values, so that cached results (see cache.ts) of the old definition are not reused.
   */
  version: number;
  /** The measure of one decoded 8-bit gray or RGB image. */
  compute(image: DecodedImage): Promise<number>;
}

/**
 * What a measured relative accuracy (selected network's metric / base network's metric) says.
 *
 * - A base network below MINIMUM_BASE_ACCURACY did not learn: the ratio is undefined (null),
 *   not NaN or a huge number.
 * - A ratio above UNDER_TRAINED_RATIO means the narrower network beat its base clearly, which a
 *   base trained to convergence does not allow beyond seed noise: the base is reported as
 *   under-trained, not as a success.
 */
import { MINIMUM_BASE_ACCURACY, UNDER_TRAINED_RATIO } from './calibration-fit';

export { UNDER_TRAINED_RATIO };

export type MeasurementVerdict = 'ok' | 'base did not learn' | 'base under-trained';

export interface RelativeMeasurement {
  value: number | null;
  verdict: MeasurementVerdict;
  /** A sentence for the user when the verdict is not ok. */
  explanation?: string;
}

export function relativeMeasurement(baseMetric: number, selectedMetric: number, metricName = 'F1'): RelativeMeasurement {
  if (!(baseMetric >= MINIMUM_BASE_ACCURACY)) {
    return {
      value: null,
      verdict: 'base did not learn',
      explanation: `the base network reached ${metricName} ${baseMetric.toFixed(3)}, below ${MINIMUM_BASE_ACCURACY}: it did not learn this dataset, so the relative ${metricName} is undefined; train longer (epochs), check the masks, or define the dataset with a patch`,
    };
  }
  const value = selectedMetric / baseMetric;
  if (value > UNDER_TRAINED_RATIO) {
    return {
      value,
      verdict: 'base under-trained',
      explanation: `the selected network's ${metricName} is ${value.toFixed(3)} times the base's: the base network is under-trained (a wider network trained to convergence is not clearly worse), so this ratio is no evidence of the selection; train with more epochs and patience`,
    };
  }
  return { value, verdict: 'ok' };
}

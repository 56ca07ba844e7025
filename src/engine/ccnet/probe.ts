/**
 * The probe (beyond the CC-Net paper): a short training on the new dataset itself refines the
 * degradation slope that complexity predicts.
 *
 * Probe of a dataset: its base network (alpha 1) and its network at the narrowest calibrated
 * width, each trained for E epochs with the calibration's recipe; the probe's relative F1 is
 * r_probe = F1(narrowest) / F1(base), paired by seed (the median over seeds of the ratio within
 * each seed, calibration-fit.ts pairedRelative). After E epochs a network is not converged, so r_probe is a biased, noisy
 * reading of the converged relative F1 r at that width. The calibration datasets, which have
 * both, measure that error e = r - r_probe: its mean m_e and standard deviation s_e (n - 1
 * degrees of freedom) over the n calibration datasets.
 *
 * The probe then observes the slope of r(D) = 1 - s D^p at the narrowest width's decades D:
 *
 *   s_probe = (1 - (r_probe + m_e)) / D^p,   se_probe = s_e sqrt(1 + 1/n) / D^p,
 *
 * and combines it with complexity's prediction s_prior (standard error se_prior, predict.ts) as
 * two independent normal estimates, by their precisions (a Bayesian update of the normal prior
 * with a normal likelihood):
 *
 *   s = (s_prior / se_prior^2 + s_probe / se_probe^2) / (1 / se_prior^2 + 1 / se_probe^2),
 *   se = (1 / se_prior^2 + 1 / se_probe^2)^(-1/2),
 *
 * with s >= 0 as every slope. A probe that agrees with the calibration datasets' probes (small
 * s_e) dominates; one whose error varies widely between datasets moves the prior little.
 */
import { pairedRelative, seedAggregate, type CalibrationFit, type CalibrationRun } from './calibration-fit';
import type { SlopePrediction } from './predict';

/** A dataset's probe: the seed medians of the base's and the narrowest width's F1 after E epochs. */
export interface DatasetProbe {
  dataset: string;
  /** The narrowest calibrated width the probe trained (relative to the base). */
  alpha: number;
  baseF1: number;
  narrowF1: number;
  /** narrowF1 / baseF1. */
  relativeF1: number;
  /** Summed training time of the probe's runs, seconds. */
  trainS: number;
}

/** The probe's error on the calibration datasets: e = converged relative F1 - probe's, at the probe width. */
export interface ProbeError {
  mean: number;
  stdDev: number;
  n: number;
}

export interface ProbedSlope {
  prior: { slope: number; stdError: number };
  probe: { relativeF1: number; slope: number; stdError: number };
  slope: number;
  stdError: number;
}

/** The probe of each dataset among probe runs (alpha 1 and one narrower width, any seeds). */
export function datasetProbes(runs: readonly (CalibrationRun & { trainMs?: number })[]): DatasetProbe[] {
  const names = [...new Set(runs.map((r) => r.dataset))];
  return names.map((dataset) => {
    const own = runs.filter((r) => r.dataset === dataset);
    const base = own.filter((r) => r.alpha === 1);
    const narrowAlphas = [...new Set(own.filter((r) => r.alpha !== 1).map((r) => r.alpha))];
    if (base.length === 0 || narrowAlphas.length !== 1) {
      throw new RangeError(`the probe of ${dataset} needs runs at alpha 1 and at one narrower width; it has alphas ${[...new Set(own.map((r) => r.alpha))].join(', ')}`);
    }
    const alpha = narrowAlphas[0]!;
    const baseF1 = seedAggregate(base.map((r) => r.f1));
    const narrowF1 = seedAggregate(own.filter((r) => r.alpha === alpha).map((r) => r.f1));
    // paired by seed, as the calibration's relative accuracy (NaN when no seed's base learned)
    return { dataset, alpha, baseF1, narrowF1, relativeF1: pairedRelative(own.filter((r) => r.alpha === alpha), base, 'f1'), trainS: own.reduce((s, r) => s + (r.trainMs ?? 0), 0) / 1000 };
  });
}

/**
 * m_e and s_e over the datasets that have both a probe and a converged relative F1 at the probe's
 * width (`convergedRelativeF1`: dataset -> r). Needs at least two.
 */
export function probeError(probes: readonly DatasetProbe[], convergedRelativeF1: ReadonlyMap<string, number>): ProbeError {
  const errors = probes.flatMap((p) => {
    const r = convergedRelativeF1.get(p.dataset);
    return r !== undefined && Number.isFinite(r) && Number.isFinite(p.relativeF1) ? [r - p.relativeF1] : [];
  });
  if (errors.length < 2) throw new RangeError(`the probe's error needs at least two calibration datasets with a probe; found ${errors.length}`);
  const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
  const variance = errors.reduce((s, e) => s + (e - mean) ** 2, 0) / (errors.length - 1);
  return { mean, stdDev: Math.sqrt(variance), n: errors.length };
}

/** The slope after the probe: complexity's prediction and the probe's reading combined by precision. */
export function probedSlope(prior: Pick<SlopePrediction, 'slope' | 'slopeStdError' | 'exponent'>, probe: Pick<DatasetProbe, 'relativeF1'>, probeDecades: number, error: ProbeError): ProbedSlope {
  if (!(probeDecades > 0)) throw new RangeError('the probe width must be narrower than the base');
  const shape = probeDecades ** prior.exponent;
  const probeSlope = (1 - (probe.relativeF1 + error.mean)) / shape;
  // a probe error with no spread would make the probe exact; keep a floor at a thousandth of relative F1
  const probeStdError = Math.max(error.stdDev, 1e-3) * Math.sqrt(1 + 1 / error.n) / shape;
  const priorPrecision = 1 / Math.max(prior.slopeStdError, 1e-9) ** 2;
  const probePrecision = 1 / probeStdError ** 2;
  const slope = (prior.slope * priorPrecision + probeSlope * probePrecision) / (priorPrecision + probePrecision);
  return {
    prior: { slope: prior.slope, stdError: prior.slopeStdError },
    probe: { relativeF1: probe.relativeF1, slope: probeSlope, stdError: probeStdError },
    slope: Math.max(0, slope),
    stdError: 1 / Math.sqrt(priorPrecision + probePrecision),
  };
}

/**
 * Complexity's F1 slope prediction for a dataset refined by the dataset's own probe; the probe
 * error comes from the fitted calibration datasets (fit.datasets: those the fit kept), whose
 * converged relative F1 at the probe width is their calibration point there.
 */
export function refineWithProbe(
  prior: SlopePrediction,
  fit: Pick<CalibrationFit, 'datasets'>,
  calibrationProbes: readonly DatasetProbe[],
  own: DatasetProbe,
): { prediction: SlopePrediction; refined: ProbedSlope; error: ProbeError; decades: number } {
  const converged = new Map<string, number>();
  let decades = Number.NaN;
  for (const d of fit.datasets) {
    const point = d.points.find((p) => Math.abs(p.alpha - own.alpha) < 1e-12);
    if (!point) throw new RangeError(`the probe width alpha ${own.alpha} is not a calibrated width of ${d.dataset}`);
    converged.set(d.dataset, point.relativeF1);
    decades = point.decades;
  }
  const error = probeError(calibrationProbes.filter((p) => converged.has(p.dataset)), converged);
  const refined = probedSlope(prior, own, decades, error);
  return { prediction: { ...prior, slope: refined.slope, slopeStdError: refined.stdError }, refined, error, decades };
}

/**
 * OpenCV.js (`@techstark/opencv-js`, OpenCV 4.12 compiled to WebAssembly), loaded once and
 * lazily, for the filters and detectors that sharp does not offer with signed float output:
 * Gaussian blur on float images, Sobel and Scharr derivatives, image pyramids, ORB keypoints,
 * colour conversion to CIELab.
 *
 * The package's module object is an Emscripten module: it has a `then` method, so it must never
 * be passed to `resolve()` or `await`ed directly (a promise that resolves to it waits on its
 * own `then` forever). `loadOpenCv` waits for `onRuntimeInitialized` (or sees that it already
 * ran, `cv.Mat` present) and resolves to a plain holder `{ cv }`.
 *
 * The package stays external to the esbuild bundles (see esbuild.mjs): three bundles use it
 * (kernel, cli, complexity worker) and it is 11 MB, so esbuild.mjs copies it once into
 * dist/opencv.js, and `require` loads it from there; under tsx (no copy beside the sources)
 * it loads from node_modules.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export type OpenCv = typeof import('@techstark/opencv-js');
export type Mat = InstanceType<OpenCv['Mat']>;

/** Time to wait for the WebAssembly runtime before giving up. */
export const OPENCV_LOAD_TIMEOUT_MS = 60_000;

/** The file name of the copy of OpenCV.js beside the bundles. */
export const BUNDLED_OPENCV_FILE = 'opencv.js';

/** What to `require`: the copy beside `moduleDir` (the bundles in dist/), else the package. */
export function openCvModule(moduleDir: string = typeof __dirname === 'string' ? __dirname : process.cwd()): string {
  const bundled = join(moduleDir, BUNDLED_OPENCV_FILE);
  return existsSync(bundled) ? bundled : '@techstark/opencv-js';
}

let loading: Promise<{ cv: OpenCv }> | undefined;

/** The initialised OpenCV.js module, loaded on first use (about 0.2 s) and shared afterwards. */
export function loadOpenCv(): Promise<{ cv: OpenCv }> {
  loading ??= new Promise<{ cv: OpenCv }>((resolve, reject) => {
    let cv: OpenCv & { onRuntimeInitialized?: () => void };
    try {
      // a computed name: esbuild leaves this require alone (it does not bundle OpenCV.js)
      cv = require(openCvModule());
    } catch (error) {
      reject(new Error(`cannot load OpenCV.js (${openCvModule()}): ${(error as Error).message}; check that the package is installed or that dist/${BUNDLED_OPENCV_FILE} was built`));
      return;
    }
    if (typeof cv.Mat === 'function') {
      resolve({ cv });
      return;
    }
    const timer = setTimeout(() => reject(new Error(`OpenCV.js did not initialise within ${OPENCV_LOAD_TIMEOUT_MS / 1000} s`)), OPENCV_LOAD_TIMEOUT_MS);
    timer.unref?.();
    const previous = cv.onRuntimeInitialized;
    cv.onRuntimeInitialized = () => {
      clearTimeout(timer);
      previous?.();
      resolve({ cv });
    };
  });
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/** Runs `body` and deletes every Mat (or other OpenCV object) registered with `keep` afterwards. */
export function withMats<T>(body: (keep: <M extends { delete(): void }>(mat: M) => M) => T): T {
  const owned: { delete(): void }[] = [];
  try {
    return body((mat) => {
      owned.push(mat);
      return mat;
    });
  } finally {
    for (const mat of owned) mat.delete();
  }
}

/** How kernels are started: the settings the extension (or a test) gives the notebook controller, read each time a kernel starts. */
export interface KernelSettings {
  kernelPath: string;
  cacheDir: () => string;
  maxHeapMB: () => number;
  interruptGraceMs: () => number;
  backend: () => string;
  nativeModulePaths: () => string[];
}

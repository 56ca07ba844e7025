/** The kernel's version, reported to clients. */
export const KERNEL_VERSION = '0.1.0';

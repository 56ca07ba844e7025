/** The network names the language accepts (the engine's model registry has the same ids). */
export const NETWORK_NAMES = ['unet', 'fcn', 'cumedvision', 'squeezed-unet', 'squeezed-fcn', 'squeezed-cumedvision', 'dcnn', 'dccn'] as const;
export type NetworkName = (typeof NETWORK_NAMES)[number];

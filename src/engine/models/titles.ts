/**
 * The names and sources of the paper's three networks and the H&E study's two patch networks: plain data (no TensorFlow), so the
 * editor, the dashboard and the command palette show the same titles as the kernel's tables.
 */
export const NETWORK_TITLES = {
  unet: { displayName: 'U-Net', reference: 'Ronneberger, Fischer and Brox, MICCAI 2015' },
  fcn: { displayName: 'FCN-8s', reference: 'Long, Shelhamer and Darrell, CVPR 2015' },
  cumedvision: { displayName: 'CUMedVision', reference: 'Chen, Qi, Yu and Heng, CVPR 2016 (DCAN)' },
  dcnn: { displayName: 'DCNN', reference: 'Götz et al., J. Pathol. Inform. 2022 (H&E patch classifier)' },
  dccn: { displayName: 'DCCN', reference: 'Götz et al., J. Pathol. Inform. 2022 (densely connected H&E patch classifier)' },
} as const;

export type TitledNetworkId = keyof typeof NETWORK_TITLES;

/** "U-Net (Ronneberger, Fischer and Brox, MICCAI 2015)", with the squeezed variant named. */
export function networkTitle(name: string): string | undefined {
  const squeezed = name.startsWith('squeezed-');
  const titles = NETWORK_TITLES[name.replace(/^squeezed-/, '') as TitledNetworkId];
  if (!titles) return undefined;
  return `${squeezed ? 'SqueezeNet fire modules in ' : ''}${titles.displayName} (${titles.reference})`;
}

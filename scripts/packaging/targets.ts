/**
 * The platforms a CC-Net Studio .vsix can be built for: VS Code's target names (as
 * `vsce package --target` takes them) and the sharp platform whose native packages each
 * carries. sharp is the only native code the extension ships; everything else is bundled
 * JavaScript, wasm, or platform-independent data.
 */

/** VS Code's platform-specific extension targets that sharp has prebuilt binaries for. */
export const VSCE_TARGETS = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'linux-armhf': 'linux-arm',
  'alpine-x64': 'linuxmusl-x64',
  'alpine-arm64': 'linuxmusl-arm64',
  'darwin-x64': 'darwin-x64',
  'darwin-arm64': 'darwin-arm64',
  'win32-x64': 'win32-x64',
  'win32-arm64': 'win32-arm64',
} as const;

export type VsceTarget = keyof typeof VSCE_TARGETS;

export const DEFAULT_TARGET: VsceTarget = 'linux-x64';

export function isVsceTarget(name: string): name is VsceTarget {
  return Object.hasOwn(VSCE_TARGETS, name);
}

/** A package to ship in node_modules: its name and the exact version sharp asks for. */
export interface NativePackage {
  name: string;
  version: string;
}

/**
 * sharp's platform packages for a target: `@img/sharp-<platform>` (the sharp.node addon) and,
 * where sharp lists one, `@img/sharp-libvips-<platform>` (the shared libvips; the Windows
 * packages carry it inside). Read from sharp's optionalDependencies, which pin their versions.
 */
export function sharpPlatformPackages(target: VsceTarget, sharpOptionalDependencies: Record<string, string>): NativePackage[] {
  const platform = VSCE_TARGETS[target];
  const names = [`@img/sharp-${platform}`, `@img/sharp-libvips-${platform}`];
  const found = names.filter((name) => sharpOptionalDependencies[name] !== undefined).map((name) => ({ name, version: sharpOptionalDependencies[name]! }));
  if (found[0]?.name !== names[0]) {
    throw new Error(`sharp lists no ${names[0]} among its optionalDependencies, so there is no prebuilt sharp for ${target}; choose one of ${Object.keys(VSCE_TARGETS).join(', ')}`);
  }
  return found;
}

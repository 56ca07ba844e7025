/**
 * `npm run package [-- --target TARGET] [--out FILE] [--no-build]`: builds the platform-specific
 * .vsix of CC-Net Studio (scripts/packaging/package-vsix.ts). TARGET is one of VS Code's
 * targets that sharp has binaries for (default linux-x64); FILE defaults to
 * ccnet-studio-TARGET-VERSION.vsix in the repository root. Prints vsce's output and a summary.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packageVsix } from './packaging/package-vsix';
import { DEFAULT_TARGET, isVsceTarget, VSCE_TARGETS } from './packaging/targets';
import { vsixFiles } from './packaging/vsix';

const repoRoot = join(__dirname, '..');

function usage(message: string): never {
  console.error(`${message}\nusage: npm run package -- [--target ${Object.keys(VSCE_TARGETS).join('|')}] [--out FILE] [--no-build]`);
  process.exit(2);
}

function main(): void {
  const args = process.argv.slice(2);
  let target: string = DEFAULT_TARGET;
  let out: string | undefined;
  let build = true;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--target') target = args[++i] ?? usage('--target needs a value');
    else if (arg.startsWith('--target=')) target = arg.slice('--target='.length);
    else if (arg === '--out') out = args[++i] ?? usage('--out needs a value');
    else if (arg.startsWith('--out=')) out = arg.slice('--out='.length);
    else if (arg === '--no-build') build = false;
    else usage(`unknown argument ${arg}`);
  }
  if (!isVsceTarget(target)) usage(`unknown target ${target}`);
  const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  const result = packageVsix({
    repoRoot,
    target,
    outPath: out ?? join(repoRoot, `ccnet-studio-${target}-${version}.vsix`),
    build,
    log: (line) => console.error(`[package] ${line}`),
  });
  process.stdout.write(result.vsceOutput);
  const files = vsixFiles(result.vsixPath).length;
  console.error(`[package] ${relative(process.cwd(), result.vsixPath) || result.vsixPath}: ${target}, ${result.vsixBytes} bytes (${(result.vsixBytes / 1024 / 1024).toFixed(2)} MiB), ${files} files, no vsce warnings`);
}

try {
  main();
} catch (error) {
  console.error(`[package] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

/**
 * `npm run bench:package`: builds the linux-x64 .vsix exactly as `npm run package` does
 * (production build, staging, vsce) and prints one JSON line:
 *   target, vsixBytes, fileCount (entries of the .vsix, as vsce counts them), vsceWarnings,
 *   openToFirstResultS: seconds from clicking media/sample.ccnet in code-server's Explorer to
 *   the success of its first code cell (notebook editor, extension activation, kernel start
 *   and the cell), measured by the e2e harness (test/e2e, CCNET_E2E_FIRST_RESULT_ONLY=1) on
 *   this very .vsix; null with a `reason` when the harness could not measure it.
 * Progress goes to stderr; the e2e run's output to test-output/e2e/bench-e2e.log.
 * Env: CCNET_BENCH_SKIP_E2E=1 skips the measurement (null, with that reason).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageVsix } from '../scripts/packaging/package-vsix';
import { vsixFiles } from '../scripts/packaging/vsix';

const root = join(__dirname, '..');
const target = 'linux-x64';
const e2eOutput = join(root, 'test-output', 'e2e');

function measureFirstResult(vsixPath: string): { seconds: number | null; reason?: string } {
  if (process.env.CCNET_BENCH_SKIP_E2E === '1') return { seconds: null, reason: 'CCNET_BENCH_SKIP_E2E=1: the e2e measurement was skipped' };
  const resultFile = join(e2eOutput, 'first-result.json');
  rmSync(resultFile, { force: true });
  console.error('[bench:package] timing the first cell in code-server (test/e2e, first-result mode)...');
  const run = spawnSync(process.execPath, [join(root, 'test', 'e2e', 'run.mjs')], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, CCNET_E2E_VSIX: vsixPath, CCNET_E2E_FIRST_RESULT_ONLY: '1' },
  });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  mkdirSync(e2eOutput, { recursive: true });
  writeFileSync(join(e2eOutput, 'bench-e2e.log'), output);
  if (run.status === 0 && existsSync(resultFile)) {
    const { openToFirstResultS } = JSON.parse(readFileSync(resultFile, 'utf8')) as { openToFirstResultS: number };
    return { seconds: openToFirstResultS };
  }
  const last = output.trim().split('\n').filter((line) => line.trim()).slice(-3).join(' | ');
  return { seconds: null, reason: `the e2e harness could not measure it (status ${run.status}${run.error ? `, ${run.error.message}` : ''}): ${last.slice(0, 500)}; log in test-output/e2e/bench-e2e.log` };
}

function main(): void {
  const outDir = join(root, '.package', 'bench');
  mkdirSync(outDir, { recursive: true });
  console.error(`[bench:package] packaging ${target}...`);
  const packaged = packageVsix({ repoRoot: root, target, outPath: join(outDir, `ccnet-studio-${target}.vsix`), log: (line) => console.error(`[bench:package] ${line}`) });
  const measured = measureFirstResult(packaged.vsixPath);
  const line: Record<string, unknown> = {
    target,
    vsixBytes: packaged.vsixBytes,
    fileCount: vsixFiles(packaged.vsixPath).length,
    vsceWarnings: packaged.warnings.length,
    openToFirstResultS: measured.seconds,
  };
  if (measured.reason) line.reason = measured.reason;
  console.log(JSON.stringify(line));
}

main();

// Runs every unit test (test/unit/**/*.test.ts) with node's built-in test runner.
// TypeScript is loaded through tsx; node 20 has no glob for --test, so we list the files.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findTests(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const filter = process.argv.slice(2);
const root = join(import.meta.dirname, 'unit');
const files = findTests(root)
  .filter((f) => filter.length === 0 || filter.some((part) => f.includes(part)))
  .sort();
if (files.length === 0) {
  console.error(`no unit tests matched ${filter.join(' ') || '(all)'}`);
  process.exit(1);
}
console.error(`running ${files.length} test files: ${files.map((f) => relative(root, f)).join(', ')}`);
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);

#!/usr/bin/env node
// The `ccnet` command: runs the bundled CLI (built by `npm install`/`npm run build`).
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const cli = join(__dirname, '..', 'dist', 'cli.js');
if (!existsSync(cli)) {
  console.error('ccnet: dist/cli.js is missing; run `npm run build` in the CC-Net Studio folder first');
  process.exit(2);
}
require(cli);

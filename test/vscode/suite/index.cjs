// Mocha entry run inside VS Code's extension host by @vscode/test-electron.
const path = require('node:path');
const Mocha = require('mocha');

exports.run = function run() {
  const mocha = new Mocha({ ui: 'tdd', timeout: 120_000, color: true });
  mocha.addFile(path.join(__dirname, 'notebook.test.cjs'));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} VS Code test(s) failed`)) : resolve()));
  });
};

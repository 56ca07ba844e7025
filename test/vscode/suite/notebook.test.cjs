// Opens the sample notebook in VS Code, runs all cells through the CC-Net kernel and checks outputs.
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');

suite('CC-Net notebook in VS Code', () => {
  test('the sample notebook opens as a ccnet notebook and Run All produces a table and a Vega-Lite plot', async () => {
    const extension = vscode.extensions.all.find((e) => e.packageJSON.name === 'ccnet-studio');
    assert.ok(extension, 'CC-Net Studio is loaded');
    const uri = vscode.Uri.file(path.join(extension.extensionPath, 'media', 'sample.ccnet'));
    const notebook = await vscode.workspace.openNotebookDocument(uri);
    assert.equal(notebook.notebookType, 'ccnet');
    const editor = await vscode.window.showNotebookDocument(notebook);
    await vscode.commands.executeCommand('notebook.selectKernel', { editor, id: 'ccnet-kernel', extension: 'ccnet.ccnet-studio' });
    await vscode.commands.executeCommand('notebook.execute');
    const codeCells = notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
    const deadline = Date.now() + 100_000;
    while (Date.now() < deadline && codeCells.some((c) => c.executionSummary?.success === undefined)) {
      await new Promise((r) => setTimeout(r, 500));
    }
    for (const cell of codeCells) assert.equal(cell.executionSummary?.success, true, `cell ${cell.index} succeeded`);
    const mimes = codeCells.at(-1).outputs.flatMap((o) => o.items.map((i) => i.mime));
    assert.ok(mimes.includes('application/vnd.vegalite.v5+json'), `plot among ${mimes}`);
    assert.ok(mimes.includes('text/markdown'), 'table');
  });
});

/**
 * Cell-language support in the editor: diagnostics as you type (the parser's, at the exact
 * token), hover documentation of statements and clauses, and completion of what the grammar
 * expects at the cursor: statement and clause keywords, networks, the dataset, model and
 * calibration names the notebook defines or its kernel knows, and file paths in strings.
 */
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { NETWORK_NAMES, parseCellForEditor, STATEMENTS, statementSpec } from '../language';
import { expectationAt } from '../language/expect';
import { definedNames, type NameKind } from '../language/names';
import { clauseSynopsis } from '../language/parser';
import type { SessionNames } from '../protocol/protocol';
import { networkTitle } from '../engine/models/titles';
import { pathCandidates } from './path-candidates';

/** The names a notebook's running kernel knows (none when no kernel runs). */
export type KernelNames = (notebook: vscode.NotebookDocument) => Promise<SessionNames | undefined>;

const SELECTOR: vscode.DocumentSelector = { language: 'ccnet' };

export function registerLanguageSupport(kernelNames: KernelNames): vscode.Disposable {
  const diagnostics = vscode.languages.createDiagnosticCollection('ccnet');
  const refresh = (document: vscode.TextDocument) => {
    if (document.languageId !== 'ccnet') return;
    const parsed = parseCellForEditor(document.getText());
    diagnostics.set(
      document.uri,
      parsed.diagnostics.map((d) => {
        const range = new vscode.Range(document.positionAt(d.range.start), document.positionAt(Math.max(d.range.end, d.range.start)));
        const diagnostic = new vscode.Diagnostic(range, d.message, d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
        diagnostic.code = d.code;
        diagnostic.source = 'ccnet';
        return diagnostic;
      }),
    );
  };
  for (const document of vscode.workspace.textDocuments) refresh(document);
  return vscode.Disposable.from(
    diagnostics,
    vscode.workspace.onDidOpenTextDocument(refresh),
    vscode.workspace.onDidChangeTextDocument((e) => refresh(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => diagnostics.delete(d.uri)),
    vscode.languages.registerHoverProvider(SELECTOR, {
      provideHover(document, position) {
        const range = document.getWordRangeAtPosition(position, /[A-Za-z_][A-Za-z0-9_-]*/);
        if (!range) return undefined;
        const word = document.getText(range);
        const line = document.lineAt(position.line).text;
        const keyword = /^\s*([A-Za-z_][A-Za-z0-9_-]*)/.exec(line)?.[1];
        const spec = keyword ? statementSpec(keyword) : undefined;
        if (spec && word === spec.keyword && range.start.character === line.indexOf(keyword!)) {
          return new vscode.Hover(new vscode.MarkdownString().appendCodeblock(spec.synopsis, 'ccnet').appendMarkdown(spec.description), range);
        }
        const clause = spec?.clauses.find((c) => c.keyword === word);
        if (clause) return new vscode.Hover(new vscode.MarkdownString().appendCodeblock(clauseSynopsis(clause), 'ccnet').appendMarkdown(clause.doc), range);
        return undefined;
      },
    }),
    vscode.languages.registerCompletionItemProvider(SELECTOR, { provideCompletionItems: (document, position) => completions(document, position, kernelNames) }, ' ', '"', '/', ','),
  );
}

function notebookOf(document: vscode.TextDocument): vscode.NotebookDocument | undefined {
  return vscode.workspace.notebookDocuments.find((notebook) => notebook.getCells().some((cell) => cell.document === document));
}

/** The folder relative paths in the cell start at (the notebook's, as the kernel resolves them). */
function baseFolder(document: vscode.TextDocument, notebook: vscode.NotebookDocument | undefined): string | undefined {
  const uri = notebook?.uri ?? document.uri;
  if (uri.scheme === 'file') return dirname(uri.fsPath);
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

async function completions(document: vscode.TextDocument, position: vscode.Position, kernelNames: KernelNames): Promise<vscode.CompletionItem[]> {
  const linePrefix = document.lineAt(position.line).text.slice(0, position.character);
  const { expectation, partial } = expectationAt(linePrefix);
  const replace = partial ? new vscode.Range(position.line, partial.start, position.line, position.character) : undefined;
  const item = (label: string, kind: vscode.CompletionItemKind, detail?: string, documentation?: string) => {
    const result = new vscode.CompletionItem(label, kind);
    if (detail) result.detail = detail;
    if (documentation) result.documentation = new vscode.MarkdownString(documentation);
    if (replace) result.range = replace;
    return result;
  };
  switch (expectation.kind) {
    case 'keyword':
      return STATEMENTS.map((spec) => item(spec.keyword, vscode.CompletionItemKind.Keyword, spec.synopsis, spec.description));
    case 'clause':
      return expectation.statement.clauses.filter((c) => !expectation.given.includes(c.keyword)).map((c) => item(c.keyword, vscode.CompletionItemKind.Property, clauseSynopsis(c), c.doc));
    case 'literal':
      return [item(expectation.literal, vscode.CompletionItemKind.Keyword)];
    case 'none':
      return [];
  }
  const value = expectation.value;
  if (value.type === 'network') {
    return NETWORK_NAMES.map((name) => item(name, vscode.CompletionItemKind.EnumMember, networkTitle(name)));
  }
  if (value.type === 'word' && value.choices) return value.choices.map((choice) => item(choice, vscode.CompletionItemKind.EnumMember));
  if (value.type === 'name' && value.nameKind && !value.defines) return nameCompletions(document, value.nameKind, expectation.given, kernelNames, item);
  if (value.type === 'string' && value.path) {
    const notebook = notebookOf(document);
    const base = baseFolder(document, notebook);
    if (!base) return [];
    const { replaceFrom, candidates } = await pathCandidates(partial?.kind === 'string' ? partial.text : '"', base, value.path);
    const start = partial ? partial.start + replaceFrom : position.character;
    const range = new vscode.Range(position.line, start, position.line, position.character);
    const quoteNeeded = !partial;
    return candidates.map((candidate) => {
      const result = new vscode.CompletionItem(candidate.folder ? `${candidate.name}/` : candidate.name, candidate.folder ? vscode.CompletionItemKind.Folder : vscode.CompletionItemKind.File);
      result.insertText = `${quoteNeeded ? '"' : ''}${candidate.name}${candidate.folder ? '/' : ''}`;
      result.range = range;
      if (candidate.dataset) result.detail = 'dataset folder (images/ and masks/)';
      // keep completing inside a folder
      if (candidate.folder) result.command = { title: 'complete inside the folder', command: 'editor.action.triggerSuggest' };
      return result;
    });
  }
  return [];
}

async function nameCompletions(
  document: vscode.TextDocument,
  kind: NameKind,
  given: string[],
  kernelNames: KernelNames,
  item: (label: string, kind: vscode.CompletionItemKind, detail?: string) => vscode.CompletionItem,
): Promise<vscode.CompletionItem[]> {
  const notebook = notebookOf(document);
  const texts = notebook ? notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code).map((c) => c.document.getText()) : [document.getText()];
  const inText = definedNames(texts)[kind];
  const running = notebook ? await kernelNames(notebook).catch(() => undefined) : undefined;
  const inKernel = running ? { dataset: running.datasets, model: running.models, calibration: running.calibrations }[kind] : [];
  const names = [...new Set([...inKernel, ...inText])].filter((name) => !given.includes(name));
  return names.map((name) => item(name, vscode.CompletionItemKind.Variable, inKernel.includes(name) ? `${kind} in the running kernel` : `${kind} defined in this notebook (not run yet)`));
}

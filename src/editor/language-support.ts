/**
 * Cell-language support in the editor: diagnostics as you type (the parser's, at the exact
 * token), hover documentation of statements and clauses, and completion of keywords.
 */
import * as vscode from 'vscode';
import { parseCellForEditor, STATEMENTS, statementSpec } from '../language';
import { clauseSynopsis } from '../language/parser';

const SELECTOR: vscode.DocumentSelector = { language: 'ccnet' };

export function registerLanguageSupport(): vscode.Disposable {
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
    vscode.languages.registerCompletionItemProvider(SELECTOR, {
      provideCompletionItems(document, position) {
        const before = document.lineAt(position.line).text.slice(0, position.character);
        const words = before.trim().split(/\s+/).filter(Boolean);
        const startingStatement = words.length === 0 || (words.length === 1 && !before.endsWith(' '));
        if (startingStatement) {
          return STATEMENTS.map((spec) => {
            const item = new vscode.CompletionItem(spec.keyword, vscode.CompletionItemKind.Keyword);
            item.detail = spec.synopsis;
            item.documentation = new vscode.MarkdownString(spec.description);
            return item;
          });
        }
        const spec = statementSpec(words[0]!);
        if (!spec) return [];
        return spec.clauses
          .filter((c) => !words.includes(c.keyword))
          .map((c) => {
            const item = new vscode.CompletionItem(c.keyword, vscode.CompletionItemKind.Property);
            item.detail = clauseSynopsis(c);
            item.documentation = c.doc;
            return item;
          });
      },
    }),
  );
}

/**
 * File path completion inside a cell's string: the entries of the folder typed so far, relative
 * to the notebook's folder. Plain Node (no `vscode`), so it runs where the files are (the
 * remote machine under Remote-SSH) and is tested without an editor.
 */
import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { homedir } from 'node:os';

export interface PathCandidate {
  /** The entry's name, inserted after the last '/' typed. */
  name: string;
  folder: boolean;
  /** A folder with images/ and masks/ inside: a dataset folder. */
  dataset: boolean;
}

export interface PathCompletion {
  /** Offset within the partial string token where the inserted name starts. */
  replaceFrom: number;
  candidates: PathCandidate[];
}

/**
 * Candidates for a partial string token (`"../data/he`, with or without its closing quote).
 * Folders are always offered (to go deeper); files only for `kind: 'file'` and, when given, with
 * one of the extensions. Hidden entries only when the typed name starts with a dot.
 */
export function pathCandidates(partialToken: string, baseDir: string, want: { kind: 'folder' | 'file'; extensions?: readonly string[] }, limit = 500): PathCompletion {
  const body = partialToken.replace(/^"/, '').replace(/"$/, '');
  const slash = body.lastIndexOf('/');
  const folderPart = slash >= 0 ? body.slice(0, slash + 1) : '';
  const namePrefix = body.slice(slash + 1);
  const folder = folderPart.startsWith('~/') ? join(homedir(), folderPart.slice(2)) : isAbsolute(folderPart) ? folderPart : resolve(baseDir, folderPart || '.');
  const replaceFrom = 1 + slash + 1;
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return { replaceFrom, candidates: [] };
  }
  const candidates: PathCandidate[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') && !namePrefix.startsWith('.')) continue;
    if (!entry.name.startsWith(namePrefix)) continue;
    const isFolder = entry.isDirectory() || (entry.isSymbolicLink() && isFolderPath(join(folder, entry.name)));
    if (!isFolder && (want.kind === 'folder' || (want.extensions && !want.extensions.some((ext) => entry.name.toLowerCase().endsWith(ext))))) continue;
    const path = join(folder, entry.name);
    candidates.push({ name: entry.name, folder: isFolder, dataset: isFolder && existsSync(join(path, 'images')) && existsSync(join(path, 'masks')) });
  }
  candidates.sort((a, b) => Number(b.dataset) - Number(a.dataset) || Number(b.folder) - Number(a.folder) || a.name.localeCompare(b.name));
  return { replaceFrom, candidates: candidates.slice(0, limit) };
}

function isFolderPath(path: string): boolean {
  try {
    readdirSync(path);
    return true;
  } catch {
    return false;
  }
}

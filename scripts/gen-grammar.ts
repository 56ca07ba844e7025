// Writes syntaxes/ccnet.tmLanguage.json from the statement descriptions, so the colouring
// always knows every keyword. Run: npx tsx scripts/gen-grammar.ts (a unit test checks it is current).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { grammarJson } from '../src/language/grammar';

writeFileSync(join(import.meta.dirname, '..', 'syntaxes', 'ccnet.tmLanguage.json'), grammarJson());

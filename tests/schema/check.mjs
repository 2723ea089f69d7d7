#!/usr/bin/env node
// Independent check of schemas/charter.schema.json: YAML 1.2 core semantics (js-yaml CORE_SCHEMA)
// validated by ajv (draft 2020-12). Shares no code with the C++ loader, so the two cannot drift unnoticed.
//
// Usage:
//   node check.mjs [--schema FILE] FILE...          print `ACCEPT path` or `REJECT path: errors` per file; exit 0
//   node check.mjs --expect-accept PATH...           files, or directories walked for *.yaml/*.yml (dot-folders
//                                                    skipped, files without a top-level `charter` key skipped
//                                                    with a note, as `charter validate DIR` does); exit 1 if any
//                                                    is rejected
//   node check.mjs --expect-reject PATH...           files (or directories: rejected when any file in them is);
//                                                    exit 1 if any is accepted
// In the expect modes every line is `ok ...` or `FAIL ...` and the last line is `N passed, M failed`.
// Exit 2 on usage errors or an unreadable schema.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const here = path.dirname(fileURLToPath(import.meta.url));
const MAX_ERRORS = 4;

function usage(msg) {
  if (msg) console.error(`check.mjs: ${msg}`);
  console.error('usage: node check.mjs [--schema FILE] [--expect-accept | --expect-reject] PATH...');
  process.exit(2);
}

let schemaPath = path.resolve(here, '../../schemas/charter.schema.json');
let mode = 'report';
const targets = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--schema') { if (++i >= argv.length) usage('--schema needs a file'); schemaPath = argv[i]; }
  else if (a === '--expect-accept') mode = 'accept';
  else if (a === '--expect-reject') mode = 'reject';
  else if (a === '--help' || a === '-h') usage();
  else if (a.startsWith('--')) usage(`unknown option ${a}`);
  else targets.push(a);
}
if (targets.length === 0) usage('no files given');

let validate;
try {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
  addFormats(ajv);
  validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
} catch (e) {
  console.error(`check.mjs: cannot use schema ${schemaPath}: ${e.message}`);
  process.exit(2);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const isYaml = (name) => /\.ya?ml$/i.test(name);

function walk(dir, out) {
  for (const ent of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (ent.name.startsWith('.')) continue;
    const p = path.join(dir, ent.name);
    if (ent.isDirectory()) walk(p, out);
    else if (isYaml(ent.name)) out.push(p);
  }
  return out;
}

function formatErrors(errors) {
  // `if` failures only restate the `then` error below them; oneOf/anyOf summaries follow their branches.
  const lines = [];
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    const where = e.instancePath || '/';
    let msg = e.message;
    if (e.keyword === 'additionalProperties') msg = `unknown key ${JSON.stringify(e.params.additionalProperty)}`;
    else if (e.keyword === 'enum') msg += ` (${e.params.allowedValues.join(', ')})`;
    else if (e.keyword === 'const') msg += ` (${JSON.stringify(e.params.allowedValue)})`;
    else if (e.keyword === 'false schema') msg = 'key not allowed here';
    else if (e.keyword === 'not' && /\/id$/.test(where)) msg = 'is a reserved name';
    const line = `${where} ${msg}`;
    if (!lines.includes(line)) lines.push(line);
  }
  const shown = lines.slice(0, MAX_ERRORS);
  if (lines.length > MAX_ERRORS) shown.push(`... ${lines.length - MAX_ERRORS} more`);
  return shown.join('; ');
}

// -> { verdict: 'accept' | 'reject' | 'skip', detail }
function checkFile(file, { skipNonCharter = false } = {}) {
  let text;
  try {
    text = fs.readFileSync(file);
  } catch (e) {
    return { verdict: 'reject', detail: `cannot read: ${e.code || e.message}` };
  }
  try {
    text = utf8.decode(text); // strict: invalid UTF-8 is an error, never U+FFFD (a UTF-8 BOM is dropped)
  } catch {
    return { verdict: 'reject', detail: 'not valid UTF-8' };
  }
  let doc;
  try {
    doc = yaml.load(text, { schema: yaml.CORE_SCHEMA, filename: file });
  } catch (e) {
    return { verdict: 'reject', detail: `YAML: ${e.reason || e.message}${e.mark ? ` at line ${e.mark.line + 1}` : ''}` };
  }
  if (doc === undefined) doc = null; // empty document
  if (skipNonCharter && (doc === null || typeof doc !== 'object' || Array.isArray(doc) || !('charter' in doc))) {
    return { verdict: 'skip', detail: 'no top-level `charter` key (not a charter file)' };
  }
  if (validate(doc)) return { verdict: 'accept', detail: '' };
  return { verdict: 'reject', detail: formatErrors(validate.errors) };
}

function filesOf(target) {
  let st;
  try { st = fs.statSync(target); } catch (e) { return { error: `does not exist` }; }
  return st.isDirectory() ? { files: walk(target, []), dir: true } : { files: [target], dir: false };
}

if (mode === 'report') {
  for (const t of targets) {
    const { files, error } = filesOf(t);
    if (error) { console.log(`REJECT ${t}: ${error}`); continue; }
    for (const f of files) {
      const r = checkFile(f);
      console.log(r.verdict === 'accept' ? `ACCEPT ${f}` : `REJECT ${f}: ${r.detail}`);
    }
  }
  process.exit(0);
}

let passed = 0;
let failed = 0;
const ok = (msg) => { passed++; console.log(`ok   ${msg}`); };
const fail = (msg) => { failed++; console.log(`FAIL ${msg}`); };

for (const t of targets) {
  const { files, error, dir } = filesOf(t);
  if (error) { fail(`${t}: ${error}`); continue; }
  if (mode === 'accept') {
    let charterFiles = 0;
    for (const f of files) {
      const r = checkFile(f, { skipNonCharter: dir });
      if (r.verdict === 'skip') { console.log(`note ${f}: skipped, ${r.detail}`); continue; }
      charterFiles++;
      if (r.verdict === 'accept') ok(`schema accepts ${f}`);
      else fail(`schema rejects ${f}: ${r.detail}`);
    }
    if (dir && charterFiles === 0) fail(`${t}: no charter files`);
  } else {
    // A directory case is rejected when at least one of its files is.
    const rejected = [];
    for (const f of files) {
      const r = checkFile(f);
      if (r.verdict === 'reject') rejected.push(`${f}: ${r.detail}`);
    }
    if (rejected.length) ok(`schema rejects ${dir ? rejected.join(' | ') : rejected[0]}`);
    else fail(`schema accepts ${t}, expected a rejection`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

// The ajv peer of `charter validate`: js-yaml (YAML 1.2 core schema) + ajv.
//
//   node bench/validate/ajv-core.mjs SCHEMA FILE_OR_DIR...
//
// Loads every file with js-yaml 4's CORE_SCHEMA (so `yes`/`no` stay strings
// and dates stay strings, as the charter format says; ajv-cli's own YAML
// loading uses js-yaml 3's default schema, which turns 2026-12-24 into a Date)
// and validates each file against SCHEMA with ajv 8 (+ ajv-formats), compiled
// once, all errors collected. Directories are walked for *.yaml / *.yml,
// skipping dot-folders. Prints "N files valid" or each file's errors; exits 0
// when every file is valid, 1 otherwise, 2 on usage errors.
//
// ajv, ajv-formats and js-yaml are resolved from bench/.peers/node_modules
// (or $CHARTER_BENCH_PEERS/node_modules), where bench/validate/run installs them.
import { createRequire } from "node:module";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const peers = process.env.CHARTER_BENCH_PEERS || resolve(here, "../.peers");
const require = createRequire(join(peers, "package.json"));

const [schemaPath, ...inputs] = process.argv.slice(2);
if (!schemaPath || inputs.length === 0) {
  console.error("usage: node ajv-core.mjs SCHEMA FILE_OR_DIR...");
  process.exit(2);
}

const yaml = require("js-yaml");
const addFormats = require("ajv-formats");
const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
const draft2020 = String(schema.$schema || "").includes("2020-12");
const Ajv = draft2020 ? require("ajv/dist/2020") : require("ajv");
const ajv = new (Ajv.default || Ajv)({ allErrors: true, strict: false });
(addFormats.default || addFormats)(ajv);
const validate = ajv.compile(schema);

function walk(p, out) {
  if (statSync(p).isDirectory()) {
    for (const e of readdirSync(p, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name.startsWith(".")) continue;
      const q = join(p, e.name);
      if (e.isDirectory()) walk(q, out);
      else if (/\.ya?ml$/.test(e.name)) out.push(q);
    }
  } else {
    out.push(p);
  }
}

const files = [];
for (const p of inputs) walk(p, files);

let bad = 0;
for (const f of files) {
  let doc;
  try {
    doc = yaml.load(readFileSync(f, "utf8"), { schema: yaml.CORE_SCHEMA, filename: f });
  } catch (e) {
    console.error(`${f}: ${e.message}`);
    bad++;
    continue;
  }
  if (!validate(doc)) {
    bad++;
    for (const err of validate.errors.slice(0, 20)) {
      console.error(`${f}: ${err.instancePath || "/"} ${err.message} ${JSON.stringify(err.params)}`);
    }
    if (validate.errors.length > 20) console.error(`${f}: ... ${validate.errors.length - 20} more`);
  }
}
if (bad) {
  console.error(`${bad} of ${files.length} files invalid`);
  process.exit(1);
}
console.log(`${files.length} files valid`);

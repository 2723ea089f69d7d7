// Validates SARIF files against the OASIS SARIF 2.1.0 schema (draft-07) with ajv.
//   node sarif-check.mjs SCHEMA FILE...   prints ok/FAIL per file, exits 1 on any failure
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";

const [schemaPath, ...files] = process.argv.slice(2);
const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);
let failed = 0;
for (const f of files) {
  const doc = JSON.parse(readFileSync(f, "utf8"));
  if (validate(doc)) {
    console.log(`ok ${f}`);
  } else {
    failed++;
    console.log(`FAIL ${f}`);
    for (const e of validate.errors.slice(0, 8)) console.log(`  ${e.instancePath} ${e.message}`);
  }
}
process.exit(failed ? 1 : 0);

// The DuckDB peer of `charter qualify`: read_csv + the hand-written SQL of examples/acme.
//
//   node bench/qualify/duckdb.mjs FILE --as-of TIME [--threads N] [--records]
//
// Opens an in-memory DuckDB (@duckdb/node-api, which ships DuckDB's own binary), makes the
// view `leads` over read_csv(FILE) with explicit column types, runs acme.duckdb.sql.in
// (@NOW_EPOCH@ = TIME in Unix seconds), then prints the summary of summary.sql as
// `name,count` lines (what `charter qualify --summary` counts), or with --records one CSV row
// per record (id, criteria as 1/0, scores, stage; in file order when --threads 1).
// --threads N sets DuckDB's `threads` (default: DuckDB's, one per core).
//
// @duckdb/node-api is resolved from bench/.peers/node_modules (or
// $CHARTER_BENCH_PEERS/node_modules), where bench/qualify/run installs it.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const peers = process.env.CHARTER_BENCH_PEERS || resolve(here, "../.peers");
const require = createRequire(join(peers, "package.json"));
const { DuckDBInstance } = require("@duckdb/node-api");

function usage(msg) {
  if (msg) console.error("duckdb.mjs: " + msg);
  console.error("usage: node duckdb.mjs FILE --as-of TIME [--threads N] [--records]");
  process.exit(2);
}
let file, asOf, threads, records = false;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--as-of") asOf = argv[++i];
  else if (a === "--threads") threads = argv[++i];
  else if (a === "--records") records = true;
  else if (a.startsWith("--")) usage("unknown option " + a);
  else if (!file) file = a;
  else usage("one FILE only");
}
if (!file || !asOf) usage();
const nowMs = Date.parse(asOf);
if (!/(Z|[+-]\d\d:\d\d)$/.test(asOf) || Number.isNaN(nowMs)) usage("--as-of needs RFC 3339 with an offset");
if (threads !== undefined && !/^[1-9][0-9]*$/.test(threads)) usage("--threads needs a positive integer");

const COLUMNS = {
  id: "VARCHAR", email: "VARCHAR", title: "VARCHAR", company_size: "BIGINT", annual_revenue: "DOUBLE",
  country: "VARCHAR", industry: "VARCHAR", lead_source: "VARCHAR", products: "VARCHAR",
  demo_requested: "VARCHAR", budget_confirmed: "VARCHAR", unsubscribed: "VARCHAR",
  email_opens: "BIGINT", page_views: "BIGINT", trial_started: "DATE",
  created_at: "TIMESTAMPTZ", last_activity: "TIMESTAMPTZ",
};
const sqlString = (s) => "'" + String(s).replaceAll("'", "''") + "'";
const columns = "{" + Object.entries(COLUMNS).map(([k, v]) => `${sqlString(k)}: ${sqlString(v)}`).join(", ") + "}";

const instance = await DuckDBInstance.create(":memory:", threads ? { threads } : {});
const con = await instance.connect();
async function runAll(sql) {
  const ex = await con.extractStatements(sql);
  let last;
  for (let i = 0; i < ex.count; i++) last = await (await ex.prepare(i)).runAndReadAll();
  return last;
}
await runAll(`CREATE VIEW leads AS SELECT * FROM read_csv(${sqlString(file)}, header = true, delim = ',',
  quote = '"', escape = '"', auto_detect = false, columns = ${columns})`);
await runAll(readFileSync(join(here, "acme.duckdb.sql.in"), "utf8")
  .replaceAll("@NOW_EPOCH@", String(Math.floor(nowMs / 1000))));

let out;
if (records) {
  const r = await runAll(`SELECT id, free_email::INT, icp_fit::INT, engaged::INT, mql::INT, sales_ready::INT,
    fit_score, engagement_score, stage FROM qualified`);
  const csv = (v) => (/[",\n]/.test(String(v)) ? '"' + String(v).replaceAll('"', '""') + '"' : String(v));
  out = ["id,free_email,icp_fit,engaged,mql,sales_ready,fit_score,engagement_score,stage"]
    .concat(r.getRowsJS().map((row) => row.map(csv).join(",")));
} else {
  const r = await runAll(readFileSync(join(here, "summary.sql"), "utf8"));
  out = r.getRowsJS().map(([name, n]) => `${name},${n}`);
}
process.stdout.write(out.join("\n") + "\n");

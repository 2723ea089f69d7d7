#!/usr/bin/env node
// The DuckDB peer of `charter sla` on bench/sla/wall.yaml: the wall-clock compliance of the
// response SLA "mql -> first call, email or meeting after it within 8 hours", per month.
//
//   node bench/sla/duckdb.mjs FILE --as-of TIME [--threads N] [--within SECONDS]
//
// Opens an in-memory DuckDB (@duckdb/node-api, which ships DuckDB's own binary), reads the
// event log with read_csv and explicit column types, and prints one `month,items,met,breached,
// in_flight` line per month that has items, in month order. The SQL keeps the rules of
// charter's response SLA (docs/format.md, "How calendars and SLAs are measured"):
//
// - only events at or before TIME count (later ones are ignored);
// - the item of a record starts at its first `stage` event named `mql` (a record enters the
//   stage once in bench/sla/gen-events' data, so there is one item per record; charter would
//   start a new item at an `mql` after the first item's outcome: a recycled record);
// - it stops at the first `activity` named `call`, `email` or `meeting` at or after the start
//   (charter orders a stage before an activity at the same instant, so a stop at the very
//   instant of the start counts);
// - met when the stop is at or before start + 8 h; breached when the stop is later, or when
//   there is no stop and start + 8 h is before TIME; in flight otherwise;
// - the month is the start's month in UTC (wall.yaml has no calendar and no organization);
// - identical rows (a row exported twice) change nothing: the start and stop are minima.
// Times are compared as integer microseconds since the epoch (epoch_us), so offsets and
// time zones play no part but in read_csv's parsing of `+01:00`, `-05:00` and `Z`.
// --threads N sets DuckDB's `threads` (default: DuckDB's, one per core); --within changes the
// 8 hours (in seconds).
//
// @duckdb/node-api is resolved from bench/.peers/node_modules (or
// $CHARTER_BENCH_PEERS/node_modules), where bench/sla/run installs it.
import { createRequire } from "node:module";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const peers = process.env.CHARTER_BENCH_PEERS || resolve(here, "../.peers");
const require = createRequire(join(peers, "package.json"));
const { DuckDBInstance } = require("@duckdb/node-api");

function usage(msg) {
  if (msg) console.error("duckdb.mjs: " + msg);
  console.error("usage: node duckdb.mjs FILE --as-of TIME [--threads N] [--within SECONDS]");
  process.exit(2);
}
let file, asOf, threads, within = "28800";
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--as-of") asOf = argv[++i];
  else if (a === "--threads") threads = argv[++i];
  else if (a === "--within") within = argv[++i];
  else if (a.startsWith("--")) usage("unknown option " + a);
  else if (!file) file = a;
  else usage("one FILE only");
}
if (!file || !asOf) usage();
const asOfMs = Date.parse(asOf);
if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(asOf) || Number.isNaN(asOfMs))
  usage("--as-of needs RFC 3339 with an offset");
if (threads !== undefined && !/^[1-9][0-9]*$/.test(threads)) usage("--threads needs a positive integer");
if (!/^[0-9]+$/.test(within)) usage("--within needs whole seconds");
const asOfUs = BigInt(asOfMs) * 1000n;  // charter's instants are whole seconds; so is --as-of here
const withinUs = BigInt(within) * 1000000n;

const sqlString = (s) => "'" + String(s).replaceAll("'", "''") + "'";
const instance = await DuckDBInstance.create(":memory:", threads ? { threads } : {});
const con = await instance.connect();

const sql = `
WITH events AS (
  SELECT record, epoch_us("at") AS t, "type", "name"
  FROM read_csv(${sqlString(file)}, header = true, delim = ',', quote = '"', escape = '"',
                auto_detect = false,
                columns = {'record': 'VARCHAR', 'at': 'TIMESTAMPTZ', 'type': 'VARCHAR',
                           'name': 'VARCHAR', 'value': 'DOUBLE'})
  WHERE epoch_us("at") <= ${asOfUs}
),
starts AS (        -- the first mql of each record
  SELECT record, min(t) AS s FROM events WHERE type = 'stage' AND name = 'mql' GROUP BY record
),
stops AS (         -- the first call, email or meeting at or after it
  SELECT s.record, s.s, min(e.t) AS stop
  FROM starts s LEFT JOIN events e
    ON e.record = s.record AND e.type = 'activity' AND e.name IN ('call', 'email', 'meeting') AND e.t >= s.s
  GROUP BY s.record, s.s
)
SELECT strftime(make_timestamp(s), '%Y-%m') AS month,
       count(*) AS items,
       count(*) FILTER (WHERE stop IS NOT NULL AND stop <= s + ${withinUs}) AS met,
       count(*) FILTER (WHERE (stop IS NOT NULL AND stop > s + ${withinUs})
                           OR (stop IS NULL AND s + ${withinUs} < ${asOfUs})) AS breached,
       count(*) FILTER (WHERE stop IS NULL AND s + ${withinUs} >= ${asOfUs}) AS in_flight
FROM stops
GROUP BY month
ORDER BY month`;

const r = await con.runAndReadAll(sql);
const out = r.getRowsJS().map((row) => row.join(","));
process.stdout.write(["month,items,met,breached,in_flight"].concat(out).join("\n") + "\n");

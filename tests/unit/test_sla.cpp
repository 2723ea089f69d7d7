// SLA clocks of one record (charter::SlaClock): response and attempts items, hand-checked on
// a Mon-Fri 09:00-17:00 Berlin calendar (CET, UTC+1, in late November 2026).
#define BOOST_TEST_MODULE charter_sla
#include <charter/evaluate.hpp>
#include <charter/sla.hpp>

#include <map>

#include "common.hpp"

namespace charter {
inline std::ostream& operator<<(std::ostream& os, SlaStatus s) { return os << to_string(s); }
inline std::ostream& operator<<(std::ostream& os, EventType t) { return os << to_string(t); }
inline std::ostream& operator<<(std::ostream& os, PeriodStatus s) { return os << to_string(s); }
}  // namespace charter

using namespace charter;

namespace {

const char* kCharter = R"(charter: 1
teams:
  - { id: sales, name: Sales }
  - { id: marketing, name: Marketing }
funnel:
  stages:
    - { id: lead, name: Lead, owner: marketing }
    - { id: mql, name: MQL, owner: marketing }
    - { id: sql, name: SQL, owner: sales }
calendars:
  - id: berlin
    timezone: Europe/Berlin
    hours: { mon-fri: "09:00-17:00" }
slas:
  - id: follow_up
    name: Sales calls every MQL within 8 business hours
    provider: sales
    customer: marketing
    type: response
    start: { stage: mql }
    stop: { activity: [call, email] }
    within: 8h
    calendar: berlin
    warn_at: 75%
    objective: 95%
    period: month
  - id: three_calls
    name: Three calls within two business days
    provider: sales
    customer: marketing
    type: attempts
    start: { stage: mql }
    activity: [call]
    at_least: 3
    within: 2d
    calendar: berlin
    objective: 90%
    period: month
  - id: wall
    name: Anything within a day of wall-clock time
    provider: sales
    customer: marketing
    type: response
    start: { stage: mql }
    stop: { activity: [call] }
    within: 24h
    objective: 90%
    period: month
  - id: volume
    name: Two hundred MQLs a month
    provider: marketing
    customer: sales
    type: volume
    count: { stage: mql }
    at_least: 200
    period: month
    objective: 100%
)";

Instant at(const char* text) { return to_instant(parse_datetime(text).value()); }

Event stage(const char* when, const char* name = "mql") { return {"L1", at(when), EventType::Stage, name, {}}; }
Event act(const char* when, const char* name = "call") { return {"L1", at(when), EventType::Activity, name, {}}; }

struct Fixture {
  Fixture() : loaded(test::load(kCharter)) { BOOST_TEST_REQUIRE(loaded.ok(), test::dump(loaded)); }
  LoadResult loaded;
};

}  // namespace

// Friday 2026-11-27 16:00 CET: one open hour left on Friday, so 8 h of open time end on
// Monday 2026-11-30 at 16:00 CET (15:00Z); 75% (6 h) is used at Monday 14:00 CET.
BOOST_AUTO_TEST_CASE(response_met_on_monday_morning) {
  Fixture f;
  SlaClock clock(f.loaded.charter(), "follow_up");
  std::vector<Event> ev{stage("2026-11-27T16:00:00+01:00"), act("2026-11-30T10:00:00+01:00")};
  auto items = clock.evaluate(ev, at("2026-12-01T00:00:00Z"));
  BOOST_TEST_REQUIRE(items.size() == 1u);
  const SlaItem& it = items[0];
  BOOST_TEST(it.record == "L1");
  BOOST_TEST(it.status == SlaStatus::Met);
  BOOST_TEST(utc_time(it.deadline) == "2026-11-30T15:00:00Z");
  BOOST_TEST(utc_time(*it.warning) == "2026-11-30T13:00:00Z");
  BOOST_TEST(utc_time(*it.done) == "2026-11-30T09:00:00Z");
  BOOST_TEST(it.elapsed.count() == 2 * 3600);  // Friday 16-17, Monday 9-10
  BOOST_TEST(it.remaining.count() == 0);
  BOOST_TEST(!it.warned);
  BOOST_TEST(utc_time(it.clock_start) == "2026-11-27T15:00:00Z");  // open at the start
}

// The call comes on Tuesday at 10:00: 1 h (Fri) + 8 h (Mon) + 1 h (Tue) = 10 h, late.
BOOST_AUTO_TEST_CASE(response_breached_by_a_late_stop) {
  Fixture f;
  SlaClock clock(f.loaded.charter(), "follow_up");
  std::vector<Event> ev{stage("2026-11-27T16:00:00+01:00"), act("2026-12-01T10:00:00+01:00", "email")};
  auto items = clock.evaluate(ev, at("2026-12-02T00:00:00Z"));
  BOOST_TEST_REQUIRE(items.size() == 1u);
  BOOST_TEST(items[0].status == SlaStatus::Breached);
  BOOST_TEST(items[0].elapsed.count() == 10 * 3600);
  BOOST_TEST(items[0].warned);
  BOOST_TEST(utc_time(*items[0].done) == "2026-12-01T09:00:00Z");
}

// Without a stop: in flight before the deadline (warned after Monday 14:00), breached after.
BOOST_AUTO_TEST_CASE(response_in_flight_then_breached_without_a_stop) {
  Fixture f;
  SlaClock clock(f.loaded.charter(), "follow_up");
  std::vector<Event> ev{stage("2026-11-27T16:00:00+01:00")};
  auto noon = clock.evaluate(ev, at("2026-11-30T12:00:00+01:00"));
  BOOST_TEST_REQUIRE(noon.size() == 1u);
  BOOST_TEST(noon[0].status == SlaStatus::InFlight);
  BOOST_TEST(noon[0].elapsed.count() == 4 * 3600);    // Fri 16-17, Mon 9-12
  BOOST_TEST(noon[0].remaining.count() == 4 * 3600);  // Mon 12-16
  BOOST_TEST(!noon[0].warned);
  auto three = clock.evaluate(ev, at("2026-11-30T15:00:00+01:00"));
  BOOST_TEST(three[0].status == SlaStatus::InFlight);
  BOOST_TEST(three[0].warned);  // 14:00 has passed
  BOOST_TEST(three[0].remaining.count() == 3600);
  auto late = clock.evaluate(ev, at("2026-11-30T16:00:01+01:00"));
  BOOST_TEST(late[0].status == SlaStatus::Breached);
  BOOST_TEST(late[0].elapsed.count() == 8 * 3600);
  BOOST_TEST(!late[0].done);
  // At the deadline itself it is still in flight (a stop then would be in time).
  auto at_deadline = clock.evaluate(ev, at("2026-11-30T16:00:00+01:00"));
  BOOST_TEST(at_deadline[0].status == SlaStatus::InFlight);
}

// Input order does not matter; a second `start` while the clock runs is a duplicate; events
// after `as_of` are not seen.
BOOST_AUTO_TEST_CASE(unsorted_duplicates_and_future_events) {
  Fixture f;
  SlaClock clock(f.loaded.charter(), "follow_up");
  std::vector<Event> ev{act("2026-11-30T10:00:00+01:00"), stage("2026-11-27T16:30:00+01:00"),
                        stage("2026-11-27T16:00:00+01:00"), act("2026-11-27T15:00:00+01:00"),  // before the start
                        stage("2026-11-27T16:00:00+01:00")};
  auto items = clock.evaluate(ev, at("2026-12-01T00:00:00Z"));
  BOOST_TEST_REQUIRE(items.size() == 1u);
  BOOST_TEST(utc_time(items[0].start) == "2026-11-27T15:00:00Z");
  BOOST_TEST(items[0].status == SlaStatus::Met);
  auto before_call = clock.evaluate(ev, at("2026-11-30T09:30:00+01:00"));
  BOOST_TEST(before_call[0].status == SlaStatus::InFlight);
  BOOST_TEST(clock.evaluate({}, at("2026-12-01T00:00:00Z")).empty());
}

// A clock that starts outside open hours starts when the calendar opens: Saturday 10:00 ->
// Monday 09:00, deadline Monday 17:00.
BOOST_AUTO_TEST_CASE(a_start_outside_open_hours) {
  Fixture f;
  SlaClock clock(f.loaded.charter(), "follow_up");
  std::vector<Event> ev{stage("2026-11-28T10:00:00+01:00")};
  auto items = clock.evaluate(ev, at("2026-11-28T12:00:00+01:00"));
  BOOST_TEST_REQUIRE(items.size() == 1u);
  BOOST_TEST(utc_time(items[0].clock_start) == "2026-11-30T08:00:00Z");
  BOOST_TEST(utc_time(items[0].deadline) == "2026-11-30T16:00:00Z");
  BOOST_TEST(items[0].elapsed.count() == 0);
  BOOST_TEST(items[0].remaining.count() == 8 * 3600);
}

// Recycled: met, then the record becomes an MQL again: a new item. A missed item ends at the
// next start, and the later call belongs to the new one.
BOOST_AUTO_TEST_CASE(a_recycled_record_starts_a_new_cycle) {
  Fixture f;
  SlaClock clock(f.loaded.charter(), "follow_up");
  std::vector<Event> ev{stage("2026-11-02T10:00:00+01:00"), act("2026-11-02T11:00:00+01:00"),
                        stage("2026-11-09T10:00:00+01:00"),  // recycled: no call for days
                        stage("2026-11-16T10:00:00+01:00"), act("2026-11-16T12:00:00+01:00")};
  auto items = clock.evaluate(ev, at("2026-12-01T00:00:00Z"));
  BOOST_TEST_REQUIRE(items.size() == 3u);
  BOOST_TEST(items[0].status == SlaStatus::Met);
  BOOST_TEST(items[1].status == SlaStatus::Breached);
  BOOST_TEST(!items[1].done);
  BOOST_TEST(items[2].status == SlaStatus::Met);
  BOOST_TEST(items[2].elapsed.count() == 2 * 3600);
}

// Three calls within two business days of Friday 16:00 (day 0): the deadline is the close of
// Tuesday (Monday is day 1, Tuesday day 2), 2026-12-01 17:00 CET.
BOOST_AUTO_TEST_CASE(attempts_met_and_breached) {
  Fixture f;
  SlaClock clock(f.loaded.charter(), "three_calls");
  std::vector<Event> met{stage("2026-11-27T16:00:00+01:00"), act("2026-11-27T16:10:00+01:00"),
                         act("2026-11-30T09:00:00+01:00", "email"),  // not a counted kind
                         act("2026-11-30T11:00:00+01:00"), act("2026-12-01T16:59:00+01:00")};
  auto items = clock.evaluate(met, at("2026-12-05T00:00:00Z"));
  BOOST_TEST_REQUIRE(items.size() == 1u);
  BOOST_TEST(utc_time(items[0].deadline) == "2026-12-01T16:00:00Z");
  BOOST_TEST(items[0].status == SlaStatus::Met);
  BOOST_TEST(items[0].attempts == 3);
  BOOST_TEST(utc_time(*items[0].done) == "2026-12-01T15:59:00Z");

  std::vector<Event> short_by_one{stage("2026-11-27T16:00:00+01:00"), act("2026-11-27T16:10:00+01:00"),
                                  act("2026-11-30T11:00:00+01:00"), act("2026-12-01T17:01:00+01:00")};  // too late
  auto missed = clock.evaluate(short_by_one, at("2026-12-05T00:00:00Z"));
  BOOST_TEST_REQUIRE(missed.size() == 1u);
  BOOST_TEST(missed[0].status == SlaStatus::Breached);
  BOOST_TEST(missed[0].attempts == 2);
  auto running = clock.evaluate(short_by_one, at("2026-12-01T12:00:00+01:00"));
  BOOST_TEST(running[0].status == SlaStatus::InFlight);
  BOOST_TEST(running[0].attempts == 2);
  BOOST_TEST(running[0].remaining.count() == 5 * 3600);  // Tuesday 12-17
}

// Without a calendar, durations are wall-clock time.
BOOST_AUTO_TEST_CASE(wall_clock_sla) {
  Fixture f;
  SlaClock clock(f.loaded.charter(), "wall");
  BOOST_TEST(clock.calendar().is_wall_clock());
  std::vector<Event> ev{stage("2026-11-28T10:00:00Z"), act("2026-11-29T10:00:00Z")};
  auto items = clock.evaluate(ev, at("2026-12-01T00:00:00Z"));
  BOOST_TEST_REQUIRE(items.size() == 1u);
  BOOST_TEST(utc_time(items[0].deadline) == "2026-11-29T10:00:00Z");
  BOOST_TEST(items[0].status == SlaStatus::Met);  // exactly at the deadline
  BOOST_TEST(items[0].elapsed.count() == 24 * 3600);
}

BOOST_AUTO_TEST_CASE(only_response_and_attempts_slas_have_a_clock) {
  Fixture f;
  BOOST_CHECK_THROW(SlaClock(f.loaded.charter(), "nope"), Error);
  BOOST_CHECK_THROW(SlaClock(f.loaded.charter(), "volume"), Error);
  BOOST_TEST(std::string(to_string(SlaStatus::InFlight)) == "in flight");
  BOOST_TEST(std::string(to_string(EventType::Deal)) == "deal");
}

// ---- event logs ---------------------------------------------------------------------------

namespace {

struct Log {
  std::vector<Event> read(const std::string& name, const std::string& content) {
    auto path = dir.write(name, content);
    EventReader r(path);
    std::vector<Event> out;
    Event e;
    while (r.next(e)) out.push_back(e);
    diags = r.diagnostics();
    rejected = r.events_rejected();
    failed = r.failed();
    return out;
  }
  test::TempDir dir;
  std::vector<Diagnostic> diags;
  std::size_t rejected = 0;
  bool failed = false;
};

}  // namespace

BOOST_AUTO_TEST_CASE(csv_event_log_with_bad_rows_reported_at_line_and_column) {
  Log log;
  auto events = log.read("events.csv",
                         "\xEF\xBB\xBFrecord,at,type,name,value,extra\r\n"
                         "L1,2026-11-27T16:00:00+01:00,stage,mql,,x\r\n"
                         "\r\n"
                         "L1,2026-11-30T10:00:00+01:00,Activity,\"call, then email\",,\n"
                         "L2,2026-11-30T10:00:00,stage,mql,,\n"         // no offset
                         "L3,2026-11-30T10:00:00Z,activty,call,,\n"     // typo
                         ",2026-11-30T10:00:00Z,deal,won,\"1,000\",\n"  // two bad cells
                         "L4,2026-12-01T09:00:00Z,deal,won,2500.5,\n"
                         "L5,2026-12-01T09:00:00Z,touch\n"  // ragged
                         "L6,2026-12-01T09:00:00Z,touch,\"web\ninar\",,");
  BOOST_TEST_REQUIRE(events.size() == 4u);
  BOOST_TEST(events[0].record == "L1");
  BOOST_TEST(events[0].type == EventType::Stage);
  BOOST_TEST(utc_time(events[0].at) == "2026-11-27T15:00:00Z");
  BOOST_TEST(events[1].type == EventType::Activity);
  BOOST_TEST(events[1].name == "call, then email");
  BOOST_TEST(*events[2].value == 2500.5);
  BOOST_TEST(events[3].name == "web\ninar");
  BOOST_TEST(log.rejected == 4u);
  BOOST_TEST_REQUIRE(log.diags.size() == 5u);
  BOOST_TEST(log.diags[0].code == "CH1001");
  BOOST_TEST(log.diags[0].span.line == 5);
  BOOST_TEST(log.diags[0].span.column == 2);
  BOOST_TEST(log.diags[0].message == "event 3, column \"at\": `2026-11-30T10:00:00` has no offset (add Z or +01:00)");
  BOOST_TEST(log.diags[1].message.find("did you mean `activity`?") != std::string::npos);
  BOOST_TEST(log.diags[1].span.column == 3);
  BOOST_TEST(log.diags[2].message == "event 5, column \"record\": empty record id");
  BOOST_TEST(log.diags[3].message ==
             "event 5, column \"value\": `1,000` is not a number (write it without thousands separators)");
  BOOST_TEST(log.diags[4].code == "CH1003");
  BOOST_TEST(log.diags[4].span.line == 9);
}

BOOST_AUTO_TEST_CASE(event_logs_without_a_column_or_a_file_are_unusable) {
  Log log;
  log.read("nocol.csv", "record,when,type,name\nL1,2026-11-27T16:00:00Z,stage,mql\n");
  BOOST_TEST(log.failed);
  BOOST_TEST_REQUIRE(log.diags.size() == 1u);
  BOOST_TEST(log.diags[0].code == "CH1004");
  BOOST_TEST(log.diags[0].message.find("no column `at`") != std::string::npos);
  log.read("empty.csv", "\n\n");
  BOOST_TEST(log.failed);
  EventReader missing(log.dir.path() / "nope.csv");
  Event e;
  BOOST_TEST(!missing.next(e));
  BOOST_TEST(missing.failed());
  BOOST_TEST(missing.diagnostics().at(0).message.find("cannot be opened") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(json_lines_event_log) {
  Log log;
  auto events = log.read(
      "events.jsonl",
      "{\"record\":\"L1\",\"at\":\"2026-11-27T16:00:00+01:00\",\"type\":\"stage\",\"name\":\"mql\"}\n"
      "{\"record\":42,\"at\":\"2026-11-28T09:00:00Z\",\"type\":\"deal\",\"name\":\"won\",\"value\":120}\n"
      "not json\n"
      "{\"record\":\"L3\",\"at\":\"2026-11-28T09:00:00Z\",\"type\":\"deal\",\"name\":\"won\",\"value\":\"x\"}\n"
      "{\"record\":\"L4\",\"type\":\"stage\",\"name\":\"mql\"}\n");
  BOOST_TEST_REQUIRE(events.size() == 2u);
  BOOST_TEST(events[1].record == "42");
  BOOST_TEST(*events[1].value == 120.0);
  BOOST_TEST(log.rejected == 3u);
  BOOST_TEST_REQUIRE(log.diags.size() == 3u);
  BOOST_TEST(log.diags[0].span.line == 3);
  BOOST_TEST(log.diags[1].message == "event 4, key \"value\": `x` is not a number");
  BOOST_TEST(log.diags[2].message == "event 5: no `at` key");
}

// A quoted name with a line break right where the reader cuts its 1 MB chunks.
BOOST_AUTO_TEST_CASE(a_quoted_field_across_the_chunk_boundary) {
  std::string csv = "record,at,type,name\n";
  const std::string row = "L1,2026-11-27T16:00:00Z,touch,web\n";
  while (csv.size() + row.size() < (1u << 20) - 10) csv += row;
  csv += "L2,2026-11-27T16:00:00Z,touch,\"a\nb\nc\"\nL3,2026-11-27T16:00:00Z,touch,web\n";
  Log log;
  auto events = log.read("big.csv", csv);
  BOOST_TEST(log.diags.empty());
  BOOST_TEST_REQUIRE(events.size() >= 3u);
  BOOST_TEST(events[events.size() - 2].name == "a\nb\nc");
  BOOST_TEST(events.back().record == "L3");
}

// Events read from a log, grouped by record, through the clock: the end-to-end path of an
// internal tool.
BOOST_AUTO_TEST_CASE(events_from_a_log_through_the_clock) {
  Fixture f;
  Log log;
  auto events = log.read("log.csv",
                         "record,at,type,name\n"
                         "A,2026-11-30T10:00:00+01:00,activity,call\n"
                         "B,2026-11-27T16:00:00+01:00,stage,mql\n"
                         "A,2026-11-27T16:00:00+01:00,stage,mql\n");
  SlaClock clock(f.loaded.charter(), "follow_up");
  std::map<std::string, std::vector<Event>> by_record;
  for (auto& e : events) by_record[e.record].push_back(e);
  auto a = clock.evaluate(by_record["A"], at("2026-12-01T00:00:00Z"));
  auto b = clock.evaluate(by_record["B"], at("2026-12-01T00:00:00Z"));
  BOOST_TEST_REQUIRE(a.size() == 1u);
  BOOST_TEST_REQUIRE(b.size() == 1u);
  BOOST_TEST(a[0].status == SlaStatus::Met);
  BOOST_TEST(b[0].status == SlaStatus::Breached);
}

// ---- the period report --------------------------------------------------------------------

namespace {

// tests/golden/data/sla: the charter and event log worked through by hand in its README.md.
struct Golden {
  Golden() : loaded(load_charter({test::source_dir() / "tests/golden/data/sla/charter.yaml"})) {
    BOOST_TEST_REQUIRE(loaded.ok(), test::dump(loaded));
    EventReader r(test::source_dir() / "tests/golden/data/sla/events.csv");
    Event e;
    while (r.next(e)) events.push_back(e);
    rejected = r.events_rejected();
  }
  const SlaPeriod* row(const std::vector<SlaPeriod>& rows, std::string_view sla, std::string_view period) const {
    for (const auto& x : rows)
      if (x.sla->id == sla && x.period.label == period) return &x;
    return nullptr;
  }
  LoadResult loaded;
  std::vector<Event> events;
  std::size_t rejected = 0;
};

}  // namespace

BOOST_AUTO_TEST_CASE(the_hand_checked_month_report) {
  Golden g;
  BOOST_TEST(g.rejected == 1u);  // H's call has no offset
  SlaReportOptions opt;
  opt.as_of = at("2026-12-02T12:00:00Z");
  auto rows = sla_report(g.loaded.charter(), g.events, opt);
  BOOST_TEST(rows.size() == 12u);  // 4 SLAs x October..December

  // follow_up: October F met; November A, C, G met, B, H breached; December D breached, E in flight.
  auto* oct = g.row(rows, "follow_up", "2026-10");
  BOOST_TEST_REQUIRE(oct);
  BOOST_TEST(oct->closed);
  BOOST_TEST(oct->met == 1u);
  BOOST_TEST(oct->status == PeriodStatus::Met);
  auto* nov = g.row(rows, "follow_up", "2026-11");
  BOOST_TEST_REQUIRE(nov);
  BOOST_TEST(nov->items == 5u);
  BOOST_TEST(nov->met == 3u);
  BOOST_TEST(nov->breached == 2u);
  BOOST_TEST(*nov->compliance == 0.6);
  BOOST_TEST(nov->status == PeriodStatus::Breached);
  // Berlin months: November starts at 2026-10-31T23:00Z.
  BOOST_TEST(utc_time(nov->period.begin) == "2026-10-31T23:00:00Z");
  auto* dec = g.row(rows, "follow_up", "2026-12");
  BOOST_TEST_REQUIRE(dec);
  BOOST_TEST(!dec->closed);
  BOOST_TEST(dec->breached == 1u);
  BOOST_TEST(dec->in_flight == 1u);
  BOOST_TEST(dec->status == PeriodStatus::AtRisk);

  // three_calls: November G met (third call 10:30), A, B, C, H breached; December on track.
  auto* calls = g.row(rows, "three_calls", "2026-11");
  BOOST_TEST_REQUIRE(calls);
  BOOST_TEST(calls->met == 1u);
  BOOST_TEST(calls->breached == 4u);
  BOOST_TEST(g.row(rows, "three_calls", "2026-12")->status == PeriodStatus::OnTrack);

  // wall (24 h of wall clock, UTC months): November C, G met; A (66 h), B, H breached.
  auto* wall = g.row(rows, "wall", "2026-11");
  BOOST_TEST_REQUIRE(wall);
  BOOST_TEST(wall->met == 2u);
  BOOST_TEST(wall->breached == 3u);
  BOOST_TEST(utc_time(wall->period.begin) == "2026-11-01T00:00:00Z");

  // volume: G's duplicate MQL counts once; December is 36 h of 744 h in.
  auto* vnov = g.row(rows, "volume", "2026-11");
  BOOST_TEST_REQUIRE(vnov);
  BOOST_TEST(*vnov->value == 5.0);
  BOOST_TEST(vnov->status == PeriodStatus::Breached);
  auto* vdec = g.row(rows, "volume", "2026-12");
  BOOST_TEST_REQUIRE(vdec);
  BOOST_TEST(*vdec->value == 2.0);
  BOOST_TEST(*vdec->pacing == 200.0 * 36 / 744, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(*vdec->projection == 2.0 * 744 / 36, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(vdec->status == PeriodStatus::AtRisk);

  // The items behind it: 6 records x 3 clock SLAs + H.
  std::vector<std::pair<const Sla*, SlaItem>> items;
  sla_report(g.loaded.charter(), g.events, opt, &items);
  BOOST_TEST(items.size() == 24u);
}

BOOST_AUTO_TEST_CASE(report_periods_from_to_and_the_order_of_events) {
  Golden g;
  SlaReportOptions opt;
  opt.as_of = at("2026-12-02T12:00:00Z");
  opt.from = Date{2026, 11, 1};
  opt.to = Date{2026, 12, 1};
  auto rows = sla_report(g.loaded.charter(), g.events, opt);
  BOOST_TEST(rows.size() == 4u);  // November only: F's October item is before the range
  for (const auto& r : rows) BOOST_TEST(r.period.label == "2026-11");
  // Reversed input: the same report.
  std::vector<Event> reversed(g.events.rbegin(), g.events.rend());
  auto again = sla_report(g.loaded.charter(), reversed, opt);
  BOOST_TEST_REQUIRE(again.size() == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    BOOST_TEST(again[i].met == rows[i].met);
    BOOST_TEST(again[i].breached == rows[i].breached);
    BOOST_TEST(again[i].value.value_or(-1) == rows[i].value.value_or(-1));
  }
  // By quarter: one row per SLA.
  opt.from.reset();
  opt.to.reset();
  opt.period = Period::Quarter;
  auto quarters = sla_report(g.loaded.charter(), g.events, opt);
  BOOST_TEST(quarters.size() == 4u);
  BOOST_TEST(quarters[0].period.label == "2026-Q4");
}

BOOST_AUTO_TEST_CASE(period_labels_and_bounds) {
  auto p = period_of(Period::Week, at("2026-12-31T12:00:00Z"), "UTC");
  BOOST_TEST(p.label == "2026-W53");
  BOOST_TEST(utc_time(p.begin) == "2026-12-28T00:00:00Z");
  BOOST_TEST(period_of(Period::Week, at("2027-01-03T12:00:00Z"), "UTC").label == "2026-W53");
  BOOST_TEST(period_of(Period::Week, at("2027-01-04T00:00:00Z"), "UTC").label == "2027-W01");
  auto m = period_of(Period::Month, at("2026-03-31T23:30:00Z"), "Europe/Berlin");  // April 1st in Berlin
  BOOST_TEST(m.label == "2026-04");
  BOOST_TEST(utc_time(m.begin) == "2026-03-31T22:00:00Z");
  BOOST_TEST(utc_time(m.end) == "2026-04-30T22:00:00Z");
  // Fiscal year from April: 2026-05 is in FY2027-Q1, 2027-02 in FY2027-Q4.
  BOOST_TEST(period_of(Period::Quarter, at("2026-05-10T00:00:00Z"), "UTC", 4).label == "FY2027-Q1");
  BOOST_TEST(period_of(Period::Quarter, at("2027-02-10T00:00:00Z"), "UTC", 4).label == "FY2027-Q4");
  auto fy = period_of(Period::Year, at("2027-02-10T00:00:00Z"), "UTC", 4);
  BOOST_TEST(fy.label == "FY2027");
  BOOST_TEST(utc_time(fy.begin) == "2026-04-01T00:00:00Z");
  BOOST_TEST(period_of(Period::Quarter, at("2026-11-10T00:00:00Z"), "UTC").label == "2026-Q4");
  BOOST_CHECK_THROW(period_of(Period::Month, at("2026-11-10T00:00:00Z"), "Mars/Olympus"), Error);
}

// ---- the streaming report (sla_report_files) ----------------------------------------------

namespace {

// kCharter with a conversion SLA (MQL -> SQL within 5 days), so that all four types run.
std::string with_conversion() {
  return std::string(kCharter) + R"(  - id: to_sql
    name: A third of MQLs become SQLs within five days
    provider: sales
    customer: marketing
    type: conversion
    from: mql
    to: sql
    within: 5d
    at_least: 33%
    period: month
)";
}

std::string csv_of(const std::vector<Event>& events) {
  std::string out = "record,at,type,name,value\n";
  for (const auto& e : events)
    out += e.record + "," + utc_time(e.at) + "," + to_string(e.type) + "," + e.name + "," +
           (e.value ? std::to_string(*e.value) : std::string()) + "\n";
  return out;
}

// A few hundred leads over three months: MQLs, calls and emails (some late, some never),
// SQLs, touches, and a few exact duplicates.
std::vector<Event> random_log(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  std::vector<Event> out;
  Instant begin = at("2026-10-01T00:00:00Z");
  for (int r = 0; r < 400; ++r) {
    std::string id = "R" + std::to_string(r);
    Instant t = begin + std::chrono::seconds(pick(0, 80 * 86400));
    out.push_back({id, t, EventType::Touch, "web_visit", {}});
    if (pick(0, 9) < 7) {
      Instant mql = t + std::chrono::seconds(pick(0, 3 * 86400));
      out.push_back({id, mql, EventType::Stage, "mql", {}});
      Instant a = mql;
      for (int k = 0, n = static_cast<int>(pick(0, 5)); k < n; ++k) {
        a += std::chrono::seconds(pick(0, 2 * 86400));
        out.push_back({id, a, EventType::Activity, pick(0, 2) ? "call" : "email", {}});
      }
      if (pick(0, 2) == 0)
        out.push_back({id, mql + std::chrono::seconds(pick(0, 8 * 86400)), EventType::Stage, "sql", {}});
      if (pick(0, 9) == 0)
        out.push_back({id, mql + std::chrono::seconds(pick(20, 40) * 86400), EventType::Stage, "mql", {}});
      if (pick(0, 19) == 0) out.push_back(out.back());  // exported twice
    }
  }
  return out;
}

void same_report(const std::vector<SlaPeriod>& a, const std::vector<SlaPeriod>& b) {
  BOOST_TEST_REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    BOOST_TEST_CONTEXT(a[i].sla->id << " " << a[i].period.label) {
      BOOST_TEST(a[i].sla == b[i].sla);
      BOOST_TEST(a[i].period.label == b[i].period.label);
      BOOST_TEST(a[i].items == b[i].items);
      BOOST_TEST(a[i].met == b[i].met);
      BOOST_TEST(a[i].breached == b[i].breached);
      BOOST_TEST(a[i].in_flight == b[i].in_flight);
      BOOST_TEST(a[i].warned == b[i].warned);
      BOOST_TEST(a[i].value.value_or(-1) == b[i].value.value_or(-1));
      BOOST_TEST(a[i].status == b[i].status);
    }
  }
}

// The streaming report of kCharter as of 2026-12-01, collecting its diagnostics.
struct Streamed {
  Streamed() {
    opt.report.as_of = at("2026-12-01T00:00:00Z");
    opt.on_diagnostic = [this](Diagnostic&& d) { diags.push_back(std::move(d)); };
  }
  SlaStreamResult run(const std::vector<std::filesystem::path>& files) {
    return sla_report_files(f.loaded.charter(), files, opt);
  }
  Fixture f;
  test::TempDir dir;
  SlaStreamOptions opt;
  std::vector<Diagnostic> diags;
};

}  // namespace

// The stream measures what sla_report measures in memory, whatever the order of the rows: in
// time order it streams; shuffled, it reads the file again and sorts it; split into two files
// (stages, then activities) each in time order, it merges them and streams.
BOOST_AUTO_TEST_CASE(the_stream_measures_what_the_report_does_in_any_order) {
  auto loaded = test::load(with_conversion());
  BOOST_TEST_REQUIRE(loaded.ok(), test::dump(loaded));
  const Charter& c = loaded.charter();
  test::TempDir dir;
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    auto events = random_log(seed);
    SlaStreamOptions opt;
    opt.report.as_of = at("2026-12-15T12:00:00Z");
    std::vector<std::pair<const Sla*, SlaItem>> want_items;
    auto want = sla_report(c, events, opt.report, &want_items);

    auto sorted = events;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Event& x, const Event& y) { return x.at < y.at; });
    std::size_t got_items = 0;
    opt.on_item = [&](const Sla&, SlaItem&&) { ++got_items; };
    auto in_order = sla_report_files(c, {dir.write("sorted.csv", csv_of(sorted))}, opt);
    BOOST_TEST(in_order.streamed);
    BOOST_TEST(in_order.events == events.size());
    BOOST_TEST(got_items == want_items.size());
    same_report(in_order.periods, want);

    auto shuffled = events;
    std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64(seed));
    bool restarted = false;
    got_items = 0;
    opt.on_restart = [&] {
      restarted = true;
      got_items = 0;
    };
    auto any_order = sla_report_files(c, {dir.write("shuffled.csv", csv_of(shuffled))}, opt);
    BOOST_TEST(!any_order.streamed);
    BOOST_TEST(restarted);
    BOOST_TEST(got_items == want_items.size());
    same_report(any_order.periods, want);

    std::vector<Event> stages, activities;
    for (const auto& e : sorted) (e.type == EventType::Activity ? activities : stages).push_back(e);
    auto two = sla_report_files(
        c, {dir.write("stages.csv", csv_of(stages)), dir.write("activities.csv", csv_of(activities))}, opt);
    BOOST_TEST(two.streamed);
    same_report(two.periods, want);

    // Stage events given apart (as from a leads export) merge with the file's by time.
    SlaStreamOptions with_extra = opt;
    with_extra.extra = stages;
    auto extra = sla_report_files(c, {dir.write("activities.csv", csv_of(activities))}, with_extra);
    BOOST_TEST(extra.streamed);
    same_report(extra.periods, want);
  }
}

// Events a little out of order (within the window) stream; one that lags more than the
// window sends the report to memory, with the same result and each bad row reported once.
BOOST_AUTO_TEST_CASE(a_window_puts_nearly_sorted_events_in_order) {
  Fixture f;
  const Charter& c = f.loaded.charter();
  test::TempDir dir;
  std::string head = "record,at,type,name,value\n";
  std::string rows =
      "A,2026-11-02T09:00:00Z,stage,mql,\n"
      "B,2026-11-02T10:00:00Z,stage,mql,\n"
      "A,2026-11-02T09:30:00Z,activity,call,\n"  // 30 min late in the file
      "C,2026-11-03T09:00:00Z,stage,mql,\n"
      "bad row\n"
      "B,2026-11-03T11:00:00Z,activity,call,\n"
      "C,2026-11-20T09:00:00Z,activity,email,\n"
      "B,2026-11-02T10:30:00Z,activity,email,\n";  // 18 days late
  SlaStreamOptions opt;
  opt.report.as_of = at("2026-12-01T00:00:00Z");
  std::vector<Diagnostic> diags;
  opt.on_diagnostic = [&](Diagnostic&& d) { diags.push_back(std::move(d)); };
  auto lagging = sla_report_files(c, {dir.write("events.csv", head + rows)}, opt);
  BOOST_TEST(!lagging.streamed);
  BOOST_TEST(lagging.rejected == 1u);
  BOOST_TEST_REQUIRE(diags.size() == 1u);  // once, though the file was read twice
  BOOST_TEST(diags[0].code == "CH1003");
  BOOST_TEST(diags[0].span.line == 6);
  auto* row = [&]() -> const SlaPeriod* {
    for (const auto& r : lagging.periods)
      if (r.sla->id == "follow_up" && r.period.label == "2026-11") return &r;
    return nullptr;
  }();
  BOOST_TEST_REQUIRE(row);
  BOOST_TEST(row->met == 2u);       // A (30 min), B (its email, 30 min)
  BOOST_TEST(row->breached == 1u);  // C (17 days)

  opt.window = std::chrono::hours(24 * 30);
  diags.clear();
  auto wide = sla_report_files(c, {dir.write("events.csv", head + rows)}, opt);
  BOOST_TEST(wide.streamed);
  BOOST_TEST(diags.size() == 1u);
  same_report(wide.periods, lagging.periods);
}

// Stage and activity names match without regard to case; a stage the funnel does not have is
// reported once (CH1005, with how many events), and its events are ignored.
BOOST_AUTO_TEST_CASE(names_match_without_case_and_unknown_stages_are_reported) {
  Streamed s;
  auto r = s.run({s.dir.write("events.csv",
                              "record,at,type,name\n"
                              "A,2026-11-02T09:00:00Z,stage,MQL\n"
                              "A,2026-11-02T09:30:00Z,Activity,Call\n"
                              "B,2026-11-02T09:00:00Z,stage,Marketing Qualified\n"
                              "C,2026-11-02T09:00:00Z,stage,marketing qualified\n")});
  auto& diags = s.diags;
  BOOST_TEST(r.events == 4u);
  BOOST_TEST_REQUIRE(diags.size() == 1u);
  BOOST_TEST(diags[0].code == "CH1005");
  BOOST_TEST(diags[0].severity == Severity::Warning);
  BOOST_TEST(diags[0].span.line == 4);
  BOOST_TEST(diags[0].message == "stage `Marketing Qualified` is not a stage of the funnel; its 2 events were ignored");
  for (const auto& row : r.periods)
    if (row.sla->id == "follow_up" && row.period.label == "2026-11") {
      BOOST_TEST(row.items == 1u);
      BOOST_TEST(row.met == 1u);
    }
}

BOOST_AUTO_TEST_CASE(an_unusable_event_file_is_reported_once) {
  Streamed s;
  auto r = s.run({s.dir.write("no-type.csv", "record,at,name\nA,2026-11-02T09:00:00Z,mql\n"),
                  s.dir.write("late.csv",
                              "record,at,type,name\nA,2026-11-20T09:00:00Z,stage,mql\n"
                              "A,2026-11-02T09:00:00Z,activity,call\n")});
  auto& diags = s.diags;
  BOOST_TEST(r.failed);
  BOOST_TEST(!r.streamed);
  BOOST_TEST_REQUIRE(diags.size() == 1u);
  BOOST_TEST(diags[0].code == "CH1004");
}

// Fractions of a second count: on Mon-Fri 09:00-17:00 Berlin, an MQL at Monday 09:00:00.5
// has 8 h of open time until Monday 17:00 less half a second, and the last half second on
// Tuesday at 09:00: its deadline is Tuesday 09:00:00.5. On the wall clock (24 h), a call at
// 10:00:00.250 the next day is just in time and one a millisecond later is late.
BOOST_AUTO_TEST_CASE(fractions_of_a_second_count) {
  Fixture f;
  const Charter& c = f.loaded.charter();
  auto run = [&](const char* mql, const char* call) {
    std::string csv = std::string("record,at,type,name\nA,") + mql + ",stage,mql\nA," + call + ",activity,call\n";
    test::TempDir dir;
    SlaStreamOptions opt;
    opt.report.as_of = at("2026-12-10T00:00:00Z");
    auto r = sla_report_files(c, {dir.write("events.csv", csv)}, opt);
    // The same through EventReader and sla_report (events in memory).
    EventReader reader(dir / "events.csv");
    std::vector<Event> events;
    Event e;
    while (reader.next(e)) events.push_back(e);
    same_report(sla_report(c, events, opt.report), r.periods);
    std::map<std::string, std::pair<std::size_t, std::size_t>> out;  // sla -> (met, breached)
    for (const auto& row : r.periods) {
      out[std::string(row.sla->id)].first += row.met;
      out[std::string(row.sla->id)].second += row.breached;
    }
    return out;
  };
  using MB = std::pair<std::size_t, std::size_t>;
  BOOST_TEST((run("2026-11-30T09:00:00.5+01:00", "2026-12-01T09:00:00.4+01:00")["follow_up"] == MB{1, 0}));
  BOOST_TEST((run("2026-11-30T09:00:00.5+01:00", "2026-12-01T09:00:00.500+01:00")["follow_up"] == MB{1, 0}));
  BOOST_TEST((run("2026-11-30T09:00:00.5+01:00", "2026-12-01T09:00:00.6+01:00")["follow_up"] == MB{0, 1}));
  BOOST_TEST((run("2026-11-30T09:00:00.5+01:00", "2026-12-01T09:00:01+01:00")["follow_up"] == MB{0, 1}));
  BOOST_TEST((run("2026-11-30T10:00:00.250Z", "2026-12-01T10:00:00.250Z")["wall"] == MB{1, 0}));
  BOOST_TEST((run("2026-11-30T10:00:00.250Z", "2026-12-01T10:00:00.251Z")["wall"] == MB{0, 1}));
  // Before opening, the fraction does not matter: the clock starts at 09:00:00.
  BOOST_TEST((run("2026-11-30T08:59:59.9+01:00", "2026-11-30T17:00:00+01:00")["follow_up"] == MB{1, 0}));
  BOOST_TEST((run("2026-11-30T08:59:59.9+01:00", "2026-11-30T17:00:00.1+01:00")["follow_up"] == MB{0, 1}));
}

// SLA clocks of one record (charter::SlaClock): response and attempts items, hand-checked on
// a Mon-Fri 09:00-17:00 Berlin calendar (CET, UTC+1, in late November 2026).
#define BOOST_TEST_MODULE charter_sla
#include <charter/evaluate.hpp>
#include <charter/sla.hpp>

#include "common.hpp"

namespace charter {
inline std::ostream& operator<<(std::ostream& os, SlaStatus s) { return os << to_string(s); }
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

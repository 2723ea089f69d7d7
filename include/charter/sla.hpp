// charter — SLA clocks: for one record's CRM events, whether a response or attempts SLA was
// met, its deadline, and the business time used and left.
//
//   auto loaded = charter::load_charter({"charter"});
//   charter::SlaClock clock(loaded.charter(), "mql_follow_up_emea");
//   std::vector<charter::Event> events = {
//       {"L1", at("2026-11-27T16:00:00Z"), charter::EventType::Stage, "mql"},
//       {"L1", at("2026-11-30T10:15:00Z"), charter::EventType::Activity, "call"}};
//   for (const auto& item : clock.evaluate(events, as_of))
//     std::cout << to_string(item.status) << " " << clock.calendar().local_time(item.deadline);
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <charter/calendar.hpp>
#include <charter/charter.hpp>
#include <charter/records.hpp>

namespace charter {

/// What a CRM event is: a record entering a funnel stage, a sales activity (`call`, `email`,
/// ...), a marketing touch (channel or campaign), or a deal outcome (`won` / `lost`).
enum class EventType : std::uint8_t { Stage, Activity, Touch, Deal };
/// "stage", "activity", "touch", "deal".
const char* to_string(EventType t) noexcept;

/// One event of a CRM event log.
struct Event {
  std::string record;  ///< the lead's id
  Instant at;          ///< when it happened
  EventType type = EventType::Stage;
  std::string name;             ///< stage id, activity kind, touch channel, or `won` / `lost`
  std::optional<double> value;  ///< a deal's amount
  std::uint32_t nanos = 0;      ///< the fraction of a second of `at` (0 to 999,999,999)
};

/// Reads a CRM event log, one event per row: CSV (RFC 4180, with a header) or JSON Lines
/// (`.jsonl`/`.ndjson`), with the columns (keys) `record`, `at` (RFC 3339 with an offset),
/// `type` (`stage`, `activity`, `touch`, `deal`), `name`, and optionally `value` (a number:
/// a deal's amount); other columns are ignored. A bad row is reported (`file:line:column`,
/// the column being the field number) and skipped, never silently dropped; a missing
/// column makes the file unusable (`failed()`). Rows need not be sorted.
class EventReader {
 public:
  /// Opens `path`; problems opening it are reported by `diagnostics()`.
  explicit EventReader(const std::filesystem::path& path, ReadOptions::Format format = ReadOptions::Format::Auto);
  ~EventReader();
  EventReader(const EventReader&) = delete;
  EventReader& operator=(const EventReader&) = delete;

  /// The next valid event; false at the end.
  bool next(Event& event);
  /// Warnings and errors so far, in file order (handed out as `next` passes them).
  const std::vector<Diagnostic>& diagnostics() const noexcept;
  std::vector<Diagnostic> take_diagnostics();
  std::size_t events_read() const noexcept;      ///< valid events returned
  std::size_t events_rejected() const noexcept;  ///< rows with a bad cell
  bool failed() const noexcept;                  ///< the file could not be used at all
  std::uint64_t bytes_read() const noexcept;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

/// What a leads export adds to an event log.
struct LeadLog {
  /// A `stage` event per filled "date entered stage" cell: the columns named by
  /// `funnel.stages[].source.<crm>` (a datetime with an offset, or without one in
  /// `ReadOptions::timezone`, or a date: its midnight in that zone).
  std::vector<Event> events;
  /// Record id -> the `owner` column's value, when the file has such a column.
  std::vector<std::pair<std::string, std::string>> owners;
  std::vector<Diagnostic> diagnostics;  ///< bad cells (CH1001), an unusable file (CH1004)
  std::size_t rejected = 0;             ///< rows with a bad cell
};

/// Reads the stage dates and owners of a leads export (CSV, or JSON Lines by extension or
/// `options.format`), mapping stages through `options.crm` and the id through
/// `options.id_column`. Problems come back as diagnostics; rows with a bad cell are skipped.
LeadLog read_lead_log(const Charter& charter, const std::filesystem::path& leads, const ReadOptions& options);

enum class SlaStatus : std::uint8_t {
  Met,       ///< stopped (response) or enough attempts (attempts) by the deadline
  Breached,  ///< stopped late, or the deadline passed without it
  InFlight,  ///< the deadline has not passed yet and it is not met
};
/// "met", "breached", "in flight".
const char* to_string(SlaStatus s) noexcept;

/// One run of an SLA's clock for one record: from a `start` event to its outcome.
struct SlaItem {
  std::string record;
  Instant start;                   ///< the start event
  Instant clock_start;             ///< when the clock starts: the calendar's next open moment
  Instant deadline;                ///< start + `within` on the SLA's calendar
  std::optional<Instant> warning;  ///< when `warn_at` of the allowed time is used (if set)
  /// Response: the stop event. Attempts: the attempt that reached `at_least`.
  std::optional<Instant> done;
  SlaStatus status = SlaStatus::InFlight;
  /// The warning time passed before the item was met (or, in flight, before `as_of`).
  bool warned = false;
  std::chrono::seconds elapsed{0};    ///< open time from the start to `done`, or to `as_of`
  std::chrono::seconds remaining{0};  ///< open time from `as_of` to the deadline (in flight)
  int attempts = 0;                   ///< attempts SLAs: activities counted by the deadline
};

/// The clock of one `response` or `attempts` SLA of a charter.
///
/// - `response`: the clock starts at the first `start` event of a record and stops at the
///   first `stop` event after it. Met when the stop is at or before the deadline; breached
///   when it is after, or when there is no stop and the deadline is before `as_of`; in
///   flight otherwise.
/// - `attempts`: met when `at_least` events of the `activity` kinds happen between the start
///   and the deadline; breached when the deadline passes with fewer; in flight otherwise.
/// - A `start` event while a clock runs is a duplicate and changes nothing. Once an item has
///   an outcome, the next `start` event (a record that was recycled and qualifies again)
///   starts a new item; a response item whose deadline passed without a stop ends, breached,
///   at such a new start (a later stop then belongs to the new item).
/// - Events after `as_of` are ignored; events may come in any order.
/// Immutable; safe to use from several threads at once.
class SlaClock {
 public:
  /// Throws `charter::Error` when `charter` has no SLA `id`, or when it is not a response or
  /// attempts SLA with `within` (volume and conversion SLAs are reported per period).
  SlaClock(const Charter& charter, std::string_view id);
  ~SlaClock();
  SlaClock(const SlaClock&);
  SlaClock& operator=(const SlaClock&);

  const Sla& sla() const noexcept;
  /// The SLA's calendar, or the wall clock when it has none.
  const BusinessCalendar& calendar() const noexcept;

  /// The items of one record, given its events (in any order), as of `as_of`, in start order.
  std::vector<SlaItem> evaluate(std::span<const Event> events, Instant as_of) const;

  struct Impl;

 private:
  std::shared_ptr<const Impl> impl_;
};

/// A reporting period: `2026-11` (month), `2026-W48` (ISO week, from Monday), `2026-Q4` or
/// `FY2027-Q1` (quarter), `2026` or `FY2027` (year). With `fiscal_year_start` M > 1, quarters
/// and years are fiscal and named by the calendar year in which the fiscal year ends.
struct PeriodRange {
  std::string label;
  Instant begin, end;  ///< [begin, end), local midnights in the zone it was computed in
};
/// The period of kind `kind` that contains `t` in time zone `zone` (an IANA name). Throws
/// `charter::Error` for an unknown zone.
PeriodRange period_of(Period kind, Instant t, std::string_view zone, int fiscal_year_start = 1);

/// How an SLA did in one period.
enum class PeriodStatus : std::uint8_t {
  Met,       ///< closed (or already certain): the objective or target was reached
  OnTrack,   ///< open, and the projection reaches it
  AtRisk,    ///< open, and the projection falls short
  Breached,  ///< closed, and it was not reached
};
/// "met", "on track", "at risk", "breached".
const char* to_string(PeriodStatus s) noexcept;

/// One SLA in one period.
struct SlaPeriod {
  const Sla* sla = nullptr;
  PeriodRange period;
  bool closed = false;  ///< the period ended by `as_of`
  /// response, attempts: items started in the period; conversion: records that reached
  /// `from` in it. `met`: in time; `breached`: late or never; `in_flight`: not decided yet.
  std::size_t items = 0, met = 0, breached = 0, in_flight = 0, warned = 0;
  std::optional<double> compliance;  ///< met / (met + breached); in-flight items apart
  std::optional<double> objective;   ///< the SLA's objective
  /// volume: events counted; conversion: met / (met + breached).
  std::optional<double> value;
  std::optional<double> target;      ///< volume: `at_least`; conversion: `at_least` (a share)
  std::optional<double> pacing;      ///< volume, open period: target × elapsed share
  std::optional<double> projection;  ///< open period: the value (volume) or compliance expected at its end
  PeriodStatus status = PeriodStatus::OnTrack;
};

/// What `sla_report` measures.
struct SlaReportOptions {
  Instant as_of;                 ///< now: later events are ignored
  std::optional<Period> period;  ///< report by this period instead of each SLA's own
  /// Only periods that end after the start of `from` and begin before the start of `to`
  /// (local dates in each SLA's zone); periods without data in that range are listed too.
  std::optional<Date> from, to;
  /// Whether an SLA with `applies_to` applies to a record (e.g. by evaluating it on the
  /// record's lead data with `Evaluator::holds`). Without it, an SLA applies to every record.
  std::function<bool(const Sla&, std::string_view record)> applies;
};

/// Measures every SLA of `charter` on `events` (any order): per SLA and period, the items and
/// their outcome (response, attempts), the count (volume) or rate (conversion), against the
/// objective or target. Periods are in the SLA calendar's zone, else the organization's.
/// Identical events (same record, time, type, name and value: a row exported twice) count
/// once. `items`, when given, receives every response, attempts and conversion item (to list
/// breaches). Memory grows with the number of events.
std::vector<SlaPeriod> sla_report(const Charter& charter, std::span<const Event> events,
                                  const SlaReportOptions& options,
                                  std::vector<std::pair<const Sla*, SlaItem>>* items = nullptr);

/// What `sla_report_files` reads besides the event logs, and where it tells what it finds.
struct SlaStreamOptions {
  SlaReportOptions report;
  ReadOptions::Format format = ReadOptions::Format::Auto;  ///< of the event logs
  /// More events, in any order (e.g. the stage events of a leads export: read_lead_log),
  /// measured with the files' in time order.
  std::vector<Event> extra;
  /// How far an event may lag behind the latest time seen so far and still be measured in
  /// passing. An event that lags more makes the report read the files again and sort all
  /// their events in memory (exact, but memory then grows with the events).
  std::chrono::seconds window = std::chrono::hours(24 * 7);
  /// Each problem of the files as it is found: bad rows (CH1001, CH1002, CH1004) and stages
  /// the funnel does not have (CH1005, one warning per name at the end).
  std::function<void(Diagnostic&&)> on_diagnostic;
  /// Now and then: bytes of the files read and valid events so far.
  std::function<void(std::uint64_t bytes, std::uint64_t events)> on_progress;
  /// Each response, attempts and conversion item as it finishes.
  std::function<void(const Sla&, SlaItem&&)> on_item;
  /// Called when the report gives up streaming (an event lagged more than `window`) and
  /// starts again in memory: the items passed to `on_item` so far are passed again.
  std::function<void()> on_restart;
};

/// What `sla_report_files` measured, and how.
struct SlaStreamResult {
  std::vector<SlaPeriod> periods;  ///< as sla_report
  std::size_t events = 0;          ///< valid events read (all, also those no SLA uses)
  std::size_t rejected = 0;        ///< rows with a problem
  bool failed = false;             ///< an event log could not be used at all
  /// True when the events came in time order (within `window`) and were measured in one
  /// pass; false when the files were read again and sorted in memory.
  bool streamed = true;
  std::size_t peak_open = 0;      ///< most clocks running at once
  std::size_t peak_buffered = 0;  ///< most events held back to put them in time order
};

/// Measures every SLA of `charter` on event logs (CSV or JSON Lines, see EventReader) as a
/// stream: events are taken in time order while clocks open and close, so for logs in time
/// order (or nearly: see `window`) memory grows with the clocks running at once and the
/// events of one `window`, not with the file. Several files are merged by time (e.g. stage
/// changes from one export and activities from another). Same rules and results as
/// sla_report; identical events count once.
SlaStreamResult sla_report_files(const Charter& charter, const std::vector<std::filesystem::path>& event_files,
                                 const SlaStreamOptions& options);

}  // namespace charter

// Internal: the SLA engine. Events go in in time order; items open and close as they come,
// so memory follows the records whose clocks run, not the events. sla_report (in memory),
// the streaming file report and SlaClock all measure through it: one set of rules.
#pragma once

#include <charter/sla.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace charter::detail {

// Fetches the cache line of `p` ahead of its use. (An asm statement: GCC drops the calls of
// a function that only does __builtin_prefetch, as it has no effect it can see.)
inline void prefetch_line(const void* p) {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(p)));
#else
  __builtin_prefetch(p);
#endif
}

// An event as the meter sees it. `code` names the stage or activity (Names, below); `rec`
// is the record's number in the caller's record table.
struct MeterEvent {
  std::int64_t at = 0;
  double value = 0;
  std::uint32_t rec = 0;
  std::uint32_t nanos = 0;  // the fraction of a second of `at`
  std::uint16_t code = 0;
  std::uint8_t type = 0;  // EventType
  std::uint8_t has_value = 0;
};

// Order within a time: a stage before an activity (by type), then by name (code), value and
// record, so that one record's events at one instant are always taken in the same order.
inline bool meter_less(const MeterEvent& a, const MeterEvent& b) {
  if (a.at != b.at) return a.at < b.at;
  if (a.nanos != b.nanos) return a.nanos < b.nanos;
  if (a.type != b.type) return a.type < b.type;
  if (a.code != b.code) return a.code < b.code;
  if (a.has_value != b.has_value) return a.has_value < b.has_value;
  if (a.has_value && a.value != b.value) return a.value < b.value;
  return a.rec < b.rec;
}
inline bool meter_same(const MeterEvent& a, const MeterEvent& b) {
  return a.at == b.at && a.nanos == b.nanos && a.type == b.type && a.code == b.code && a.rec == b.rec &&
         a.has_value == b.has_value && (!a.has_value || a.value == b.value);
}

// The stage and activity names a charter's SLAs use, matched without regard to case. Every
// funnel stage has a code (so that an unknown stage can be told apart); activities only
// when some SLA names them.
class Names {
 public:
  explicit Names(const Charter& charter);
  Names(const Names&) = delete;  // (views of its own strings)
  Names& operator=(const Names&) = delete;
  static constexpr int kIgnored = -1;       // an activity no SLA uses, a touch, a deal
  static constexpr int kUnknownStage = -2;  // a stage the funnel does not have
  // The code of an event's name; `name` need not be lower case.
  int code(EventType type, std::string_view name) const;
  std::size_t size() const { return names_.size(); }

 private:
  std::vector<std::string> names_;  // lower case; stages first
  std::size_t stages_ = 0;
  std::unordered_map<std::string, int> stage_, activity_;
  // The same, by the exact (lower-case) text: most logs write names as the charter does.
  // (a few names: a scan is faster than a hash)
  std::vector<std::pair<std::string_view, int>> exact_stage_, exact_activity_;
};

// What the meter asks of the records.
struct MeterRecords {
  virtual ~MeterRecords() = default;
  virtual std::string_view id(std::uint32_t rec) const = 0;
  // Whether SLA number `sla` (its place in charter.slas()) applies to the record.
  virtual bool applies(std::size_t sla, std::uint32_t rec) = 0;
  // A clock of the record opened / closed (a record without open clocks may be forgotten).
  virtual void retain(std::uint32_t) {}
  virtual void release(std::uint32_t) {}
};

class Meter {
 public:
  // `only`: measure just this SLA (SlaClock); otherwise every SLA of the charter.
  // `sink`: receives every finished response, attempts and conversion item.
  using Sink = std::function<void(const Sla&, SlaItem&&)>;
  Meter(const Charter& charter, const Names& names, const SlaReportOptions& options, MeterRecords& records,
        Sink sink = {}, const Sla* only = nullptr);
  ~Meter();
  Meter(const Meter&) = delete;
  Meter& operator=(const Meter&) = delete;

  // The next event: in time order, at or before options.as_of, identical events once, and
  // one record's events at one instant in meter_less order.
  void add(const MeterEvent& e);
  // add() for each of `events` (in meter_less order) but an event identical to the one
  // before it; the clocks of the events a little ahead are fetched into the cache meanwhile.
  void add_sorted(std::span<const MeterEvent> events);
  // Ends the measure at as_of: the report per SLA and period (report order).
  std::vector<SlaPeriod> finish();
  // Clocks running now (all SLAs).
  std::size_t open_items() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// Measures `events` (any order) with `meter`: those up to `as_of` that some SLA uses, in
// time order, identical ones once; `record` numbers each event's record.
void measure_events(std::span<const Event> events, const Names& names, std::int64_t as_of,
                    const std::function<std::uint32_t(const Event&)>& record, Meter& meter);

}  // namespace charter::detail

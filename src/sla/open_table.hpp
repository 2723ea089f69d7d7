// Internal: a business calendar's open spans over a range of days with running totals, so
// that add, elapsed and next_open are binary searches instead of walks over local days and
// time zone lookups. It answers exactly as BusinessCalendar does (a test compares them on
// random instants); a question it cannot answer from its range (an instant or a result far
// from the days it covers) goes to the calendar itself. It grows on demand, so it is not
// thread-safe: one per thread.
#pragma once

#include <charter/calendar.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace charter::detail {

class OpenTable {
 public:
  explicit OpenTable(BusinessCalendar calendar);

  const BusinessCalendar& calendar() const noexcept { return cal_; }
  bool wall() const noexcept { return wall_; }

  std::optional<std::int64_t> next_open(std::int64_t t);
  std::int64_t elapsed(std::int64_t from, std::int64_t to);
  std::optional<std::int64_t> add(std::int64_t start, std::int64_t open_seconds);
  std::optional<std::int64_t> add(std::int64_t start, const DurationValue& d);

 private:
  struct Span {
    std::int64_t begin, end;  // instants, seconds
    std::int64_t cum;         // open seconds of the table before this span
    std::int64_t day;         // the local day it belongs to
  };
  // Makes the table cover instant `t` (with a margin of days around it); false when `t` is
  // outside years 1..9999 or the table would grow too large (the caller asks the calendar).
  bool cover(std::int64_t t);
  void build(std::int64_t first_day, std::int64_t last_day);
  // Covers twice as many days ahead; false when it cannot grow any more.
  bool grow_forward();
  // The first span that ends after `t` (spans_.size() when none); `t` must be covered.
  std::size_t after(std::int64_t t) const;
  // Open seconds of the table before `t` (covered).
  std::int64_t cum_at(std::int64_t t) const;

  BusinessCalendar cal_;
  bool wall_;
  std::vector<Span> spans_;
  std::vector<std::uint32_t> last_of_day_;     // per day with open time, in order: its last span
  std::vector<std::uint32_t> day_index_;       // per span: the index of its day in last_of_day_
  std::int64_t first_day_ = 0, last_day_ = 0;  // local days covered: [first, last)
  std::int64_t lo_ = 0, hi_ = 0;               // instants covered: [lo, hi)
  bool built_ = false;
};

}  // namespace charter::detail

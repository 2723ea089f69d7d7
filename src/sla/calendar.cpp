// Business calendars: open time from weekly local hours and holidays, in a time zone of the
// system tz database (date/tz). Operations walk local days; a week without a holiday or a
// clock change is skipped whole from its nominal open time.
#include <date/tz.h>
#include <charter/calendar.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <mutex>
#include <vector>

#include "sla/open_table.hpp"
#include "util/dates.hpp"

namespace charter {

namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kMaxDays = 366 * 100;  // how far ahead to look for open time
// Instants are taken within years 1..9999 (beyond, a time zone has no meaning and sums overflow).
constexpr std::int64_t kFirst = -62135596800, kLast = 253402300799;
std::int64_t clamp_time(Instant t) { return std::clamp<std::int64_t>(t.time_since_epoch().count(), kFirst, kLast); }

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Monday = 0 ... Sunday = 6 (day 0, 1970-01-01, was a Thursday).
int weekday_of(std::int64_t day) { return static_cast<int>(((day % 7) + 7 + 3) % 7); }

const date::time_zone* zone_named(const std::string& name) {
  static std::mutex m;  // (the tz database loads on first use)
  std::lock_guard lk(m);
  return date::locate_zone(name);
}

struct OpenSpan {
  std::int64_t begin, end;  // instants, seconds
};

}  // namespace

struct BusinessCalendar::Impl {
  bool wall = true;
  std::string id;
  std::string zone_name = "UTC";
  const date::time_zone* zone = nullptr;
  std::array<std::vector<std::pair<int, int>>, 7> hours;  // minutes of the local day, sorted
  std::array<std::int64_t, 7> day_seconds{};              // nominal open seconds per weekday
  int business_days = 7;
  std::vector<std::pair<std::int64_t, std::int64_t>> ranges;  // closed local days [first, last], sorted, merged
  std::vector<int> yearly;                                    // closed every year: month * 32 + day, sorted

  bool holiday(std::int64_t day) const {
    // `ranges` are merged (no overlaps): the last one starting on or before `day`.
    auto it =
        std::upper_bound(ranges.begin(), ranges.end(), day,
                         [](std::int64_t d, const std::pair<std::int64_t, std::int64_t>& r) { return d < r.first; });
    if (it != ranges.begin() && std::prev(it)->second >= day) return true;
    if (!yearly.empty()) {
      Date d = detail::civil_from_days(day);
      if (std::binary_search(yearly.begin(), yearly.end(), d.month * 32 + d.day)) return true;
    }
    return false;
  }

  // Whether local day `day` has open hours, ignoring clock changes.
  bool nominally_open(std::int64_t day) const { return !hours[weekday_of(day)].empty() && !holiday(day); }

  // The first instant at which the local clock shows `local` (seconds since the local epoch):
  // a time in a gap is the instant of the change.
  std::int64_t to_sys(std::int64_t local) const {
    if (!zone) return local;
    auto t = zone->to_sys(date::local_seconds(std::chrono::seconds(local)), date::choose::earliest);
    return t.time_since_epoch().count();
  }

  std::int64_t local_day_of(std::int64_t t) const {
    if (!zone) return floor_div(t, kDay);
    auto info = zone->get_info(date::sys_seconds(std::chrono::seconds(t)));
    return floor_div(t + info.offset.count(), kDay);
  }

  // The open spans of local day `day`, in order; returns how many (written to `out`).
  std::size_t spans(std::int64_t day, std::vector<OpenSpan>& out) const {
    out.clear();
    if (!nominally_open(day)) return 0;
    const auto& iv = hours[weekday_of(day)];
    std::int64_t base = day * kDay;
    if (zone) {
      // One offset for the whole day unless the clocks change during it.
      auto info = zone->get_info(date::local_seconds(std::chrono::seconds(base)));
      if (info.result == date::local_info::unique) {
        std::int64_t off = info.first.offset.count();
        std::int64_t day_end = base + kDay - off;  // the next local midnight, if the offset holds
        // (strictly after: a change right at the next midnight moves that midnight)
        if (info.first.end.time_since_epoch().count() > day_end) {
          for (auto [a, b] : iv) out.push_back({base + a * 60 - off, base + b * 60 - off});
          return out.size();
        }
      }
    }
    for (auto [a, b] : iv) {
      OpenSpan s{to_sys(base + a * 60), to_sys(base + b * 60)};
      if (s.end > s.begin) out.push_back(s);
    }
    return out.size();
  }

  // Whether the `n` local days from `day` on have no clock change.
  bool steady(std::int64_t day, std::int64_t n) const {
    if (!zone) return true;
    std::int64_t begin = to_sys(day * kDay);
    auto info = zone->get_info(date::sys_seconds(std::chrono::seconds(begin)));
    return info.end.time_since_epoch().count() > begin + n * kDay;
  }

  // Open seconds of the week from Monday `day`, when it has no clock change (else -1).
  std::int64_t simple_week(std::int64_t day) const {
    if (!steady(day, 7)) return -1;
    std::int64_t total = 0;
    for (int k = 0; k < 7; ++k)
      if (!holiday(day + k)) total += day_seconds[static_cast<std::size_t>(k)];
    return total;
  }
};

BusinessCalendar::BusinessCalendar() : impl_(std::make_shared<Impl>()) {}

BusinessCalendar::BusinessCalendar(const Calendar& c) {
  auto p = std::make_shared<Impl>();
  p->wall = false;
  p->id = std::string(c.id);
  p->zone_name = std::string(c.timezone);
  try {
    p->zone = zone_named(p->zone_name);
  } catch (const std::exception&) {
    throw Error("charter::BusinessCalendar: unknown time zone `" + p->zone_name + "` in calendar `" + p->id + "`");
  }
  p->business_days = 0;
  for (std::size_t d = 0; d < 7; ++d) {
    for (const auto& iv : c.hours[d]) {
      p->hours[d].emplace_back(iv.start, iv.end);
      p->day_seconds[d] += (iv.end - iv.start) * 60;
    }
    std::sort(p->hours[d].begin(), p->hours[d].end());
    if (!p->hours[d].empty()) ++p->business_days;
  }
  for (const auto& h : c.holidays) {
    if (h.kind == Holiday::Kind::EveryYear)
      p->yearly.push_back(h.from.month * 32 + h.from.day);
    else
      p->ranges.emplace_back(detail::day_number(h.from),
                             detail::day_number(h.kind == Holiday::Kind::Range ? h.to : h.from));
  }
  std::sort(p->ranges.begin(), p->ranges.end());
  std::vector<std::pair<std::int64_t, std::int64_t>> merged;
  for (const auto& r : p->ranges) {
    if (!merged.empty() && r.first <= merged.back().second + 1)
      merged.back().second = std::max(merged.back().second, r.second);
    else
      merged.push_back(r);
  }
  p->ranges = std::move(merged);
  std::sort(p->yearly.begin(), p->yearly.end());
  impl_ = std::move(p);
}

std::optional<BusinessCalendar> BusinessCalendar::find(const Charter& charter, std::string_view id) {
  const Calendar* c = charter.calendar(id);
  if (!c) return std::nullopt;
  return BusinessCalendar(*c);
}

bool BusinessCalendar::is_wall_clock() const noexcept { return impl_->wall; }
std::string_view BusinessCalendar::id() const noexcept { return impl_->id; }
std::string_view BusinessCalendar::time_zone() const noexcept { return impl_->zone_name; }
int BusinessCalendar::business_days_per_week() const noexcept { return impl_->business_days; }

bool BusinessCalendar::is_open(Instant t) const {
  const Impl& c = *impl_;
  if (c.wall) return true;
  std::int64_t s = clamp_time(t);
  thread_local std::vector<OpenSpan> sp;
  c.spans(c.local_day_of(s), sp);
  for (const auto& x : sp)
    if (x.begin <= s && s < x.end) return true;
  return false;
}

std::optional<Instant> BusinessCalendar::next_open(Instant t) const {
  const Impl& c = *impl_;
  if (c.wall) return t;
  std::int64_t s = clamp_time(t);
  std::int64_t day = c.local_day_of(s);
  thread_local std::vector<OpenSpan> sp;
  for (std::int64_t k = 0; k < kMaxDays; ++k) {
    c.spans(day + k, sp);
    for (const auto& x : sp)
      if (x.end > s) return Instant(std::chrono::seconds(std::max(x.begin, s)));
  }
  return std::nullopt;
}

std::chrono::seconds BusinessCalendar::elapsed(Instant from, Instant to) const {
  const Impl& c = *impl_;
  std::int64_t a = clamp_time(from), b = clamp_time(to);
  if (b <= a) return std::chrono::seconds(0);
  if (c.wall) return std::chrono::seconds(b - a);
  std::int64_t d1 = c.local_day_of(a), d2 = c.local_day_of(b);
  std::int64_t total = 0;
  thread_local std::vector<OpenSpan> sp;
  for (std::int64_t day = d1; day <= d2;) {
    // A whole week strictly inside (from, to): its nominal open time, when nothing shifts it.
    if (day > d1 && weekday_of(day) == 0 && day + 7 <= d2) {
      std::int64_t w = c.simple_week(day);
      if (w >= 0) {
        total += w;
        day += 7;
        continue;
      }
    }
    c.spans(day, sp);
    for (const auto& x : sp) {
      std::int64_t lo = std::max(x.begin, a), hi = std::min(x.end, b);
      if (hi > lo) total += hi - lo;
    }
    ++day;
  }
  return std::chrono::seconds(total);
}

std::optional<Instant> BusinessCalendar::add(Instant start, std::chrono::seconds open) const {
  const Impl& c = *impl_;
  if (open.count() < 0 || open.count() > kLast - kFirst) return std::nullopt;
  if (c.wall) {
    std::int64_t s0 = clamp_time(start);
    if (open.count() > kLast - s0) return std::nullopt;
    return Instant(std::chrono::seconds(s0 + open.count()));
  }
  auto first = next_open(start);
  if (!first) return std::nullopt;
  std::int64_t s = first->time_since_epoch().count();
  std::int64_t remaining = open.count();
  std::int64_t day0 = c.local_day_of(s);
  thread_local std::vector<OpenSpan> sp;
  for (std::int64_t day = day0; day < day0 + kMaxDays;) {
    if (day > day0 && weekday_of(day) == 0) {
      std::int64_t w = c.simple_week(day);
      if (w >= 0 && w < remaining) {  // the end is in a later week
        remaining -= w;
        day += 7;
        continue;
      }
    }
    c.spans(day, sp);
    for (const auto& x : sp) {
      if (x.end <= s) continue;
      std::int64_t from = std::max(x.begin, s);
      if (remaining <= x.end - from) return Instant(std::chrono::seconds(from + remaining));
      remaining -= x.end - from;
    }
    ++day;
  }
  return std::nullopt;
}

std::optional<Instant> BusinessCalendar::add(Instant start, const DurationValue& d) const {
  const Impl& c = *impl_;
  if (d.amount < 0 || d.amount > (kLast - kFirst) / 60) return std::nullopt;
  if (d.unit == 'm' || d.unit == 'h' || c.wall) return add(start, std::chrono::seconds(d.seconds()));
  std::int64_t n = d.unit == 'w' ? d.amount * c.business_days : d.amount;
  auto first = next_open(start);
  if (!first) return std::nullopt;
  std::int64_t day = c.local_day_of(first->time_since_epoch().count());
  thread_local std::vector<OpenSpan> sp;
  // Day 0 is the day the clock starts; then every day with open time counts.
  for (std::int64_t k = 0; k < kMaxDays; ++k, ++day) {
    if (k > 0 && !c.nominally_open(day)) continue;
    if (c.spans(day, sp) == 0) continue;  // (open hours that fall in a clock change)
    if (n-- == 0) return Instant(std::chrono::seconds(sp.back().end));
  }
  return std::nullopt;
}

namespace {

std::string format(std::int64_t local, int offset_minutes, bool utc) {
  std::int64_t day = floor_div(local, kDay), secs = local - day * kDay;
  Date d = detail::civil_from_days(day);
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", d.year, d.month, d.day,
                        static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  if (utc) {
    std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), "Z");
  } else {
    int a = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), "%c%02d:%02d", offset_minutes < 0 ? '-' : '+',
                  a / 60, a % 60);
  }
  return buf;
}

}  // namespace

std::string BusinessCalendar::local_time(Instant t) const {
  const Impl& c = *impl_;
  std::int64_t s = t.time_since_epoch().count();
  if (!c.zone) return utc_time(t);
  auto info = c.zone->get_info(date::sys_seconds(std::chrono::seconds(s)));
  std::int64_t off = info.offset.count();
  return format(s + off, static_cast<int>(off / 60), false);
}

std::string utc_time(Instant t) { return format(t.time_since_epoch().count(), 0, true); }

// ---- OpenTable ------------------------------------------------------------------------------

namespace detail {

struct CalendarAccess {
  static const BusinessCalendar::Impl& impl(const BusinessCalendar& c) { return *c.impl_; }
};

namespace {
constexpr std::int64_t kMarginBefore = 16, kMarginAfter = 64, kMaxTableDays = 200 * 366;
}  // namespace

OpenTable::OpenTable(BusinessCalendar calendar) : cal_(std::move(calendar)), wall_(cal_.is_wall_clock()) {}

void OpenTable::build(std::int64_t first_day, std::int64_t last_day) {
  const BusinessCalendar::Impl& c = CalendarAccess::impl(cal_);
  spans_.clear();
  last_of_day_.clear();
  day_index_.clear();
  std::vector<OpenSpan> sp;
  std::int64_t cum = 0;
  for (std::int64_t day = first_day; day < last_day; ++day) {
    if (c.spans(day, sp) == 0) continue;
    for (const auto& x : sp) {
      spans_.push_back({x.begin, x.end, cum, day});
      day_index_.push_back(static_cast<std::uint32_t>(last_of_day_.size()));
      cum += x.end - x.begin;
    }
    last_of_day_.push_back(static_cast<std::uint32_t>(spans_.size() - 1));
  }
  first_day_ = first_day;
  last_day_ = last_day;
  lo_ = c.to_sys(first_day * kDay);
  hi_ = c.to_sys(last_day * kDay);
  built_ = true;
}

bool OpenTable::cover(std::int64_t t) {
  if (t < kFirst || t > kLast) return false;
  if (built_ && lo_ <= t && t < hi_) return true;
  // Grow by at least the table's size, so that rebuilding costs linear time in all.
  std::int64_t size = built_ ? last_day_ - first_day_ : 0;
  std::int64_t day = floor_div(t, kDay);
  std::int64_t first = day - std::max(kMarginBefore, size), last = day + std::max(kMarginAfter, size);
  if (built_) {
    first = std::min(first, first_day_);
    last = std::max(last, last_day_);
  }
  if (last - first > kMaxTableDays) return false;
  build(first, last);
  return lo_ <= t && t < hi_;
}

bool OpenTable::grow_forward() {
  std::int64_t size = last_day_ - first_day_;
  if (!built_ || size >= kMaxTableDays || last_day_ > kLast / kDay) return false;
  build(first_day_, last_day_ + std::max(kMarginAfter, size));
  return true;
}

std::size_t OpenTable::after(std::int64_t t) const {
  return static_cast<std::size_t>(
      std::upper_bound(spans_.begin(), spans_.end(), t, [](std::int64_t v, const Span& s) { return v < s.end; }) -
      spans_.begin());
}

std::int64_t OpenTable::cum_at(std::int64_t t) const {
  std::size_t i = after(t);
  if (i == spans_.size()) return spans_.empty() ? 0 : spans_.back().cum + (spans_.back().end - spans_.back().begin);
  return spans_[i].cum + std::max<std::int64_t>(0, t - spans_[i].begin);
}

std::optional<std::int64_t> OpenTable::next_open(std::int64_t t) {
  if (wall_) return t;
  if (cover(t)) {
    while (true) {
      std::size_t i = after(t);
      if (i < spans_.size()) return std::max(spans_[i].begin, t);
      if (!grow_forward()) break;
    }
  }
  auto r = cal_.next_open(Instant(std::chrono::seconds(t)));
  if (!r) return std::nullopt;
  return r->time_since_epoch().count();
}

std::int64_t OpenTable::elapsed(std::int64_t from, std::int64_t to) {
  if (wall_) {
    std::int64_t a = std::clamp(from, kFirst, kLast), b = std::clamp(to, kFirst, kLast);
    return b > a ? b - a : 0;
  }
  if (to <= from) return 0;
  if (cover(from) && cover(to) && lo_ <= from && from < hi_) return cum_at(to) - cum_at(from);
  return cal_.elapsed(Instant(std::chrono::seconds(from)), Instant(std::chrono::seconds(to))).count();
}

std::optional<std::int64_t> OpenTable::add(std::int64_t start, std::int64_t open) {
  auto slow = [&]() -> std::optional<std::int64_t> {
    auto r = cal_.add(Instant(std::chrono::seconds(start)), std::chrono::seconds(open));
    if (!r) return std::nullopt;
    return r->time_since_epoch().count();
  };
  if (wall_ || open < 0 || !cover(start)) return slow();
  while (true) {
    std::size_t i = after(start);
    if (i < spans_.size()) {
      std::int64_t s = std::max(spans_[i].begin, start);
      std::int64_t target = spans_[i].cum + (s - spans_[i].begin) + open;
      // The first span whose running total at its end reaches the target.
      auto j = std::lower_bound(spans_.begin() + static_cast<std::ptrdiff_t>(i), spans_.end(), target,
                                [](const Span& x, std::int64_t v) { return x.cum + (x.end - x.begin) < v; });
      if (j != spans_.end()) return j->begin + (target - j->cum);
    }
    if (!grow_forward()) return slow();
  }
}

std::optional<std::int64_t> OpenTable::add(std::int64_t start, const DurationValue& d) {
  if (wall_ || d.unit == 'm' || d.unit == 'h' || d.amount < 0 || d.amount > (kLast - kFirst) / 60) {
    if (d.amount < 0 || d.amount > (kLast - kFirst) / 60) return std::nullopt;
    return add(start, d.seconds());
  }
  auto slow = [&]() -> std::optional<std::int64_t> {
    auto r = cal_.add(Instant(std::chrono::seconds(start)), d);
    if (!r) return std::nullopt;
    return r->time_since_epoch().count();
  };
  if (!cover(start)) return slow();
  std::int64_t n = d.unit == 'w' ? d.amount * cal_.business_days_per_week() : d.amount;
  while (true) {
    std::size_t i = after(start);
    if (i < spans_.size()) {
      std::size_t k = day_index_[i];
      if (n < static_cast<std::int64_t>(last_of_day_.size() - k))
        return spans_[last_of_day_[k + static_cast<std::size_t>(n)]].end;
    }
    if (!grow_forward()) return slow();
  }
}

}  // namespace detail

}  // namespace charter

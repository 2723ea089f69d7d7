// The SLA report: every SLA of a charter measured per period on an event log.
#include <date/tz.h>
#include <charter/sla.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>
#include <tuple>
#include <unordered_map>

#include "sla/meter.hpp"
#include "sla/zones.hpp"
#include "util/dates.hpp"

namespace charter {

namespace detail {

const date::time_zone* zone_named(std::string_view name) {
  static std::mutex m;
  std::lock_guard lk(m);
  try {
    return date::locate_zone(std::string(name));
  } catch (const std::exception&) {
    throw Error("charter: unknown time zone `" + std::string(name) + "`");
  }
}

Instant local_midnight(const date::time_zone* z, std::int64_t day) {
  return date::floor<std::chrono::seconds>(
      z->to_sys(date::local_seconds(std::chrono::seconds(day * 86400)), date::choose::earliest));
}

}  // namespace detail

namespace {

using detail::local_midnight;
using detail::zone_named;

constexpr std::int64_t kDay = 86400;

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::string label(const char* fmt, int a, int b = 0) {
  char buf[32];
  std::snprintf(buf, sizeof buf, fmt, a, b);
  return buf;
}

}  // namespace

const char* to_string(PeriodStatus s) noexcept {
  switch (s) {
    case PeriodStatus::Met: return "met";
    case PeriodStatus::OnTrack: return "on track";
    case PeriodStatus::AtRisk: return "at risk";
    case PeriodStatus::Breached: return "breached";
  }
  return "?";
}

PeriodRange period_of(Period kind, Instant t, std::string_view zone, int fy) {
  const date::time_zone* z = zone_named(zone);
  auto info = z->get_info(t);
  std::int64_t day = floor_div(t.time_since_epoch().count() + info.offset.count(), kDay);
  Date d = detail::civil_from_days(day);
  PeriodRange p;
  std::int64_t first = 0, last = 0;  // local days [first, last)
  if (kind == Period::Week) {
    int wd = static_cast<int>(((day % 7) + 7 + 3) % 7);  // Monday = 0
    first = day - wd;
    last = first + 7;
    Date thu = detail::civil_from_days(first + 3);  // the ISO year is the Thursday's
    int week = static_cast<int>((first + 3 - detail::days_from_civil(thu.year, 1, 1)) / 7 + 1);
    p.label = label("%04d-W%02d", thu.year, week);
  } else {
    fy = std::clamp(fy, 1, 12);
    std::int64_t months = std::int64_t{d.year} * 12 + (d.month - 1);  // months since year 0
    std::int64_t off = fy - 1, len = kind == Period::Month ? 1 : kind == Period::Quarter ? 3 : 12;
    std::int64_t begin = kind == Period::Month ? months : floor_div(months - off, len) * len + off;
    auto day_of_month = [](std::int64_t m) {
      return detail::days_from_civil(static_cast<int>(floor_div(m, 12)),
                                     static_cast<unsigned>(m - floor_div(m, 12) * 12 + 1), 1);
    };
    first = day_of_month(begin);
    last = day_of_month(begin + len);
    // A fiscal year is named by the year of its last month.
    std::int64_t fiscal_begin = floor_div(months - off, 12) * 12 + off;
    int end_year = static_cast<int>(floor_div(fiscal_begin + 11, 12));
    int q = static_cast<int>((begin - off - floor_div(begin - off, 12) * 12) / 3 + 1);
    if (kind == Period::Month)
      p.label = label("%04d-%02d", d.year, d.month);
    else if (kind == Period::Quarter)
      p.label = fy == 1 ? label("%04d-Q%d", end_year, q) : label("FY%04d-Q%d", end_year, q);
    else
      p.label = fy == 1 ? label("%04d", end_year) : label("FY%04d", end_year);
  }
  p.begin = local_midnight(z, first);
  p.end = local_midnight(z, last);
  return p;
}

namespace detail {

// Record ids interned in the order they first appear.
class InternedRecords : public MeterRecords {
 public:
  explicit InternedRecords(std::function<bool(const Sla&, std::string_view)> applies, const Charter& charter)
      : applies_(std::move(applies)) {
    for (const Sla& s : charter.slas()) slas_.push_back(&s);
  }
  std::uint32_t intern(const std::string& id) {
    auto [it, added] = index_.try_emplace(id, static_cast<std::uint32_t>(ids_.size()));
    if (added) ids_.push_back(&it->first);
    return it->second;
  }
  std::string_view id(std::uint32_t rec) const override { return *ids_[rec]; }
  bool applies(std::size_t sla, std::uint32_t rec) override { return !applies_ || applies_(*slas_[sla], *ids_[rec]); }

 private:
  std::function<bool(const Sla&, std::string_view)> applies_;
  std::vector<const Sla*> slas_;
  std::unordered_map<std::string, std::uint32_t> index_;
  std::vector<const std::string*> ids_;
};

}  // namespace detail

std::vector<SlaPeriod> sla_report(const Charter& charter, std::span<const Event> events, const SlaReportOptions& opt,
                                  std::vector<std::pair<const Sla*, SlaItem>>* items_out) {
  detail::Names names(charter);
  detail::InternedRecords records(opt.applies, charter);
  detail::Meter::Sink sink;
  if (items_out) sink = [&](const Sla& s, SlaItem&& it) { items_out->emplace_back(&s, std::move(it)); };
  detail::Meter meter(charter, names, opt, records, std::move(sink));
  detail::measure_events(
      events, names, opt.as_of.time_since_epoch().count(), [&](const Event& e) { return records.intern(e.record); },
      meter);
  return meter.finish();
}

}  // namespace charter

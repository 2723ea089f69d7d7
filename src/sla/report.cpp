// The SLA report: every SLA of a charter measured per period on an event log.
#include <date/tz.h>
#include <charter/sla.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>
#include <tuple>
#include <unordered_map>

#include "util/dates.hpp"

namespace charter {

namespace {

constexpr std::int64_t kDay = 86400;

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

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
      z->to_sys(date::local_seconds(std::chrono::seconds(day * kDay)), date::choose::earliest));
}

std::string label(const char* fmt, int a, int b = 0) {
  char buf[32];
  std::snprintf(buf, sizeof buf, fmt, a, b);
  return buf;
}

bool matches(const EventMatch& m, const Event& e) {
  if (!m.stage.empty() && e.type == EventType::Stage && e.name == m.stage) return true;
  if (e.type == EventType::Activity)
    for (auto a : m.activity)
      if (e.name == a) return true;
  return false;
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

std::vector<SlaPeriod> sla_report(const Charter& charter, std::span<const Event> events, const SlaReportOptions& opt,
                                  std::vector<std::pair<const Sla*, SlaItem>>* items_out) {
  // Events up to as_of, grouped by record (stable: same-instant events keep input order).
  std::vector<const Event*> seen;
  for (const auto& e : events)
    if (e.at <= opt.as_of) seen.push_back(&e);
  // By record, then time (a stage before an activity at the same instant); identical events
  // (a row exported twice) count once.
  auto key = [](const Event* e) { return std::tie(e->record, e->at, e->type, e->name, e->value); };
  std::stable_sort(seen.begin(), seen.end(), [&](const Event* a, const Event* b) { return key(a) < key(b); });
  seen.erase(std::unique(seen.begin(), seen.end(), [&](const Event* a, const Event* b) { return key(a) == key(b); }),
             seen.end());
  std::vector<Event> sorted;
  sorted.reserve(seen.size());
  for (const Event* e : seen) sorted.push_back(*e);
  std::vector<std::pair<std::size_t, std::size_t>> groups;  // [begin, end) of each record
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i + 1;
    while (j < sorted.size() && sorted[j].record == sorted[i].record) ++j;
    groups.emplace_back(i, j);
    i = j;
  }

  const Organization& org = charter.organization();
  std::vector<SlaPeriod> out;
  for (const Sla& s : charter.slas()) {
    BusinessCalendar cal;
    if (!s.calendar.empty())
      if (auto c = BusinessCalendar::find(charter, s.calendar)) cal = *c;
    std::string zone = cal.is_wall_clock() ? std::string(org.timezone) : std::string(cal.time_zone());
    Period kind = opt.period ? *opt.period : s.period.value_or(Period::Month);
    std::map<Instant, SlaPeriod> rows;
    auto row_for = [&](Instant t) -> SlaPeriod& {
      PeriodRange pr = period_of(kind, t, zone, org.fiscal_year_start);
      auto [it, added] = rows.try_emplace(pr.begin);
      if (added) {
        it->second.sla = &s;
        it->second.period = std::move(pr);
      }
      return it->second;
    };
    auto applies = [&](std::string_view record) { return !s.applies_to || !opt.applies || opt.applies(s, record); };
    auto count_item = [&](const SlaItem& it) {
      SlaPeriod& row = row_for(it.start);
      ++row.items;
      if (it.status == SlaStatus::Met) ++row.met;
      if (it.status == SlaStatus::Breached) ++row.breached;
      if (it.status == SlaStatus::InFlight) ++row.in_flight;
      if (it.warned && it.status == SlaStatus::InFlight) ++row.warned;
      if (items_out) items_out->emplace_back(&s, it);
    };

    switch (s.type) {
      case SlaType::Response:
      case SlaType::Attempts: {
        if (!s.within) break;
        SlaClock clock(charter, s.id);
        for (auto [b, e] : groups) {
          if (!applies(sorted[b].record)) continue;
          for (const auto& it : clock.evaluate(std::span<const Event>(sorted).subspan(b, e - b), opt.as_of))
            count_item(it);
        }
        break;
      }
      case SlaType::Volume:
        for (auto [b, e] : groups) {
          if (!applies(sorted[b].record)) continue;
          for (std::size_t i = b; i < e; ++i)
            if (matches(s.count, sorted[i])) {
              SlaPeriod& row = row_for(sorted[i].at);
              row.value = row.value.value_or(0) + 1;
            }
        }
        break;
      case SlaType::Conversion:
        // A record converts when it reaches `to` within `within` of first reaching `from`.
        for (auto [b, e] : groups) {
          if (!applies(sorted[b].record)) continue;
          std::optional<Instant> from_at, to_at;
          std::vector<const Event*> by_time;
          for (std::size_t i = b; i < e; ++i) by_time.push_back(&sorted[i]);
          std::stable_sort(by_time.begin(), by_time.end(),
                           [](const Event* x, const Event* y) { return x->at < y->at; });
          for (const Event* ev : by_time) {
            if (ev->type != EventType::Stage) continue;
            if (!from_at && ev->name == s.from) from_at = ev->at;
            if (from_at && !to_at && ev->name == s.to && ev->at >= *from_at) to_at = ev->at;
          }
          if (!from_at) continue;
          SlaItem it;
          it.record = sorted[b].record;
          it.start = it.clock_start = *from_at;
          std::optional<Instant> deadline = s.within ? cal.add(*from_at, *s.within) : std::nullopt;
          it.deadline = deadline.value_or(Instant::max());
          it.done = to_at;
          if (to_at && *to_at <= it.deadline)
            it.status = SlaStatus::Met;
          else if (to_at || (deadline && *deadline < opt.as_of))
            it.status = SlaStatus::Breached;
          else
            it.status = SlaStatus::InFlight;
          it.elapsed = cal.elapsed(*from_at, to_at.value_or(std::min(opt.as_of, it.deadline)));
          count_item(it);
        }
        break;
    }

    // Every period from the first with data (or `from`) to the one of as_of (or `to`): a month
    // without a single MQL is a miss too.
    const date::time_zone* z = zone_named(zone);
    std::optional<Instant> from, to;
    if (opt.from) from = local_midnight(z, detail::day_number(*opt.from));
    if (opt.to) to = local_midnight(z, detail::day_number(*opt.to));
    Instant first = rows.empty() ? opt.as_of : rows.begin()->first;
    if (from && (*from < first || rows.empty())) first = *from;
    Instant last = opt.as_of;
    if (to && *to <= last) last = *to - std::chrono::seconds(1);
    for (Instant t = first; t <= last;) {
      SlaPeriod& row = row_for(t);
      t = row.period.end;
    }

    for (auto& [begin, row] : rows) {
      if (from && row.period.end <= *from) continue;
      if (to && row.period.begin >= *to) continue;
      row.closed = row.period.end <= opt.as_of;
      row.objective = s.objective;
      double span = static_cast<double>((row.period.end - row.period.begin).count());
      double share =
          row.closed ? 1.0 : std::clamp(static_cast<double>((opt.as_of - row.period.begin).count()) / span, 0.0, 1.0);
      std::size_t decided = row.met + row.breached;
      if (decided) row.compliance = static_cast<double>(row.met) / static_cast<double>(decided);
      if (s.type == SlaType::Volume) {
        double count = row.value.value_or(0);
        row.value = count;
        row.target = s.at_least;
        double target = s.at_least.value_or(0);
        if (!row.closed) {
          row.pacing = target * share;
          row.projection = share > 0 ? count / share : count;
        }
        if (count >= target)
          row.status = PeriodStatus::Met;
        else if (row.closed)
          row.status = PeriodStatus::Breached;
        else
          row.status = *row.projection < target ? PeriodStatus::AtRisk : PeriodStatus::OnTrack;
      } else {
        // The share that must be met: the objective; for conversion the target rate.
        double need = s.type == SlaType::Conversion ? s.at_least.value_or(0) : s.objective.value_or(1.0);
        if (s.type == SlaType::Conversion) {
          row.target = s.at_least;
          row.value = row.compliance;
        }
        double have = row.compliance.value_or(1.0);  // nothing decided: nothing missed
        // Even if every in-flight item is met, the share stays below: certainly breached.
        std::size_t all = decided + row.in_flight;
        bool lost = all && static_cast<double>(row.met + row.in_flight) / static_cast<double>(all) < need;
        if (row.closed && row.in_flight == 0) {
          row.status = have >= need ? PeriodStatus::Met : PeriodStatus::Breached;
        } else if (row.closed && lost) {
          row.status = PeriodStatus::Breached;
        } else {
          // Open, or closed with items still in flight (they decide it).
          // Projected: the items already warned count as breaches.
          std::size_t pool = decided + row.warned;
          double projected = pool ? static_cast<double>(row.met) / static_cast<double>(pool) : 1.0;
          row.projection = projected;
          row.status = projected < need ? PeriodStatus::AtRisk : PeriodStatus::OnTrack;
        }
      }
      out.push_back(std::move(row));
    }
  }
  return out;
}

}  // namespace charter

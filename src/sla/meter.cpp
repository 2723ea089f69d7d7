// The SLA engine: clocks that open at a start event and close at their outcome, counts per
// period, and the report of each SLA per period.
#include "sla/meter.hpp"

#include <date/tz.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <deque>
#include <limits>
#include <map>
#include <optional>

#include "sla/open_table.hpp"
#include "sla/zones.hpp"
#include "util/dates.hpp"

namespace charter::detail {

namespace {

constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::max();

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

Instant instant(std::int64_t t) { return Instant(std::chrono::seconds(t)); }

enum Role : std::uint8_t { kStart = 1, kStop = 2, kAttempt = 4, kCount = 8 };

}  // namespace

Names::Names(const Charter& charter) {
  for (const auto& st : charter.funnel().stages) {
    std::string n = lower(st.id);
    if (stage_.emplace(n, static_cast<int>(names_.size())).second) names_.push_back(n);
  }
  stages_ = names_.size();
  auto activity = [&](std::string_view a) {
    std::string n = lower(a);
    if (activity_.emplace(n, static_cast<int>(names_.size())).second) names_.push_back(n);
  };
  for (const auto& s : charter.slas()) {
    for (auto a : s.start.activity) activity(a);
    for (auto a : s.stop.activity) activity(a);
    for (auto a : s.count.activity) activity(a);
    for (auto a : s.activity) activity(a);
  }
  // Stages no SLA names: known (not warned about), but nothing to measure.
  std::vector<bool> used(stages_, false);
  auto use = [&](std::string_view stage) {
    if (auto it = stage_.find(lower(stage)); it != stage_.end()) used[static_cast<std::size_t>(it->second)] = true;
  };
  for (const auto& s : charter.slas()) {
    use(s.start.stage);
    use(s.stop.stage);
    use(s.count.stage);
    use(s.from);
    use(s.to);
  }
  for (auto& [n, c] : stage_)
    if (!used[static_cast<std::size_t>(c)]) c = kIgnored;
  for (const auto& [n, c] : stage_) exact_stage_.emplace_back(n, c);  // (views of the map's own keys)
  for (const auto& [n, c] : activity_) exact_activity_.emplace_back(n, c);
}

int Names::code(EventType type, std::string_view name) const {
  if (type != EventType::Stage && type != EventType::Activity) return kIgnored;
  const auto& exact = type == EventType::Stage ? exact_stage_ : exact_activity_;
  for (const auto& [n, c] : exact)
    if (n.size() == name.size() && std::memcmp(n.data(), name.data(), n.size()) == 0) return c;
  char buf[64];
  std::string big;
  std::string key;
  if (name.size() <= sizeof buf) {
    for (std::size_t i = 0; i < name.size(); ++i)
      buf[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[i])));
    key.assign(buf, name.size());
  } else {
    key = lower(name);
  }
  const auto& m = type == EventType::Stage ? stage_ : activity_;
  auto it = m.find(key);
  if (it == m.end()) return type == EventType::Stage ? kUnknownStage : kIgnored;
  return it->second;
}

namespace {

struct Open {
  std::int64_t start = 0, clock_start = 0, deadline = kNone, warning = kNone;
  std::uint32_t deadline_nanos = 0;  // the deadline's fraction of a second (of the start's)
  int attempts = 0;
};

// (at, nanos) after the deadline of `o`.
bool after(std::int64_t at, std::uint32_t nanos, const Open& o) {
  return at > o.deadline || (at == o.deadline && nanos > o.deadline_nanos);
}

// The running clocks of one SLA by record number: an array lookup (record numbers are
// dense: the caller reuses them). The SLAs share one array, record by record, so that the
// clocks of one record are on one cache line: `slots[rec * stride + lane]` is the clock's
// place in this SLA's pool + 1 (0: none).
class OpenItems {
 public:
  OpenItems(std::vector<std::uint32_t>& slots, std::size_t stride, std::size_t lane)
      : slots_(&slots), stride_(stride), lane_(lane) {}
  Open* find(std::uint32_t rec) {
    std::size_t i = rec * stride_ + lane_;
    if (i >= slots_->size() || !(*slots_)[i]) return nullptr;
    return &pool_[(*slots_)[i] - 1].second;
  }
  void emplace(std::uint32_t rec, const Open& o) {
    std::size_t i = rec * stride_ + lane_;
    if (i >= slots_->size()) slots_->resize(std::max<std::size_t>((rec + 1) * stride_, slots_->size() * 2), 0);
    pool_.emplace_back(rec, o);
    (*slots_)[i] = static_cast<std::uint32_t>(pool_.size());
  }
  void erase(std::uint32_t rec) {
    std::uint32_t& slot = (*slots_)[rec * stride_ + lane_];
    std::uint32_t i = slot - 1;
    slot = 0;
    if (i + 1 != pool_.size()) {
      pool_[i] = pool_.back();
      (*slots_)[pool_[i].first * stride_ + lane_] = i + 1;
    }
    pool_.pop_back();
  }
  // (the clock's place in the pool, when the slot is already in the cache)
  void prefetch(std::uint32_t rec) const {
    std::size_t i = rec * stride_ + lane_;
    if (i < slots_->size() && (*slots_)[i]) prefetch_line(&pool_[(*slots_)[i] - 1]);
  }
  std::size_t size() const { return pool_.size(); }
  const std::vector<std::pair<std::uint32_t, Open>>& items() const { return pool_; }

 private:
  std::vector<std::uint32_t>* slots_;
  std::size_t stride_, lane_;
  std::vector<std::pair<std::uint32_t, Open>> pool_;
};

}  // namespace

struct Meter::Impl {
  struct State {
    const Sla* sla = nullptr;
    std::size_t index = 0;  // in charter.slas()
    OpenTable* table = nullptr;
    std::optional<OpenItems> open_items;
    OpenItems& open() { return *open_items; }
    // attempts and conversion clocks close when their deadline passes
    bool expires = false;
    // (deadline, record) in deadline order; the records of one deadline in any order until
    // they expire (then by record number). Clocks start in time order and a later start
    // never has an earlier deadline, so this is a queue (many clocks share a deadline: the
    // end of a business day); `begin` keeps it in deadline order regardless.
    std::deque<std::pair<std::int64_t, std::uint32_t>> expiry;
    std::vector<std::pair<std::int64_t, std::uint32_t>> due;  // (expire: the clocks of one deadline)
    std::string zone;
    Period kind = Period::Month;
    std::map<std::int64_t, SlaPeriod> rows;  // by the period's begin
    SlaPeriod* last_row = nullptr;
    int needed = 1;
  };

  const Charter& charter;
  SlaReportOptions opt;
  MeterRecords& records;
  Sink sink;
  std::int64_t as_of;
  std::vector<std::unique_ptr<OpenTable>> tables;  // one per calendar (and the wall clock)
  std::vector<State> states;
  std::vector<std::uint32_t> open_slots;  // the clocks of every SLA, record by record (OpenItems)
  std::int64_t next_expiry = kNone;       // the earliest deadline in the expiry queues
  // Per name code: the SLAs it matters to, and as what.
  std::vector<std::vector<std::pair<std::uint32_t, std::uint8_t>>> dispatch;
  std::vector<std::vector<std::uint32_t>> clocks;  // per name code: the SLAs of `dispatch` that have clocks

  Impl(const Charter& c, const Names& names, const SlaReportOptions& o, MeterRecords& r, Sink s, const Sla* only)
      : charter(c), opt(o), records(r), sink(std::move(s)), as_of(o.as_of.time_since_epoch().count()) {
    dispatch.resize(names.size());
    std::map<std::string, OpenTable*, std::less<>> by_calendar;
    const Organization& org = c.organization();
    std::size_t index = 0;
    for (const Sla& s : c.slas()) {
      std::size_t my_index = index++;
      if (only && &s != only) continue;
      BusinessCalendar cal;
      if (!s.calendar.empty())
        if (auto found = BusinessCalendar::find(c, s.calendar)) cal = *found;
      auto key = std::string(cal.id());
      OpenTable*& t = by_calendar[key];
      if (!t) {
        tables.push_back(std::make_unique<OpenTable>(cal));
        t = tables.back().get();
      }
      State st;
      st.sla = &s;
      st.index = my_index;
      st.table = t;
      st.zone = cal.is_wall_clock() ? std::string(org.timezone) : std::string(cal.time_zone());
      st.kind = opt.period ? *opt.period : s.period.value_or(Period::Month);
      st.needed = s.at_least ? static_cast<int>(*s.at_least) : 1;
      st.expires = s.type == SlaType::Attempts || s.type == SlaType::Conversion;
      auto state = static_cast<std::uint32_t>(states.size());
      auto role = [&](EventType type, std::string_view name, std::uint8_t r) {
        int code = names.code(type, name);
        if (code < 0) return;
        auto& d = dispatch[static_cast<std::size_t>(code)];
        for (auto& [st_index, roles] : d)
          if (st_index == state) {
            roles |= r;
            return;
          }
        d.emplace_back(state, r);
      };
      auto match = [&](const EventMatch& m, std::uint8_t r) {
        if (!m.stage.empty()) role(EventType::Stage, m.stage, r);
        for (auto a : m.activity) role(EventType::Activity, a, r);
      };
      switch (s.type) {
        case SlaType::Response:
          if (!s.within) continue;  // (the loader requires it; nothing to measure without)
          match(s.start, kStart);
          match(s.stop, kStop);
          break;
        case SlaType::Attempts:
          if (!s.within) continue;
          match(s.start, kStart);
          for (auto a : s.activity) role(EventType::Activity, a, kAttempt);
          break;
        case SlaType::Volume: match(s.count, kCount); break;
        case SlaType::Conversion:
          role(EventType::Stage, s.from, kStart);
          role(EventType::Stage, s.to, kStop);
          break;
      }
      states.push_back(std::move(st));
    }
    for (std::size_t i = 0; i < states.size(); ++i) states[i].open_items.emplace(open_slots, states.size(), i);
    clocks.resize(dispatch.size());
    for (std::size_t code = 0; code < dispatch.size(); ++code)
      for (auto [index, roles] : dispatch[code])
        if (states[index].sla->type != SlaType::Volume) clocks[code].push_back(index);
  }

  SlaPeriod& row_for(State& st, std::int64_t t) {
    if (st.last_row && st.last_row->period.begin.time_since_epoch().count() <= t &&
        t < st.last_row->period.end.time_since_epoch().count())
      return *st.last_row;
    auto it = st.rows.upper_bound(t);
    if (it != st.rows.begin()) {
      auto p = std::prev(it);
      if (t < p->second.period.end.time_since_epoch().count()) return *(st.last_row = &p->second);
    }
    PeriodRange pr = period_of(st.kind, instant(t), st.zone, charter.organization().fiscal_year_start);
    auto [row, added] = st.rows.try_emplace(pr.begin.time_since_epoch().count());
    if (added) {
      row->second.sla = st.sla;
      row->second.period = std::move(pr);
    }
    return *(st.last_row = &row->second);
  }

  bool applies(const State& st, std::uint32_t rec) { return !st.sla->applies_to || records.applies(st.index, rec); }

  void begin(State& st, std::uint32_t rec, std::int64_t t, std::uint32_t nanos) {
    const Sla& s = *st.sla;
    Open o;
    o.start = t;
    o.clock_start = st.table->next_open(t).value_or(t);
    if (s.within) {
      const DurationValue& d = *s.within;
      bool open_time = st.table->wall() || d.unit == 'm' || d.unit == 'h';
      if (nanos && open_time && o.clock_start == t && d.seconds() > 0) {
        // A start at t + f (0 < f < 1) while open: open hours are whole seconds, so the
        // second [t, t+1) is open; the deadline is where d - 1 s of open time after t + 1
        // ends, plus f (past the end of an open span, f into the next one).
        if (auto q = st.table->add(t + 1, d.seconds() - 1))
          if (auto n = st.table->next_open(*q)) {
            o.deadline = *n;
            o.deadline_nanos = nanos;
          }
      } else if (auto end = st.table->add(t, d)) {
        o.deadline = *end;
      }
    }
    if (s.warn_at && o.deadline != kNone) {
      std::int64_t budget = st.table->elapsed(o.clock_start, o.deadline);
      auto used = static_cast<std::int64_t>(static_cast<double>(budget) * *s.warn_at);
      if (auto w = st.table->add(o.clock_start, used)) o.warning = *w;
    }
    st.open().emplace(rec, o);
    records.retain(rec);
    if (st.expires && o.deadline != kNone) {
      std::pair<std::int64_t, std::uint32_t> entry{o.deadline, rec};
      if (st.expiry.empty() || st.expiry.back().first <= entry.first)
        st.expiry.push_back(entry);
      else
        st.expiry.insert(std::upper_bound(st.expiry.begin(), st.expiry.end(), entry,
                                          [](const auto& a, const auto& b) { return a.first < b.first; }),
                         entry);
      next_expiry = std::min(next_expiry, o.deadline);
    }
  }

  // Ends the clock `it` of `st` with `status`; `done`: the stop or the attempt that met it.
  void close(State& st, std::uint32_t rec, SlaStatus status, std::int64_t done = kNone) {
    const Open o = *st.open().find(rec);
    SlaPeriod& row = row_for(st, o.start);
    ++row.items;
    if (status == SlaStatus::Met) ++row.met;
    if (status == SlaStatus::Breached) ++row.breached;
    if (status == SlaStatus::InFlight) ++row.in_flight;
    std::int64_t until = done != kNone ? done : status == SlaStatus::InFlight ? as_of : o.deadline;
    bool warned = o.warning != kNone && o.warning <= until;
    if (warned && status == SlaStatus::InFlight) ++row.warned;
    if (sink) {
      SlaItem item;
      item.record = std::string(records.id(rec));
      item.start = instant(o.start);
      item.clock_start = instant(o.clock_start);
      item.deadline = o.deadline == kNone ? Instant::max() : instant(o.deadline);
      if (o.warning != kNone) item.warning = instant(o.warning);
      if (done != kNone) item.done = instant(done);
      item.status = status;
      item.warned = warned;
      item.elapsed = std::chrono::seconds(st.table->elapsed(o.start, until));
      if (status == SlaStatus::InFlight) item.remaining = std::chrono::seconds(st.table->elapsed(as_of, o.deadline));
      item.attempts = o.attempts;
      sink(*st.sla, std::move(item));
    }
    st.open().erase(rec);
    records.release(rec);
  }

  // Closes the attempts and conversion clocks whose deadline is before `t`.
  // (A deadline's clocks in record order, as ever: the sink sees them in that order.)
  void expire(State& st, std::int64_t t) {
    while (!st.expiry.empty() && st.expiry.front().first < t) {
      std::int64_t deadline = st.expiry.front().first;
      st.due.clear();
      while (!st.expiry.empty() && st.expiry.front().first == deadline) {
        st.due.push_back(st.expiry.front());
        st.expiry.pop_front();
      }
      std::sort(st.due.begin(), st.due.end());
      const std::size_t n = st.due.size();
      for (std::size_t k = 0; k < n; ++k) {
        auto [d, rec] = st.due[k];
        if (k + 32 < n && st.due[k + 32].second * states.size() < open_slots.size())
          prefetch_line(&open_slots[st.due[k + 32].second * states.size()]);
        if (k + 16 < n) st.open().prefetch(st.due[k + 16].second);
        Open* o = st.open().find(rec);
        if (o && o->deadline <= d) close(st, rec, SlaStatus::Breached);
      }
    }
  }

  // Memory latency bounds the meter: the record's clock slots are fetched `kFar` events
  // ahead, the clocks they point to `kNear` events ahead.
  void add_sorted(std::span<const MeterEvent> v) {
    constexpr std::size_t kFar = 16, kNear = 8;
    const std::size_t n = v.size(), stride = states.size();
    for (std::size_t k = 0; k < n; ++k) {
      if (k + kFar < n) {
        std::size_t i = v[k + kFar].rec * stride;
        if (i + stride <= open_slots.size()) {  // (a record's slots may span two lines)
          prefetch_line(&open_slots[i]);
          prefetch_line(&open_slots[i + stride - 1]);
        }
      }
      if (k + kNear < n && v[k + kNear].code < clocks.size())
        for (std::uint32_t index : clocks[v[k + kNear].code]) states[index].open().prefetch(v[k + kNear].rec);
      if (k == 0 || !meter_same(v[k - 1], v[k])) add(v[k]);
    }
  }

  void add(const MeterEvent& e) {
    if (e.at > next_expiry) {
      next_expiry = kNone;
      for (auto& st : states)
        if (st.expires) {
          expire(st, e.at);
          if (!st.expiry.empty()) next_expiry = std::min(next_expiry, st.expiry.front().first);
        }
    }
    if (e.code >= dispatch.size()) return;
    for (auto [index, roles] : dispatch[e.code]) {
      State& st = states[index];
      const Sla& s = *st.sla;
      if (s.type == SlaType::Volume) {
        if ((roles & kCount) && applies(st, e.rec)) {
          SlaPeriod& row = row_for(st, e.at);
          row.value = row.value.value_or(0) + 1;
        }
        continue;
      }
      Open* o = st.open().find(e.rec);
      // A response clock past its deadline without a stop ends, breached, when the record
      // starts again (a later stop belongs to the new clock).
      if (o && (roles & kStart) && after(e.at, e.nanos, *o)) {
        close(st, e.rec, SlaStatus::Breached);
        o = nullptr;
      }
      if (!o) {
        if ((roles & kStart) && applies(st, e.rec)) begin(st, e.rec, e.at, e.nanos);
        continue;
      }
      if (st.expires && after(e.at, e.nanos, *o)) {  // (in the deadline's second, after it)
        close(st, e.rec, SlaStatus::Breached);
        if ((roles & kStart) && applies(st, e.rec)) begin(st, e.rec, e.at, e.nanos);
        continue;
      }
      if (s.type == SlaType::Attempts) {
        if ((roles & kAttempt) && ++o->attempts >= st.needed) close(st, e.rec, SlaStatus::Met, e.at);
      } else if (roles & kStop) {
        close(st, e.rec, after(e.at, e.nanos, *o) ? SlaStatus::Breached : SlaStatus::Met, e.at);
      }
    }
  }

  void report(State& st, std::vector<SlaPeriod>& out) {
    const Sla& s = *st.sla;
    // Every period from the first with data (or `from`) to the one of as_of (or `to`): a
    // month without a single MQL is a miss too.
    const date::time_zone* z = zone_named(st.zone);
    std::optional<std::int64_t> from, to;
    if (opt.from) from = local_midnight(z, day_number(*opt.from)).time_since_epoch().count();
    if (opt.to) to = local_midnight(z, day_number(*opt.to)).time_since_epoch().count();
    std::int64_t first = st.rows.empty() ? as_of : st.rows.begin()->first;
    if (from && (*from < first || st.rows.empty())) first = *from;
    std::int64_t last = as_of;
    if (to && *to <= last) last = *to - 1;
    for (std::int64_t t = first; t <= last;) {
      SlaPeriod& row = row_for(st, t);
      t = row.period.end.time_since_epoch().count();
    }

    for (auto& [begin, row] : st.rows) {
      std::int64_t pb = row.period.begin.time_since_epoch().count(), pe = row.period.end.time_since_epoch().count();
      if (from && pe <= *from) continue;
      if (to && pb >= *to) continue;
      row.closed = pe <= as_of;
      row.objective = s.objective;
      double span = static_cast<double>(pe - pb);
      double share = row.closed ? 1.0 : std::clamp(static_cast<double>(as_of - pb) / span, 0.0, 1.0);
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
          // Open, or closed with items still in flight (they decide it). Projected: the
          // items already warned count as breaches.
          std::size_t pool = decided + row.warned;
          double projected = pool ? static_cast<double>(row.met) / static_cast<double>(pool) : 1.0;
          row.projection = projected;
          row.status = projected < need ? PeriodStatus::AtRisk : PeriodStatus::OnTrack;
        }
      }
      out.push_back(std::move(row));
    }
  }

  std::vector<SlaPeriod> finish() {
    std::vector<SlaPeriod> out;
    for (auto& st : states) {
      if (st.expires) expire(st, as_of);
      // The clocks still running, in start order.
      std::vector<std::pair<std::int64_t, std::uint32_t>> left;
      for (const auto& [rec, o] : st.open().items()) left.emplace_back(o.start, rec);
      std::sort(left.begin(), left.end());
      for (auto [start, rec] : left)
        close(st, rec, as_of > st.open().find(rec)->deadline ? SlaStatus::Breached : SlaStatus::InFlight);
      report(st, out);
    }
    return out;
  }
};

Meter::Meter(const Charter& charter, const Names& names, const SlaReportOptions& options, MeterRecords& records,
             Sink sink, const Sla* only)
    : impl_(std::make_unique<Impl>(charter, names, options, records, std::move(sink), only)) {}
Meter::~Meter() = default;
void Meter::add(const MeterEvent& e) { impl_->add(e); }
void Meter::add_sorted(std::span<const MeterEvent> events) { impl_->add_sorted(events); }
std::vector<SlaPeriod> Meter::finish() { return impl_->finish(); }
std::size_t Meter::open_items() const {
  std::size_t n = 0;
  for (const auto& st : impl_->states) n += st.open_items->size();
  return n;
}

void measure_events(std::span<const Event> events, const Names& names, std::int64_t as_of,
                    const std::function<std::uint32_t(const Event&)>& record, Meter& meter) {
  std::vector<MeterEvent> evs;
  evs.reserve(events.size());
  for (const auto& e : events) {
    std::int64_t at = e.at.time_since_epoch().count();
    int code = names.code(e.type, e.name);
    if (at > as_of || (at == as_of && e.nanos) || code < 0) continue;
    MeterEvent m;
    m.at = at;
    m.rec = record(e);
    m.nanos = e.nanos;
    m.code = static_cast<std::uint16_t>(code);
    m.type = static_cast<std::uint8_t>(e.type);
    if (e.value) {
      m.has_value = 1;
      m.value = *e.value;
    }
    evs.push_back(m);
  }
  std::sort(evs.begin(), evs.end(), meter_less);
  evs.erase(std::unique(evs.begin(), evs.end(), meter_same), evs.end());
  for (const auto& m : evs) meter.add(m);
}

}  // namespace charter::detail

// SLA clocks of one record: response and attempts items from its events.
#include <charter/sla.hpp>

#include <algorithm>

namespace charter {

const char* to_string(EventType t) noexcept {
  switch (t) {
    case EventType::Stage: return "stage";
    case EventType::Activity: return "activity";
    case EventType::Touch: return "touch";
    case EventType::Deal: return "deal";
  }
  return "?";
}

const char* to_string(SlaStatus s) noexcept {
  switch (s) {
    case SlaStatus::Met: return "met";
    case SlaStatus::Breached: return "breached";
    case SlaStatus::InFlight: return "in flight";
  }
  return "?";
}

struct SlaClock::Impl {
  Charter charter;  // keeps the model alive
  const Sla* sla = nullptr;
  BusinessCalendar calendar;

  static bool matches(const EventMatch& m, const Event& e) {
    if (!m.stage.empty() && e.type == EventType::Stage && e.name == m.stage) return true;
    if (e.type == EventType::Activity)
      for (auto a : m.activity)
        if (e.name == a) return true;
    return false;
  }
  bool counts(const Event& e) const {  // an attempt
    if (e.type != EventType::Activity) return false;
    for (auto a : sla->activity)
      if (e.name == a) return true;
    return false;
  }
};

SlaClock::SlaClock(const Charter& charter, std::string_view id) {
  auto p = std::make_shared<Impl>();
  p->charter = charter;
  p->sla = charter.sla(id);
  if (!p->sla) throw Error("charter::SlaClock: no SLA `" + std::string(id) + "` in the charter");
  if ((p->sla->type != SlaType::Response && p->sla->type != SlaType::Attempts) || !p->sla->within)
    throw Error("charter::SlaClock: SLA `" + std::string(id) + "` is a " + to_string(p->sla->type) +
                " SLA; only response and attempts SLAs with `within` have a clock per record");
  if (!p->sla->calendar.empty()) {
    auto cal = BusinessCalendar::find(charter, p->sla->calendar);
    if (!cal) throw Error("charter::SlaClock: SLA `" + std::string(id) + "` names an unknown calendar");
    p->calendar = *cal;
  }
  impl_ = std::move(p);
}

SlaClock::~SlaClock() = default;
SlaClock::SlaClock(const SlaClock&) = default;
SlaClock& SlaClock::operator=(const SlaClock&) = default;

const Sla& SlaClock::sla() const noexcept { return *impl_->sla; }
const BusinessCalendar& SlaClock::calendar() const noexcept { return impl_->calendar; }

std::vector<SlaItem> SlaClock::evaluate(std::span<const Event> events, Instant as_of) const {
  const Impl& c = *impl_;
  const Sla& sla = *c.sla;
  const BusinessCalendar& cal = c.calendar;
  // In time order (a stable sort: events at the same instant keep their input order).
  std::vector<const Event*> evs;
  evs.reserve(events.size());
  for (const auto& e : events)
    if (e.at <= as_of) evs.push_back(&e);
  std::stable_sort(evs.begin(), evs.end(), [](const Event* a, const Event* b) { return a->at < b->at; });

  const bool attempts = sla.type == SlaType::Attempts;
  const int needed = sla.at_least ? static_cast<int>(*sla.at_least) : 1;
  std::vector<SlaItem> out;
  std::optional<SlaItem> open;  // the running item
  auto begin_item = [&](const Event& e) {
    SlaItem it;
    it.record = e.record;
    it.start = e.at;
    it.clock_start = cal.next_open(e.at).value_or(e.at);
    auto deadline = cal.add(e.at, *sla.within);
    it.deadline = deadline.value_or(Instant::max());
    if (sla.warn_at && deadline) {
      auto budget = cal.elapsed(it.clock_start, it.deadline);
      auto used = std::chrono::seconds(static_cast<std::int64_t>(static_cast<double>(budget.count()) * *sla.warn_at));
      it.warning = cal.add(it.clock_start, used);
    }
    open = std::move(it);
  };
  auto finish = [&](SlaStatus status, std::optional<Instant> done) {
    SlaItem& it = *open;
    it.status = status;
    it.done = done;
    Instant until = done ? *done : (status == SlaStatus::InFlight ? as_of : it.deadline);
    it.elapsed = cal.elapsed(it.start, until);
    if (status == SlaStatus::InFlight) it.remaining = cal.elapsed(as_of, it.deadline);
    it.warned = it.warning && *it.warning <= until;
    out.push_back(std::move(it));
    open.reset();
  };

  for (const Event* e : evs) {
    // A deadline that passed before this event closes the running attempts item; a response
    // item stays open until its stop (a late stop is a breach, with its time).
    if (open && attempts && e->at > open->deadline) finish(SlaStatus::Breached, std::nullopt);
    // A response item past its deadline without a stop ends (breached) when the record
    // starts again.
    if (open && !attempts && e->at > open->deadline && Impl::matches(sla.start, *e))
      finish(SlaStatus::Breached, std::nullopt);
    if (!open) {
      if (Impl::matches(sla.start, *e)) begin_item(*e);
      continue;
    }
    if (attempts) {
      if (c.counts(*e) && e->at >= open->start) {
        if (++open->attempts >= needed) finish(SlaStatus::Met, e->at);
      }
    } else if (Impl::matches(sla.stop, *e) && e->at >= open->start) {
      finish(e->at <= open->deadline ? SlaStatus::Met : SlaStatus::Breached, e->at);
    }
  }
  if (open) finish(as_of > open->deadline ? SlaStatus::Breached : SlaStatus::InFlight, std::nullopt);
  return out;
}

}  // namespace charter

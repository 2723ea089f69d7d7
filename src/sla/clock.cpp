// SLA clocks of one record: response and attempts items from its events.
#include <charter/sla.hpp>

#include <algorithm>

#include "sla/meter.hpp"

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
  std::shared_ptr<const detail::Names> names;
};

namespace {

// The events given to SlaClock::evaluate are one record's, whatever their ids say.
struct OneRecord : detail::MeterRecords {
  std::string_view id(std::uint32_t) const override { return id_; }
  bool applies(std::size_t, std::uint32_t) override { return true; }
  std::string id_;
};

}  // namespace

SlaClock::SlaClock(const Charter& charter, std::string_view id) {
  auto p = std::make_shared<Impl>();
  p->charter = charter;
  p->sla = p->charter.sla(id);
  p->names = std::make_shared<detail::Names>(p->charter);
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
  OneRecord record;
  if (!events.empty()) record.id_ = events.front().record;
  std::vector<SlaItem> out;
  SlaReportOptions opt;
  opt.as_of = as_of;
  detail::Meter meter(
      c.charter, *c.names, opt, record, [&](const Sla&, SlaItem&& it) { out.push_back(std::move(it)); }, c.sla);
  detail::measure_events(
      events, *c.names, as_of.time_since_epoch().count(), [](const Event&) { return 0u; }, meter);
  meter.finish();
  std::stable_sort(out.begin(), out.end(), [](const SlaItem& a, const SlaItem& b) { return a.start < b.start; });
  return out;
}

}  // namespace charter

// The resolved, merged model as JSON, for tools written in other languages.
#include <charter/render.hpp>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>

namespace charter {

using nlohmann::ordered_json;

namespace {

std::string date_text(const Date& d) {
  char buf[16];
  if (d.year == 0)
    std::snprintf(buf, sizeof buf, "%02d-%02d", d.month, d.day);
  else
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}
std::string dur_text(const Duration& d) { return std::to_string(d.amount) + d.unit; }
std::string pct_text(double f) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g%%", f * 100.0);
  return buf;
}

void put_ext(ordered_json& j, const Extensions& e) {
  for (const auto& [k, v] : e) j[k] = ordered_json::parse(v, nullptr, false);
}
template <class T>
void opt(ordered_json& j, const char* k, const T& v) {
  if (!v.empty()) j[k] = v;
}
ordered_json expr_json(const Expression& e) { return e.text; }

ordered_json event_json(const EventMatch& m) {
  ordered_json j = ordered_json::object();
  if (!m.stage.empty()) j["stage"] = m.stage;
  if (!m.activity.empty()) j["activity"] = m.activity;
  return j;
}

}  // namespace

void export_json(std::ostream& out, const Charter& c) {
  ordered_json j;
  j["charter"] = 1;
  const auto& org = c.organization();
  ordered_json o;
  o["name"] = org.name;
  o["locale"] = org.locale;
  o["locales"] = org.locales;
  o["timezone"] = org.timezone;
  o["fiscal_year_start"] = org.fiscal_year_start;
  o["max_meeting_interval"] = dur_text(org.max_meeting_interval);
  put_ext(o, org.extensions);
  j["organization"] = o;
  j["files"] = std::vector<std::string>(c.files().begin(), c.files().end());
  ordered_json teams = ordered_json::array();
  for (const auto& t : c.teams()) {
    ordered_json x{{"id", t.id}, {"name", t.name}};
    opt(x, "contact", t.contact);
    opt(x, "description", t.description);
    put_ext(x, t.extensions);
    teams.push_back(x);
  }
  j["teams"] = teams;
  ordered_json gl = ordered_json::array();
  for (const auto& t : c.glossary()) {
    ordered_json x{{"id", t.id}, {"term", t.term}, {"status", to_string(t.status)}};
    opt(x, "abbreviation", t.abbreviation);
    opt(x, "definition", t.definition);
    opt(x, "owner", t.owner);
    x["aliases"] = t.aliases;
    x["avoid"] = t.avoid;
    opt(x, "broader", t.broader);
    x["related"] = t.related;
    opt(x, "replaced_by", t.replaced_by);
    x["examples"] = t.examples;
    ordered_json tr = ordered_json::object();
    for (const auto& l : t.translations) {
      ordered_json y{{"term", l.term}};
      opt(y, "definition", l.definition);
      y["aliases"] = l.aliases;
      y["avoid"] = l.avoid;
      tr[l.locale] = y;
    }
    x["translations"] = tr;
    put_ext(x, t.extensions);
    gl.push_back(x);
  }
  j["glossary"] = gl;
  ordered_json fields = ordered_json::array();
  for (const auto& f : c.fields()) {
    ordered_json x{{"id", f.id}, {"type", to_string(f.type)}};
    opt(x, "term", f.term);
    opt(x, "description", f.description);
    x["values"] = f.values;
    x["source"] = f.source;
    put_ext(x, f.extensions);
    fields.push_back(x);
  }
  j["fields"] = fields;
  ordered_json scores = ordered_json::array();
  for (const auto& s : c.scores()) {
    ordered_json x{{"id", s.id}};
    ordered_json rules = ordered_json::array();
    for (const auto& r : s.rules) rules.push_back({{"when", expr_json(r.when)}, {"points", r.points}});
    x["rules"] = rules;
    if (s.max) x["max"] = *s.max;
    opt(x, "term", s.term);
    opt(x, "description", s.description);
    put_ext(x, s.extensions);
    scores.push_back(x);
  }
  j["scores"] = scores;
  ordered_json crit = ordered_json::array();
  for (const auto& k : c.criteria()) {
    ordered_json x{{"id", k.id}, {"when", expr_json(k.when)}};
    opt(x, "term", k.term);
    opt(x, "description", k.description);
    put_ext(x, k.extensions);
    crit.push_back(x);
  }
  j["criteria"] = crit;
  ordered_json stages = ordered_json::array();
  for (const auto& s : c.funnel().stages) {
    ordered_json x{{"id", s.id}};
    opt(x, "name", s.name);
    opt(x, "owner", s.owner);
    opt(x, "term", s.term);
    opt(x, "description", s.description);
    if (s.entry) x["entry"] = expr_json(*s.entry);
    x["source"] = s.source;
    put_ext(x, s.extensions);
    stages.push_back(x);
  }
  ordered_json exits = ordered_json::array();
  for (const auto& e : c.funnel().exits) {
    ordered_json x{{"id", e.id}};
    opt(x, "name", e.name);
    opt(x, "description", e.description);
    x["reasons"] = e.reasons;
    put_ext(x, e.extensions);
    exits.push_back(x);
  }
  ordered_json funnel{{"stages", stages}, {"exits", exits}, {"recycle_to", c.funnel().recycle_to}};
  put_ext(funnel, c.funnel().extensions);
  j["funnel"] = funnel;
  ordered_json cals = ordered_json::array();
  static const char* days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  for (const auto& cal : c.calendars()) {
    ordered_json x{{"id", cal.id}, {"timezone", cal.timezone}};
    opt(x, "name", cal.name);
    ordered_json hours = ordered_json::object();
    for (int d = 0; d < 7; ++d) {
      ordered_json ivs = ordered_json::array();
      for (const auto& iv : cal.hours[static_cast<std::size_t>(d)]) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%02d:%02d-%02d:%02d", iv.start / 60, iv.start % 60, iv.end / 60, iv.end % 60);
        ivs.push_back(buf);
      }
      hours[days[d]] = ivs;
    }
    x["hours"] = hours;
    ordered_json hol = ordered_json::array();
    for (const auto& h : cal.holidays) {
      if (h.kind == Holiday::Kind::Day)
        hol.push_back(date_text(h.from));
      else if (h.kind == Holiday::Kind::Range)
        hol.push_back({{"from", date_text(h.from)}, {"to", date_text(h.to)}});
      else
        hol.push_back({{"every_year", date_text(h.from)}});
    }
    x["holidays"] = hol;
    put_ext(x, cal.extensions);
    cals.push_back(x);
  }
  j["calendars"] = cals;
  ordered_json slas = ordered_json::array();
  for (const auto& s : c.slas()) {
    ordered_json x{{"id", s.id}, {"type", to_string(s.type)}, {"provider", s.provider}, {"customer", s.customer}};
    opt(x, "name", s.name);
    opt(x, "description", s.description);
    if (!s.start.empty()) x["start"] = event_json(s.start);
    if (!s.stop.empty()) x["stop"] = event_json(s.stop);
    if (!s.count.empty()) x["count"] = event_json(s.count);
    if (!s.activity.empty()) x["activity"] = s.activity;
    if (s.at_least)
      x["at_least"] = s.type == SlaType::Conversion ? ordered_json(pct_text(*s.at_least)) : ordered_json(*s.at_least);
    opt(x, "from", s.from);
    opt(x, "to", s.to);
    if (s.within) x["within"] = dur_text(*s.within);
    opt(x, "calendar", s.calendar);
    if (s.warn_at) x["warn_at"] = pct_text(*s.warn_at);
    if (s.objective) x["objective"] = pct_text(*s.objective);
    if (s.period) x["period"] = to_string(*s.period);
    if (s.applies_to) x["applies_to"] = expr_json(*s.applies_to);
    put_ext(x, s.extensions);
    slas.push_back(x);
  }
  j["slas"] = slas;
  ordered_json goals = ordered_json::array();
  for (const auto& g : c.goals()) {
    ordered_json x{{"id", g.id}, {"period", {{"from", date_text(g.from)}, {"to", date_text(g.to)}}}};
    opt(x, "name", g.name);
    if (g.revenue) x["revenue"] = *g.revenue;
    opt(x, "currency", g.currency);
    if (g.marketing_share) x["marketing_share"] = pct_text(*g.marketing_share);
    if (g.average_deal) x["average_deal"] = *g.average_deal;
    if (g.sales_cycle) x["sales_cycle"] = dur_text(*g.sales_cycle);
    ordered_json conv = ordered_json::object();
    for (const auto& [k, v] : g.conversion) conv[k] = pct_text(v);
    x["conversion"] = conv;
    put_ext(x, g.extensions);
    goals.push_back(x);
  }
  j["goals"] = goals;
  ordered_json meetings = ordered_json::array();
  for (const auto& m : c.meetings()) {
    ordered_json x{{"id", m.id}};
    opt(x, "name", m.name);
    if (m.every) x["every"] = dur_text(*m.every);
    x["attendees"] = m.attendees;
    x["agenda"] = m.agenda;
    put_ext(x, m.extensions);
    meetings.push_back(x);
  }
  j["meetings"] = meetings;
  ordered_json lint{{"paths", c.lint().paths}, {"exclude", c.lint().exclude}};
  ordered_json langs = ordered_json::object();
  for (const auto& [g, l] : c.lint().languages) langs[g] = l;
  lint["languages"] = langs;
  put_ext(lint, c.lint().extensions);
  j["lint"] = lint;
  put_ext(j, c.extensions());
  out << j.dump(2, ' ', false, ordered_json::error_handler_t::replace) << "\n";
}

}  // namespace charter

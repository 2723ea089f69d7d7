// Source tree -> model, one function per section. Structure checks happen here; the
// semantic rules that need the whole merged charter are in src/check.
#include <algorithm>

#include "load/reader.hpp"
#include "load/sections.hpp"
#include "util/text.hpp"

namespace charter::detail {

using yaml::Kind;
using yaml::kNone;

namespace {

void set_str(Ctx& c, Obj& o, std::string_view key, std::string_view& out) {
  if (auto n = o.get(key); n != kNone)
    if (auto s = c.str(n)) out = *s;
}
void set_id(Ctx& c, Obj& o, std::string_view key, std::string_view& out) {
  if (auto n = o.get(key); n != kNone)
    if (auto s = c.id(n)) out = *s;
}
void set_strs(Ctx& c, Obj& o, std::string_view key, std::vector<std::string_view>& out) {
  if (auto n = o.get(key); n != kNone) out = c.str_list(n);
}
void set_ids(Ctx& c, Obj& o, std::string_view key, std::vector<std::string_view>& out) {
  if (auto n = o.get(key); n != kNone) out = c.id_list(n);
}
// `x-` keys inside map-valued settings (hours, translations, source, conversion, languages)
// are extensions of the owning object: kept there, never read as data.
bool extension(Ctx& c, std::uint32_t k, std::uint32_t v, Extensions* ext) {
  if (!c.val(k).starts_with("x-")) return false;
  if (ext) ext->emplace(c.val(k), c.impl.own(c.to_json(v)));
  return true;
}

std::map<std::string_view, std::string_view> str_map(Ctx& c, std::uint32_t n, Extensions* ext) {
  std::map<std::string_view, std::string_view> out;
  for (auto [k, v] : c.pairs(n)) {
    if (extension(c, k, v, ext)) continue;
    if (auto s = c.str(v)) out[c.val(k)] = *s;
  }
  return out;
}

// Items of a section list: each must be a mapping; `fn` reads one.
template <class Fn>
void each_item(Ctx& c, std::uint32_t list, const char* what, Fn fn) {
  for (auto item : c.seq(list))
    if (c.is_map(item, what)) fn(item);
}

// Sizes the section's vector once, so a large charter's model is not copied as it grows.
template <class T>
void reserve(Ctx& c, std::uint32_t n, std::vector<T>& v) {
  if (c.node(n).kind == Kind::Sequence) v.reserve(v.size() + c.node(n).size);
}

Expression expr(Ctx& c, std::uint32_t n) {
  Expression e;
  e.where = c.ref(n);
  if (auto s = c.str(n))
    e.text = *s;
  else
    e.where = SourceRef{};  // reported; nothing to parse
  return e;
}

}  // namespace

void read_organization(Ctx& c, std::uint32_t n) {
  if (!c.is_map(n, "the organization")) return;
  auto& org = c.impl.organization;
  if (c.impl.has_organization) {
    auto& d = c.error(Code::SectionRedefined, c.t.key_of(n), "`organization` is defined in more than one file",
                      "defined again here");
    d.related.push_back({c.impl.span(org.where), "first defined here"});
    return;
  }
  c.impl.has_organization = true;
  org.where = c.ref(n);
  Obj o(c, n, {"name", "locale", "locales", "timezone", "fiscal_year_start", "max_meeting_interval"}, &org.extensions);
  if (auto v = o.need("name", "organization"); v != kNone)
    if (auto s = c.str(v)) org.name = *s;
  if (auto v = o.get("locale"); v != kNone)
    if (auto s = c.locale(v)) org.locale = *s;
  if (auto v = o.get("locales"); v != kNone)
    for (auto item : c.seq(v))
      if (auto s = c.locale(item)) org.locales.push_back(*s);
  if (std::find(org.locales.begin(), org.locales.end(), org.locale) == org.locales.end())
    org.locales.insert(org.locales.begin(), org.locale);
  set_str(c, o, "timezone", org.timezone);
  if (auto v = o.get("fiscal_year_start"); v != kNone)
    if (auto i = c.integer(v)) {
      if (*i < 1 || *i > 12)
        c.error(Code::InvalidValue, v, "`fiscal_year_start` is a month, 1 to 12", "not a month");
      else
        org.fiscal_year_start = static_cast<int>(*i);
    }
  if (auto v = o.get("max_meeting_interval"); v != kNone)
    if (auto d = c.duration(v)) org.max_meeting_interval = *d;
}

void read_teams(Ctx& c, std::uint32_t n) {
  reserve(c, n, c.impl.teams);
  each_item(c, n, "a team", [&](std::uint32_t item) {
    Team t;
    t.where = c.ref(item);
    Obj o(c, item, {"id", "name", "contact", "description"}, &t.extensions);
    auto idn = o.need("id", "a team");
    if (auto v = o.need("name", "a team"); v != kNone)
      if (auto s = c.str(v)) t.name = *s;
    set_str(c, o, "contact", t.contact);
    set_str(c, o, "description", t.description);
    if (idn == kNone) return;
    if (auto s = c.id(idn))
      t.id = *s;
    else
      return;
    c.impl.teams.push_back(std::move(t));
  });
}

static std::optional<TermStatus> status_of(Ctx& c, std::uint32_t n) {
  auto s = c.str(n);
  if (!s) return std::nullopt;
  if (*s == "draft") return TermStatus::Draft;
  if (*s == "approved") return TermStatus::Approved;
  if (*s == "deprecated") return TermStatus::Deprecated;
  auto& d = c.error(Code::InvalidValue, n, "unknown status `" + *s + "`", "draft, approved or deprecated");
  suggest(d, *s, {"draft", "approved", "deprecated"});
  return std::nullopt;
}

void read_glossary(Ctx& c, std::uint32_t n) {
  reserve(c, n, c.impl.glossary);
  each_item(c, n, "a glossary term", [&](std::uint32_t item) {
    Term t;
    t.where = c.ref(item);
    Obj o(c, item,
          {"id", "term", "abbreviation", "definition", "status", "owner", "aliases", "avoid", "broader", "related",
           "replaced_by", "examples", "translations"},
          &t.extensions);
    auto idn = o.need("id", "a glossary term");
    if (auto v = o.need("term", "a glossary term"); v != kNone)
      if (auto s = c.str(v)) t.term = *s;
    set_str(c, o, "abbreviation", t.abbreviation);
    set_str(c, o, "definition", t.definition);
    if (auto v = o.get("status"); v != kNone)
      if (auto s = status_of(c, v)) t.status = *s;
    set_id(c, o, "owner", t.owner);
    set_strs(c, o, "aliases", t.aliases);
    set_strs(c, o, "avoid", t.avoid);
    set_id(c, o, "broader", t.broader);
    set_ids(c, o, "related", t.related);
    set_id(c, o, "replaced_by", t.replaced_by);
    set_strs(c, o, "examples", t.examples);
    if (auto v = o.get("translations"); v != kNone) {
      for (auto [k, tv] : c.pairs(v)) {
        if (extension(c, k, tv, &t.extensions)) continue;
        Translation tr;
        tr.where = c.ref(tv);
        auto loc = c.locale(k);
        if (!loc) continue;
        tr.locale = *loc;
        if (!c.is_map(tv, "a translation")) continue;
        Obj to(c, tv, {"term", "definition", "aliases", "avoid"}, nullptr);
        if (auto tn = to.need("term", "a translation"); tn != kNone)
          if (auto s = c.str(tn)) tr.term = *s;
        set_str(c, to, "definition", tr.definition);
        set_strs(c, to, "aliases", tr.aliases);
        set_strs(c, to, "avoid", tr.avoid);
        t.translations.push_back(std::move(tr));
      }
    }
    if (idn == kNone) return;
    if (auto s = c.id(idn))
      t.id = *s;
    else
      return;
    c.impl.glossary.push_back(std::move(t));
  });
}

void read_fields(Ctx& c, std::uint32_t n) {
  reserve(c, n, c.impl.fields);
  static const std::vector<std::string> types = {"integer", "number", "string", "boolean", "date", "datetime", "list"};
  each_item(c, n, "a field", [&](std::uint32_t item) {
    Field f;
    f.where = c.ref(item);
    Obj o(c, item, {"id", "type", "term", "description", "values", "source"}, &f.extensions);
    auto idn = o.need("id", "a field");
    if (auto v = o.need("type", "a field"); v != kNone) {
      if (auto s = c.str(v)) {
        auto it = std::find(types.begin(), types.end(), *s);
        if (it == types.end()) {
          auto& d = c.error(Code::InvalidValue, v, "unknown field type `" + *s + "`",
                            "integer, number, string, boolean, date, datetime or list");
          suggest(d, *s, types);
        } else {
          f.type = static_cast<FieldType>(it - types.begin());
        }
      }
    }
    set_id(c, o, "term", f.term);
    set_str(c, o, "description", f.description);
    set_strs(c, o, "values", f.values);
    if (auto v = o.get("source"); v != kNone) f.source = str_map(c, v, &f.extensions);
    if (idn == kNone) return;
    if (auto s = c.id(idn))
      f.id = *s;
    else
      return;
    c.impl.fields.push_back(std::move(f));
  });
}

void read_scores(Ctx& c, std::uint32_t n) {
  reserve(c, n, c.impl.scores);
  each_item(c, n, "a score", [&](std::uint32_t item) {
    Score s;
    s.where = c.ref(item);
    Obj o(c, item, {"id", "rules", "max", "term", "description"}, &s.extensions);
    auto idn = o.need("id", "a score");
    if (auto v = o.need("rules", "a score"); v != kNone) {
      each_item(c, v, "a score rule", [&](std::uint32_t r) {
        ScoreRule rule;
        rule.where = c.ref(r);
        Obj ro(c, r, {"when", "points"}, nullptr);
        if (auto w = ro.need("when", "a score rule"); w != kNone) rule.when = expr(c, w);
        if (auto p = ro.need("points", "a score rule"); p != kNone)
          if (auto x = c.number(p)) rule.points = *x;
        s.rules.push_back(std::move(rule));
      });
    }
    if (auto v = o.get("max"); v != kNone) s.max = c.number(v);
    set_id(c, o, "term", s.term);
    set_str(c, o, "description", s.description);
    if (idn == kNone) return;
    if (auto x = c.id(idn))
      s.id = *x;
    else
      return;
    c.impl.scores.push_back(std::move(s));
  });
}

void read_criteria(Ctx& c, std::uint32_t n) {
  reserve(c, n, c.impl.criteria);
  each_item(c, n, "a criteria", [&](std::uint32_t item) {
    Criteria k;
    k.where = c.ref(item);
    Obj o(c, item, {"id", "when", "term", "description"}, &k.extensions);
    auto idn = o.need("id", "a criteria");
    if (auto w = o.need("when", "a criteria"); w != kNone) k.when = expr(c, w);
    set_id(c, o, "term", k.term);
    set_str(c, o, "description", k.description);
    if (idn == kNone) return;
    if (auto x = c.id(idn))
      k.id = *x;
    else
      return;
    c.impl.criteria.push_back(std::move(k));
  });
}

void read_funnel(Ctx& c, std::uint32_t n) {
  if (!c.is_map(n, "the funnel")) return;
  auto& f = c.impl.funnel;
  if (c.impl.has_funnel) {
    auto& d = c.error(Code::SectionRedefined, c.t.key_of(n), "`funnel` is defined in more than one file",
                      "defined again here");
    d.related.push_back({c.impl.span(f.where), "first defined here"});
    return;
  }
  c.impl.has_funnel = true;
  f.where = c.ref(n);
  Obj o(c, n, {"stages", "exits", "recycle_to"}, &f.extensions);
  if (auto v = o.need("stages", "the funnel"); v != kNone) {
    each_item(c, v, "a stage", [&](std::uint32_t item) {
      Stage s;
      s.where = c.ref(item);
      Obj so(c, item, {"id", "name", "owner", "term", "description", "entry", "source"}, &s.extensions);
      auto idn = so.need("id", "a stage");
      set_str(c, so, "name", s.name);
      set_id(c, so, "owner", s.owner);
      set_id(c, so, "term", s.term);
      set_str(c, so, "description", s.description);
      if (auto e = so.get("entry"); e != kNone) s.entry = expr(c, e);
      if (auto e = so.get("source"); e != kNone) s.source = str_map(c, e, &s.extensions);
      if (idn == kNone) return;
      if (auto x = c.id(idn))
        s.id = *x;
      else
        return;
      f.stages.push_back(std::move(s));
    });
  }
  if (auto v = o.get("exits"); v != kNone) {
    each_item(c, v, "an exit", [&](std::uint32_t item) {
      Exit e;
      e.where = c.ref(item);
      Obj eo(c, item, {"id", "name", "description", "reasons"}, &e.extensions);
      auto idn = eo.need("id", "an exit");
      set_str(c, eo, "name", e.name);
      set_str(c, eo, "description", e.description);
      set_ids(c, eo, "reasons", e.reasons);
      if (idn == kNone) return;
      if (auto x = c.id(idn))
        e.id = *x;
      else
        return;
      f.exits.push_back(std::move(e));
    });
  }
  set_id(c, o, "recycle_to", f.recycle_to);
}

// "09:00" -> minutes; 24:00 allowed only as an end.
static std::optional<int> hhmm(std::string_view s, bool end) {
  if (s.size() != 5 || s[2] != ':' || !std::isdigit(static_cast<unsigned char>(s[0])) ||
      !std::isdigit(static_cast<unsigned char>(s[1])) || !std::isdigit(static_cast<unsigned char>(s[3])) ||
      !std::isdigit(static_cast<unsigned char>(s[4])))
    return std::nullopt;
  int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59) return std::nullopt;
  if (h == 24 && m == 0 && end) return 1440;
  if (h > 23) return std::nullopt;
  return h * 60 + m;
}

static std::string trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

static const char* kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

static int day_of(std::string_view s) {
  for (int i = 0; i < 7; ++i)
    if (s == kDays[i]) return i;
  return -1;
}

void read_calendars(Ctx& c, std::uint32_t n) {
  reserve(c, n, c.impl.calendars);
  each_item(c, n, "a calendar", [&](std::uint32_t item) {
    Calendar cal;
    cal.where = c.ref(item);
    Obj o(c, item, {"id", "name", "timezone", "hours", "holidays"}, &cal.extensions);
    auto idn = o.need("id", "a calendar");
    set_str(c, o, "name", cal.name);
    if (auto v = o.need("timezone", "a calendar"); v != kNone)
      if (auto s = c.str(v)) cal.timezone = *s;
    // Which key set each day, to point at both when two ranges overlap.
    std::array<std::vector<std::pair<OpenInterval, std::uint32_t>>, 7> seen;
    bool hours_ok = true;
    if (auto h = o.need("hours", "a calendar"); h != kNone) {
      for (auto [k, v] : c.pairs(h)) {
        if (extension(c, k, v, &cal.extensions)) continue;
        std::string key(c.val(k));
        int d1, d2;
        auto dash = key.find('-');
        if (dash == std::string::npos)
          d1 = d2 = day_of(key);
        else {
          d1 = day_of(key.substr(0, dash));
          d2 = day_of(key.substr(dash + 1));
        }
        if (d1 < 0 || d2 < 0 || d2 < d1) {
          auto& d = c.error(Code::MalformedHours, k, "`" + key + "` is not a day or a range of days",
                            "expected mon..sun or a range like mon-fri");
          std::vector<std::string> cands = {"mon", "tue", "wed", "thu", "fri", "sat", "sun", "mon-fri", "sat-sun"};
          suggest(d, key, cands);
          hours_ok = false;
          continue;
        }
        std::vector<std::pair<std::string, std::uint32_t>> texts;
        if (c.node(v).kind == Kind::Sequence) {
          for (auto it : c.seq(v))
            if (auto s = c.str(it)) texts.emplace_back(*s, it);
        } else if (auto s = c.str(v)) {
          texts.emplace_back(*s, v);
        }
        for (auto& [text, node] : texts) {
          std::size_t b = 0;
          while (b <= text.size()) {
            std::size_t e = text.find(',', b);
            if (e == std::string::npos) e = text.size();
            std::string part = trim(std::string_view(text).substr(b, e - b));
            b = e + 1;
            auto dash2 = part.find('-');
            std::optional<int> s1, s2;
            if (dash2 != std::string::npos) {
              s1 = hhmm(trim(part.substr(0, dash2)), false);
              s2 = hhmm(trim(part.substr(dash2 + 1)), true);
            }
            if (!s1 || !s2 || *s2 <= *s1) {
              c.error(Code::MalformedHours, node,
                      part.empty() ? "empty opening-hours interval" : "malformed opening hours `" + part + "`",
                      s1 && s2 ? "the end must be after the start" : "expected HH:MM-HH:MM, e.g. 09:00-17:30");
              hours_ok = false;
              continue;
            }
            for (int d = d1; d <= d2; ++d) {
              OpenInterval iv{*s1, *s2};
              for (auto& [o2, n2] : seen[static_cast<std::size_t>(d)]) {
                if (iv.start < o2.end && o2.start < iv.end) {
                  auto& dg = c.error(Code::OverlappingHours, node, std::string("opening hours overlap on ") + kDays[d],
                                     "overlaps");
                  if (n2 != node) dg.related.push_back({c.impl.span_of_node(c.file, n2), "overlapping interval"});
                  hours_ok = false;
                }
              }
              seen[static_cast<std::size_t>(d)].push_back({iv, node});
              cal.hours[static_cast<std::size_t>(d)].push_back(iv);
            }
          }
        }
      }
      long total = 0;
      for (auto& day : cal.hours) {
        std::sort(day.begin(), day.end(), [](auto& a, auto& b) { return a.start < b.start; });
        for (auto& iv : day) total += iv.end - iv.start;
      }
      if (hours_ok && total == 0)
        c.error(Code::NoOpenTime, h, "the calendar has no open time in the week", "no open hours");
    }
    if (auto hv = o.get("holidays"); hv != kNone) {
      for (auto it : c.seq(hv)) {
        Holiday hol;
        hol.where = c.ref(it);
        if (c.node(it).kind == Kind::Scalar) {
          if (auto d = c.date(it)) {
            hol.kind = Holiday::Kind::Day;
            hol.from = hol.to = *d;
            cal.holidays.push_back(hol);
          }
          continue;
        }
        if (!c.is_map(it, "a holiday")) continue;
        Obj ho(c, it, {"from", "to", "every_year", "name"}, nullptr);
        set_str(c, ho, "name", hol.name);
        if (auto ev = ho.get("every_year"); ev != kNone) {
          if (ho.has("from") || ho.has("to")) {
            c.error(Code::InvalidValue, it, "a holiday is either `every_year` or a `from`/`to` range, not both");
            continue;
          }
          if (auto s = c.str(ev)) {
            Date d;
            if (!parse_date("2000-" + *s, d)) {
              c.error(Code::InvalidFormat, ev, "invalid yearly date `" + *s + "`", "expected MM-DD, e.g. 12-25");
              continue;
            }
            hol.kind = Holiday::Kind::EveryYear;
            hol.from = hol.to = Date{0, d.month, d.day};
            cal.holidays.push_back(hol);
          }
          continue;
        }
        auto fn = ho.need("from", "a holiday range");
        auto tn = ho.need("to", "a holiday range");
        if (fn == kNone || tn == kNone) continue;
        auto f = c.date(fn);
        auto t = c.date(tn);
        if (!f || !t) continue;
        if (std::tie(f->year, f->month, f->day) > std::tie(t->year, t->month, t->day)) {
          auto& d =
              c.error(Code::ReversedHolidayRange, it, "holiday range ends before it starts", "`from` is after `to`");
          d.related.push_back({c.impl.span_of_node(c.file, tn), "ends here"});
          continue;
        }
        hol.kind = Holiday::Kind::Range;
        hol.from = *f;
        hol.to = *t;
        cal.holidays.push_back(hol);
      }
    }
    if (idn == kNone) return;
    if (auto x = c.id(idn))
      cal.id = *x;
    else
      return;
    c.impl.calendars.push_back(std::move(cal));
  });
}

static void event_match(Ctx& c, std::uint32_t n, EventMatch& m) {
  if (!c.is_map(n, "an event (`stage:` or `activity:`)")) return;
  m.where = c.ref(n);
  Obj o(c, n, {"stage", "activity"}, nullptr);
  set_id(c, o, "stage", m.stage);
  if (auto a = o.get("activity"); a != kNone) {
    if (c.node(a).kind == Kind::Scalar) {
      if (auto s = c.str(a)) m.activity.push_back(*s);
    } else {
      m.activity = c.str_list(a);
    }
  }
  if (o.has("stage") && o.has("activity"))
    c.error(Code::InvalidValue, n, "an event is either `stage` or `activity`, not both", "both given");
  else if (!o.has("stage") && !o.has("activity"))
    c.error(Code::MissingKey, n, "an event needs `stage` or `activity`", "empty event");
}

void read_slas(Ctx& c, std::uint32_t n) {
  reserve(c, n, c.impl.slas);
  static const std::vector<std::string> types = {"response", "attempts", "volume", "conversion"};
  static const std::vector<std::string> periods = {"week", "month", "quarter", "year"};
  each_item(c, n, "an SLA", [&](std::uint32_t item) {
    Sla s;
    s.where = c.ref(item);
    Obj o(c, item,
          {"id", "name", "description", "provider", "customer", "type", "start", "stop", "count", "activity",
           "at_least", "from", "to", "within", "calendar", "warn_at", "objective", "period", "applies_to"},
          &s.extensions);
    auto idn = o.need("id", "an SLA");
    set_str(c, o, "name", s.name);
    set_str(c, o, "description", s.description);
    if (auto v = o.need("provider", "an SLA"); v != kNone)
      if (auto x = c.id(v)) s.provider = *x;
    if (auto v = o.need("customer", "an SLA"); v != kNone)
      if (auto x = c.id(v)) s.customer = *x;
    bool typed = false;
    if (auto v = o.need("type", "an SLA"); v != kNone) {
      if (auto x = c.str(v)) {
        auto it = std::find(types.begin(), types.end(), *x);
        if (it == types.end()) {
          auto& d = c.error(Code::InvalidValue, v, "unknown SLA type `" + *x + "`",
                            "response, attempts, volume or conversion");
          suggest(d, *x, types);
        } else {
          s.type = static_cast<SlaType>(it - types.begin());
          typed = true;
        }
      }
    }
    if (auto v = o.get("start"); v != kNone) event_match(c, v, s.start);
    if (auto v = o.get("stop"); v != kNone) event_match(c, v, s.stop);
    if (auto v = o.get("count"); v != kNone) event_match(c, v, s.count);
    if (auto v = o.get("activity"); v != kNone) s.activity = c.str_list(v);
    if (auto v = o.get("at_least"); v != kNone) {
      if (typed && s.type == SlaType::Conversion)
        s.at_least = c.percent(v);
      else if (typed) {
        if (auto x = c.number(v)) {
          if (*x < 0)
            c.error(Code::InvalidValue, v, "`at_least` cannot be negative", "negative");
          else
            s.at_least = *x;
        }
      }
    }
    set_id(c, o, "from", s.from);
    set_id(c, o, "to", s.to);
    if (auto v = o.get("within"); v != kNone) s.within = c.duration(v);
    set_id(c, o, "calendar", s.calendar);
    if (auto v = o.get("warn_at"); v != kNone) s.warn_at = c.percent(v);
    if (auto v = o.get("objective"); v != kNone) s.objective = c.percent(v);
    if (auto v = o.get("period"); v != kNone) {
      if (auto x = c.str(v)) {
        auto it = std::find(periods.begin(), periods.end(), *x);
        if (it == periods.end()) {
          auto& d = c.error(Code::InvalidValue, v, "unknown period `" + *x + "`", "week, month, quarter or year");
          suggest(d, *x, periods);
        } else {
          s.period = static_cast<Period>(it - periods.begin());
        }
      }
    }
    if (auto v = o.get("applies_to"); v != kNone) s.applies_to = expr(c, v);

    if (typed) {
      static const std::vector<std::vector<std::string_view>> needs = {{"start", "stop", "within"},
                                                                       {"start", "activity", "at_least", "within"},
                                                                       {"count", "at_least", "period"},
                                                                       {"from", "to", "at_least"}};
      static const std::vector<std::vector<std::string_view>> forbidden = {
          {"activity", "at_least", "count", "from", "to"},
          {"stop", "count", "from", "to"},
          {"start", "stop", "activity", "from", "to", "within", "warn_at", "calendar"},
          {"start", "stop", "count", "activity", "calendar", "warn_at"}};
      auto ti = static_cast<std::size_t>(s.type);
      for (auto k : needs[ti])
        if (!o.has(k))
          c.error(Code::SlaMissingField, item,
                  std::string("an SLA of type `") + to_string(s.type) + "` needs `" + std::string(k) + "`",
                  "`" + std::string(k) + "` missing");
      for (auto k : forbidden[ti])
        if (auto v = o.get(k); v != kNone)
          c.error(Code::SlaFieldNotApplicable, c.t.key_of(v),
                  "`" + std::string(k) + "` has no meaning for an SLA of type `" + to_string(s.type) + "`",
                  "not used by this type");
    }
    if (idn == kNone) return;
    if (auto x = c.id(idn))
      s.id = *x;
    else
      return;
    c.impl.slas.push_back(std::move(s));
  });
}

void read_goals(Ctx& c, std::uint32_t n) {
  reserve(c, n, c.impl.goals);
  each_item(c, n, "a goal", [&](std::uint32_t item) {
    Goal g;
    g.where = c.ref(item);
    Obj o(
        c, item,
        {"id", "name", "period", "revenue", "currency", "marketing_share", "average_deal", "sales_cycle", "conversion"},
        &g.extensions);
    auto idn = o.need("id", "a goal");
    set_str(c, o, "name", g.name);
    if (auto p = o.need("period", "a goal"); p != kNone && c.is_map(p, "a period")) {
      Obj po(c, p, {"from", "to"}, nullptr);
      auto fn = po.need("from", "a goal period");
      auto tn = po.need("to", "a goal period");
      std::optional<Date> f, t;
      if (fn != kNone) f = c.date(fn);
      if (tn != kNone) t = c.date(tn);
      if (f) g.from = *f;
      if (t) g.to = *t;
      if (f && t && std::tie(f->year, f->month, f->day) > std::tie(t->year, t->month, t->day)) {
        auto& d = c.error(Code::ReversedPeriod, p, "the goal's period ends before it starts", "`from` is after `to`");
        d.related.push_back({c.impl.span_of_node(c.file, tn), "ends here"});
      }
    }
    if (auto v = o.get("revenue"); v != kNone) {
      g.revenue = c.number(v);
      if (g.revenue && *g.revenue <= 0) {
        c.error(Code::InvalidValue, v, "`revenue` must be greater than zero", "not positive");
        g.revenue.reset();
      }
    }
    if (auto v = o.get("currency"); v != kNone) {
      if (auto s = c.str(v)) {
        bool ok = s->size() == 3 && std::all_of(s->begin(), s->end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
        if (!ok)
          c.error(Code::InvalidFormat, v, "malformed currency `" + *s + "`", "an ISO 4217 code like USD or EUR");
        else
          g.currency = *s;
      }
    }
    if (auto v = o.get("marketing_share"); v != kNone) g.marketing_share = c.percent(v);
    if (auto v = o.get("average_deal"); v != kNone) {
      g.average_deal = c.number(v);
      if (g.average_deal && *g.average_deal <= 0) {
        c.error(Code::InvalidValue, v, "`average_deal` must be greater than zero", "not positive");
        g.average_deal.reset();
      }
    }
    if (auto v = o.get("sales_cycle"); v != kNone) g.sales_cycle = c.duration(v);
    if (auto v = o.get("conversion"); v != kNone)
      for (auto [k, pv] : c.pairs(v)) {
        if (extension(c, k, pv, &g.extensions)) continue;
        if (auto p = c.percent(pv)) g.conversion.emplace_back(c.val(k), *p);
      }
    if (idn == kNone) return;
    if (auto x = c.id(idn))
      g.id = *x;
    else
      return;
    c.impl.goals.push_back(std::move(g));
  });
}

void read_meetings(Ctx& c, std::uint32_t n) {
  reserve(c, n, c.impl.meetings);
  each_item(c, n, "a meeting", [&](std::uint32_t item) {
    Meeting m;
    m.where = c.ref(item);
    Obj o(c, item, {"id", "name", "every", "attendees", "agenda"}, &m.extensions);
    auto idn = o.need("id", "a meeting");
    set_str(c, o, "name", m.name);
    if (auto v = o.need("every", "a meeting"); v != kNone) m.every = c.duration(v);
    set_ids(c, o, "attendees", m.attendees);
    set_strs(c, o, "agenda", m.agenda);
    if (idn == kNone) return;
    if (auto x = c.id(idn))
      m.id = *x;
    else
      return;
    c.impl.meetings.push_back(std::move(m));
  });
}

void read_lint(Ctx& c, std::uint32_t n) {
  if (!c.is_map(n, "the lint settings")) return;
  auto& l = c.impl.lint;
  if (c.impl.has_lint) {
    auto& d =
        c.error(Code::SectionRedefined, c.t.key_of(n), "`lint` is defined in more than one file", "defined again here");
    d.related.push_back({c.impl.span(l.where), "first defined here"});
    return;
  }
  c.impl.has_lint = true;
  l.where = c.ref(n);
  Obj o(c, n, {"paths", "exclude", "languages"}, &l.extensions);
  set_strs(c, o, "paths", l.paths);
  set_strs(c, o, "exclude", l.exclude);
  if (auto v = o.get("languages"); v != kNone)
    for (auto [k, lv] : c.pairs(v)) {
      if (extension(c, k, lv, &l.extensions)) continue;
      if (auto s = c.locale(lv)) l.languages.emplace_back(c.val(k), *s);
    }
}

}  // namespace charter::detail

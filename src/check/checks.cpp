// Semantic rules over the merged model: one small function per rule.
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

#include "load/impl.hpp"
#include "util/dates.hpp"
#include "util/goals.hpp"
#include "util/text.hpp"

namespace charter::detail {

bool valid_time_zone(const std::string& name);
std::vector<std::string> time_zone_names();

namespace {

struct Ctx {
  Charter::Impl& impl;
  Reporter& rep;
  const LoadOptions& opt;
  // Rules that are off by default run only when asked for (--strict or --warn CODE), and
  // disabled rules not at all: no cost for findings nobody will see.
  bool enabled(Code code) const {
    const CodeInfo& ci = info(code);
    std::string id(ci.code);
    if (std::find(opt.disable.begin(), opt.disable.end(), id) != opt.disable.end()) return false;
    return ci.enabled_by_default || opt.strict || std::find(opt.warn.begin(), opt.warn.end(), id) != opt.warn.end();
  }
};

std::string where_text(const Span& s) { return s.file + ":" + std::to_string(s.line) + ":" + std::to_string(s.column); }

// ---- duplicate ids ----------------------------------------------------------------
template <class T>
void duplicate_ids(Ctx& c, const std::vector<T>& items, const char* what,
                   std::unordered_map<std::string_view, SourceRef>& seen) {
  for (const auto& it : items) {
    auto [pos, inserted] = seen.emplace(it.id, it.where);
    if (inserted) continue;
    auto& d = c.rep.add(Code::DuplicateId, c.impl.span_key(it.where, "id"),
                        std::string("duplicate ") + what + " id `" + it.id + "`", "defined again here");
    d.related.push_back({c.impl.span_key(pos->second, "id"), "first defined here"});
  }
}

void check_duplicate_ids(Ctx& c) {
  auto& m = c.impl;
  std::unordered_map<std::string_view, SourceRef> a, b, f, s, cr, st, cal, sl, g, me;
  duplicate_ids(c, m.teams, "team", a);
  duplicate_ids(c, m.glossary, "term", b);
  duplicate_ids(c, m.fields, "field", f);
  duplicate_ids(c, m.scores, "score", s);
  duplicate_ids(c, m.criteria, "criteria", cr);
  duplicate_ids(c, m.funnel.stages, "stage", st);
  duplicate_ids(c, m.funnel.exits, "stage or exit", st);
  duplicate_ids(c, m.calendars, "calendar", cal);
  duplicate_ids(c, m.slas, "SLA", sl);
  duplicate_ids(c, m.goals, "goal", g);
  duplicate_ids(c, m.meetings, "meeting", me);
}

// ---- reserved ids -----------------------------------------------------------------
void check_reserved(Ctx& c) {
  static const std::set<std::string_view> reserved = {
      "id",   "stage", "now",   "and",     "or",      "not",      "in",          "is",
      "null", "true",  "false", "between", "matches", "contains", "starts_with", "ends_with"};
  auto check = [&](const auto& items, const char* what) {
    for (const auto& it : items)
      if (reserved.count(it.id))
        c.rep.add(Code::ReservedId, c.impl.span_key(it.where, "id"),
                  std::string("`") + it.id + "` is reserved and cannot name a " + what, "reserved word");
  };
  check(c.impl.fields, "field");
  check(c.impl.scores, "score");
  check(c.impl.criteria, "criteria");
}

// ---- references -------------------------------------------------------------------
struct RefKind {
  Code code;
  const char* what;
  std::function<bool(std::string_view)> exists;
  std::function<std::vector<std::string_view>()> ids;
  std::function<Span(std::string_view)> defined_at;
};

template <class T>
RefKind ref_kind(Ctx& c, Code code, const char* what, const std::vector<T>& items,
                 const std::unordered_map<std::string_view, std::size_t>& ix) {
  return RefKind{code, what, [&ix](std::string_view id) { return ix.count(id) > 0; },
                 [&items] {
                   std::vector<std::string_view> v;
                   for (auto& i : items) v.push_back(i.id);
                   return v;
                 },
                 [&c, &items, &ix](std::string_view id) {
                   auto it = ix.find(id);
                   return it == ix.end() ? Span{} : c.impl.span_key(items[it->second].where, "id");
                 }};
}

// `span` is only computed when the reference does not resolve (spans cost a source scan).
template <class SpanFn>
void unresolved(Ctx& c, const RefKind& k, std::string_view value, SpanFn span) {
  if (value.empty() || k.exists(value)) return;
  auto& d = c.rep.add(k.code, span(), std::string("unknown ") + k.what + " `" + value + "`",
                      std::string("no ") + k.what + " has this id");
  auto ids = k.ids();
  if (auto best = closest(value, ids)) {
    Span at = k.defined_at(*best);
    d.help = "did you mean `" + *best + "`?" + (at.line ? " (defined at " + where_text(at) + ")" : "");
    d.suggestion = *best;
  } else if (ids.empty()) {
    d.help = std::string("the charter defines no ") + k.what + " yet";
  }
}

void check_references(Ctx& c) {
  auto& m = c.impl;
  RefKind team = ref_kind(c, Code::UnknownTeam, "team", m.teams, m.team_ix);
  RefKind term = ref_kind(c, Code::UnknownTerm, "term", m.glossary, m.term_ix);
  RefKind stage = ref_kind(c, Code::UnknownStage, "stage", m.funnel.stages, m.stage_ix);
  RefKind calendar = ref_kind(c, Code::UnknownCalendar, "calendar", m.calendars, m.calendar_ix);
  RefKind stage_or_exit{Code::UnknownStage, "stage",
                        [&](std::string_view id) { return m.stage_ix.count(id) || m.exit_ix.count(id); },
                        [&] {
                          auto v = stage.ids();
                          for (auto& e : m.funnel.exits) v.push_back(e.id);
                          return v;
                        },
                        [&](std::string_view id) {
                          Span s = stage.defined_at(id);
                          if (s.line) return s;
                          auto it = m.exit_ix.find(id);
                          return it == m.exit_ix.end() ? Span{} : m.span_key(m.funnel.exits[it->second].where, "id");
                        }};

  for (auto& t : m.glossary) {
    unresolved(c, team, t.owner, [&] { return m.span_key(t.where, "owner"); });
    unresolved(c, term, t.broader, [&] { return m.span_key(t.where, "broader"); });
    unresolved(c, term, t.replaced_by, [&] { return m.span_key(t.where, "replaced_by"); });
    for (std::size_t i = 0; i < t.related.size(); ++i)
      unresolved(c, term, t.related[i], [&] { return m.span_item(t.where, "related", i); });
  }
  for (auto& f : m.fields) unresolved(c, term, f.term, [&] { return m.span_key(f.where, "term"); });
  for (auto& s : m.scores) unresolved(c, term, s.term, [&] { return m.span_key(s.where, "term"); });
  for (auto& k : m.criteria) unresolved(c, term, k.term, [&] { return m.span_key(k.where, "term"); });
  for (auto& s : m.funnel.stages) {
    unresolved(c, team, s.owner, [&] { return m.span_key(s.where, "owner"); });
    unresolved(c, term, s.term, [&] { return m.span_key(s.where, "term"); });
  }
  unresolved(c, stage, m.funnel.recycle_to, [&] { return m.span_key(m.funnel.where, "recycle_to"); });
  for (auto& s : m.slas) {
    unresolved(c, team, s.provider, [&] { return m.span_key(s.where, "provider"); });
    unresolved(c, team, s.customer, [&] { return m.span_key(s.where, "customer"); });
    for (auto* em : {&s.start, &s.stop, &s.count})
      unresolved(c, stage_or_exit, em->stage, [&] { return m.span_key(em->where, "stage"); });
    unresolved(c, stage, s.from, [&] { return m.span_key(s.where, "from"); });
    unresolved(c, stage, s.to, [&] { return m.span_key(s.where, "to"); });
    unresolved(c, calendar, s.calendar, [&] { return m.span_key(s.where, "calendar"); });
  }
  for (auto& mt : m.meetings)
    for (std::size_t i = 0; i < mt.attendees.size(); ++i)
      unresolved(c, team, mt.attendees[i], [&] { return m.span_item(mt.where, "attendees", i); });
  // Goal conversion keys are stage ids.
  for (auto& g : m.goals) {
    std::uint32_t conv = m.node_of(g.where, "conversion");
    for (auto& [st, rate] : g.conversion) {
      (void)rate;
      if (m.stage_ix.count(st)) continue;
      Span sp = m.span_key(g.where, "conversion");
      if (conv != yaml::kNone) {
        const auto& t = *m.trees[g.where.file];
        for (std::uint32_t k = t.nodes[conv].first; k != yaml::kNone;) {
          std::uint32_t v = t.nodes[k].next;
          if (t.value(k) == st) sp = m.span_of_node(g.where.file, k);
          if (v == yaml::kNone) break;
          k = t.nodes[v].next;
        }
      }
      auto& d = c.rep.add(Code::ConversionKeyNotStage, sp, "conversion key `" + st + "` is not a funnel stage",
                          "not a stage id");
      if (auto best = closest(st, stage.ids())) {
        d.help = "did you mean `" + *best + "`?";
        d.suggestion = *best;
      }
    }
  }
}

// ---- glossary -----------------------------------------------------------------------
void check_broader_cycles(Ctx& c) {
  auto& m = c.impl;
  std::vector<int> state(m.glossary.size(), 0);  // 0 new, 1 on path, 2 done
  for (std::size_t start = 0; start < m.glossary.size(); ++start) {
    if (state[start]) continue;
    std::vector<std::size_t> path;
    std::size_t u = start;
    while (true) {
      if (state[u] == 2) break;
      if (state[u] == 1) {
        auto pos = std::find(path.begin(), path.end(), u);
        std::string chain;
        for (auto it = pos; it != path.end(); ++it) chain += m.glossary[*it].id + " -> ";
        chain += m.glossary[u].id;
        const Term& closing = m.glossary[path.back()];
        c.rep.add(Code::BroaderCycle, m.span_key(closing.where, "broader"), "`broader` cycle: " + chain,
                  "closes the cycle");
        break;
      }
      state[u] = 1;
      path.push_back(u);
      const Term& t = m.glossary[u];
      auto it = m.term_ix.find(t.broader);
      if (t.broader.empty() || it == m.term_ix.end()) break;
      u = it->second;
    }
    for (auto p : path) state[p] = 2;
  }
}

// One wording of a term: its preferred label, an alias or an avoid-word, in the default
// locale (tr == -1) or in translation `tr`. Compact: spans are computed only on conflict.
struct Wording {
  std::uint32_t term;
  std::int32_t tr;
  std::uint8_t kind;  // 0 label, 1 alias, 2 avoid
  std::uint32_t item;
};

std::string_view wording_text(const Charter::Impl& m, const Wording& w) {
  const Term& t = m.glossary[w.term];
  if (w.tr < 0) return w.kind == 0 ? t.term : w.kind == 1 ? t.aliases[w.item] : t.avoid[w.item];
  const Translation& tr = t.translations[static_cast<std::size_t>(w.tr)];
  return w.kind == 0 ? tr.term : w.kind == 1 ? tr.aliases[w.item] : tr.avoid[w.item];
}

Span wording_span(const Charter::Impl& m, const Wording& w) {
  const Term& t = m.glossary[w.term];
  SourceRef where = w.tr < 0 ? t.where : t.translations[static_cast<std::size_t>(w.tr)].where;
  if (w.kind == 0) return m.span_key(where, "term");
  return m.span_item(where, w.kind == 1 ? "aliases" : "avoid", w.item);
}

const char* kind_text(std::uint8_t k) { return k == 0 ? "preferred label" : k == 1 ? "alias" : "avoid-word"; }

template <class Fn>
void each_wording(const Term& t, std::uint32_t ti, Fn fn) {
  fn(Wording{ti, -1, 0, 0}, std::string_view{});
  for (std::uint32_t i = 0; i < t.aliases.size(); ++i) fn(Wording{ti, -1, 1, i}, std::string_view{});
  for (std::uint32_t i = 0; i < t.avoid.size(); ++i) fn(Wording{ti, -1, 2, i}, std::string_view{});
  for (std::int32_t k = 0; k < static_cast<std::int32_t>(t.translations.size()); ++k) {
    const auto& tr = t.translations[static_cast<std::size_t>(k)];
    fn(Wording{ti, k, 0, 0}, std::string_view(tr.locale));
    for (std::uint32_t i = 0; i < tr.aliases.size(); ++i) fn(Wording{ti, k, 1, i}, std::string_view(tr.locale));
    for (std::uint32_t i = 0; i < tr.avoid.size(); ++i) fn(Wording{ti, k, 2, i}, std::string_view(tr.locale));
  }
}

void check_labels(Ctx& c) {
  auto& m = c.impl;
  std::string_view def = m.organization.locale;
  auto key = [&](std::string_view loc, std::string_view text) {
    std::string k(loc.empty() ? std::string_view(def) : loc);
    k += '\x1f';
    k += fold_case(text);
    return k;
  };
  auto locale_of = [&](const Wording& w) -> std::string_view {
    return w.tr < 0 ? std::string_view()
                    : std::string_view(m.glossary[w.term].translations[static_cast<std::size_t>(w.tr)].locale);
  };
  auto hash = [](const std::string& k) { return std::hash<std::string>{}(k); };
  // Labels and aliases of all terms, sorted by the hash of (locale, folded text): 24 bytes
  // each instead of a map of strings. Equal hashes are verified with the real keys.
  struct Entry {
    std::uint64_t h;
    Wording w;
  };
  std::vector<Entry> owned, avoids;
  std::vector<std::string> own_aliases;
  for (std::uint32_t ti = 0; ti < m.glossary.size(); ++ti) {
    const Term& t = m.glossary[ti];
    own_aliases.clear();
    std::vector<std::pair<std::string, Wording>> my_avoids;
    each_wording(t, ti, [&](const Wording& w, std::string_view loc) {
      std::string_view text = wording_text(m, w);
      if (text.empty()) return;
      std::string k = key(loc, text);
      if (w.kind == 2) {
        my_avoids.emplace_back(std::move(k), w);
        return;
      }
      if (w.kind == 1) own_aliases.push_back(k);
      owned.push_back({hash(k), w});
    });
    for (auto& [k, w] : my_avoids) {
      if (std::find(own_aliases.begin(), own_aliases.end(), k) != own_aliases.end()) {
        auto& d = c.rep.add(Code::AvoidIsAlias, wording_span(m, w),
                            "\"" + wording_text(m, w) + "\" is both an alias and an avoid-word of term `" + t.id + "`",
                            "also an alias");
        each_wording(t, ti, [&](const Wording& a, std::string_view loc) {
          if (a.kind == 1 && key(loc, wording_text(m, a)) == k) d.related.push_back({wording_span(m, a), "the alias"});
        });
      }
      avoids.push_back({hash(k), w});
    }
  }
  std::stable_sort(owned.begin(), owned.end(), [](const Entry& a, const Entry& b) { return a.h < b.h; });
  // Within a group of equal hashes, each wording is owned by the first entry with the same key.
  for (std::size_t g = 0; g < owned.size();) {
    std::size_t end = g;
    while (end < owned.size() && owned[end].h == owned[g].h) ++end;
    if (end - g > 1) {
      std::vector<std::string> keys;
      for (std::size_t i = g; i < end; ++i) keys.push_back(key(locale_of(owned[i].w), wording_text(m, owned[i].w)));
      for (std::size_t i = g + 1; i < end; ++i) {
        std::size_t first = g;
        while (first < i && keys[first - g] != keys[i - g]) ++first;
        if (first == i) continue;
        const Wording& w = owned[i].w;
        const Wording& o = owned[first].w;
        if (o.term == w.term) continue;
        const Term& other = m.glossary[o.term];
        std::string_view loc = locale_of(w);
        auto& d = c.rep.add(Code::LabelConflict, wording_span(m, w),
                            std::string(kind_text(w.kind)) + " \"" + wording_text(m, w) + "\" of term `" +
                                m.glossary[w.term].id + "` is also the " + kind_text(o.kind) + " of term `" + other.id +
                                "`" + (!loc.empty() && loc != def ? " (locale " + std::string(loc) + ")" : ""),
                            "used by two terms");
        d.related.push_back({wording_span(m, o), std::string("the ") + kind_text(o.kind) + " of `" + other.id + "`"});
      }
    }
    g = end;
  }
  // Avoid-words that name another term's label or alias.
  for (const auto& a : avoids) {
    auto it =
        std::lower_bound(owned.begin(), owned.end(), a.h, [](const Entry& e, std::uint64_t v) { return e.h < v; });
    std::string k;
    for (; it != owned.end() && it->h == a.h; ++it) {
      if (k.empty()) k = key(locale_of(a.w), wording_text(m, a.w));
      if (key(locale_of(it->w), wording_text(m, it->w)) != k) continue;
      if (it->w.term == a.w.term) break;
      const Wording& o = it->w;
      const Term& other = m.glossary[o.term];
      auto& d = c.rep.add(Code::LabelConflict, wording_span(m, a.w),
                          "avoid-word \"" + wording_text(m, a.w) + "\" of term `" + m.glossary[a.w.term].id +
                              "` is the " + kind_text(o.kind) + " of term `" + other.id + "`",
                          "people would be told not to use another term");
      d.related.push_back({wording_span(m, o), std::string("the ") + kind_text(o.kind) + " of `" + other.id + "`"});
      break;
    }
  }
}

void check_term_rules(Ctx& c) {
  auto& m = c.impl;
  const auto& locales = m.organization.locales;
  for (const auto& t : m.glossary) {
    if (t.status != TermStatus::Draft && t.definition.empty()) {
      auto& d =
          c.rep.add(Code::MissingDefinition, m.span_key(t.where, "id"),
                    "term `" + t.id + "` is " + to_string(t.status) + " but has no definition", "needs `definition`");
      d.help = "add a `definition`, or set `status: draft`";
    }
    if (t.status == TermStatus::Deprecated && t.replaced_by.empty()) {
      auto& d = c.rep.add(Code::DeprecatedWithoutReplacement, m.span_key(t.where, "status"),
                          "deprecated term `" + t.id + "` has no `replaced_by`", "deprecated here");
      d.help = "add `replaced_by:` with the id of the term to use instead";
    }
    if (t.status == TermStatus::Approved) {
      auto check_target = [&](std::string_view id, auto sp, const char* rel) {
        auto it = m.term_ix.find(id);
        if (id.empty() || it == m.term_ix.end()) return;
        const Term& o = m.glossary[it->second];
        if (o.status == TermStatus::Approved) return;
        auto& d =
            c.rep.add(Code::ApprovedRefersToUnapproved, sp(),
                      "approved term `" + t.id + "` has " + rel + " `" + o.id + "`, which is " + to_string(o.status),
                      std::string(to_string(o.status)) + " term");
        d.related.push_back({m.span_key(o.where, "status"), "status set here"});
      };
      check_target(
          t.broader, [&] { return m.span_key(t.where, "broader"); }, "broader term");
      for (std::size_t i = 0; i < t.related.size(); ++i)
        check_target(
            t.related[i], [&] { return m.span_item(t.where, "related", i); }, "related term");
    }
    for (const auto& tr : t.translations) {
      if (std::find(locales.begin(), locales.end(), tr.locale) == locales.end()) {
        Span sp = m.span(tr.where);
        // Point at the locale key rather than the translation's body.
        const auto& tree = *m.trees[tr.where.file];
        std::uint32_t k = tree.key_of(tr.where.node);
        if (k != yaml::kNone) sp = m.span_of_node(tr.where.file, k);
        auto& d =
            c.rep.add(Code::UnknownLocale, sp, "translation locale `" + tr.locale + "` is not in organization.locales",
                      "undeclared locale");
        d.help = "add `" + tr.locale + "` to `organization.locales`";
        if (auto best = closest(tr.locale, locales)) {
          d.help = "did you mean `" + *best + "`?";
          d.suggestion = *best;
        }
      }
    }
    if (t.status == TermStatus::Approved && c.enabled(Code::MissingTranslation))
      for (const auto& loc : locales) {
        if (loc == m.organization.locale || t.translation(loc)) continue;
        c.rep.add(Code::MissingTranslation, m.span_key(t.where, "id"),
                  "approved term `" + t.id + "` has no `" + loc + "` translation", "no " + loc + " translation");
      }
  }
  for (const auto& [glob, loc] : m.lint.languages) {
    if (std::find(locales.begin(), locales.end(), loc) != locales.end()) continue;
    c.rep.add(Code::UnknownLocale, m.span_key(m.lint.where, "languages"),
              "lint language `" + loc + "` for `" + glob + "` is not in organization.locales", "undeclared locale");
  }
}

// ---- time zones -----------------------------------------------------------------------
void check_time_zones(Ctx& c) {
  auto& m = c.impl;
  std::vector<std::string> names;
  auto check = [&](std::string_view tz, Span sp) {
    if (tz.empty() || valid_time_zone(std::string(tz))) return;
    auto& d =
        c.rep.add(Code::InvalidTimeZone, std::move(sp), "unknown time zone `" + tz + "`", "not in the tz database");
    if (names.empty()) names = time_zone_names();
    // Suggest only near-misses of the whole name (Europe/Berlni), not another city.
    std::optional<std::string> best = closest(tz, names);
    if (best && edit_distance(fold_case(tz), fold_case(*best)) > 2) best.reset();
    if (best) {
      d.help = "did you mean `" + *best + "`?";
      d.suggestion = *best;
    } else {
      d.help = "use an IANA name such as Europe/Berlin, America/New_York or UTC";
    }
  };
  if (m.has_organization && m.node_of(m.organization.where, "timezone") != yaml::kNone)
    check(m.organization.timezone, m.span_key(m.organization.where, "timezone"));
  for (auto& cal : m.calendars) check(cal.timezone, m.span_key(cal.where, "timezone"));
}

// ---- goals, SLAs, meetings ----------------------------------------------------------------

std::string fmt_num(double x) {
  char buf[64];
  if (std::fabs(x - std::round(x)) < 0.05)
    std::snprintf(buf, sizeof buf, "%.0f", std::round(x));
  else
    std::snprintf(buf, sizeof buf, "%.1f", x);
  // thousands separators for readability
  std::string s = buf;
  auto dot = s.find('.');
  std::string intpart = s.substr(0, dot), rest = dot == std::string::npos ? "" : s.substr(dot);
  std::string out;
  int cnt = 0;
  for (auto it = intpart.rbegin(); it != intpart.rend(); ++it) {
    if (cnt && cnt % 3 == 0 && *it != '-') out.insert(out.begin(), ',');
    out.insert(out.begin(), *it);
    ++cnt;
  }
  return out + rest;
}

void check_goal_volume(Ctx& c) {
  auto& m = c.impl;
  for (const auto& g : m.goals) {
    auto plan = detail::goal_plan(g, m.funnel.stages);
    if (!plan) continue;
    double months = plan->months;
    std::map<std::string_view, double> needed(plan->needed.begin(), plan->needed.end());
    std::map<std::string_view, std::string> how;
    std::string chain = fmt_num(*g.revenue) + (g.currency.empty() ? "" : " " + g.currency) + " x " +
                        fmt_num(plan->share * 100) + "% / " + fmt_num(*g.average_deal) + " = " + fmt_num(plan->deals) +
                        " deals";
    for (auto it = plan->needed.rbegin(); it != plan->needed.rend(); ++it) {
      auto r = plan->rate.find(it->first);
      if (r == plan->rate.end()) continue;
      chain += ", / " + fmt_num(r->second * 100) + "% = " + fmt_num(it->second) + " " + it->first;
      how[it->first] = chain;
    }
    for (const auto& s : m.slas) {
      if (s.type != SlaType::Volume || !s.at_least || !s.period || s.count.stage.empty()) continue;
      auto it = needed.find(s.count.stage);
      if (it == needed.end()) continue;
      double per_month = it->second / months;
      double factor = *s.period == Period::Week      ? 12.0 / 52.1775
                      : *s.period == Period::Month   ? 1.0
                      : *s.period == Period::Quarter ? 3.0
                                                     : 12.0;
      double per_period = per_month * factor;
      if (*s.at_least + 1e-9 >= std::ceil(per_period - 1e-9)) continue;
      auto& d =
          c.rep.add(Code::GoalExceedsVolumeSla, m.span_key(s.where, "at_least"),
                    "goal `" + g.id + "` needs about " + fmt_num(std::ceil(per_period - 1e-9)) + " " + s.count.stage +
                        " per " + to_string(*s.period) + ", but SLA `" + s.id + "` promises " + fmt_num(*s.at_least),
                    "below what the goal needs");
      d.notes.push_back(how[s.count.stage] + " over " + fmt_num(months) + " months");
      d.related.push_back({m.span_key(g.where, "revenue"), "the goal"});
      d.help = "raise `at_least` to " + fmt_num(std::ceil(per_period - 1e-9)) + " or revise the goal";
    }
  }
}

void check_meetings(Ctx& c) {
  auto& m = c.impl;
  const auto& limit = m.organization.max_meeting_interval;
  for (const auto& mt : m.meetings) {
    if (!mt.every || mt.every->seconds() <= limit.seconds()) continue;
    auto& d = c.rep.add(Code::MeetingCadenceTooLong, m.span_key(mt.where, "every"),
                        "meeting `" + mt.id + "` is held every " + std::to_string(mt.every->amount) + mt.every->unit +
                            ", longer than " + std::to_string(limit.amount) + limit.unit,
                        "too far apart");
    d.help = "meet at least every " + std::to_string(limit.amount) + limit.unit +
             " (or set `organization.max_meeting_interval`)";
  }
}

}  // namespace

void run_checks(Charter::Impl& impl, Reporter& rep, const LoadOptions& options) {
  Ctx c{impl, rep, options};
  check_duplicate_ids(c);
  check_reserved(c);
  check_references(c);
  check_broader_cycles(c);
  check_labels(c);
  check_term_rules(c);
  check_time_zones(c);
  check_goal_volume(c);
  check_meetings(c);
}

}  // namespace charter::detail

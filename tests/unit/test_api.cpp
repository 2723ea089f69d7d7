// The public query API: term lookup, funnel transitions, lookups by id, handles and
// threads, LoadOptions, the code catalogue, and the text utilities behind lookups.
#define BOOST_TEST_MODULE charter_api
#include <boost/test/unit_test.hpp>

#include <charter/charter.hpp>

#include <thread>

#include "common.hpp"
#include "util/text.hpp"

using namespace charter;

namespace {

/// The example charter, loaded once for the whole module.
const LoadResult& acme() {
  static const LoadResult r = load_charter({test::acme_dir()});
  return r;
}

const char* kSmall = R"(charter: 1
organization: { name: Small, locale: en, locales: [en, de, ru] }
teams:
  - { id: marketing, name: Marketing }
glossary:
  - id: lead
    term: Lead
    definition: A person.
    status: approved
    owner: marketing
    aliases: [sales lead]
    avoid: [prospect]
    translations:
      de: { term: Interessent, aliases: [Verkaufskontakt], avoid: [Kaltkontakt] }
      ru: { term: Лид, avoid: [Горячий Клиент] }
  - id: pipeline
    term: Pipeline
    abbreviation: PL
    definition: Open opportunities.
funnel:
  stages:
    - { id: a }
    - { id: b }
    - { id: c }
  exits:
    - { id: lost }
    - { id: later }
  recycle_to: b
)";

}  // namespace

// ---- term lookup --------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(lookup)

BOOST_AUTO_TEST_CASE(acme_loads) { BOOST_REQUIRE_MESSAGE(acme().ok(), test::dump(acme())); }

BOOST_AUTO_TEST_CASE(by_every_kind_of_wording) {
  const Charter& c = acme().charter();
  const Term* mql = c.term("marketing_qualified_lead");
  BOOST_REQUIRE(mql);
  struct Case {
    const char* text;
    MatchKind kind;
    const char* locale;
  };
  const Case cases[] = {
      {"marketing_qualified_lead", MatchKind::Id, ""},
      {"Marketing Qualified Lead", MatchKind::Label, "en"},
      {"MQL", MatchKind::Abbreviation, "en"},
      {"marketing-qualified lead", MatchKind::Alias, "en"},
      {"hot lead", MatchKind::Avoid, "en"},
      {"warm lead", MatchKind::Avoid, "en"},
      {"营销合格线索", MatchKind::Label, "zh"},
      {"市场合格线索", MatchKind::Alias, "zh"},
      {"热门线索", MatchKind::Avoid, "zh"},
  };
  for (const auto& k : cases) {
    auto hit = c.lookup_term(k.text);
    BOOST_REQUIRE_MESSAGE(hit, k.text);
    BOOST_TEST(hit->term == mql, k.text);
    BOOST_TEST(to_string(hit->kind) == to_string(k.kind), k.text);
    BOOST_TEST(hit->locale == k.locale, k.text);
  }
}

BOOST_AUTO_TEST_CASE(case_insensitive_and_space_trimmed) {
  const Charter& c = acme().charter();
  const Term* mql = c.term("marketing_qualified_lead");
  for (const char* text : {"mql", "Mql", "  MQL  ", "MARKETING QUALIFIED LEAD", "marketing   qualified\tlead",
                           " Hot Lead ", "HOT LEAD", "\t热门线索 "}) {
    auto hit = c.lookup_term(text);
    BOOST_REQUIRE_MESSAGE(hit, "[" << text << "]");
    BOOST_TEST(hit->term == mql, text);
  }
  auto lead = c.lookup_term("LEAD");
  BOOST_REQUIRE(lead);
  BOOST_TEST(lead->term->id == "lead");
  BOOST_TEST((lead->kind == MatchKind::Label));
}

BOOST_AUTO_TEST_CASE(unknown_wordings_find_nothing) {
  const Charter& c = acme().charter();
  for (const char* text : {"", "   ", "cold lead", "MQLs", "marketing qualified", "线"})
    BOOST_TEST(!c.lookup_term(text).has_value(), "[" << text << "]");
}

BOOST_AUTO_TEST_CASE(returns_the_canonical_term_owned_by_the_charter) {
  const Charter& c = acme().charter();
  auto hit = c.lookup_term("SAL");
  BOOST_REQUIRE(hit);
  BOOST_TEST(hit->term->id == "sales_accepted_lead");
  bool inside = false;
  for (const auto& t : c.glossary())
    if (&t == hit->term) inside = true;
  BOOST_TEST(inside);
}

BOOST_AUTO_TEST_CASE(latin_greek_and_cyrillic_fold_case) {
  auto r = test::load(kSmall);
  BOOST_REQUIRE_MESSAGE(r.ok(), test::dump(r));
  const Charter& c = r.charter();
  auto de = c.lookup_term("INTERESSENT");
  BOOST_REQUIRE(de);
  BOOST_TEST(de->term->id == "lead");
  BOOST_TEST(de->locale == "de");
  BOOST_TEST((de->kind == MatchKind::Label));
  auto alias = c.lookup_term("verkaufskontakt");
  BOOST_REQUIRE(alias);
  BOOST_TEST((alias->kind == MatchKind::Alias));
  auto ru = c.lookup_term("ЛИД");
  BOOST_REQUIRE(ru);
  BOOST_TEST(ru->term->id == "lead");
  BOOST_TEST(ru->locale == "ru");
  auto avoid = c.lookup_term("горячий клиент");
  BOOST_REQUIRE(avoid);
  BOOST_TEST((avoid->kind == MatchKind::Avoid));
  auto pl = c.lookup_term("pl");
  BOOST_REQUIRE(pl);
  BOOST_TEST(pl->term->id == "pipeline");
  BOOST_TEST((pl->kind == MatchKind::Abbreviation));
  BOOST_TEST(!c.lookup_term("Interessen").has_value());
}

BOOST_AUTO_TEST_CASE(id_lookup_is_exact) {
  auto r = test::load(kSmall);
  auto hit = r.charter().lookup_term("pipeline");
  BOOST_REQUIRE(hit);
  BOOST_TEST((hit->kind == MatchKind::Id));
  BOOST_TEST(hit->locale == "");
  auto label = r.charter().lookup_term("Pipeline");
  BOOST_REQUIRE(label);
  BOOST_TEST((label->kind == MatchKind::Label));
}

BOOST_AUTO_TEST_CASE(match_kind_names) {
  BOOST_TEST(std::string(to_string(MatchKind::Id)) == "id");
  BOOST_TEST(std::string(to_string(MatchKind::Label)) == "label");
  BOOST_TEST(std::string(to_string(MatchKind::Abbreviation)) == "abbreviation");
  BOOST_TEST(std::string(to_string(MatchKind::Alias)) == "alias");
  BOOST_TEST(std::string(to_string(MatchKind::Avoid)) == "avoid");
}

BOOST_AUTO_TEST_SUITE_END()

// ---- funnel -----------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(funnel)

BOOST_AUTO_TEST_CASE(forward_moves_are_allowed_and_may_skip) {
  const Charter& c = acme().charter();
  BOOST_TEST(c.transition_allowed("subscriber", "lead"));
  BOOST_TEST(c.transition_allowed("lead", "mql"));
  BOOST_TEST(c.transition_allowed("subscriber", "customer"));
  BOOST_TEST(c.transition_allowed("mql", "opportunity"));
}

BOOST_AUTO_TEST_CASE(backward_and_self_moves_are_not) {
  const Charter& c = acme().charter();
  BOOST_TEST(!c.transition_allowed("lead", "subscriber"));
  BOOST_TEST(!c.transition_allowed("customer", "lead"));
  BOOST_TEST(!c.transition_allowed("lead", "lead"));
  BOOST_TEST(!c.transition_allowed("disqualified", "disqualified"));
}

BOOST_AUTO_TEST_CASE(any_stage_to_an_exit_and_an_exit_only_to_recycle_to) {
  const Charter& c = acme().charter();
  for (const auto& s : c.funnel().stages) {
    BOOST_TEST(c.transition_allowed(s.id, "disqualified"), s.id);
    BOOST_TEST(c.transition_allowed(s.id, "nurture"), s.id);
  }
  for (const char* ex : {"disqualified", "nurture"}) {
    for (const auto& s : c.funnel().stages)
      BOOST_TEST(c.transition_allowed(ex, s.id) == (s.id == "lead"), ex << " -> " << s.id);
  }
  BOOST_TEST(!c.transition_allowed("disqualified", "nurture"));
  BOOST_TEST(!c.transition_allowed("nurture", "disqualified"));
}

BOOST_AUTO_TEST_CASE(unknown_ids_are_never_allowed) {
  const Charter& c = acme().charter();
  BOOST_TEST(!c.transition_allowed("nowhere", "lead"));
  BOOST_TEST(!c.transition_allowed("lead", "nowhere"));
  BOOST_TEST(!c.transition_allowed("", ""));
  BOOST_TEST(!c.transition_allowed("LEAD", "MQL"));
  BOOST_TEST(!Charter{}.transition_allowed("lead", "mql"));
}

BOOST_AUTO_TEST_CASE(without_recycle_to_an_exit_is_final) {
  auto r = test::load("charter: 1\nfunnel:\n  stages: [{id: a}, {id: b}]\n  exits: [{id: lost}]\n");
  BOOST_REQUIRE_MESSAGE(r.ok(), test::dump(r));
  BOOST_TEST(r.charter().transition_allowed("a", "lost"));
  BOOST_TEST(!r.charter().transition_allowed("lost", "a"));
  BOOST_TEST(!r.charter().transition_allowed("lost", "b"));
}

BOOST_AUTO_TEST_CASE(small_funnel_all_pairs) {
  auto r = test::load(kSmall);
  const Charter& c = r.charter();
  const char* ids[] = {"a", "b", "c", "lost", "later"};
  // expected[from][to]
  const bool expected[5][5] = {
      {false, true, true, true, true},     // a
      {false, false, true, true, true},    // b
      {false, false, false, true, true},   // c
      {false, true, false, false, false},  // lost -> recycle_to b
      {false, true, false, false, false},  // later -> recycle_to b
  };
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 5; ++j)
      BOOST_TEST(c.transition_allowed(ids[i], ids[j]) == expected[i][j], ids[i] << " -> " << ids[j]);
}

BOOST_AUTO_TEST_CASE(stage_index_is_the_order_top_to_bottom) {
  const Charter& c = acme().charter();
  BOOST_TEST(c.stage_index("subscriber").value_or(99) == 0u);
  BOOST_TEST(c.stage_index("mql").value_or(99) == 2u);
  BOOST_TEST(c.stage_index("customer").value_or(99) == 5u);
  BOOST_TEST(!c.stage_index("disqualified").has_value());
  BOOST_TEST(!c.stage_index("nowhere").has_value());
  for (std::size_t i = 0; i < c.funnel().stages.size(); ++i)
    BOOST_TEST(c.stage_index(c.funnel().stages[i].id).value_or(99) == i);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- lookups by id --------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(by_id)

template <class T>
bool owned_by(std::span<const T> all, const T* p) {
  for (const auto& x : all)
    if (&x == p) return true;
  return false;
}

BOOST_AUTO_TEST_CASE(every_section) {
  const Charter& c = acme().charter();
  BOOST_TEST(owned_by(c.teams(), c.team("marketing")));
  BOOST_TEST(owned_by(c.glossary(), c.term("lead")));
  BOOST_TEST(owned_by(c.fields(), c.field("country")));
  BOOST_TEST(owned_by(c.scores(), c.score("fit_score")));
  BOOST_TEST(owned_by(c.criteria(), c.find_criteria("mql")));
  BOOST_TEST(owned_by(std::span<const Stage>(c.funnel().stages), c.stage("mql")));
  BOOST_TEST(owned_by(std::span<const Exit>(c.funnel().exits), c.exit("nurture")));
  BOOST_TEST(owned_by(c.calendars(), c.calendar("emea")));
  BOOST_TEST(owned_by(c.slas(), c.sla("mql_volume")));
  BOOST_TEST(owned_by(c.goals(), c.goal("fy2027")));
  BOOST_TEST(owned_by(c.meetings(), c.meeting("pipeline_review")));
  // Every object can be found by its own id.
  for (const auto& x : c.teams()) BOOST_TEST(c.team(x.id) == &x);
  for (const auto& x : c.glossary()) BOOST_TEST(c.term(x.id) == &x);
  for (const auto& x : c.fields()) BOOST_TEST(c.field(x.id) == &x);
  for (const auto& x : c.scores()) BOOST_TEST(c.score(x.id) == &x);
  for (const auto& x : c.criteria()) BOOST_TEST(c.find_criteria(x.id) == &x);
  for (const auto& x : c.funnel().stages) BOOST_TEST(c.stage(x.id) == &x);
  for (const auto& x : c.funnel().exits) BOOST_TEST(c.exit(x.id) == &x);
  for (const auto& x : c.calendars()) BOOST_TEST(c.calendar(x.id) == &x);
  for (const auto& x : c.slas()) BOOST_TEST(c.sla(x.id) == &x);
  for (const auto& x : c.goals()) BOOST_TEST(c.goal(x.id) == &x);
  for (const auto& x : c.meetings()) BOOST_TEST(c.meeting(x.id) == &x);
}

BOOST_AUTO_TEST_CASE(absent_ids_give_nullptr) {
  const Charter& c = acme().charter();
  BOOST_TEST(!c.team("nobody"));
  BOOST_TEST(!c.term("Lead"));
  BOOST_TEST(!c.field(""));
  BOOST_TEST(!c.score("mql"));
  BOOST_TEST(!c.find_criteria("fit_score"));
  BOOST_TEST(!c.stage("nurture"));
  BOOST_TEST(!c.exit("lead"));
  BOOST_TEST(!c.calendar("apac"));
  BOOST_TEST(!c.sla("x"));
  BOOST_TEST(!c.goal("fy1999"));
  BOOST_TEST(!c.meeting("standup"));
}

BOOST_AUTO_TEST_CASE(model_values_are_read) {
  const Charter& c = acme().charter();
  const Sla* vol = c.sla("mql_volume");
  BOOST_REQUIRE(vol);
  BOOST_TEST((vol->type == SlaType::Volume));
  BOOST_TEST(vol->count.stage == "mql");
  BOOST_TEST(vol->at_least.has_value());
  BOOST_TEST((vol->period == Period::Month));
  const Calendar* emea = c.calendar("emea");
  BOOST_REQUIRE(emea);
  BOOST_TEST(emea->timezone == "Europe/Berlin");
  BOOST_REQUIRE(!emea->hours[0].empty());
  BOOST_TEST(emea->hours[0][0].start == 9 * 60);
  BOOST_TEST(emea->hours[0][0].end == 17 * 60 + 30);
  BOOST_TEST(emea->hours[5].empty(), "closed on Saturday");
  const Goal* g = c.goal("fy2027");
  BOOST_REQUIRE(g);
  BOOST_REQUIRE(g->marketing_share);
  BOOST_TEST(*g->marketing_share == 0.5, boost::test_tools::tolerance(1e-12));
  const Field* country = c.field("country");
  BOOST_REQUIRE(country);
  BOOST_TEST((country->type == FieldType::String));
  BOOST_TEST(!country->values.empty());
  const Term* mql = c.term("marketing_qualified_lead");
  BOOST_REQUIRE(mql);
  BOOST_TEST((mql->status == TermStatus::Approved));
  BOOST_REQUIRE(mql->translation("zh"));
  BOOST_TEST(mql->translation("zh")->term == "营销合格线索");
  BOOST_TEST(mql->translation("fr") == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- handles and threads ----------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(handles)

BOOST_AUTO_TEST_CASE(copies_share_data) {
  const Charter& orig = acme().charter();
  Charter copy = orig;
  BOOST_TEST(copy.glossary().data() == orig.glossary().data());
  BOOST_TEST(copy.term("lead") == orig.term("lead"));
  Charter assigned;
  assigned = copy;
  BOOST_TEST(assigned.funnel().stages.data() == orig.funnel().stages.data());
}

BOOST_AUTO_TEST_CASE(a_copy_outlives_the_load_result) {
  Charter kept;
  const Term* lead = nullptr;
  {
    auto r = test::load(kSmall);
    kept = r.charter();
    lead = kept.term("lead");
  }
  BOOST_REQUIRE(lead);
  BOOST_TEST(lead->term == "Lead");  // still alive (ASan would catch a dangling handle)
  auto hit = kept.lookup_term("prospect");
  BOOST_REQUIRE(hit);
  BOOST_TEST(hit->term == lead);
  BOOST_TEST(kept.span(lead->where).line == 6);
}

BOOST_AUTO_TEST_CASE(default_charter_is_empty) {
  Charter c;
  BOOST_TEST(c.glossary().empty());
  BOOST_TEST(c.teams().empty());
  BOOST_TEST(c.funnel().stages.empty());
  BOOST_TEST(c.files().empty());
  BOOST_TEST(!c.lookup_term("lead").has_value());
  BOOST_TEST(!c.term("lead"));
  BOOST_TEST(c.organization().locale == "en");
  BOOST_TEST(c.organization().timezone == "UTC");
  BOOST_TEST(c.organization().fiscal_year_start == 1);
  BOOST_TEST(c.span(SourceRef{}).line == 0);
}

BOOST_AUTO_TEST_CASE(spans_of_model_objects_and_misuse) {
  auto r = test::load(kSmall);
  const Charter& c = r.charter();
  const Team* t = c.team("marketing");
  BOOST_REQUIRE(t);
  Span whole = c.span(t->where);
  BOOST_TEST(whole.line == 4);
  BOOST_TEST(c.span(t->where, "name").line == 4);
  BOOST_TEST(c.span(t->where, "name").column > whole.column);
  // An absent key gives the node's own span; a default ref an empty one.
  Span missing = c.span(t->where, "contact");
  BOOST_TEST(missing.line == whole.line);
  BOOST_TEST(missing.column == whole.column);
  BOOST_TEST(c.span(SourceRef{}).line == 0);
  BOOST_TEST(c.span(SourceRef{}, "id").file.empty());
  // A ref from another charter is misuse: charter::Error, never a crash.
  BOOST_CHECK_THROW(Charter{}.span(t->where), charter::Error);
  BOOST_CHECK_THROW(c.span(SourceRef{999, 0}), charter::Error);
  BOOST_CHECK_THROW(c.span(SourceRef{0, 999999}), charter::Error);
  BOOST_CHECK_THROW(c.span(SourceRef{0, 999999}, "id"), charter::Error);
}

BOOST_AUTO_TEST_CASE(default_load_result) {
  LoadResult r;
  BOOST_TEST(r.ok());
  BOOST_TEST(r.diagnostics().empty());
  BOOST_TEST(r.source_line("t.yaml", 1).empty());
  BOOST_TEST(r.charter().files().empty());
}

BOOST_AUTO_TEST_CASE(four_threads_query_one_charter) {
  const Charter shared = acme().charter();
  const Term* mql = shared.term("marketing_qualified_lead");
  BOOST_REQUIRE(mql);
  std::atomic<int> wrong{0};
  auto work = [&](int seed) {
    Charter c = shared;  // copying a handle is part of sharing
    for (int i = 0; i < 2000; ++i) {
      const char* words[] = {"MQL", "hot lead", "营销合格线索", "marketing_qualified_lead"};
      auto hit = c.lookup_term(words[(i + seed) % 4]);
      if (!hit || hit->term != mql) ++wrong;
      if (c.lookup_term("no such wording")) ++wrong;
      if (!c.transition_allowed("lead", "mql") || c.transition_allowed("mql", "lead")) ++wrong;
      if (c.stage_index("customer") != std::optional<std::size_t>(5)) ++wrong;
      if (!c.sla("mql_volume") || !c.team("sales")) ++wrong;
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back(work, t);
  for (auto& t : threads) t.join();
  BOOST_TEST(wrong.load() == 0);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- LoadOptions --------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(options)

const char* kUntranslated = R"(charter: 1
organization: { name: A, locale: en, locales: [en, zh] }
teams:
  - { id: sales, name: Sales }
glossary:
  - { id: lead, term: Lead, definition: A person., status: approved }
  - { id: deal, term: Deal, definition: Money., status: approved, owner: salse }
)";

BOOST_AUTO_TEST_CASE(strict_turns_on_missing_translations) {
  auto normal = test::load(kUntranslated);
  BOOST_TEST(!test::has_code(normal, "CH0407"), test::dump(normal));
  LoadOptions strict;
  strict.strict = true;
  auto r = test::load(kUntranslated, strict);
  BOOST_TEST(test::count_code(r, "CH0407") == 2u, test::dump(r));
  for (auto* d : test::with_code(r, "CH0407")) {
    BOOST_TEST(d->severity == Severity::Warning);
    BOOST_TEST(d->span.line > 0);
    BOOST_TEST(d->message.find("zh") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(disable_drops_a_code) {
  LoadOptions o;
  o.disable = {"CH0301"};
  auto r = test::load(kUntranslated, o);
  BOOST_TEST(!test::has_code(r, "CH0301"), test::dump(r));
  BOOST_TEST(r.ok(), test::dump(r));
  auto normal = test::load(kUntranslated);
  BOOST_TEST(!normal.ok());
}

BOOST_AUTO_TEST_CASE(warn_downgrades_an_error_and_ok_becomes_true) {
  LoadOptions o;
  o.warn = {"CH0301"};
  auto r = test::load(kUntranslated, o);
  BOOST_REQUIRE_EQUAL(test::count_code(r, "CH0301"), 1u);
  BOOST_TEST(test::first(r, "CH0301").severity == Severity::Warning);
  BOOST_TEST(r.ok());
  BOOST_TEST(count_at_least(r.diagnostics(), Severity::Warning) == 1u);
  BOOST_TEST(count_at_least(r.diagnostics(), Severity::Error) == 0u);
}

BOOST_AUTO_TEST_CASE(strict_and_disable_together) {
  LoadOptions o;
  o.strict = true;
  o.disable = {"CH0407", "CH0301"};
  auto r = test::load(kUntranslated, o);
  BOOST_TEST(r.diagnostics().empty(), test::dump(r));
}

BOOST_AUTO_TEST_CASE(a_single_thread_loads_the_same_charter) {
  LoadOptions one;
  one.threads = 1;
  auto a = load_charter({test::acme_dir()}, one);
  BOOST_TEST(a.ok(), test::dump(a));
  BOOST_TEST(a.charter().glossary().size() == acme().charter().glossary().size());
  std::vector<std::string> fa(a.charter().files().begin(), a.charter().files().end());
  std::vector<std::string> fb(acme().charter().files().begin(), acme().charter().files().end());
  BOOST_TEST(fa == fb, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

// ---- the code catalogue ---------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(catalogue)

BOOST_AUTO_TEST_CASE(codes_are_well_formed_sorted_and_documented) {
  auto codes = all_codes();
  BOOST_TEST(codes.size() >= 50u);
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const auto& ci = codes[i];
    BOOST_TEST(ci.code.size() == 6u, ci.code);
    BOOST_TEST(ci.code.starts_with("CH"), ci.code);
    BOOST_TEST(!ci.title.empty(), ci.code);
    BOOST_TEST(!ci.explanation.empty(), ci.code);
    if (i) BOOST_TEST(codes[i - 1].code < ci.code, "sorted and unique at " << ci.code);
    BOOST_TEST(describe_code(ci.code) == &ci);
  }
  BOOST_TEST(describe_code("CH9999") == nullptr);
  BOOST_TEST(describe_code("") == nullptr);
  BOOST_REQUIRE(describe_code("CH0407"));
  BOOST_TEST(!describe_code("CH0407")->enabled_by_default);
  BOOST_TEST(describe_code("CH0407")->severity == Severity::Warning);
  BOOST_TEST(describe_code("CH0007")->severity == Severity::Note);
}

BOOST_AUTO_TEST_CASE(every_code_with_an_example_produces_that_code) {
  // `charter explain` prints these examples: each must really produce its code. They are
  // loaded as a file in a folder of its own (some are about includes).
  for (const auto& ci : all_codes()) {
    if (ci.example.empty()) continue;
    test::TempDir dir;
    auto file = dir.write("charter/example.yaml", ci.example);
    LoadOptions o;
    o.strict = true;
    auto r = load_charter({file}, o);
    BOOST_TEST(test::has_code(r, ci.code), ci.code << " example:\n" << ci.example << test::dump(r));
  }
}

BOOST_AUTO_TEST_CASE(count_at_least_and_severity_names) {
  std::vector<Diagnostic> ds(3);
  ds[0].severity = Severity::Note;
  ds[1].severity = Severity::Warning;
  ds[2].severity = Severity::Error;
  BOOST_TEST(count_at_least(ds, Severity::Note) == 3u);
  BOOST_TEST(count_at_least(ds, Severity::Warning) == 2u);
  BOOST_TEST(count_at_least(ds, Severity::Error) == 1u);
  BOOST_TEST(to_string(Severity::Error) == "error");
  BOOST_TEST(to_string(Severity::Warning) == "warning");
  BOOST_TEST(to_string(Severity::Note) == "note");
}

BOOST_AUTO_TEST_CASE(version_is_semver) {
  std::string v(version());
  BOOST_TEST(std::count(v.begin(), v.end(), '.') == 2);
  BOOST_TEST(!v.empty());
}

BOOST_AUTO_TEST_SUITE_END()

// ---- text utilities (src/util/text.hpp) ------------------------------------------------------

BOOST_AUTO_TEST_SUITE(text)

namespace d = charter::detail;

BOOST_AUTO_TEST_CASE(utf8_validation) {
  BOOST_TEST(!d::find_invalid_utf8("plain ascii").has_value());
  BOOST_TEST(!d::find_invalid_utf8("线索 Ünïcödé 🎉").has_value());
  BOOST_TEST(d::find_invalid_utf8("ab\xC0\xAF").value_or(99) == 2u);        // overlong '/'
  BOOST_TEST(d::find_invalid_utf8("a\xED\xA0\x80").value_or(99) == 1u);     // surrogate U+D800
  BOOST_TEST(d::find_invalid_utf8("abc\xE7\xBA").value_or(99) == 3u);       // truncated
  BOOST_TEST(d::find_invalid_utf8("\xF4\x90\x80\x80").value_or(99) == 0u);  // > U+10FFFF
  BOOST_TEST(d::find_invalid_utf8("\x80").value_or(99) == 0u);              // lone continuation
  BOOST_TEST(d::find_invalid_utf8("\xFF").value_or(99) == 0u);
}

BOOST_AUTO_TEST_CASE(code_points_and_display_width) {
  BOOST_TEST(d::count_code_points("线索人") == 3u);
  BOOST_TEST(d::count_code_points("abc") == 3u);
  BOOST_TEST(d::display_width("线索人") == 6);
  BOOST_TEST(d::display_width("abc") == 3);
  BOOST_TEST(d::display_width("ｆｕｌｌ") == 8);
  BOOST_TEST(d::display_width("e\xCC\x81") == 1);  // e + combining acute
  BOOST_TEST(d::display_width(U'한') == 2);
  std::string s;
  d::append_utf8(s, U'线');
  d::append_utf8(s, U'🎉');
  std::size_t i = 0;
  BOOST_TEST((d::decode_utf8(s, i) == U'线'));
  BOOST_TEST((d::decode_utf8(s, i) == U'🎉'));
  BOOST_TEST(i == s.size());
}

BOOST_AUTO_TEST_CASE(fold_case_trims_collapses_and_folds) {
  BOOST_TEST(d::fold_case("  Hot   Lead ") == "hot lead");
  BOOST_TEST(d::fold_case("ÄÖÜ") == "äöü");
  BOOST_TEST(d::fold_case("ΣΟΦΙΑ") == "σοφια");
  BOOST_TEST(d::fold_case("Лид") == "лид");
  BOOST_TEST(d::fold_case("ŁÓDŹ") == "łódź");
  BOOST_TEST(d::fold_case("线索") == "线索");
  BOOST_TEST(d::fold_case("Ÿ") == "ÿ");
  BOOST_TEST(d::fold_case("ſ") == "s");
  BOOST_TEST(d::fold_case("ΣΟΦΊΑ") == d::fold_case("σοφία"));  // accented capitals U+0386..U+038F
}

BOOST_AUTO_TEST_CASE(edit_distance_and_closest) {
  BOOST_TEST(d::edit_distance("sales", "salse") == 1u);  // a transposition counts once
  BOOST_TEST(d::edit_distance("", "abc") == 3u);
  BOOST_TEST(d::edit_distance("线索", "线人") == 1u);
  std::vector<std::string> ids = {"marketing", "sales", "revops"};
  BOOST_TEST(d::closest("salse", ids).value_or("") == "sales");
  BOOST_TEST(d::closest("Marketting", ids).value_or("") == "marketing");
  BOOST_TEST(!d::closest("finance", ids).has_value());
  BOOST_TEST(!d::closest("x", std::vector<std::string>{}).has_value());
}

BOOST_AUTO_TEST_CASE(json_escape_control_characters) {
  std::string out;
  d::json_escape(out, "a\"b\\c\nd\x01");
  BOOST_TEST(out == "a\\\"b\\\\c\\nd\\u0001");
}

BOOST_AUTO_TEST_SUITE_END()

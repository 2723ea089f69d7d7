// Evaluating the criteria language on records: every operator, the null rules, scores,
// stages and explanations.
#define BOOST_TEST_MODULE charter_eval
#include <charter/evaluate.hpp>

#include <thread>

#include "common.hpp"

using namespace charter;

namespace {

// Fields of every type, a score and a few criteria; `extra` adds criteria lines.
std::string charter_with(const std::string& criteria) {
  return R"(charter: 1
fields:
  - { id: company_size, type: integer }
  - { id: revenue, type: number }
  - { id: country, type: string, values: [US, CA, DE, CN] }
  - { id: title, type: string }
  - { id: demo_requested, type: boolean }
  - { id: trial_started, type: date }
  - { id: last_activity, type: datetime }
  - { id: products, type: list, values: [analytics, crm, cms] }
scores:
  - id: fit_score
    max: 50
    rules:
      - { when: company_size >= 200, points: 20 }
      - { when: 'title matches "(?i)\b(vp|director|head)\b"', points: 30 }
      - { when: country == "DE", points: 10 }
criteria:
)" + criteria;
}

struct Fixture {
  explicit Fixture(const std::string& criteria) : loaded(test::load(charter_with(criteria))) {
    BOOST_TEST_REQUIRE(loaded.ok(), test::dump(loaded));
    ev = std::make_unique<Evaluator>(loaded.charter());
  }
  bool holds(const Record& r, std::string_view id) {
    auto result = ev->evaluate(r, now);
    return result.criteria[ev->criteria_index(id).value()];
  }
  LoadResult loaded;
  std::unique_ptr<Evaluator> ev;
  DatetimeValue now = parse_datetime("2026-11-28T12:00:00Z").value();
};

}  // namespace

BOOST_AUTO_TEST_CASE(null_comparisons_are_false_including_not_equal) {
  Fixture f(R"(  - { id: ne, when: country != "DE" }
  - { id: not_eq, when: not (country == "DE") }
  - { id: lt, when: company_size < 10 }
  - { id: in_list, when: 'country in ["US", "DE"]' }
  - { id: not_in, when: 'country not in ["US", "DE"]' }
  - { id: btw, when: company_size between 1 and 10 }
  - { id: isnull, when: country is null }
  - { id: notnull, when: country is not null }
)");
  Record r = f.ev->record();  // everything null
  BOOST_TEST(!f.holds(r, "ne"));
  BOOST_TEST(f.holds(r, "not_eq"));
  BOOST_TEST(!f.holds(r, "lt"));
  BOOST_TEST(!f.holds(r, "in_list"));
  BOOST_TEST(!f.holds(r, "not_in"));
  BOOST_TEST(!f.holds(r, "btw"));
  BOOST_TEST(f.holds(r, "isnull"));
  BOOST_TEST(!f.holds(r, "notnull"));
  r.set("country", std::string("FR"));
  BOOST_TEST(f.holds(r, "ne"));
  BOOST_TEST(f.holds(r, "not_in"));
  BOOST_TEST(f.holds(r, "notnull"));
}

BOOST_AUTO_TEST_CASE(a_null_boolean_counts_as_false) {
  Fixture f("  - { id: demo, when: demo_requested }\n  - { id: no_demo, when: not demo_requested }\n");
  Record r = f.ev->record();
  BOOST_TEST(!f.holds(r, "demo"));
  BOOST_TEST(f.holds(r, "no_demo"));
  r.set("demo_requested", true);
  BOOST_TEST(f.holds(r, "demo"));
  BOOST_TEST(!f.holds(r, "no_demo"));
}

BOOST_AUTO_TEST_CASE(string_operators_are_case_sensitive_and_matches_is_a_search) {
  Fixture f(R"(  - { id: m, when: 'title matches "Dir"' }
  - { id: mi, when: 'title matches "(?i)dir"' }
  - { id: anchored, when: 'title matches "^Dir"' }
  - { id: c, when: 'title contains "ector"' }
  - { id: sw, when: 'title starts_with "Sales"' }
  - { id: ew, when: 'title ends_with "EMEA"' }
  - { id: eq, when: 'title == "sales director emea"' }
)");
  Record r = f.ev->record();
  r.set("title", std::string("Sales Director EMEA"));
  BOOST_TEST(f.holds(r, "m"));  // partial match, not a full match
  BOOST_TEST(f.holds(r, "mi"));
  BOOST_TEST(!f.holds(r, "anchored"));
  BOOST_TEST(f.holds(r, "c"));
  BOOST_TEST(f.holds(r, "sw"));
  BOOST_TEST(f.holds(r, "ew"));
  BOOST_TEST(!f.holds(r, "eq"));  // case-sensitive
}

BOOST_AUTO_TEST_CASE(contains_on_a_list_field_tests_membership) {
  Fixture f("  - { id: crm, when: 'products contains \"crm\"' }\n  - { id: none, when: products is null }\n");
  Record r = f.ev->record();
  BOOST_TEST(!f.holds(r, "crm"));
  BOOST_TEST(f.holds(r, "none"));
  r.set("products", std::vector<std::string>{"analytics", "crm"});
  BOOST_TEST(f.holds(r, "crm"));
  BOOST_TEST(!f.holds(r, "none"));
  r.set("products", std::vector<std::string>{"cms"});
  BOOST_TEST(!f.holds(r, "crm"));
}

BOOST_AUTO_TEST_CASE(between_is_inclusive_and_arithmetic_follows_the_rules) {
  Fixture f(R"(  - { id: btw, when: company_size between 10 and 20 }
  - { id: div, when: revenue / company_size > 1000 }
  - { id: div0_is_null, when: (revenue / 0) is null }
  - { id: real_division, when: company_size / 4 == 2.5 }
  - { id: null_arith, when: (company_size + revenue) is null }
  - { id: pct, when: revenue * 10% == 100 }
)");
  Record r = f.ev->record();
  for (std::int64_t v : {10, 15, 20}) {
    r.set("company_size", v);
    BOOST_TEST(f.holds(r, "btw"), v);
  }
  r.set("company_size", std::int64_t{21});
  BOOST_TEST(!f.holds(r, "btw"));
  r.set("company_size", std::int64_t{10});
  BOOST_TEST(f.holds(r, "real_division"));
  BOOST_TEST(f.holds(r, "null_arith"));  // revenue is null
  r.set("revenue", 1000.0);
  BOOST_TEST(f.holds(r, "div0_is_null"));
  BOOST_TEST(!f.holds(r, "div"));  // 100 > 1000 is false
  BOOST_TEST(f.holds(r, "pct"));
  BOOST_TEST(!f.holds(r, "null_arith"));
  r.set("company_size", std::int64_t{0});
  BOOST_TEST(!f.holds(r, "div"));  // division by zero: null, and the comparison is false
}

BOOST_AUTO_TEST_CASE(times_compare_against_an_explicit_now) {
  Fixture f(R"(  - { id: recent, when: last_activity >= now - 30d }
  - { id: trial, when: trial_started + 14d >= 2026-11-20 }
)");
  Record r = f.ev->record();
  r.set("last_activity", parse_datetime("2026-11-01T00:00:00+01:00").value());
  BOOST_TEST(f.holds(r, "recent"));  // 27 days before now
  r.set("last_activity", parse_datetime("2026-10-28T11:59:59Z").value());
  BOOST_TEST(!f.holds(r, "recent"));  // one second more than 30 days
  r.set("trial_started", Date{2026, 11, 6});
  BOOST_TEST(f.holds(r, "trial"));
  r.set("trial_started", Date{2026, 11, 5});
  BOOST_TEST(!f.holds(r, "trial"));
}

BOOST_AUTO_TEST_CASE(scores_sum_the_rules_that_hold_capped_at_max) {
  Fixture f("  - { id: good, when: fit_score >= 40 }\n");
  Record r = f.ev->record();
  auto idx = f.ev->score_index("fit_score").value();
  BOOST_TEST(f.ev->evaluate(r, f.now).scores[idx] == 0.0);
  r.set("company_size", std::int64_t{250});
  BOOST_TEST(f.ev->evaluate(r, f.now).scores[idx] == 20.0);
  BOOST_TEST(!f.holds(r, "good"));
  r.set("title", std::string("Head of Marketing"));
  BOOST_TEST(f.ev->evaluate(r, f.now).scores[idx] == 50.0);
  r.set("country", std::string("DE"));
  BOOST_TEST(f.ev->evaluate(r, f.now).scores[idx] == 50.0);  // 60 capped at 50
  BOOST_TEST(f.holds(r, "good"));
}

BOOST_AUTO_TEST_CASE(stage_is_the_furthest_whose_entry_holds) {
  auto loaded = test::load(R"(charter: 1
fields:
  - { id: company_size, type: integer }
  - { id: demo_requested, type: boolean }
criteria:
  - { id: mql, when: company_size >= 50 }
funnel:
  stages:
    - { id: lead }
    - { id: mql, entry: mql }
    - { id: sql, entry: mql and demo_requested }
    - { id: customer }
)");
  BOOST_TEST_REQUIRE(loaded.ok(), test::dump(loaded));
  Evaluator ev(loaded.charter());
  auto now = parse_datetime("2026-01-01T00:00:00Z").value();
  Record r = ev.record();
  BOOST_TEST(!ev.evaluate(r, now).stage.has_value());
  r.set("company_size", std::int64_t{60});
  BOOST_TEST(ev.evaluate(r, now).stage.value() == 1u);
  r.set("demo_requested", true);
  BOOST_TEST(ev.evaluate(r, now).stage.value() == 2u);
  r.set("company_size", std::int64_t{10});  // sql's entry needs mql too
  BOOST_TEST(!ev.evaluate(r, now).stage.has_value());
}

BOOST_AUTO_TEST_CASE(explanations_show_every_sub_expression_with_its_value) {
  Fixture f("  - { id: mql, when: 'fit_score >= 40 and country in [\"US\", \"DE\"]' }\n");
  Record r = f.ev->record();
  r.set("company_size", std::int64_t{250});
  r.set("country", std::string("DE"));
  auto e = f.ev->explain(r, f.now, "mql");
  BOOST_TEST_REQUIRE(e.has_value());
  std::string text = to_text(*e);
  BOOST_TEST(text.find("mql = false") == 0u, text);
  BOOST_TEST(text.find("fit_score >= 40 = false") != std::string::npos, text);
  BOOST_TEST(text.find("fit_score = 30") != std::string::npos, text);
  BOOST_TEST(text.find("company_size >= 200 (+20) = true") != std::string::npos, text);
  BOOST_TEST(text.find("country in [\"US\", \"DE\"] = true") != std::string::npos, text);
  BOOST_TEST(!f.ev->explain(r, f.now, "nope").has_value());
}

BOOST_AUTO_TEST_CASE(records_check_types_and_misuse_throws) {
  Fixture f("  - { id: x, when: company_size > 1 }\n");
  Record r = f.ev->record();
  BOOST_CHECK_THROW(r.set("company_size", std::string("12")), Error);
  BOOST_CHECK_THROW(r.set("no_such_field", std::int64_t{1}), Error);
  BOOST_CHECK_NO_THROW(r.set("revenue", std::int64_t{5}));  // integers are numbers
  BOOST_TEST(std::get<double>(r.get("revenue")) == 5.0);
  r.clear();
  BOOST_TEST(std::holds_alternative<std::monostate>(r.get("revenue")));
  Fixture other("  - { id: y, when: company_size > 1 }\n");
  BOOST_CHECK_THROW(other.ev->evaluate(r, other.now), Error);
  auto bad = test::load("charter: 1\ncriteria:\n  - { id: a, when: nope > 1 }\n");
  BOOST_CHECK_THROW(Evaluator{bad.charter()}, Error);
}

BOOST_AUTO_TEST_CASE(parse_datetime_needs_an_offset) {
  BOOST_TEST(parse_datetime("2026-01-01T00:00:00Z").value().epoch_seconds == 1767225600);
  BOOST_TEST(parse_datetime("2026-01-01T01:00:00+01:00").value().epoch_seconds == 1767225600);
  BOOST_TEST(parse_datetime("2026-01-01T00:00:00.250-00:30").value().epoch_seconds == 1767227400);
  BOOST_TEST(!parse_datetime("2026-01-01T00:00:00").has_value());
  BOOST_TEST(!parse_datetime("2026-02-30T00:00:00Z").has_value());
  BOOST_TEST(!parse_datetime("yesterday").has_value());
}

BOOST_AUTO_TEST_CASE(the_acme_charter_evaluates_and_one_evaluator_serves_many_threads) {
  auto loaded = load_charter({test::acme_dir()});
  BOOST_TEST_REQUIRE(loaded.ok(), test::dump(loaded));
  Evaluator ev(loaded.charter());
  auto now = parse_datetime("2026-11-28T12:00:00Z").value();
  Record empty = ev.record();
  auto base = ev.evaluate(empty, now);
  BOOST_TEST(base.criteria.size() == loaded.charter().criteria().size());
  BOOST_TEST(base.scores.size() == loaded.charter().scores().size());
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        auto r = ev.evaluate(empty, now);
        if (r.criteria != base.criteria || r.scores != base.scores) ++mismatches;
      }
    });
  for (auto& th : threads) th.join();
  BOOST_TEST(mismatches.load() == 0);
}

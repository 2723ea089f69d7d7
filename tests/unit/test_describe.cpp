// Expressions in plain language (charter::describe): every operator, literal and the
// parentheses that keep `and`/`or` unambiguous.
#define BOOST_TEST_MODULE charter_describe
#include <boost/test/unit_test.hpp>

#include <charter/charter.hpp>
#include <charter/describe.hpp>

#include <map>

#include "common.hpp"

using namespace charter;

namespace {

// One criteria per case: id -> (expression, the plain text expected).
const std::vector<std::tuple<std::string, std::string, std::string>> kCases = {
    {"eq", "country == \"US\"", "country is US"},
    {"ne", "country != \"US\"", "country is not US"},
    {"lt", "company_size < 50", "company size is less than 50"},
    {"le", "company_size <= 1000", "company size is at most 1,000"},
    {"gt", "annual_revenue > 2500000.5", "annual revenue is more than 2500000.5"},
    {"ge", "annual_revenue >= 1000000", "annual revenue is at least 1,000,000"},
    {"c_in", "country in [\"US\", \"CA\", \"DE\"]", "country is one of US, CA, DE"},
    {"not_in", "industry not in [\"retail\"]", "industry is none of retail"},
    {"c_between", "company_size between 50 and 5000", "company size is between 50 and 5,000"},
    {"is_null", "trial_started is null", "trial started is empty"},
    {"is_not_null", "trial_started is not null", "trial started is set"},
    {"c_matches", "email matches \"@acme\\\\.example$\"", "email matches the pattern \"@acme\\.example$\""},
    {"c_contains", "title contains \"VP\"", "title contains \"VP\""},
    {"c_starts_with", "title starts_with \"Head\"", "title starts with \"Head\""},
    {"c_ends_with", "email ends_with \".de\"", "email ends with \".de\""},
    {"list_contains", "products contains \"crm\"", "products contains \"crm\""},
    {"boolean", "demo_requested", "demo requested"},
    {"boolean_eq", "demo_requested == false", "demo requested is no"},
    {"c_not", "not demo_requested", "not demo requested"},
    {"not_comparison", "not (company_size < 50)", "not (company size is less than 50)"},
    {"c_and", "demo_requested and company_size >= 50", "demo requested and company size is at least 50"},
    {"or_in_and", "(demo_requested or trial_started is not null) and company_size >= 50",
     "(demo requested or trial started is set) and company size is at least 50"},
    {"and_in_or", "demo_requested and company_size >= 50 or country == \"US\"",
     "(demo requested and company size is at least 50) or country is US"},
    {"within", "last_activity >= now - 14d", "last activity is within the last 14 days"},
    {"less_than_ago", "last_activity > now - 1d", "last activity is less than 1 day ago"},
    {"at_least_ago", "last_activity <= now - 2w", "last activity is at least 2 weeks ago"},
    {"more_than_ago", "created_at < now - 90m", "created at is more than 90 minutes ago"},
    {"within_next", "created_at <= now + 8h", "created at is within the next 8 hours"},
    {"date", "trial_started >= 2026-01-01", "trial started is at least 2026-01-01"},
    {"datetime", "created_at < 2026-11-27T17:00:00+01:00", "created at is less than 2026-11-27 17:00 +01:00"},
    {"datetime_utc", "created_at < 2026-11-27T16:00:30Z", "created at is less than 2026-11-27 16:00:30 UTC"},
    {"arithmetic", "email_opens + page_views * 2 >= 10", "email opens + page views × 2 is at least 10"},
    {"parens", "(email_opens + page_views) * 2 >= 10", "(email opens + page views) × 2 is at least 10"},
    {"sub_right", "email_opens - (page_views - 1) > 0", "email opens - (page views - 1) is more than 0"},
    {"division", "annual_revenue / company_size > 100000", "annual revenue ÷ company size is more than 100,000"},
    {"negative", "email_opens > -1", "email opens is more than -1"},
    {"score", "fit >= 40", "fit is at least 40"},
    {"criteria", "eq and not ne", "eq and not ne"},
};

std::string charter_text() {
  std::string s = R"(charter: 1
fields:
  - { id: email, type: string }
  - { id: title, type: string }
  - { id: company_size, type: integer }
  - { id: annual_revenue, type: number }
  - { id: country, type: string }
  - { id: industry, type: string }
  - { id: products, type: list, values: [analytics, crm] }
  - { id: demo_requested, type: boolean }
  - { id: email_opens, type: integer }
  - { id: page_views, type: integer }
  - { id: trial_started, type: date }
  - { id: created_at, type: datetime }
  - { id: last_activity, type: datetime }
scores:
  - id: fit
    max: 100
    rules:
      - { when: "company_size >= 50", points: 40 }
criteria:
)";
  for (const auto& [id, expr, want] : kCases) {
    std::string quoted;
    for (char ch : expr) quoted += ch == '\'' ? std::string("''") : std::string(1, ch);
    s += "  - id: " + id + "\n    when: '" + quoted + "'\n";
  }
  return s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_operator_in_plain_language) {
  auto loaded = test::load(charter_text());
  BOOST_TEST_REQUIRE(loaded.ok(), test::dump(loaded));
  std::map<std::string, const Criteria*> by_id;
  for (const auto& c : loaded.charter().criteria()) by_id[std::string(c.id)] = &c;
  for (const auto& [id, expr, want] : kCases) {
    BOOST_TEST_CONTEXT(id << ": " << expr) {
      BOOST_TEST_REQUIRE(by_id.count(id));
      BOOST_TEST(describe(by_id[id]->when) == want);
    }
  }
}

BOOST_AUTO_TEST_CASE(percentages_and_the_acme_criteria) {
  auto loaded = load_charter({std::filesystem::path(CHARTER_SOURCE_DIR) / "examples" / "acme"});
  BOOST_TEST_REQUIRE(loaded.ok(), test::dump(loaded));
  std::map<std::string, std::string> text;
  for (const auto& c : loaded.charter().criteria()) text[std::string(c.id)] = describe(c.when);
  BOOST_TEST(text["icp_fit"] ==
             "company size is at least 50 and country is one of US, CA, GB, IE, DE, AT, CH, FR, NL, BE, SE, DK and "
             "industry is one of software, financial_services, manufacturing, retail, healthcare");
  for (const auto& s : loaded.charter().slas())
    if (s.applies_to) BOOST_TEST(describe(*s.applies_to).starts_with("country is one of "));
}

BOOST_AUTO_TEST_CASE(an_expression_with_errors_reads_as_written) {
  Expression broken;
  broken.text = "company_size >=";
  BOOST_TEST(describe(broken) == "company_size >=");
}

// The criteria language: the parser (src/expr/parser.hpp) on every construct, and the
// type checker through the loader.
#define BOOST_TEST_MODULE charter_expr
#include <boost/test/unit_test.hpp>

#include <charter/charter.hpp>

#include <cstdio>

#include "common.hpp"
#include "expr/parser.hpp"

using namespace charter;
namespace ex = charter::detail::expr;

namespace {

const char* op_name(Op op) {
  switch (op) {
    case Op::Or: return "or";
    case Op::And: return "and";
    case Op::Not: return "not";
    case Op::Neg: return "neg";
    case Op::Eq: return "==";
    case Op::Ne: return "!=";
    case Op::Lt: return "<";
    case Op::Le: return "<=";
    case Op::Gt: return ">";
    case Op::Ge: return ">=";
    case Op::In: return "in";
    case Op::NotIn: return "not-in";
    case Op::Between: return "between";
    case Op::IsNull: return "is-null";
    case Op::IsNotNull: return "is-not-null";
    case Op::Matches: return "matches";
    case Op::Contains: return "contains";
    case Op::StartsWith: return "starts_with";
    case Op::EndsWith: return "ends_with";
    case Op::Add: return "+";
    case Op::Sub: return "-";
    case Op::Mul: return "*";
    case Op::Div: return "/";
  }
  return "?";
}

/// The AST as an S-expression: `(and a (== b 1))`.
std::string show(const ExprNode& n) {
  switch (n.kind) {
    case ExprNode::Kind::Literal: {
      struct V {
        const ExprNode& n;
        std::string operator()(std::monostate) const { return "null"; }
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        std::string operator()(double d) const {
          char buf[64];
          std::snprintf(buf, sizeof buf, "%g", d);
          return (n.is_percent ? "pct:" : "dec:") + std::string(buf);
        }
        std::string operator()(const std::string& s) const { return "\"" + s + "\""; }
        std::string operator()(const Date& d) const {
          char buf[32];
          std::snprintf(buf, sizeof buf, "date:%04d-%02d-%02d", d.year, d.month, d.day);
          return buf;
        }
        std::string operator()(const DatetimeValue& v) const {
          return "dt:" + std::to_string(v.epoch_seconds) + "@" + std::to_string(v.offset_minutes);
        }
        std::string operator()(const DurationValue& v) const { return "dur:" + std::to_string(v.amount) + v.unit; }
      };
      return std::visit(V{n}, n.value);
    }
    case ExprNode::Kind::Name: return n.name;
    case ExprNode::Kind::List: {
      std::string s = "[";
      for (std::size_t i = 0; i < n.children.size(); ++i) s += (i ? " " : "") + show(*n.children[i]);
      return s + "]";
    }
    default: {
      std::string s = std::string("(") + op_name(n.op);
      for (const auto& c : n.children) s += " " + show(*c);
      return s + ")";
    }
  }
}

std::string parse_show(std::string_view text) {
  auto out = ex::parse(text);
  if (!out.root) return "ERROR@" + std::to_string(out.error.begin) + ": " + out.error.message;
  return show(*out.root);
}

/// Asserts that `text` fails to parse at byte `begin` with a message containing `needle`.
void syntax_error(std::string_view text, std::uint32_t begin, std::string_view needle) {
  auto out = ex::parse(text);
  BOOST_TEST_CONTEXT("expression: " << text) {
    BOOST_REQUIRE(!out.root);
    BOOST_TEST(out.error.begin == begin);
    BOOST_TEST(out.error.end > out.error.begin);
    BOOST_TEST(out.error.message.find(needle) != std::string::npos, out.error.message);
    BOOST_TEST(!out.error.label.empty());
  }
}

// ---- a charter around one expression ---------------------------------------------------------

const char* kFields = R"(charter: 1
fields:
  - { id: company_size, type: integer }
  - { id: revenue, type: number }
  - { id: country, type: string, values: [US, CA, DE, CN] }
  - { id: title, type: string }
  - { id: demo_requested, type: boolean }
  - { id: last_activity, type: datetime }
  - { id: trial_started, type: date }
  - { id: products, type: list, values: [analytics, crm, cms] }
scores:
  - id: fit_score
    rules:
      - { when: company_size >= 200, points: 20 }
criteria:
  - { id: big, when: company_size >= 1000 }
)";

std::string yaml_single_quoted(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

/// Loads kFields plus a criteria `subject` whose `when` is `expr`. The `when` value sits on
/// line 18, from column 11 (single-quoted: the expression starts at column 12).
LoadResult check(std::string_view expr, std::string extra = {}) {
  std::string y = kFields;
  y += "  - id: subject\n    when: " + yaml_single_quoted(expr) + "\n" + extra;
  return test::load(y);
}

const Criteria* subject(const LoadResult& r) { return r.charter().find_criteria("subject"); }

/// Asserts the expression type-checks and returns its root.
const ExprNode* typed(const LoadResult& r) {
  const Criteria* c = subject(r);
  BOOST_REQUIRE(c);
  BOOST_REQUIRE_MESSAGE(c->when.ok(), c->when.text << "\n" << test::dump(r));
  BOOST_TEST(r.ok(), test::dump(r));
  BOOST_TEST((c->when.root->type == ValueType::Boolean));
  return c->when.root.get();
}

/// Asserts loading gives exactly one `code` and no other error (and the subject has no AST).
/// Returns a copy: `r` is often a temporary.
Diagnostic only(const LoadResult& r, std::string_view code) {
  BOOST_TEST(test::count_code(r, code) == 1u, code << "\n" << test::dump(r));
  BOOST_TEST(test::error_codes(r).size() == 1u, test::dump(r));
  if (const Criteria* c = subject(r)) BOOST_TEST(!c->when.ok());
  return test::first(r, code);
}

}  // namespace

// ---- parser: structure and precedence ---------------------------------------------------------

BOOST_AUTO_TEST_SUITE(precedence)

BOOST_AUTO_TEST_CASE(boolean_operators) {
  BOOST_TEST(parse_show("a or b and c") == "(or a (and b c))");
  BOOST_TEST(parse_show("a and b or c") == "(or (and a b) c)");
  // `or` and `and` chains are one node with all their operands.
  BOOST_TEST(parse_show("a or b or c") == "(or a b c)");
  BOOST_TEST(parse_show("a and b and c or d") == "(or (and a b c) d)");
  BOOST_TEST(parse_show("not a and b") == "(and (not a) b)");
  BOOST_TEST(parse_show("not not a") == "(not (not a))");
  BOOST_TEST(parse_show("not (a and b)") == "(not (and a b))");
  BOOST_TEST(parse_show("not a == 1") == "(not (== a 1))");
  BOOST_TEST(parse_show("(a or b) and c") == "(and (or a b) c)");
}

BOOST_AUTO_TEST_CASE(between_combined_with_and) {
  BOOST_TEST(parse_show("x between 1 and 5") == "(between x 1 5)");
  BOOST_TEST(parse_show("x between 1 and 5 and y") == "(and (between x 1 5) y)");
  BOOST_TEST(parse_show("y and x between 1 and 5") == "(and y (between x 1 5))");
  BOOST_TEST(parse_show("x between 1 and 5 and y between 2 and 3") == "(and (between x 1 5) (between y 2 3))");
  BOOST_TEST(parse_show("x between a + 1 and b * 2 or z") == "(or (between x (+ a 1) (* b 2)) z)");
  BOOST_TEST(parse_show("not x between 1 and 2") == "(not (between x 1 2))");
}

BOOST_AUTO_TEST_CASE(membership) {
  BOOST_TEST(parse_show("country in [\"US\", \"CA\"]") == "(in country [\"US\" \"CA\"])");
  BOOST_TEST(parse_show("country not in [\"US\"]") == "(not-in country [\"US\"])");
  BOOST_TEST(parse_show("not country in [\"US\"]") == "(not (in country [\"US\"]))");
  BOOST_TEST(parse_show("x in [] or y") == "(or (in x []) y)");
  BOOST_TEST(parse_show("x in [1, 2 + 3]") == "(in x [1 (+ 2 3)])");
}

BOOST_AUTO_TEST_CASE(null_tests) {
  BOOST_TEST(parse_show("x is null") == "(is-null x)");
  BOOST_TEST(parse_show("x is not null") == "(is-not-null x)");
  BOOST_TEST(parse_show("x is null and y is not null") == "(and (is-null x) (is-not-null y))");
  BOOST_TEST(parse_show("not x is null") == "(not (is-null x))");
}

BOOST_AUTO_TEST_CASE(string_operators) {
  BOOST_TEST(parse_show("title matches \"(?i)vp\"") == "(matches title \"(?i)vp\")");
  BOOST_TEST(parse_show("products contains \"crm\"") == "(contains products \"crm\")");
  BOOST_TEST(parse_show("email starts_with \"info@\"") == "(starts_with email \"info@\")");
  BOOST_TEST(parse_show("email ends_with \".de\" and x") == "(and (ends_with email \".de\") x)");
}

BOOST_AUTO_TEST_CASE(comparisons) {
  BOOST_TEST(parse_show("a == 1") == "(== a 1)");
  BOOST_TEST(parse_show("a != 1") == "(!= a 1)");
  BOOST_TEST(parse_show("a < 1") == "(< a 1)");
  BOOST_TEST(parse_show("a <= 1") == "(<= a 1)");
  BOOST_TEST(parse_show("a > 1") == "(> a 1)");
  BOOST_TEST(parse_show("a >= 1") == "(>= a 1)");
  BOOST_TEST(parse_show("a>=1 and b") == "(and (>= a 1) b)");
}

BOOST_AUTO_TEST_CASE(arithmetic) {
  BOOST_TEST(parse_show("1 + 2 * 3") == "(+ 1 (* 2 3))");
  BOOST_TEST(parse_show("(1 + 2) * 3") == "(* (+ 1 2) 3)");
  BOOST_TEST(parse_show("1 - 2 - 3") == "(- (- 1 2) 3)");
  BOOST_TEST(parse_show("8 / 4 / 2") == "(/ (/ 8 4) 2)");
  BOOST_TEST(parse_show("a + b > c * 2") == "(> (+ a b) (* c 2))");
  BOOST_TEST(parse_show("a * b + c / d - e") == "(- (+ (* a b) (/ c d)) e)");
  BOOST_TEST(parse_show("now - 30d") == "(- now dur:30d)");
}

BOOST_AUTO_TEST_CASE(unary_minus) {
  BOOST_TEST(parse_show("-5") == "(neg 5)");
  BOOST_TEST(parse_show("- -x") == "(neg (neg x))");
  BOOST_TEST(parse_show("2 * -3") == "(* 2 (neg 3))");
  BOOST_TEST(parse_show("-a + b") == "(+ (neg a) b)");
  BOOST_TEST(parse_show("a - -b") == "(- a (neg b))");
  BOOST_TEST(parse_show("-(a + b)") == "(neg (+ a b))");
}

BOOST_AUTO_TEST_CASE(node_offsets) {
  auto out = ex::parse("  company_size >= 50");
  BOOST_REQUIRE(out.root);
  BOOST_TEST(out.root->begin == 2u);
  BOOST_TEST(out.root->end == 20u);
  BOOST_TEST(out.root->children[0]->begin == 2u);
  BOOST_TEST(out.root->children[0]->end == 14u);
  BOOST_TEST(out.root->children[1]->begin == 18u);
  auto paren = ex::parse("(a)");
  BOOST_REQUIRE(paren.root);
  BOOST_TEST(paren.root->begin == 0u);
  BOOST_TEST(paren.root->end == 3u);
}

BOOST_AUTO_TEST_CASE(keywords) {
  for (const char* k : {"and", "or", "not", "in", "is", "null", "true", "false", "between", "matches", "contains",
                        "starts_with", "ends_with"})
    BOOST_TEST(ex::is_keyword(k), k);
  for (const char* k : {"now", "id", "stage", "AND", "x"}) BOOST_TEST(!ex::is_keyword(k), k);
  auto out = ex::parse("now");
  BOOST_REQUIRE(out.root);
  BOOST_TEST((out.root->name_kind == NameKind::Now));
}

BOOST_AUTO_TEST_SUITE_END()

// ---- parser: literals -----------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(literals)

BOOST_AUTO_TEST_CASE(numbers) {
  BOOST_TEST(parse_show("42") == "42");
  BOOST_TEST(parse_show("0") == "0");
  BOOST_TEST(parse_show("3.25") == "dec:3.25");
  BOOST_TEST(parse_show("9223372036854775807") == "9223372036854775807");
  auto big = ex::parse("9223372036854775808");
  BOOST_TEST(!big.root);
}

BOOST_AUTO_TEST_CASE(strings_only_quote_and_backslash_are_escapes) {
  auto s = [](std::string_view text) {
    auto out = ex::parse(text);
    BOOST_REQUIRE_MESSAGE(out.root, text);
    return std::get<std::string>(out.root->value);
  };
  BOOST_TEST(s(R"("plain")") == "plain");
  BOOST_TEST(s(R"("say \"hi\"")") == "say \"hi\"");
  BOOST_TEST(s(R"("a\\b")") == "a\\b");
  BOOST_TEST(s(R"("\b")") == "\\b");  // the backslash stays: RE2 sees \b
  BOOST_TEST(s(R"("\b(vp|director)\b")") == "\\b(vp|director)\\b");
  BOOST_TEST(s(R"("\d+\.\d*")") == "\\d+\\.\\d*");
  BOOST_TEST(s(R"("\n")") == "\\n");  // no C escapes
  BOOST_TEST(s(R"("\\\"")") == "\\\"");
  BOOST_TEST(s(R"("")") == "");
  BOOST_TEST(s(R"("线索")") == "线索");
}

BOOST_AUTO_TEST_CASE(booleans_and_null) {
  BOOST_TEST(parse_show("true") == "true");
  BOOST_TEST(parse_show("false") == "false");
  BOOST_TEST(parse_show("null") == "null");
  BOOST_TEST(parse_show("x == true or y == null") == "(or (== x true) (== y null))");
}

BOOST_AUTO_TEST_CASE(durations) {
  struct Case {
    const char* text;
    std::int64_t amount;
    char unit;
    std::int64_t seconds;
  };
  for (const Case& c : {Case{"90m", 90, 'm', 5400}, Case{"24h", 24, 'h', 86400}, Case{"30d", 30, 'd', 2592000},
                        Case{"2w", 2, 'w', 1209600}}) {
    auto out = ex::parse(c.text);
    BOOST_REQUIRE_MESSAGE(out.root, c.text);
    auto* d = std::get_if<DurationValue>(&out.root->value);
    BOOST_REQUIRE(d);
    BOOST_TEST(d->amount == c.amount);
    BOOST_TEST(d->unit == c.unit);
    BOOST_TEST(d->seconds() == c.seconds);
  }
  BOOST_TEST(!ex::parse("30days").root);
  BOOST_TEST(!ex::parse("1.5h").root);
}

BOOST_AUTO_TEST_CASE(dates) {
  BOOST_TEST(parse_show("2026-01-01") == "date:2026-01-01");
  BOOST_TEST(parse_show("2024-02-29") == "date:2024-02-29");
  BOOST_TEST(parse_show("x >= 2026-12-31") == "(>= x date:2026-12-31)");
  syntax_error("x > 2023-02-29", 4, "invalid date");
  syntax_error("2026-13-01", 0, "invalid date");
}

BOOST_AUTO_TEST_CASE(datetimes_and_epoch_seconds) {
  // 2026-01-01T00:00:00Z is 1,767,225,600 s after the epoch.
  BOOST_TEST(parse_show("1970-01-01T00:00:00Z") == "dt:0@0");
  BOOST_TEST(parse_show("2026-01-01T09:00:00Z") == "dt:1767258000@0");
  BOOST_TEST(parse_show("2026-01-01T09:00:00z") == "dt:1767258000@0");
  BOOST_TEST(parse_show("2026-01-01T09:00Z") == "dt:1767258000@0");
  BOOST_TEST(parse_show("2026-01-01T09:00:00+01:00") == "dt:1767254400@60");
  BOOST_TEST(parse_show("2026-01-01T09:00:00-05:30") == "dt:1767277800@-330");
  BOOST_TEST(parse_show("2026-01-01T09:00:00.250Z") == "dt:1767258000@0");
  BOOST_TEST(parse_show("2000-02-29T23:59:59Z") == "dt:951868799@0");
  BOOST_TEST(parse_show("1969-12-31T23:59:59Z") == "dt:-1@0");
  BOOST_TEST(parse_show("x < 2026-01-01T00:00:00+00:00") == "(< x dt:1767225600@0)");
}

BOOST_AUTO_TEST_CASE(datetime_without_offset_is_an_error) {
  syntax_error("x > 2026-01-01T09:00:00", 4, "offset");
  syntax_error("2026-01-01T09:00", 0, "offset");
  syntax_error("2026-01-01T25:00:00Z", 0, "malformed datetime");
  syntax_error("2026-01-01T9:00Z", 0, "malformed datetime");
}

BOOST_AUTO_TEST_CASE(percentages_are_fractions) {
  BOOST_TEST(parse_show("30%") == "pct:0.3");
  BOOST_TEST(parse_show("12.5%") == "pct:0.125");
  BOOST_TEST(parse_show("100%") == "pct:1");
  auto out = ex::parse("30%");
  BOOST_REQUIRE(out.root);
  BOOST_TEST(out.root->is_percent);
  BOOST_TEST(std::get<double>(out.root->value) == 0.3, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(lists) {
  BOOST_TEST(parse_show("[1, 2, 3]") == "[1 2 3]");
  BOOST_TEST(parse_show("[]") == "[]");
  BOOST_TEST(parse_show("[\"a\", [1]]") == "[\"a\" [1]]");
  BOOST_TEST(parse_show("[30d, 2w]") == "[dur:30d dur:2w]");
}

BOOST_AUTO_TEST_SUITE_END()

// ---- parser: syntax errors -----------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(syntax_errors)

BOOST_AUTO_TEST_CASE(chained_comparisons) {
  syntax_error("a < b < c", 6, "chained");
  syntax_error("1 == x == 2", 7, "chained");
  syntax_error("x between 1 and 2 between 3 and 4", 18, "chained");
  syntax_error("x is null is null", 10, "chained");
}

BOOST_AUTO_TEST_CASE(single_equals) {
  syntax_error("country = \"US\"", 8, "`=`");
  auto out = ex::parse("country = \"US\"");
  BOOST_TEST(out.error.label.find("==") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(single_quotes) { syntax_error("country == 'US'", 11, "double quotes"); }

BOOST_AUTO_TEST_CASE(unterminated_string) {
  syntax_error("title == \"abc", 9, "unterminated");
  syntax_error("title == \"abc\\\"", 9, "unterminated");  // the closing quote is escaped
}

BOOST_AUTO_TEST_CASE(thousands_separators) {
  syntax_error("revenue > 1,000", 10, "thousands");
  auto out = ex::parse("revenue > 1,000");
  BOOST_TEST(out.error.end == 15u);
  BOOST_TEST(parse_show("x in [1, 000]") == "(in x [1 0])");  // a space makes it a list
}

BOOST_AUTO_TEST_CASE(other_mistakes) {
  syntax_error("", 0, "empty");
  syntax_error("   ", 3, "empty");
  syntax_error("a and", 5, "early");
  syntax_error("(a", 2, ")");
  syntax_error("a)", 1, "unexpected");
  syntax_error("a b", 2, "unexpected name `b`");
  syntax_error("a && b", 2, "`&`");
  syntax_error("a || b", 2, "`|`");
  syntax_error("!a", 0, "`!`");
  syntax_error("a <> b", 2, "`<>`");
  syntax_error("x in \"US\"", 5, "list");
  syntax_error("x is 5", 5, "null");
  syntax_error("x between 1 or 2", 12, "`and`");
  syntax_error("[1, 2", 5, "]");
  syntax_error("x == and", 5, "`and`");
  syntax_error("x == 30days", 5, "malformed number");
  syntax_error("x == 1.5.2", 5, "malformed number");
  syntax_error("x == #", 5, "unexpected character");
  syntax_error("x == 线", 5, "unexpected character `线`");
}

BOOST_AUTO_TEST_CASE(nesting_limits) {
  std::string ok = std::string(50, '(') + "a" + std::string(50, ')');
  BOOST_TEST(ex::parse(ok).root != nullptr);
  std::string deep = std::string(1000, '(') + "a" + std::string(1000, ')');
  auto out = ex::parse(deep);
  BOOST_TEST(!out.root);
  BOOST_TEST(out.error.message.find("deep") != std::string::npos, out.error.message);
  std::string nots;
  for (int i = 0; i < 1000; ++i) nots += "not ";
  BOOST_TEST(!ex::parse(nots + "a").root);
  std::string negs(1000, '-');
  BOOST_TEST(!ex::parse(negs + "1").root);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- type checking through the loader -----------------------------------------------------------

BOOST_AUTO_TEST_SUITE(types)

BOOST_AUTO_TEST_CASE(well_typed_expressions) {
  for (const char* e : {
           "company_size >= 50 and country in [\"US\", \"CA\", \"DE\"]",
           "company_size between 50 and 5000",
           "revenue > 1000000 or company_size > 100",
           "revenue * 10% > company_size",
           "title matches \"(?i)\\b(vp|director|head)\\b\"",
           "title starts_with \"VP\" or title ends_with \"Officer\" or title contains \"Sales\"",
           "products contains \"crm\"",
           "country is null or country is not null",
           "not demo_requested",
           "demo_requested == true",
           "fit_score >= 40 and big",
           "last_activity >= now - 30d",
           "last_activity between now - 2w and now",
           "now - last_activity > 7d",
           "trial_started + 14d >= trial_started",
           "trial_started >= 2026-01-01",
           "last_activity < 2026-01-01T00:00:00Z",
           "-company_size < 0",
           "company_size / 0 > 1",
           "country not in [\"CN\"]",
           "\"DE\" == country",
       }) {
    auto r = check(e);
    BOOST_TEST_CONTEXT(e) { typed(r); }
  }
}

BOOST_AUTO_TEST_CASE(names_resolve_to_their_kind_and_type) {
  auto r = check("company_size > 1 and fit_score > 1 and big and last_activity < now");
  const ExprNode* root = typed(r);
  // (and (company_size > 1) (fit_score > 1) big (last_activity < now))
  BOOST_TEST(root->children.size() == 4u);
  const ExprNode* big = root->children[2].get();
  BOOST_TEST((big->name_kind == NameKind::Criteria));
  BOOST_TEST((big->type == ValueType::Boolean));
  const ExprNode* fit = root->children[1]->children[0].get();
  BOOST_TEST(fit->name == "fit_score");
  BOOST_TEST((fit->name_kind == NameKind::Score));
  BOOST_TEST((fit->type == ValueType::Number));
  const ExprNode* size = root->children[0]->children[0].get();
  BOOST_TEST((size->name_kind == NameKind::Field));
  BOOST_TEST((size->type == ValueType::Integer));
  const ExprNode* now = root->children[3]->children[1].get();
  BOOST_TEST((now->name_kind == NameKind::Now));
  BOOST_TEST((now->type == ValueType::Datetime));
}

BOOST_AUTO_TEST_CASE(now_minus_a_duration_is_a_datetime) {
  auto r = check("last_activity >= now - 30d");
  const ExprNode* root = typed(r);
  BOOST_TEST((root->children[1]->type == ValueType::Datetime));
  BOOST_TEST((root->children[1]->children[1]->type == ValueType::Duration));
  auto diff = check("now - last_activity > 7d");
  BOOST_TEST((typed(diff)->children[0]->type == ValueType::Duration));
}

BOOST_AUTO_TEST_CASE(date_arithmetic) {
  auto r = check("trial_started + 14d >= 2026-01-01");
  BOOST_TEST((typed(r)->children[0]->type == ValueType::Date));
  auto weeks = check("trial_started - 2w < trial_started");
  BOOST_TEST((typed(weeks)->children[0]->type == ValueType::Date));
  const Diagnostic hours = only(check("trial_started + 2h > trial_started"), "CH0502");
  BOOST_TEST(hours.message.find("days or weeks") != std::string::npos, hours.message);
  const Diagnostic bare = only(check("last_activity > now - 30"), "CH0502");
  BOOST_TEST(bare.help.find("30d") != std::string::npos, bare.help);
}

BOOST_AUTO_TEST_CASE(arithmetic_result_types) {
  auto ints = check("company_size + 1 > 0");
  BOOST_TEST((typed(ints)->children[0]->type == ValueType::Integer));
  auto div = check("company_size / 2 > 0");
  BOOST_TEST((typed(div)->children[0]->type == ValueType::Number), "`/` is real division");
  auto pct = check("company_size * 50% > 0");
  BOOST_TEST((typed(pct)->children[0]->type == ValueType::Number));
}

BOOST_AUTO_TEST_CASE(comparisons_with_null_are_CH0510) {
  const Diagnostic ne = only(check("country != null"), "CH0510");
  BOOST_TEST(ne.help.find("is not null") != std::string::npos);
  BOOST_TEST(ne.span.line == 18);
  BOOST_TEST(ne.span.column == 23);  // `null`: the expression starts at column 12
  BOOST_TEST(ne.span.end_column == 27);
  const Diagnostic eq = only(check("null == country"), "CH0510");
  BOOST_TEST(eq.help.find("is null") != std::string::npos);
  only(check("company_size between null and 5"), "CH0510");
  auto in_list = check("country in [\"US\", null]");
  BOOST_TEST(test::count_code(in_list, "CH0510") == 1u, test::dump(in_list));
  only(in_list, "CH0510");
}

BOOST_AUTO_TEST_CASE(type_mismatches_are_CH0502) {
  only(check("country == 5"), "CH0502");
  only(check("title > 5"), "CH0502");
  only(check("company_size and demo_requested"), "CH0502");
  only(check("demo_requested or revenue"), "CH0502");
  only(check("demo_requested > false"), "CH0502");
  only(check("not company_size"), "CH0502");
  only(check("-title == \"x\""), "CH0502");
  only(check("company_size + title > 3"), "CH0502");
  only(check("company_size matches \"1\""), "CH0502");
  only(check("title matches title"), "CH0502");
  only(check("title contains 5"), "CH0502");
  only(check("company_size starts_with \"1\""), "CH0502");
  only(check("products in [\"crm\"]"), "CH0502");
  auto mixed = check("company_size in [1, \"two\"]");
  BOOST_TEST(test::has_code(mixed, "CH0502"), test::dump(mixed));
  only(mixed, "CH0502");
  only(check("company_size between \"a\" and \"b\""), "CH0502");
  only(check("last_activity > 5"), "CH0502");
  const Diagnostic list = only(check("products == \"crm\""), "CH0502");
  BOOST_TEST(list.help.find("contains") != std::string::npos, list.help);
}

BOOST_AUTO_TEST_CASE(a_number_or_score_is_not_a_condition) {
  const Diagnostic score = only(check("fit_score"), "CH0502");
  BOOST_TEST(score.message.find("boolean") != std::string::npos, score.message);
  BOOST_TEST(score.help.find(">=") != std::string::npos, score.help);
  only(check("company_size + 1"), "CH0502");
  only(check("\"yes\""), "CH0502");
  const Diagnostic n = only(check("fit_score and big"), "CH0502");
  BOOST_TEST(n.span.column == 12);
  BOOST_TEST(n.span.end_column == 21);
}

BOOST_AUTO_TEST_CASE(unknown_names_with_did_you_mean) {
  const Diagnostic f = only(check("compnay_size > 5"), "CH0303");
  BOOST_REQUIRE(f.suggestion);
  BOOST_TEST(*f.suggestion == "company_size");
  BOOST_TEST(f.help.find("company_size") != std::string::npos);
  BOOST_TEST(f.span.column == 12);
  BOOST_TEST(f.span.end_column == 24);
  const Diagnostic s = only(check("fit_scor > 5"), "CH0304");
  BOOST_REQUIRE(s.suggestion);
  BOOST_TEST(*s.suggestion == "fit_score");
  const Diagnostic c = only(check("bigg and demo_requested"), "CH0305");
  BOOST_REQUIRE(c.suggestion);
  BOOST_TEST(*c.suggestion == "big");
  const Diagnostic u = only(check("zzzzzz > 5"), "CH0503");
  BOOST_TEST(!u.suggestion.has_value());
  const Diagnostic today = only(check("last_activity > today"), "CH0503");
  BOOST_TEST(today.help.find("now") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(ambiguous_names_are_CH0504) {
  auto r = check("big and demo_requested", "fields:\n  - { id: big, type: boolean }\n");
  BOOST_REQUIRE_EQUAL(test::count_code(r, "CH0504"), 1u);
  const Diagnostic d = test::first(r, "CH0504");
  BOOST_TEST(d.span.line == 18);
  BOOST_TEST(d.span.column == 12);
  BOOST_TEST(d.related.size() == 2u);
  for (const auto& rel : d.related) BOOST_TEST(rel.span.line > 0);
}

BOOST_AUTO_TEST_CASE(regex_errors_are_CH0505) {
  const Diagnostic look = only(check("title matches \"foo(?=bar)\""), "CH0505");
  BOOST_TEST(look.help.find("lookaround") != std::string::npos, look.help);
  BOOST_TEST(look.span.line == 18);
  BOOST_TEST(look.span.column >= 26);  // inside the pattern literal (it starts at column 26)
  BOOST_TEST(look.span.end_column <= 38);
  only(check("title matches \"(?<!x)y\""), "CH0505");
  only(check("title matches \"(abc\""), "CH0505");
  only(check("title matches \"a{2,1}\""), "CH0505");
  only(check("title matches \"(a)\\1\""), "CH0505");  // backreference
  // Backslash escapes reach RE2 untouched.
  typed(check("title matches \"\\bvp\\b\""));
  typed(check("title matches \"\\d+\\.\\d+\""));
}

BOOST_AUTO_TEST_CASE(huge_regex_is_CH0509) {
  auto r = check("title matches \"(abcdefgh|ijklmnop|qrstuvwx){1000}\"");
  BOOST_TEST(test::has_code(r, "CH0509"), test::dump(r));
  BOOST_TEST(!r.ok());
}

BOOST_AUTO_TEST_CASE(enum_values_are_CH0506) {
  const Diagnostic de = only(check("country == \"de\""), "CH0506");
  BOOST_REQUIRE(de.suggestion);
  BOOST_TEST(*de.suggestion == "\"DE\"");
  BOOST_TEST(de.help.find("\"DE\"") != std::string::npos, de.help);
  BOOST_TEST(de.message.find("country") != std::string::npos);
  BOOST_TEST(de.span.column == 23);
  BOOST_TEST(de.span.end_column == 27);
  const Diagnostic far = only(check("country in [\"US\", \"Germany\"]"), "CH0506");
  BOOST_TEST(!far.suggestion.has_value());
  BOOST_TEST(far.help.find("US") != std::string::npos, "lists the values: " << far.help);
  only(check("\"Germny\" != country"), "CH0506");
  const Diagnostic picklist = only(check("products contains \"crmm\""), "CH0506");
  BOOST_REQUIRE(picklist.suggestion);
  BOOST_TEST(*picklist.suggestion == "\"crm\"");
  typed(check("title == \"anything\""));  // a field without values takes any string
}

BOOST_AUTO_TEST_CASE(criteria_cycles_are_CH0507) {
  auto r =
      test::load(std::string(kFields) + "  - { id: a, when: b and demo_requested }\n  - { id: b, when: a or big }\n");
  BOOST_TEST(test::count_code(r, "CH0507") >= 1u, test::dump(r));
  const Diagnostic d = test::first(r, "CH0507");
  BOOST_TEST(d.span.line >= 18);
  BOOST_TEST(d.message.find("a") != std::string::npos);
  BOOST_TEST((!r.charter().find_criteria("a")->when.ok() || !r.charter().find_criteria("b")->when.ok()));
  auto self = test::load(std::string(kFields) + "  - { id: a, when: a and demo_requested }\n");
  BOOST_TEST(test::count_code(self, "CH0507") == 1u, test::dump(self));
  BOOST_TEST(test::first(self, "CH0507").span.column == 20);
}

BOOST_AUTO_TEST_CASE(cycle_through_a_score_is_CH0507) {
  auto r = test::load(std::string(kFields) +
                      "  - { id: hot, when: warmth > 10 }\n"
                      "scores:\n  - id: warmth\n    rules:\n      - { when: hot, points: 5 }\n");
  BOOST_TEST(test::count_code(r, "CH0507") >= 1u, test::dump(r));
}

BOOST_AUTO_TEST_CASE(score_self_reference_is_CH0508) {
  auto r = test::load(R"(charter: 1
fields:
  - { id: company_size, type: integer }
scores:
  - id: fit_score
    rules:
      - { when: company_size > 10, points: 5 }
      - { when: fit_score > 10, points: 5 }
)");
  BOOST_REQUIRE_EQUAL(test::count_code(r, "CH0508"), 1u);
  const Diagnostic d = test::first(r, "CH0508");
  BOOST_TEST(d.span.line == 8);
  BOOST_TEST(d.span.column == 17);
  BOOST_TEST(d.span.end_column == 26);
  BOOST_TEST(d.span.pointer == "/scores/0/rules/1/when");
  BOOST_TEST(!test::has_code(r, "CH0507"));
}

BOOST_AUTO_TEST_CASE(syntax_errors_through_the_loader_are_CH0501_at_the_column) {
  const Diagnostic eq = only(check("country = \"US\""), "CH0501");
  BOOST_TEST(eq.span.line == 18);
  BOOST_TEST(eq.span.column == 20);
  const Diagnostic chained = only(check("1 < company_size < 10"), "CH0501");
  BOOST_TEST(chained.span.column == 29);
  const Diagnostic end = only(check("company_size >="), "CH0501");
  BOOST_TEST(end.span.column == 27, "one column after the expression");
  const Diagnostic q = only(check("country == 'US'"), "CH0501");
  BOOST_TEST(q.span.column == 23);  // `''` in the YAML source is one `'` of the expression
}

BOOST_AUTO_TEST_CASE(entry_names_a_criteria_or_is_an_expression) {
  auto r = test::load(std::string(kFields) + R"(glossary:
  - { id: lead, term: Lead }
funnel:
  stages:
    - { id: s1, entry: big }
    - { id: s2, entry: big and demo_requested }
    - { id: s3, entry: lead }
    - { id: s4, entry: bgi }
)");
  BOOST_TEST(r.charter().stage("s1")->entry->ok());
  BOOST_TEST(r.charter().stage("s2")->entry->ok());
  auto crit = test::with_code(r, "CH0305");
  BOOST_REQUIRE_EQUAL(crit.size(), 2u);
  BOOST_TEST(crit[0]->help.find("glossary term") != std::string::npos, crit[0]->help);
  BOOST_REQUIRE(crit[1]->suggestion);
  BOOST_TEST(*crit[1]->suggestion == "big");
}

BOOST_AUTO_TEST_CASE(sla_applies_to_is_checked) {
  auto r = test::load(std::string(kFields) + R"(teams:
  - { id: a, name: A }
  - { id: b, name: B }
slas:
  - { id: x, type: volume, provider: a, customer: b, count: { activity: [call] }, at_least: 5, period: week,
      applies_to: country == "Germany" }
)");
  BOOST_REQUIRE_EQUAL(test::count_code(r, "CH0506"), 1u);
  BOOST_TEST(test::first(r, "CH0506").span.pointer == "/slas/0/applies_to");
  BOOST_TEST(test::first(r, "CH0506").span.line == 22);
}

BOOST_AUTO_TEST_CASE(reserved_ids_cannot_name_fields_scores_or_criteria) {
  auto r = test::load(
      "charter: 1\nfields:\n  - { id: stage, type: string }\n  - { id: now, type: datetime }\n"
      "criteria:\n  - { id: and, when: \"true\" }\n");
  BOOST_TEST(test::count_code(r, "CH0207") == 3u, test::dump(r));
}

BOOST_AUTO_TEST_SUITE_END()

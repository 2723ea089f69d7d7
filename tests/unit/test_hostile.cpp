// Bad input is a first-class test subject: malformed, hostile and huge inputs must give a
// clean, located diagnostic, never an exception, a crash or a hang.
#define BOOST_TEST_MODULE charter_hostile
#include <boost/test/unit_test.hpp>

#include <charter/charter.hpp>
#include <charter/render.hpp>

#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <sstream>

#include "common.hpp"
#include "yaml/tree.hpp"

using namespace charter;
using test::TempDir;
namespace fs = std::filesystem;

namespace {

/// Loads `bytes` as a string; asserts no exception escapes, and that rendering the result
/// in every format does not throw either.
LoadResult safe_load(std::string_view bytes, const LoadOptions& opt = {}, bool render_all = true) {
  LoadResult r;
  BOOST_REQUIRE_NO_THROW(r = load_charter_from_string(bytes, "hostile.yaml", opt));
  if (!render_all) return r;
  for (auto f :
       {OutputFormat::Text, OutputFormat::Json, OutputFormat::Sarif, OutputFormat::Github, OutputFormat::Junit}) {
    std::ostringstream out;
    BOOST_REQUIRE_NO_THROW(render(out, f, r));
  }
  return r;
}

/// Asserts `r` is not ok, has `code` at error severity, and the first one is located at
/// `line` (> 0) when `line` is given, or names the file when it is 0. Returns a copy (`r` is
/// often a temporary).
Diagnostic expect(const LoadResult& r, std::string_view code, int line = -1) {
  BOOST_TEST(!r.ok());
  BOOST_TEST(test::has_code(r, code), code << "\n" << test::dump(r));
  const Diagnostic d = test::first(r, code);
  BOOST_TEST(d.severity == Severity::Error);
  BOOST_TEST(!d.message.empty());
  BOOST_TEST(!d.span.file.empty());
  if (line > 0) {
    BOOST_TEST(d.span.line == line, code);
    BOOST_TEST(d.span.column >= 1);
    BOOST_TEST(d.span.end_line >= d.span.line);
  } else if (line < 0) {
    BOOST_TEST(d.span.line > 0, code << " has a line");
  }
  return d;
}

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

// ---- YAML ---------------------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(yaml)

BOOST_AUTO_TEST_CASE(malformed_yaml) {
  expect(safe_load("charter: 1\nteams: [{id: a, name: A}\n"), "CH0101");
  auto colon = safe_load("charter: 1\nglossary:\n  - id: lead\n    definition: A person. Note: not qualified.\n");
  const Diagnostic d = expect(colon, "CH0101", 4);
  BOOST_TEST(d.message.find("YAML") != std::string::npos);
  expect(safe_load("charter: 1\nteams:\n  - id: a\n   name: A\n"), "CH0101");
  expect(safe_load("charter: 1\n}\n"), "CH0101");
  expect(safe_load("charter: 1\nteams: *nowhere\n"), "CH0101");
  expect(safe_load("charter: 1\n[a, b]: c\n"), "CH0204", 2);  // well-formed, but keys are strings
}

BOOST_AUTO_TEST_CASE(unterminated_quoted_scalar) {
  // yaml-cpp takes the rest of the file as the value of a quote left open at the end.
  const Diagnostic d =
      expect(safe_load("charter: 1\nglossary:\n  - id: lead\n    term: \"Lead\n    definition: x\n"), "CH0101", 4);
  BOOST_TEST(d.span.column == 11);
  expect(safe_load("charter: 1\nx-a: 'abc\n"), "CH0101", 2);
  expect(safe_load("charter: 1\nx-a: [\"abc]\n"), "CH0101");
  // Quotes inside other scalars, and escaped quotes, are not open quotes.
  auto fine = safe_load("charter: 1\nteams: [{id: a, name: \"say \\\"hi\\\"\"}]\nx-b: it's\nx-c: 'it''s'\n");
  BOOST_TEST(fine.ok(), test::dump(fine));
}

BOOST_AUTO_TEST_CASE(tab_indentation) {
  const Diagnostic d = expect(safe_load("charter: 1\nteams:\n\t- { id: a, name: A }\n"), "CH0103", 3);
  BOOST_TEST(d.span.column == 1);
  auto nested = safe_load("charter: 1\nteams:\n  - id: a\n  \tname: A\n");
  BOOST_TEST(!nested.ok());
  BOOST_TEST((test::has_code(nested, "CH0103") || test::has_code(nested, "CH0101")), test::dump(nested));
  // A tab inside a value is no indentation.
  auto inside = safe_load("charter: 1\nteams:\n  - { id: a, name: \"A\tB\" }\n  - id: b\n    name: B\tC\n");
  BOOST_TEST(inside.ok(), test::dump(inside));
}

BOOST_AUTO_TEST_CASE(multiple_documents) {
  const Diagnostic d = expect(safe_load("charter: 1\n---\ncharter: 1\n"), "CH0106", 2);
  BOOST_TEST(d.span.column == 1);
}

BOOST_AUTO_TEST_CASE(unsupported_tags) {
  expect(safe_load("charter: 1\nx-blob: !!binary aGVsbG8=\n"), "CH0107", 2);
  expect(safe_load("charter: 1\nteams: !custom [a]\n"), "CH0107", 2);
  auto str = safe_load("charter: 1\nteams: [{id: a, name: !!str 12}]\nx-end: 1\n");
  BOOST_TEST(str.ok(), "!!str is part of the core schema\n" << test::dump(str));
  BOOST_TEST(str.charter().team("a")->name == "12");
  auto last = safe_load("charter: 1\nteams: [{id: a, name: !!str 12}]\n");
  BOOST_TEST(last.ok(), test::dump(last));
}

BOOST_AUTO_TEST_CASE(small_aliases_are_fine) {
  auto r = safe_load("charter: 1\nteams:\n  - &t { id: a, name: A }\nx-copy: *t\n");
  BOOST_TEST(r.ok(), test::dump(r));
}

BOOST_AUTO_TEST_CASE(complex_keys) {
  auto r = safe_load("charter: 1\nteams:\n  - { id: a, name: A, ? [x]: y }\n");
  BOOST_TEST(!r.ok());
  BOOST_TEST(r.diagnostics().size() >= 1u);
  for (const auto& d : r.diagnostics()) BOOST_TEST(d.span.line > 0, d);
}

BOOST_AUTO_TEST_CASE(crlf_line_endings) {
  auto r = safe_load("charter: 1\r\nteams:\r\n  - { id: a, name: A, nmae: x }\r\n");
  const Diagnostic d = expect(r, "CH0203", 3);
  BOOST_TEST(d.span.column == 23);
  BOOST_TEST(r.source_line("hostile.yaml", 3) == "  - { id: a, name: A, nmae: x }");
  auto ok = safe_load("charter: 1\r\nteams:\r\n  - id: a\r\n    name: A\r\n");
  BOOST_TEST(ok.ok(), test::dump(ok));
  BOOST_REQUIRE(ok.charter().team("a"));
  BOOST_TEST(ok.charter().team("a")->name == "A");
}

BOOST_AUTO_TEST_SUITE_END()

// ---- empty and non-text files ---------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(content)

BOOST_AUTO_TEST_CASE(empty_whitespace_and_comment_only_files) {
  for (const char* text : {"", "   \n\n  \n", "\n", "# just a comment\n# and another\n", "---\n", "...\n"}) {
    auto r = safe_load(text);
    BOOST_TEST_CONTEXT("[" << text << "]") {
      const Diagnostic d = expect(r, "CH0004", 0);
      BOOST_TEST(d.span.file == "hostile.yaml");
      BOOST_TEST(r.diagnostics().size() == 1u, test::dump(r));
    }
  }
}

BOOST_AUTO_TEST_CASE(root_that_is_not_a_mapping) {
  expect(safe_load("just a string\n"), "CH0201", 1);
  expect(safe_load("- charter: 1\n"), "CH0201", 1);
  expect(safe_load("42\n"), "CH0201", 1);
  expect(safe_load("~\n"), "CH0201", 1);
}

BOOST_AUTO_TEST_CASE(binary_nul_bytes) {
  using namespace std::string_literals;
  const Diagnostic d = expect(safe_load("charter: 1\nteams: \0\0\0\x01\x02"s), "CH0003", 2);
  BOOST_TEST(d.span.column == 8);
  expect(safe_load("\0"s), "CH0003", 1);
  std::string png = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR"s;
  auto r = safe_load(png);
  BOOST_TEST(!r.ok());
  BOOST_TEST((test::has_code(r, "CH0003") || test::has_code(r, "CH0002")), test::dump(r));
}

BOOST_AUTO_TEST_CASE(invalid_utf8) {
  // Overlong encoding of '/', a UTF-16 surrogate, a sequence cut off by the end of the file.
  const Diagnostic overlong = expect(safe_load("charter: 1\nteams: [{id: a, name: \xC0\xAF}]\n"), "CH0002", 2);
  BOOST_TEST(overlong.span.column == 23);
  BOOST_TEST(overlong.message.find("0xC0") != std::string::npos, overlong.message);
  const Diagnostic sur = expect(safe_load("charter: 1\nteams: [{id: a, name: \"\xED\xA0\x80\"}]\n"), "CH0002", 2);
  BOOST_TEST(sur.span.column == 24);
  const Diagnostic cut = expect(safe_load("charter: 1\n# 线索 \xE7\xBA"), "CH0002", 2);
  BOOST_TEST(cut.span.column == 6);  // after "# 线索 ": columns count code points
  expect(safe_load("charter: 1\nx-a: \xFF\n"), "CH0002", 2);
  expect(safe_load("charter: 1\nx-a: \x80\n"), "CH0002", 2);
  expect(safe_load("charter: 1\nx-a: \xF4\x90\x80\x80\n"), "CH0002", 2);  // above U+10FFFF
}

BOOST_AUTO_TEST_CASE(utf16_and_utf32_byte_order_marks) {
  using namespace std::string_literals;
  std::string le = "\xFF\xFE"s;
  for (char c : std::string("charter: 1\n")) le += std::string(1, c) + "\0"s;
  const Diagnostic d = expect(safe_load(le), "CH0006", 1);
  BOOST_TEST(d.message.find("UTF-16") != std::string::npos);
  std::string be = "\xFE\xFF"s;
  for (char c : std::string("charter: 1\n")) be += "\0"s + std::string(1, c);
  expect(safe_load(be), "CH0006", 1);
  expect(safe_load("\0\0\xFE\xFF\0\0\0c"s), "CH0006", 1);
  // A UTF-8 BOM is allowed.
  BOOST_TEST(safe_load("\xEF\xBB\xBF"
                       "charter: 1\n")
                 .ok());
}

BOOST_AUTO_TEST_CASE(control_characters) {
  auto r = safe_load("charter: 1\nteams: [{id: a, name: \"a\x01\x1b[31m\"}]\n");
  BOOST_TEST(r.diagnostics().size() <= 1u, test::dump(r));  // either accepted or one clean error
  for (const auto& d : r.diagnostics()) BOOST_TEST(d.span.line > 0);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- wrong types ------------------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(types)

BOOST_AUTO_TEST_CASE(wrong_type_for_every_section) {
  const char* y = R"(charter: 1
organization: Acme
x-fine: 5
teams: sales
glossary: { lead: Lead }
fields: 5
scores: true
criteria: "mql"
funnel: [lead, mql]
calendars: emea
slas: 1.5
goals: yes
meetings: { every: 4w }
lint: [a]
)";
  auto r = safe_load(y);
  auto wrong = test::with_code(r, "CH0204");
  std::set<int> lines;
  for (auto* d : wrong) {
    BOOST_TEST(d->span.line > 0);
    BOOST_TEST(!d->span.pointer.empty(), *d);
    lines.insert(d->span.line);
  }
  for (int line = 2; line <= 14; ++line)
    if (line != 3) BOOST_TEST(lines.count(line) == 1u, "line " << line << "\n" << test::dump(r));
}

BOOST_AUTO_TEST_CASE(wrong_types_inside_items) {
  const char* y = R"(charter: 1
organization: { name: [Acme], fiscal_year_start: "3", locales: en }
teams:
  - { id: a, name: { first: A } }
  - [b]
  - c
glossary:
  - { id: t, term: T, aliases: alias, translations: [zh], examples: { a: b } }
scores:
  - { id: s, rules: { when: x }, max: lots }
  - { id: s2, rules: [ { when: [a], points: "5" } ] }
slas:
  - { id: c, type: conversion, provider: a, customer: a, from: x, to: y, at_least: 30 }
calendars:
  - { id: cal, timezone: UTC, hours: "mon-fri 9-5", holidays: 5 }
goals:
  - { id: g, period: 2027, revenue: lots, conversion: [a] }
meetings:
  - { id: m, every: 14, attendees: a }
)";
  auto r = safe_load(y);
  BOOST_TEST(!r.ok());
  BOOST_TEST(test::count_code(r, "CH0204") >= 15u, test::dump(r));
  for (const auto& d : r.diagnostics()) {
    BOOST_TEST(d.span.line > 0, d);
    BOOST_TEST(d.span.column > 0, d);
  }
  bool percent_help = false;
  for (auto* d : test::with_code(r, "CH0204"))
    if (d->span.line == 13 && d->help.find("30%") != std::string::npos) percent_help = true;
  BOOST_TEST(percent_help, "at_least: 30 on a conversion SLA suggests 30%\n" << test::dump(r));
}

BOOST_AUTO_TEST_CASE(out_of_range_numbers) {
  auto big = safe_load("charter: 1\norganization: { name: A, fiscal_year_start: 99999999999999999999999 }\n");
  expect(big, "CH0209", 2);
  auto month = safe_load("charter: 1\norganization: { name: A, fiscal_year_start: 13 }\n");
  expect(month, "CH0208", 2);
  auto exp = safe_load("charter: 1\nscores:\n  - { id: s, rules: [{ when: \"true\", points: 1e999 }] }\n");
  expect(exp, "CH0209", 3);
  for (const char* v : {".inf", "-.inf", ".nan", ".NaN"}) {
    auto inf =
        safe_load(std::string("charter: 1\nscores:\n  - { id: s, rules: [{ when: \"true\", points: ") + v + " }] }\n");
    expect(inf, "CH0209", 3);
  }
  auto pct = safe_load(
      "charter: 1\nteams: [{id: a, name: A}]\nslas:\n  - { id: x, type: volume, provider: a, "
      "customer: a, count: { activity: [call] }, at_least: 5, period: week, objective: 150% }\n");
  expect(pct, "CH0703", 4);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- limits -----------------------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(limits)

BOOST_AUTO_TEST_CASE(file_over_max_file_bytes) {
  LoadOptions small;
  small.max_file_bytes = 1024;
  std::string big = "charter: 1\nx-pad: \"" + std::string(2000, 'a') + "\"\n";
  const Diagnostic d = expect(safe_load(big, small), "CH0005", 0);
  BOOST_TEST(d.message.find("1024") != std::string::npos, d.message);
  BOOST_TEST(safe_load(big).ok(), "the default limit is far above 2 KB");

  TempDir dir;
  auto f = dir.write("big.yaml", big);
  auto r = load_charter({f}, small);
  const Diagnostic fd = expect(r, "CH0005", 0);
  BOOST_TEST(fd.span.file.ends_with("big.yaml"));
  auto walked = load_charter({dir.path()}, small);
  BOOST_TEST(test::has_code(walked, "CH0005"), test::dump(walked));
}

BOOST_AUTO_TEST_CASE(large_file_within_the_default_limit) {
  // About 5 MB of real charter content: many teams, all valid.
  std::string y = "charter: 1\nteams:\n";
  const int n = 80000;
  y.reserve(static_cast<std::size_t>(n) * 64);
  for (int i = 0; i < n; ++i)
    y += "  - { id: team_" + std::to_string(i) + ", name: Team number " + std::to_string(i) + " of many }\n";
  BOOST_TEST(y.size() > 4'000'000u);
  auto r = safe_load(y);
  BOOST_TEST(r.ok(), test::dump(r).substr(0, 2000));
  BOOST_TEST(r.charter().teams().size() == static_cast<std::size_t>(n));
  BOOST_TEST(r.charter().team("team_79999") != nullptr);
}

BOOST_AUTO_TEST_CASE(very_long_single_line) {
  // One 3 MB line with a problem at its end: the column is right and nothing is quadratic.
  std::string name(3'000'000, 'x');
  std::string y = "charter: 1\nteams: [{id: a, name: \"" + name + "\", nmae: 1}]\n";
  auto r = safe_load(y);
  const Diagnostic d = expect(r, "CH0203", 2);
  BOOST_TEST(d.span.column == test::column_of(y, 2, "nmae"));
  BOOST_TEST(r.charter().team("a")->name.size() == name.size());
  std::ostringstream text;
  render(text, OutputFormat::Text, r);
  BOOST_TEST(text.str().find("CH0203") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(flow_nesting_ten_thousand_deep) {
  std::string y = "charter: 1\nx-deep: " + std::string(10000, '[') + std::string(10000, ']') + "\n";
  const Diagnostic d = expect(safe_load(y), "CH0104", 2);
  BOOST_TEST(d.span.column > 8);
  BOOST_TEST(d.span.column < 100);
}

BOOST_AUTO_TEST_CASE(block_nesting_ten_thousand_deep) {
  std::string y = "charter: 1\nx-deep:\n  " + repeat("- ", 10000) + "x\n";
  expect(safe_load(y), "CH0104", 3);
  std::string maps = "charter: 1\n";
  for (int i = 0; i < 1000; ++i) maps += std::string(static_cast<std::size_t>(i), ' ') + "x-k:\n";
  expect(safe_load(maps), "CH0104");
  std::string flow_maps = "charter: 1\nx-deep: " + repeat("{a: ", 10000) + "1" + std::string(10000, '}') + "\n";
  expect(safe_load(flow_maps), "CH0104", 2);
}

BOOST_AUTO_TEST_CASE(billion_laughs) {
  std::string y =
      "charter: 1\nx-a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  const char* names = "abcdefghij";
  for (int i = 1; i < 10; ++i) {
    y += std::string("x-") + names[i] + ": &" + names[i] + " [";
    for (int k = 0; k < 10; ++k) y += std::string(k ? "," : "") + "*" + names[i - 1];
    y += "]\n";
  }
  const Diagnostic d = expect(safe_load(y), "CH0105");
  BOOST_TEST(d.span.line >= 3);
  BOOST_TEST(d.span.line <= 11);
}

BOOST_AUTO_TEST_CASE(quadratic_alias_blowup) {
  // Few levels, wide: 1,000 aliases of a 1,000-item list.
  std::string y = "charter: 1\nx-a: &a [" + repeat("1,", 999) + "1]\nx-b: [" + repeat("*a,", 999) + "*a]\n";
  expect(safe_load(y), "CH0105", 3);
}

BOOST_AUTO_TEST_CASE(hundred_thousand_duplicate_keys) {
  std::string y = "charter: 1\nx-map:\n" + repeat("  k: 1\n", 100000);
  auto r = safe_load(y, {}, false);  // rendering 99,999 findings as SARIF alone takes seconds
  const Diagnostic d = expect(r, "CH0102", 4);
  BOOST_REQUIRE(!d.related.empty());
  BOOST_TEST(d.related[0].span.line == 3);
}

BOOST_AUTO_TEST_CASE(duplicate_keys_small_and_large_mappings) {
  auto small = safe_load("charter: 1\nteams:\n  - id: a\n    name: A\n    name: B\n");
  const Diagnostic d = expect(small, "CH0102", 5);
  BOOST_TEST(d.span.column == 5);
  BOOST_REQUIRE_EQUAL(d.related.size(), 1u);
  BOOST_TEST(d.related[0].span.line == 4);
  // Past the size where the check switches to a hash table.
  std::string y = "charter: 1\nx-map:\n";
  for (int i = 0; i < 40; ++i) y += "  k" + std::to_string(i) + ": 1\n";
  y += "  k3: 2\n";
  auto large = safe_load(y);
  const Diagnostic l = expect(large, "CH0102", 43);
  BOOST_REQUIRE_EQUAL(l.related.size(), 1u);
  BOOST_TEST(l.related[0].span.line == 6);
}

BOOST_AUTO_TEST_CASE(expression_of_fifty_thousand_ands) {
  std::string e = "a";
  for (int i = 0; i < 50000; ++i) e += " and a";
  std::string y = "charter: 1\nfields:\n  - { id: a, type: boolean }\ncriteria:\n  - id: big\n    when: " + e + "\n";
  auto r = safe_load(y);
  const Diagnostic d = expect(r, "CH0501", 6);
  BOOST_TEST(d.message.find("large") != std::string::npos, d.message);
  // A long but reasonable expression is fine.
  auto chain = [](int n) {
    std::string e = "a";
    for (int i = 0; i < n; ++i) e += " and a";
    return "charter: 1\nfields:\n  - { id: a, type: boolean }\ncriteria:\n  - id: c\n    when: " + e + "\n";
  };
  auto fine = safe_load(chain(300));
  BOOST_TEST(fine.ok(), test::dump(fine));
  // 4,999 `and`s stay under the parser's 10,000-node limit, so this must load.
  auto longest = safe_load(chain(4999));
  BOOST_TEST(longest.ok(), test::dump(longest));
}

BOOST_AUTO_TEST_CASE(expression_of_ten_thousand_nested_parentheses) {
  std::string e = std::string(10000, '(') + "a" + std::string(10000, ')');
  std::string y =
      "charter: 1\nfields:\n  - { id: a, type: boolean }\ncriteria:\n  - { id: deep, when: \"" + e + "\" }\n";
  const Diagnostic d = expect(safe_load(y), "CH0501", 5);
  BOOST_TEST(d.message.find("deep") != std::string::npos, d.message);
  std::string nots = repeat("not ", 10000) + "a";
  expect(safe_load("charter: 1\nfields:\n  - { id: a, type: boolean }\ncriteria:\n  - { id: n, when: " + nots + " }\n"),
         "CH0501", 5);
  std::string sums = "1" + repeat(" + 1", 20000) + " > 0";
  expect(safe_load("charter: 1\ncriteria:\n  - { id: s, when: " + sums + " }\n"), "CH0501", 3);
}

BOOST_AUTO_TEST_CASE(many_files_many_problems) {
  TempDir d;
  for (int i = 0; i < 50; ++i)
    d.write("f" + std::to_string(i) + ".yaml", "charter: 1\nteams:\n  - { id: t" + std::to_string(i) + ", nmae: x }\n");
  auto r = load_charter({d.path()});
  BOOST_TEST(test::count_code(r, "CH0203") == 50u);
  BOOST_TEST(test::count_code(r, "CH0205") == 50u);
  BOOST_TEST(r.charter().files().size() == 50u);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- hostile includes and paths -----------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(paths)

BOOST_AUTO_TEST_CASE(include_of_etc_passwd) {
  TempDir d;
  d.write("charter.yaml", "charter: 1\ninclude:\n  - /etc/passwd\n  - ../../../../../../../../etc/passwd\n");
  auto r = load_charter({d / "charter.yaml"});
  BOOST_TEST(test::count_code(r, "CH0210") == 2u, test::dump(r));
  for (auto* x : test::with_code(r, "CH0210")) BOOST_TEST(x->span.line >= 3);
  BOOST_TEST(r.charter().files().size() == 1u);
  for (const auto& f : r.charter().files()) BOOST_TEST(f.find("passwd") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(include_of_a_directory) {
  TempDir d;
  d.write("charter.yaml", "charter: 1\ninclude: [glossary]\n");
  d.write("glossary/a.yaml", "charter: 1\n");
  auto r = load_charter({d / "charter.yaml"});
  BOOST_TEST(!r.ok());
  BOOST_TEST(test::has_code(r, "CH0001"), test::dump(r));
  const Diagnostic& x = test::first(r, "CH0001");
  BOOST_TEST(x.span.file.ends_with("glossary"));
  BOOST_TEST(x.message.find("directory") != std::string::npos, x.message);
}

BOOST_AUTO_TEST_CASE(a_directory_named_like_a_yaml_file) {
  TempDir d;
  d.write("charter.yaml", "charter: 1\ninclude: [teams.yaml]\n");
  fs::create_directories(d / "teams.yaml");
  auto r = load_charter({d / "charter.yaml"});
  BOOST_TEST(!r.ok());
  BOOST_TEST(test::has_code(r, "CH0001"), test::dump(r));
  auto walked = load_charter({d.path()});
  BOOST_TEST(!walked.ok(), "the include still names a directory");
  BOOST_TEST(test::has_code(walked, "CH0001"), test::dump(walked));
}

BOOST_AUTO_TEST_CASE(include_glob_matching_nothing) {
  TempDir d;
  d.write("charter.yaml", "charter: 1\ninclude: [\"nothing/*.yaml\", \"**/*.nothing.yaml\"]\n");
  auto r = load_charter({d / "charter.yaml"});
  BOOST_TEST(test::count_code(r, "CH0212") == 2u, test::dump(r));
  for (auto* x : test::with_code(r, "CH0212")) BOOST_TEST(x->span.line == 2);
}

BOOST_AUTO_TEST_CASE(include_of_wrong_types) {
  TempDir d;
  d.write("charter.yaml", "charter: 1\ninclude:\n  - { path: a.yaml }\n  - [b.yaml]\n  - \"\"\n");
  auto r = load_charter({d / "charter.yaml"});
  BOOST_TEST(!r.ok());
  BOOST_TEST(test::count_code(r, "CH0204") == 2u, test::dump(r));
  for (const auto& x : r.diagnostics()) BOOST_TEST(x.span.line >= 3, x);
}

BOOST_AUTO_TEST_CASE(unreadable_file) {
  TempDir d;
  auto f = d.write("secret.yaml", "charter: 1\n");
  fs::permissions(f, fs::perms::none);
  std::ifstream probe(f);
  if (probe) return;  // running as root: permissions are not enforced
  auto r = load_charter({f});
  expect(r, "CH0001", 0);
}

BOOST_AUTO_TEST_CASE(binary_file_in_a_walked_directory) {
  using namespace std::string_literals;
  TempDir d;
  d.write("charter.yaml", "charter: 1\n");
  d.write("image.yaml", "\x89PNG\0\0\0"s);
  d.write("utf16.yaml",
          "\xFF\xFE"
          "c\0h\0"s);
  auto r = load_charter({d.path()});
  BOOST_TEST(!r.ok(), "binary content reached by a walk is reported, not skipped\n" << test::dump(r));
  BOOST_TEST(test::has_code(r, "CH0003"), test::dump(r));
  BOOST_TEST(test::has_code(r, "CH0006"), test::dump(r));
}

BOOST_AUTO_TEST_SUITE_END()

// ---- a large file parsed in two halves ---------------------------------------------------------

namespace {

namespace yml = charter::detail::yaml;

std::string tree_difference(const yml::Tree& a, const yml::Tree& b) {
  if (a.nodes.size() != b.nodes.size())
    return "node count " + std::to_string(a.nodes.size()) + " != " + std::to_string(b.nodes.size());
  for (std::size_t i = 0; i < a.nodes.size(); ++i) {
    const yml::Node &x = a.nodes[i], &y = b.nodes[i];
    const auto k = static_cast<std::uint32_t>(i);
    if (x.kind != y.kind || x.style != y.style || x.implicit != y.implicit || x.offset != y.offset ||
        x.parent != y.parent || x.next != y.next || x.size != y.size || x.index != y.index ||
        x.in_source != y.in_source)
      return "node " + std::to_string(i);
    if (x.kind == yml::Kind::Scalar ? a.value(k) != b.value(k) : x.first != y.first)
      return "value of node " + std::to_string(i);
  }
  if (a.problems.size() != b.problems.size()) return "problem count";
  for (std::size_t i = 0; i < a.problems.size(); ++i)
    if (a.problems[i].code != b.problems[i].code || a.problems[i].offset != b.problems[i].offset ||
        a.problems[i].message != b.problems[i].message)
      return "problem " + std::to_string(i);
  if (a.has_document != b.has_document) return "has_document";
  return "";
}

}  // namespace

// The loader parses a large file as two halves on two threads, cut before an item of a
// top-level list, and keeps the result only when it is the tree of the whole file. Cut at
// every such line of real and tricky files, the tree must always be the one-go tree.
BOOST_AUTO_TEST_CASE(a_file_parsed_in_two_halves_gives_the_tree_of_the_whole) {
  std::vector<std::string> texts = {
      "glossary:\n  - id: a\n    term: A\n  - id: b\n    term: B\n  - id: c\n",
      "a: |\n  - not an item\n  x\nglossary:\n  - id: a\n  - id: b\n  - id: c\n",
      "glossary:\n  - id: \"a\n  - b\"\n  - id: c\n  - id: d\n",
      "glossary:\n  - id: 'a\n  - b'\n  - id: c\n",
      "glossary:\n  - id: a\n  - id\n  - id: c\n  - id: d\n",
      "glossary:\n  - id: a\n  - id: b\n...\n",
      "glossary:\n  - &x {id: a}\n  - *x\n  - id: c\n",
      "glossary:\n- id: a\n- id: b\n- id: c\n",
      "glossary:\n  - a\nteams:\n  - b\n  - c\nglossary:\n  - d\n",
      "glossary:\n  - id: a\n    notes: >\n      - folded\n  - id: b\n\t- tab\n",
      "glossary:\n  - [a,\n  - b]\n  - c\n",
      "glossary:\n  - id: a # comment\n  # - id: commented\n  - id: b\n",
  };
  for (const auto& entry : fs::recursive_directory_iterator(test::acme_dir()))
    if (entry.path().extension() == ".yaml") {
      std::ifstream in(entry.path(), std::ios::binary);
      texts.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
  std::size_t cuts = 0;
  for (const auto& text : texts) {
    yml::Limits one;
    one.threads = 1;
    const yml::Tree whole = yml::parse(text, one);
    for (std::size_t p = 0; p < text.size(); p = text.find('\n', p), p = p == std::string::npos ? text.size() : p + 1) {
      if (text.compare(p, 2, "  ") != 0 && text.compare(p, 2, "- ") != 0) continue;
      yml::Limits two;
      two.threads = 2;
      two.split_min_bytes = 0;
      two.split_from = static_cast<std::uint32_t>(p);
      ++cuts;
      const std::string why = tree_difference(whole, yml::parse(text, two));
      BOOST_TEST(why.empty(), "cut at byte " << p << " of:\n" << text.substr(0, 200) << "\n" << why);
    }
  }
  BOOST_TEST(cuts > 300u);
}

// Files in the usual subset of YAML are read by a fast reader instead of yaml-cpp
// (src/yaml/subset.cpp), which gives up on anything else. Whenever it reads a file, the tree
// must be exactly yaml-cpp's: checked on every example charter (valid and invalid), on
// tricky texts, and on thousands of random mutations of them.
BOOST_AUTO_TEST_CASE(the_fast_subset_reader_gives_the_tree_yaml_cpp_gives) {
  std::vector<std::string> texts = {
      "a: 1\nb:\n  - x\n  - 'y'\n  - \"z\"\nc: [p, 'q', \"r\", ~, null]\nd:\ne: ~\n",
      "a:\n- x\n- y\nb: c\n",
      "a:\n  b:\n    c: d\n  e: f\ng: h # comment\n",
      "- a\n- b: c\n  d: e\n-   f: g\n",
      "a: 'it''s'\nb: \"it's\"\nc: don't\n",
      "a: b: c\n",
      "a: b\n  c\n",
      "a:\nnull: 1\n",
      "a:\nnullable: 1\n",
      "a: 1\na: 2\n",
      "a: [x, ]\n",
      "a: [x,y]\nb: []\nc: [ ]\n",
      "a: x #c\nb: x#c\nc: 'x'#c\n",
      "a: -1\nb: - 1\n",
      "a: 中文 text\n键: 值\n",
      "a:   \n  # only a comment\nb: 1\n",
      "  a: 1\n  b: 2\n",
      "a: 1\n  b: 2\n",
      "a:\n    b: 1\n  c: 2\n",
      "- - a\n",
      "-\n  a: 1\n",
      "a: |\n  x\n",
      "a: &x 1\nb: *x\n",
      "a: !!str 1\n",
      "---\na: 1\n",
      "a: 1\n...\n",
      "a: x: y\n",
      "a: http://x.y/z?q=1#frag\n",
      "a: [a: b]\n",
      "a: [[x]]\n",
      "a: {b: c}\n",
      "a : 1\n",
      "true: 1\n1: 2\n",
      "a: 'x'\n'b': 1\n",
      "",
      "# only a comment\n",
      "a",
      "a:",
      "a: 1",
      "a: [x]",
      "- x",
      "a: |\n  line 1\n  line 2\n\n  line 4\nb: >\n  folded\n  text\n\n  para\nc: |-\n  strip\nd: >-\n    x\n",
      "- |\n  a\n-  >\n   b\n   c\n- k: |\n    v\n  j: 1\n",
      "a: |\n  x\n    more\n  y\nb: >\n  x\n    more\n",
      "a: | # c\n  x\nb: |#c\n  x\n",
      "a: |\n\n  x\n",
      "a: |\n  x\n\n\nb: 1\n",
      "a: |\n  x\n  \n  y\n",
      "a: |\nb: 1\n",
      "a: |\n  x",
      "a:\n  b: |\n   x\n  c: 1\n",
      "a: \"\\t\\n\\\\ \\\" \\/ \\x41 \\u00e9 \\U0001F600 \\0\"\nb: \"\\q\"\nc: \"\\x4\"\n",
  };
  auto add_dir = [&](const fs::path& dir) {
    for (const auto& entry : fs::recursive_directory_iterator(dir))
      if (entry.path().extension() == ".yaml") {
        std::ifstream in(entry.path(), std::ios::binary);
        texts.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      }
  };
  add_dir(test::source_dir() / "examples");
  const std::size_t examples = texts.size();
  std::size_t read = 0, checked = 0;
  auto check = [&](const std::string& text) {
    yml::Limits fast, slow;
    fast.threads = slow.threads = 1;
    slow.subset = false;
    const yml::Tree a = yml::parse(text, fast);
    if (!a.by_subset) return false;
    ++checked;
    const std::string why = tree_difference(yml::parse(text, slow), a);
    BOOST_TEST(why.empty(), "the subset reader differs from yaml-cpp (" << why << ") on:\n" << text.substr(0, 400));
    return true;
  };
  for (const auto& text : texts) read += check(text) ? 1 : 0;
  BOOST_TEST(read > examples / 2, read << " of " << texts.size() << " texts read by the subset reader");
  // Mutations: cut, insert or repeat bytes and lines of the example files.
  static const char* const pieces[] = {
      " ",   "  ",   "\n",    "\n  ", "- ",   ": ",      ":",     "#",    " #",       "'",           "\"",      "''",
      "[",   "]",    ",",     "{",    "}",    "~",       "null",  "Null", "&a ",      "*a",          "!",       "|",
      ">",   "? ",   "---\n", "...",  "%",    "\\",      "\\n",   "中",   "\xC2\x85", "a",           "-",       "\n- ",
      "\t",  "\r\n", "@",     "`",    "  - ", "\n    ",  "1",     "a: b", "k:\n",     "?",           ":x",      "-1",
      "|\n", ">\n",  "|-\n",  ">+\n", "|2\n", "\\u00e9", "\\x41", "\\t",  "\\\"",     "\\U0001F600", "\\ud800", "\n\n"};
  std::mt19937 rng(20261203);
  std::size_t mutated_read = 0;
  const std::size_t per_text = 150;
  for (std::size_t t = 0; t < texts.size(); ++t) {
    const std::string& base = texts[t];
    if (base.empty()) continue;
    for (std::size_t m = 0; m < per_text; ++m) {
      std::string s = base;
      const int edits = 1 + static_cast<int>(rng() % 3);
      for (int e = 0; e < edits && !s.empty(); ++e) {
        std::size_t at = rng() % (s.size() + 1);
        switch (rng() % 4) {
          case 0: s.erase(std::min(at, s.size() - 1), 1 + rng() % 4); break;
          case 1:
          case 2: s.insert(at, pieces[rng() % std::size(pieces)]); break;
          default: {
            // repeat a line, or move it left or right by two spaces
            std::size_t b = s.rfind('\n', at == 0 ? 0 : at - 1);
            b = b == std::string::npos ? 0 : b + 1;
            std::size_t z = s.find('\n', b);
            z = z == std::string::npos ? s.size() : z + 1;
            std::string line = s.substr(b, z - b);
            if (rng() % 2)
              s.insert(z, line.ends_with('\n') ? line : line + "\n");
            else if (line.starts_with("  "))
              s.erase(b, 2);
            else
              s.insert(b, "  ");
          }
        }
      }
      mutated_read += check(s) ? 1 : 0;
    }
  }
  BOOST_TEST(mutated_read > 500u, mutated_read << " mutations read by the subset reader");
  BOOST_TEST_MESSAGE("subset reader: " << read << " texts, " << mutated_read << " mutations, " << checked
                                       << " compared with yaml-cpp");
}

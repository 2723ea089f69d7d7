// charter lint: the rules from the glossary, locales, suppressions, fixes and paths
// (lint_text, lint_paths, unified_diff). The matcher and the document scanner have their own
// tests (test_lint_match, test_lint_document).
#define BOOST_TEST_MODULE charter_lint
#include <boost/test/unit_test.hpp>

#include <charter/lint.hpp>
#include <charter/render.hpp>

#include <nlohmann/json.hpp>

#include <sstream>

#include "common.hpp"

using namespace charter;
namespace fs = std::filesystem;

namespace {

const char* const kCharter = R"(charter: 1
organization: { name: T, locale: en, locales: [en, zh] }
teams:
  - { id: m, name: Marketing }
glossary:
  - id: mql
    term: Marketing Qualified Lead
    abbreviation: MQL
    definition: A lead marketing hands over.
    status: approved
    owner: m
    avoid: [hot lead, warm lead]
    translations:
      zh: { term: 营销合格线索, definition: 线索, avoid: [热线索] }
  - id: lead
    term: Lead
    definition: A person.
    status: approved
    owner: m
    avoid: [prospect]
    translations:
      zh: { term: 线索, definition: 人, avoid: [潜在客户] }
  - id: suspect
    term: Suspect
    definition: Old word.
    status: deprecated
    owner: m
    replaced_by: lead
  - id: hubspot
    term: HubSpot
    definition: The CRM.
    status: approved
    owner: m
)";

const Charter& charter_t() {
  static const LoadResult r = load_charter_from_string(kCharter, "t.yaml");
  BOOST_REQUIRE_MESSAGE(r.ok(), test::dump(r));
  return r.charter();
}

std::vector<std::string> codes(const LintResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics()) out.push_back(d.code);
  return out;
}

const Diagnostic* find(const LintResult& r, std::string_view code, int line = 0) {
  for (const auto& d : r.diagnostics())
    if (d.code == code && (line == 0 || d.span.line == line)) return &d;
  return nullptr;
}

std::string text_of(const LintResult& r) {
  std::ostringstream os;
  render(os, OutputFormat::Text, r);
  return os.str();
}

}  // namespace

BOOST_AUTO_TEST_CASE(avoid_word_is_an_error_with_the_term_to_say) {
  auto r = lint_text(charter_t(), "# Notes\n\nEvery hot lead goes to sales.\n", "a.md");
  BOOST_REQUIRE_EQUAL(r.diagnostics().size(), 1u);
  const Diagnostic& d = r.diagnostics()[0];
  BOOST_TEST(d.code == "CH1101");
  BOOST_TEST((d.severity == Severity::Error));
  BOOST_TEST(d.message == "say 'Marketing Qualified Lead' (MQL) instead of 'hot lead'");
  BOOST_TEST(d.span.file == "a.md");
  BOOST_TEST(d.span.line == 3);
  BOOST_TEST(d.span.column == 7);
  BOOST_TEST(d.span.end_column == 15);
  BOOST_TEST(d.suggestion.value_or("") == "Marketing Qualified Lead");
  BOOST_TEST(!r.ok());
  std::string text = text_of(r);
  BOOST_TEST(text.find("a.md:3:7: error[CH1101]") != std::string::npos, text);
  BOOST_TEST(text.find("Every hot lead goes to sales.") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(clean_text_is_ok) {
  auto r = lint_text(charter_t(), "Every Marketing Qualified Lead (MQL) goes to sales via HubSpot.\n", "a.md");
  BOOST_TEST(r.diagnostics().empty(), text_of(r));
  BOOST_TEST(r.ok());
  BOOST_TEST(text_of(r).find("ok: 1 file: no problems") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(english_in_chinese_text_and_chinese_avoid_words_in_chinese_only) {
  auto r = lint_text(charter_t(), "这个hot lead需要跟进。这个潜在客户也是。\n", "zh.md");
  auto c = codes(r);
  BOOST_TEST(c.size() == 2u, text_of(r));
  const Diagnostic* d = find(r, "CH1101");
  BOOST_REQUIRE(d);
  BOOST_TEST(d->message.find("'hot lead'") != std::string::npos);
  bool zh = false;
  for (const auto& x : r.diagnostics()) zh |= x.message.find("'线索' instead of '潜在客户'") != std::string::npos;
  BOOST_TEST(zh, text_of(r));
  // A Chinese avoid-word in English text is not checked (the text is not Chinese).
  auto en = lint_text(charter_t(),
                      "The report lists prospects and one 潜在客户 quoted in a long English sentence about leads.\n",
                      "en.md");
  for (const auto& x : en.diagnostics()) BOOST_TEST(x.message.find("潜在客户") == std::string::npos, x.message);
}

BOOST_AUTO_TEST_CASE(deprecated_and_case) {
  auto r = lint_text(charter_t(), "A suspect is logged in Hubspot. The Mql count rose.\n", "a.txt");
  const Diagnostic* dep = find(r, "CH1102");
  BOOST_REQUIRE_MESSAGE(dep, text_of(r));
  BOOST_TEST(dep->message == "'suspect' is deprecated; use 'Lead'");
  BOOST_TEST((dep->severity == Severity::Warning));
  std::vector<std::string> cases;
  for (const auto& d : r.diagnostics())
    if (d.code == "CH1103") cases.push_back(d.message);
  BOOST_TEST(cases.size() == 2u, text_of(r));
  BOOST_TEST(std::count(cases.begin(), cases.end(), "write 'HubSpot', not 'Hubspot'") == 1);
  BOOST_TEST(std::count(cases.begin(), cases.end(), "write 'MQL', not 'Mql'") == 1);
  BOOST_TEST(r.ok());  // warnings only
}

BOOST_AUTO_TEST_CASE(leftmost_longest_and_plurals) {
  auto r = lint_text(charter_t(), "hot leads and warm leads are not listed; a warm lead is.\n", "a.md");
  BOOST_REQUIRE_EQUAL(r.diagnostics().size(), 1u);
  BOOST_TEST(r.diagnostics()[0].span.column == 44);
}

BOOST_AUTO_TEST_CASE(markdown_code_and_links_are_not_prose) {
  std::string md =
      "---\ntitle: hot lead\n---\n"
      "Use `hot lead` in code only.\n\n"
      "```\nhot lead\n```\n\n"
      "See [the MQL page](https://example.com/hot-lead) and <!-- hot lead -->.\n";
  auto r = lint_text(charter_t(), md, "a.md");
  BOOST_TEST(r.diagnostics().empty(), text_of(r));
}

BOOST_AUTO_TEST_CASE(wrapped_phrase_in_a_paragraph) {
  auto r = lint_text(charter_t(), "Every hot\n   lead is followed up.\n", "a.md");
  BOOST_REQUIRE_EQUAL(r.diagnostics().size(), 1u);
  BOOST_TEST(r.diagnostics()[0].span.line == 1);
  BOOST_TEST(r.diagnostics()[0].span.end_line == 2);
  BOOST_TEST(r.diagnostics()[0].message == "say 'Marketing Qualified Lead' (MQL) instead of 'hot lead'");
}

BOOST_AUTO_TEST_CASE(full_width_and_case_folding) {
  auto r = lint_text(charter_t(), "ＨＯＴ ＬＥＡＤ and Prospect.\n", "a.md");
  BOOST_TEST(r.diagnostics().size() == 2u, text_of(r));
}

BOOST_AUTO_TEST_CASE(suppressions) {
  std::string md =
      "<!-- charter-disable-next-line CH1101 -->\n"
      "A hot lead here is fine.\n"
      "A hot lead here is not.\n"
      "<!-- charter-disable mql -->\n"
      "A warm lead, a hot lead.\n"
      "<!-- charter-enable mql -->\n"
      "A prospect.\n"
      "<!-- charter-disable-next-line hubspot -->\n"
      "Nothing here.\n";
  LintOptions o;
  o.report_unused_disables = true;
  auto r = lint_text(charter_t(), md, "a.md", o);
  BOOST_TEST(find(r, "CH1101", 3));
  BOOST_TEST(!find(r, "CH1101", 2));
  BOOST_TEST(!find(r, "CH1101", 5));
  BOOST_TEST(find(r, "CH1101", 7));
  BOOST_TEST(find(r, "CH1104", 8), text_of(r));
  BOOST_TEST(!find(r, "CH1104", 1));
  BOOST_TEST(r.diagnostics().size() == 3u, text_of(r));
  auto whole = lint_text(charter_t(), "<!-- charter-disable-file -->\nhot lead, prospect\n", "b.md");
  BOOST_TEST(whole.diagnostics().empty(), text_of(whole));
  // Without the option an unused comment is not reported.
  auto quiet = lint_text(charter_t(), "<!-- charter-disable-next-line -->\nfine\n", "c.md");
  BOOST_TEST(quiet.diagnostics().empty());
}

BOOST_AUTO_TEST_CASE(disable_and_warn_options) {
  LintOptions o;
  o.warn = {"CH1101"};
  auto r = lint_text(charter_t(), "a hot lead\n", "a.md", o);
  BOOST_REQUIRE_EQUAL(r.diagnostics().size(), 1u);
  BOOST_TEST((r.diagnostics()[0].severity == Severity::Warning));
  o.disable = {"CH1101"};
  BOOST_TEST(lint_text(charter_t(), "a hot lead\n", "a.md", o).diagnostics().empty());
}

BOOST_AUTO_TEST_CASE(fix_round_trip_keeps_sentence_capitals_and_crlf) {
  std::string md = "Hot lead first.\r\nThen a prospect and a suspect, with Mql and `hot lead`.\r\n";
  auto r = lint_text(charter_t(), md, "a.md");
  auto fixes = r.fixes();
  BOOST_REQUIRE_EQUAL(fixes.size(), 1u);
  BOOST_TEST(fixes[0].after ==
             "Marketing Qualified Lead first.\r\nThen a Lead and a Lead, with MQL and `hot lead`.\r\n");
  BOOST_TEST(fixes[0].fixes == 4u);
  auto again = lint_text(charter_t(), fixes[0].after, "a.md");
  BOOST_TEST(again.diagnostics().empty(), text_of(again));
  std::string diff = unified_diff(fixes);
  BOOST_TEST(diff.find("--- a/a.md\n+++ b/a.md\n@@ -1,2 +1,2 @@\n-Hot lead first.") == 0, diff);
  BOOST_TEST(diff.find("+Marketing Qualified Lead first.") != std::string::npos, diff);
}

BOOST_AUTO_TEST_CASE(ambiguous_words_are_not_fixed) {
  auto r = load_charter_from_string(R"(charter: 1
glossary:
  - { id: a, term: Alpha, definition: d, status: approved, avoid: [thing] }
  - { id: b, term: Beta, definition: d, status: approved, avoid: [thing] }
)",
                                    "t.yaml");
  BOOST_REQUIRE_MESSAGE(r.ok(), test::dump(r));
  auto l = lint_text(r.charter(), "a thing\n", "a.md");
  BOOST_TEST(l.diagnostics().size() >= 1u);
  BOOST_TEST(l.fixes().empty());
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_reported_and_the_rest_linted) {
  std::string text = "caf\xE9 menu\nhot lead\n";
  auto r = lint_text(charter_t(), text, "a.txt");
  const Diagnostic* enc = find(r, "CH1105");
  BOOST_REQUIRE_MESSAGE(enc, text_of(r));
  BOOST_TEST(enc->span.line == 1);
  BOOST_TEST(find(r, "CH1101", 2));
}

BOOST_AUTO_TEST_CASE(paths_from_the_charter_with_globs_exclude_and_languages) {
  test::TempDir t;
  std::string charter = kCharter;
  charter += R"(lint:
  paths: ["docs/**/*.md"]
  exclude: ["docs/archive/**"]
  languages: { "docs/cn/**": zh }
)";
  t.write("charter/charter.yaml", charter);
  t.write("charter/docs/a.md", "a hot lead\n");
  t.write("charter/docs/deep/b.md", "a prospect\n");
  t.write("charter/docs/archive/c.md", "a hot lead\n");
  t.write("charter/docs/notes.txt", "a hot lead\n");
  t.write("charter/docs/cn/d.md", "Short 潜在客户 note in mostly English words here.\n");
  auto loaded = load_charter({t / "charter"});
  BOOST_REQUIRE_MESSAGE(loaded.ok(), test::dump(loaded));
  auto r = lint_paths(loaded.charter(), {});
  std::vector<std::string> files;
  for (auto& f : r.files()) files.push_back(fs::path(f).filename().string());
  BOOST_TEST(files == (std::vector<std::string>{"a.md", "d.md", "b.md"}), boost::test_tools::per_element());
  bool zh = false;
  for (const auto& d : r.diagnostics()) zh |= d.message.find("潜在客户") != std::string::npos;
  BOOST_TEST(zh, text_of(r));
  // Explicit paths: a folder is walked for documents; a missing path is CH1106.
  auto e = lint_paths(loaded.charter(), {(t / "charter/docs/archive").string(), (t / "missing.md").string()});
  BOOST_TEST(find(e, "CH1106"));
  BOOST_TEST(find(e, "CH1101"));
  BOOST_TEST(e.files().size() == 1u);
}

// load_and_lint reads and scans the documents while the charter loads: the same findings as
// loading, then lint_paths; nothing linted when the charter has errors.
BOOST_AUTO_TEST_CASE(load_and_lint_is_load_then_lint_paths) {
  test::TempDir t;
  std::string charter = kCharter;
  charter += "lint:\n  paths: [\"docs/**/*.md\"]\n";
  t.write("charter/charter.yaml", charter);
  for (int i = 0; i < 40; ++i)
    t.write("charter/docs/d" + std::to_string(i) + ".md",
            i % 3 ? "a hot lead and a Mql\n" : "clean text\n<!-- charter-disable-file -->\na hot lead\n");
  const std::vector<std::string> paths{(t / "charter/docs").string(), (t / "missing.md").string()};
  auto loaded = load_charter({t / "charter"});
  BOOST_REQUIRE_MESSAGE(loaded.ok(), test::dump(loaded));
  for (const auto& given : {paths, std::vector<std::string>{}}) {
    const LintResult expected = lint_paths(loaded.charter(), given);
    for (unsigned threads : {1u, 2u, 4u}) {
      LintOptions o;
      o.threads = threads;
      auto both = load_and_lint({t / "charter"}, given, o);
      BOOST_TEST_REQUIRE(both.loaded.ok());
      BOOST_TEST_REQUIRE(both.linted.has_value());
      BOOST_TEST(both.linted->files() == expected.files(), boost::test_tools::per_element());
      BOOST_TEST(text_of(*both.linted) == text_of(expected));
    }
    BOOST_TEST(!expected.diagnostics().empty());
  }
  t.write("broken/charter.yaml", "charter: 1\nteams: [\n");
  auto broken = load_and_lint({t / "broken"}, paths);
  BOOST_TEST(!broken.loaded.ok());
  BOOST_TEST(!broken.linted.has_value());
}

BOOST_AUTO_TEST_CASE(html_text_nodes_only) {
  auto r = lint_text(charter_t(),
                     "<html lang=\"en\"><head><title>hot lead</title><script>var x = 'hot lead';</script></head>"
                     "<body><p title=\"hot lead\">A <b>hot lead</b>.</p><!-- hot lead --></body></html>\n",
                     "a.html");
  // The <title> text is a text node; the script, the attribute and the comment are not.
  BOOST_TEST(r.diagnostics().size() == 2u, text_of(r));
}

BOOST_AUTO_TEST_CASE(json_and_sarif_outputs) {
  auto r = lint_text(charter_t(), "a hot lead\n", "a.md");
  std::ostringstream json, sarif, junit;
  render(json, OutputFormat::Json, r);
  render(sarif, OutputFormat::Sarif, r);
  render(junit, OutputFormat::Junit, r);
  BOOST_TEST(json.str().find("\"code\":\"CH1101\"") != std::string::npos, json.str());
  BOOST_TEST(sarif.str().find("CH1101") != std::string::npos);
  BOOST_TEST(junit.str().find("charter.lint") != std::string::npos, junit.str());
}

// The json format writes each diagnostic directly: it must be what nlohmann::json writes for
// the same fields (escapes, control characters, invalid UTF-8 replaced), line for line.
BOOST_AUTO_TEST_CASE(json_diagnostics_are_written_as_nlohmann_writes_them) {
  for (std::string name : {std::string("plain.md"), std::string("we\"ird\\\b\f\x01\x1f\t.md"),
                           std::string("bad\xFF\xC3.md"), std::string("线索\xE2\x82.md"), std::string("ok é.md")}) {
    auto r = lint_text(charter_t(), "Every hot lead and every Mql.\n", name);
    BOOST_REQUIRE(!r.diagnostics().empty());
    std::ostringstream out;
    render(out, OutputFormat::Json, r);
    const std::string text = out.str();
    const auto parsed = nlohmann::ordered_json::parse(text, nullptr, false);
    BOOST_REQUIRE(!parsed.is_discarded());
    std::size_t at = text.find("\"diagnostics\": [\n") + 17;
    for (const auto& d : r.diagnostics()) {
      nlohmann::ordered_json x;
      x["code"] = d.code;
      x["severity"] = std::string(to_string(d.severity));
      x["message"] = d.message;
      x["file"] = d.span.file;
      x["line"] = d.span.line;
      x["column"] = d.span.column;
      x["end_line"] = d.span.end_line;
      x["end_column"] = d.span.end_column;
      x["pointer"] = d.span.pointer;
      if (!d.label.empty()) x["label"] = d.label;
      x["related"] = nlohmann::ordered_json::array();
      for (const auto& rl : d.related)
        x["related"].push_back({{"file", rl.span.file},
                                {"line", rl.span.line},
                                {"column", rl.span.column},
                                {"end_line", rl.span.end_line},
                                {"end_column", rl.span.end_column},
                                {"pointer", rl.span.pointer},
                                {"message", rl.message}});
      x["notes"] = d.notes;
      if (!d.help.empty()) x["help"] = d.help;
      x["suggestion"] = d.suggestion ? nlohmann::ordered_json(*d.suggestion) : nlohmann::ordered_json(nullptr);
      const std::string want = x.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
      BOOST_TEST(text.compare(at, want.size(), want) == 0, text.substr(at, want.size()) << "\n!=\n" << want);
      at += want.size() + 2;  // ",\n"
    }
  }
}

// A term's own wording wins over an avoid word of another term inside it: "Marketing
// Qualified Lead" is one (allowed) match, not a finding for "qualified lead".
BOOST_AUTO_TEST_CASE(a_terms_own_label_protects_the_avoid_words_inside_it) {
  static const LoadResult loaded = load_charter_from_string(R"(charter: 1
organization: { name: T, locale: en, locales: [en, zh] }
teams:
  - { id: m, name: Marketing }
glossary:
  - { id: mql, term: Marketing Qualified Lead, abbreviation: MQL, definition: x, status: approved, owner: m,
      aliases: [Marketing-Qualified Lead], translations: { zh: { term: 营销合格线索, definition: x } } }
  - { id: sql, term: Sales Qualified Lead, definition: x, status: approved, owner: m, avoid: [qualified lead],
      translations: { zh: { term: 销售合格线索, definition: x, avoid: [合格线索] } } }
)",
                                                            "t.yaml");
  BOOST_REQUIRE(loaded.ok());
  auto r = lint_text(loaded.charter(),
                     "A Marketing Qualified Lead, a Marketing-Qualified Lead, a Sales Qualified Lead and a qualified "
                     "lead.\n",
                     "a.md");
  BOOST_REQUIRE(r.diagnostics().size() == 1u);
  BOOST_TEST(r.diagnostics()[0].span.column == 86);
  BOOST_TEST(r.diagnostics()[0].message == "say 'Sales Qualified Lead' instead of 'qualified lead'");
  auto zh =
      lint_text(loaded.charter(), "---\nlang: zh\n---\n营销合格线索和销售合格线索都可以，合格线索不行。\n", "zh.md");
  BOOST_REQUIRE(zh.diagnostics().size() == 1u);
  BOOST_TEST(zh.diagnostics()[0].span.column == 18);
}

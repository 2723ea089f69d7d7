// Rendering diagnostics: text, json, sarif, github, junit, the Markdown step summary, and
// the JSON export of the model.
#define BOOST_TEST_MODULE charter_render
#include <boost/test/unit_test.hpp>

#include <charter/charter.hpp>
#include <charter/render.hpp>

#include <nlohmann/json.hpp>

#include <regex>
#include <set>
#include <sstream>

#include "common.hpp"

using namespace charter;
using nlohmann::json;
using test::TempDir;
namespace fs = std::filesystem;

namespace {

// Line 6 holds an unknown team after three CJK characters, line 7 an unknown key.
const char* kBad = R"(charter: 1
teams:
  - { id: sales, name: Sales }
  - { id: marketing, name: Marketing }
glossary:
  - { id: lead, term: 线索人, owner: salse }
  - { id: deal, term: Deal, owner: sales, defnition: x }
)";

std::string render_to_string(const LoadResult& r, OutputFormat f, RenderOptions o = {}) {
  std::ostringstream out;
  render(out, f, r, o);
  return out.str();
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

/// Index of the first line containing `needle` at or after `from`, or -1.
int find_line(const std::vector<std::string>& lines, std::string_view needle, int from = 0) {
  for (int i = from; i < static_cast<int>(lines.size()); ++i)
    if (lines[static_cast<std::size_t>(i)].find(needle) != std::string::npos) return i;
  return -1;
}

/// A minimal XML well-formedness check: balanced tags, quoted attributes, escaped text.
bool well_formed_xml(const std::string& x, std::string& why) {
  std::vector<std::string> stack;
  std::size_t i = 0;
  if (x.rfind("<?xml", 0) == 0) i = x.find("?>") + 2;
  bool root_seen = false;
  while (i < x.size()) {
    if (x[i] == '<') {
      std::size_t e = x.find('>', i);
      if (e == std::string::npos) return why = "unclosed tag", false;
      std::string tag = x.substr(i + 1, e - i - 1);
      bool closing = !tag.empty() && tag[0] == '/';
      bool empty = !tag.empty() && tag.back() == '/';
      std::string name = tag.substr(closing ? 1 : 0);
      name = name.substr(0, name.find_first_of(" /\t\n"));
      // Attributes: name="value" with no raw `<` or `"` inside the value.
      std::size_t q = 0;
      for (char c : tag) q += c == '"';
      if (q % 2) return why = "odd quotes in <" + tag + ">", false;
      if (tag.find('<') != std::string::npos) return why = "`<` inside a tag", false;
      if (closing) {
        if (stack.empty() || stack.back() != name) return why = "mismatched </" + name + ">", false;
        stack.pop_back();
      } else if (!empty) {
        if (stack.empty() && root_seen) return why = "two roots", false;
        root_seen = true;
        stack.push_back(name);
      }
      i = e + 1;
    } else if (x[i] == '&') {
      std::size_t e = x.find(';', i);
      if (e == std::string::npos || e - i > 10) return why = "bare `&`", false;
      i = e + 1;
    } else if (x[i] == '>') {
      i++;  // allowed in text, though usually escaped
    } else {
      i++;
    }
  }
  if (!stack.empty()) return why = "unclosed <" + stack.back() + ">", false;
  return true;
}

}  // namespace

BOOST_AUTO_TEST_CASE(output_format_names) {
  BOOST_TEST((parse_output_format("text") == OutputFormat::Text));
  BOOST_TEST((parse_output_format("json") == OutputFormat::Json));
  BOOST_TEST((parse_output_format("sarif") == OutputFormat::Sarif));
  BOOST_TEST((parse_output_format("github") == OutputFormat::Github));
  BOOST_TEST((parse_output_format("junit") == OutputFormat::Junit));
  BOOST_TEST(!parse_output_format("xml").has_value());
  BOOST_TEST(!parse_output_format("").has_value());
  BOOST_TEST(!parse_output_format("JSON").has_value());
}

// ---- text -------------------------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(text)

BOOST_AUTO_TEST_CASE(header_source_line_and_caret_under_cjk) {
  auto r = test::load(kBad);
  const Diagnostic& team = test::first(r, "CH0301");
  BOOST_REQUIRE_EQUAL(team.span.line, 6);
  BOOST_TEST(team.span.column == 35);  // code points: 22 + 3 + 9 before `salse`
  std::string text = render_to_string(r, OutputFormat::Text);
  auto lines = lines_of(text);
  int h = find_line(lines, "t.yaml:6:35: error[CH0301]: unknown team `salse`");
  BOOST_REQUIRE_MESSAGE(h >= 0, text);
  int src = find_line(lines, "6 |   - { id: lead, term: 线索人, owner: salse }", h);
  BOOST_REQUIRE_MESSAGE(src > h, text);
  BOOST_REQUIRE(src + 1 < static_cast<int>(lines.size()));
  const std::string& caret = lines[static_cast<std::size_t>(src) + 1];
  std::size_t bar = caret.find('|');
  std::size_t first = caret.find('^');
  BOOST_REQUIRE(bar != std::string::npos);
  BOOST_REQUIRE(first != std::string::npos);
  BOOST_TEST(lines[static_cast<std::size_t>(src)].find('|') == bar, "gutters line up");
  // The caret sits under `salse`: 22 ASCII + 3 CJK of width 2 + 9 ASCII = 37 columns in.
  BOOST_TEST(first - (bar + 2) == 37u, caret);
  BOOST_TEST(caret.substr(first, 6) == "^^^^^ ");
  BOOST_TEST(caret.find("no team has this id") != std::string::npos);
  BOOST_TEST(find_line(lines, "= help: did you mean `sales`?", src) > src, text);
}

BOOST_AUTO_TEST_CASE(caret_width_of_a_cjk_span) {
  auto r = test::load("charter: 1\n线索人: 1\n");
  std::string text = render_to_string(r, OutputFormat::Text);
  auto lines = lines_of(text);
  int src = find_line(lines, "2 | 线索人: 1");
  BOOST_REQUIRE_MESSAGE(src >= 0, text);
  const std::string& caret = lines[static_cast<std::size_t>(src) + 1];
  std::size_t bar = caret.find('|');
  std::size_t first = caret.find('^');
  BOOST_TEST(first == bar + 2, caret);
  BOOST_TEST(caret.substr(first, 7) == "^^^^^^ ", "three CJK characters are six columns: " << caret);
}

BOOST_AUTO_TEST_CASE(related_spans_notes_and_summary) {
  auto r = test::load(std::string(kBad) + "  - { id: lead, term: Lead again }\n");
  std::string text = render_to_string(r, OutputFormat::Text);
  auto lines = lines_of(text);
  int h = find_line(lines, "t.yaml:8:");
  BOOST_REQUIRE_MESSAGE(h >= 0, text);
  BOOST_TEST(lines[static_cast<std::size_t>(h)].find("error[CH0310]") != std::string::npos, text);
  int rel = find_line(lines, "::: t.yaml:6:", h);
  BOOST_TEST(rel > h, text);
  int dash = find_line(lines, "----", rel);
  BOOST_TEST(dash > rel, "the related span is underlined with `-`\n" << text);
  BOOST_TEST(lines.back().find(" errors, 0 warnings in 1 file") != std::string::npos, lines.back());
}

BOOST_AUTO_TEST_CASE(no_ansi_escapes_without_color) {
  auto r = test::load(kBad);
  RenderOptions no_color, color;
  color.color = true;
  std::string plain = render_to_string(r, OutputFormat::Text, no_color);
  BOOST_TEST(plain.find('\x1b') == std::string::npos);
  std::string colored = render_to_string(r, OutputFormat::Text, color);
  BOOST_TEST(colored.find("\x1b[") != std::string::npos);
  // Without the escapes the coloured text is the plain text.
  std::string stripped = std::regex_replace(colored, std::regex("\x1b\\[[0-9;]*m"), "");
  BOOST_TEST(stripped == plain);
}

BOOST_AUTO_TEST_CASE(clean_charter_prints_ok) {
  auto r = test::load("charter: 1\nteams: [{id: a, name: A}]\n");
  std::string text = render_to_string(r, OutputFormat::Text);
  BOOST_TEST(text.rfind("ok: 1 file", 0) == 0u, text);
}

BOOST_AUTO_TEST_CASE(empty_file_is_located_at_its_start_without_a_snippet) {
  auto r = test::load("");
  std::string text = render_to_string(r, OutputFormat::Text);
  BOOST_TEST(text.find("t.yaml:1:1: error[CH0004]:") != std::string::npos, text);
  BOOST_TEST(text.find('^') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(tabs_in_the_source_line_keep_the_caret_aligned) {
  auto r = test::load("charter: 1\nteams: [{id: a, name: \"a\tb\", nmae: x}]\n");
  std::string text = render_to_string(r, OutputFormat::Text);
  auto lines = lines_of(text);
  int src = find_line(lines, "2 | teams:");
  BOOST_REQUIRE_MESSAGE(src >= 0, text);
  const std::string& shown = lines[static_cast<std::size_t>(src)];
  const std::string& caret = lines[static_cast<std::size_t>(src) + 1];
  BOOST_TEST(shown.find('\t') == std::string::npos, "tabs are expanded");
  BOOST_TEST(caret.find('^') == shown.find("nmae"), "\n" << shown << "\n" << caret);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- json -------------------------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(json_format)

BOOST_AUTO_TEST_CASE(parses_and_has_every_field) {
  auto r = test::load(kBad);
  RenderOptions o;
  o.tool_version = "9.9.9";
  std::string out = render_to_string(r, OutputFormat::Json, o);
  json j;
  BOOST_REQUIRE_NO_THROW(j = json::parse(out));
  BOOST_TEST(j["version"] == 1);
  BOOST_TEST(j["tool"]["name"] == "charter");
  BOOST_TEST(j["tool"]["version"] == "9.9.9");
  BOOST_REQUIRE(j["diagnostics"].is_array());
  BOOST_TEST(j["diagnostics"].size() == r.diagnostics().size());
  BOOST_TEST(j["summary"]["errors"] == count_at_least(r.diagnostics(), Severity::Error));
  BOOST_TEST(j["files"] == json::array({"t.yaml"}));
  for (std::size_t i = 0; i < r.diagnostics().size(); ++i) {
    const Diagnostic& d = r.diagnostics()[i];
    const json& x = j["diagnostics"][i];
    BOOST_TEST_CONTEXT(d) {
      BOOST_TEST(x["code"] == d.code);
      BOOST_TEST(x["severity"] == std::string(to_string(d.severity)));
      BOOST_TEST(x["message"] == d.message);
      BOOST_TEST(x["file"] == d.span.file);
      BOOST_TEST(x["line"] == d.span.line);
      BOOST_TEST(x["column"] == d.span.column);
      BOOST_TEST(x["end_line"] == d.span.end_line);
      BOOST_TEST(x["end_column"] == d.span.end_column);
      BOOST_TEST(x["pointer"] == d.span.pointer);
      BOOST_TEST(x["related"].is_array());
      BOOST_TEST(x["notes"].is_array());
      BOOST_TEST(x.contains("suggestion"));
      if (d.suggestion)
        BOOST_TEST(x["suggestion"] == *d.suggestion);
      else
        BOOST_TEST(x["suggestion"].is_null());
    }
  }
  const json* team = nullptr;
  for (const auto& x : j["diagnostics"])
    if (x["code"] == "CH0301") team = &x;
  BOOST_REQUIRE(team);
  BOOST_TEST((*team)["pointer"] == "/glossary/0/owner");
  BOOST_TEST((*team)["suggestion"] == "sales");
  BOOST_TEST((*team)["help"].get<std::string>().find("sales") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(related_locations) {
  auto r = test::load(std::string(kBad) + "  - { id: lead, term: Lead again }\n");
  json j = json::parse(render_to_string(r, OutputFormat::Json));
  const json* dup = nullptr;
  for (const auto& x : j["diagnostics"])
    if (x["code"] == "CH0310") dup = &x;
  BOOST_REQUIRE(dup);
  BOOST_REQUIRE_EQUAL((*dup)["related"].size(), 1u);
  const json& rel = (*dup)["related"][0];
  for (const char* k : {"file", "line", "column", "end_line", "end_column", "pointer", "message"})
    BOOST_TEST(rel.contains(k), k);
  BOOST_TEST(rel["line"] == 6);
  BOOST_TEST(rel["pointer"] == "/glossary/0/id");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_in_messages_still_gives_valid_json) {
  auto r = test::load("charter: 1\n\xFF\xFE\xFD: 1\n");
  json j;
  BOOST_REQUIRE_NO_THROW(j = json::parse(render_to_string(r, OutputFormat::Json)));
  BOOST_TEST(j["diagnostics"].size() >= 1u);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- sarif ------------------------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(sarif)

BOOST_AUTO_TEST_CASE(structure_rules_and_results) {
  auto r = test::load(kBad);
  json j = json::parse(render_to_string(r, OutputFormat::Sarif));
  BOOST_TEST(j["version"] == "2.1.0");
  BOOST_TEST(j["$schema"].get<std::string>().find("sarif") != std::string::npos);
  BOOST_REQUIRE_EQUAL(j["runs"].size(), 1u);
  const json& run = j["runs"][0];
  BOOST_TEST(run["columnKind"] == "unicodeCodePoints");
  BOOST_TEST(run["tool"]["driver"]["name"] == "charter");
  const json& rules = run["tool"]["driver"]["rules"];
  BOOST_TEST(rules.size() == all_codes().size());
  std::set<std::string> ids;
  for (const auto& rule : rules) {
    ids.insert(rule["id"].get<std::string>());
    BOOST_TEST(!rule["shortDescription"]["text"].get<std::string>().empty());
  }
  BOOST_TEST(ids.size() == rules.size(), "rule ids are unique");
  BOOST_REQUIRE_EQUAL(run["results"].size(), r.diagnostics().size());
  for (std::size_t i = 0; i < r.diagnostics().size(); ++i) {
    const Diagnostic& d = r.diagnostics()[i];
    const json& res = run["results"][i];
    BOOST_TEST_CONTEXT(d) {
      BOOST_TEST(res["ruleId"] == d.code);
      BOOST_REQUIRE(res.contains("ruleIndex"));
      BOOST_TEST(rules[res["ruleIndex"].get<std::size_t>()]["id"] == d.code);
      BOOST_TEST(res["level"] == (d.severity == Severity::Error ? "error" : "warning"));
      BOOST_TEST(res["message"]["text"].get<std::string>().find(d.message) == 0u);
      const json& loc = res["locations"][0]["physicalLocation"];
      BOOST_TEST(loc["artifactLocation"]["uri"] == "t.yaml");
      BOOST_TEST(loc["region"]["startLine"] == d.span.line);
      BOOST_TEST(loc["region"]["startColumn"] == d.span.column);
      BOOST_TEST(loc["region"]["endColumn"] == d.span.end_column);
      BOOST_TEST(res["partialFingerprints"].size() >= 1u);
    }
  }
}

BOOST_AUTO_TEST_CASE(fingerprints_survive_lines_inserted_above) {
  std::string v1 = kBad;
  std::string v2 = "# a comment\n# and a blank line\n\n" + v1;  // three lines inserted above everything
  auto r1 = test::load(v1);
  auto r2 = test::load(v2);
  json s1 = json::parse(render_to_string(r1, OutputFormat::Sarif));
  json s2 = json::parse(render_to_string(r2, OutputFormat::Sarif));
  const json& a = s1["runs"][0]["results"];
  const json& b = s2["runs"][0]["results"];
  BOOST_REQUIRE_EQUAL(a.size(), b.size());
  BOOST_REQUIRE(a.size() >= 2u);
  std::set<std::string> distinct;
  for (std::size_t i = 0; i < a.size(); ++i) {
    BOOST_TEST(a[i]["ruleId"] == b[i]["ruleId"]);
    BOOST_TEST(b[i]["locations"][0]["physicalLocation"]["region"]["startLine"].get<int>() ==
               a[i]["locations"][0]["physicalLocation"]["region"]["startLine"].get<int>() + 3);
    BOOST_TEST(a[i]["partialFingerprints"] == b[i]["partialFingerprints"], a[i]["ruleId"]);
    distinct.insert(a[i]["partialFingerprints"].dump());
  }
  BOOST_TEST(distinct.size() == a.size(), "different findings have different fingerprints");
}

BOOST_AUTO_TEST_CASE(fingerprints_survive_an_edit_above_in_a_real_file) {
  TempDir d;
  auto f = d.write("charter.yaml", kBad);
  auto before = load_charter({f});
  d.write("charter.yaml", std::string("# edited\n") + kBad);
  auto after = load_charter({f});
  json a = json::parse(render_to_string(before, OutputFormat::Sarif))["runs"][0]["results"];
  json b = json::parse(render_to_string(after, OutputFormat::Sarif))["runs"][0]["results"];
  BOOST_REQUIRE_EQUAL(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) BOOST_TEST(a[i]["partialFingerprints"] == b[i]["partialFingerprints"]);
}

BOOST_AUTO_TEST_CASE(uris_are_relative_and_encoded) {
  TempDir d;
  d.write("sub dir/my charter.yaml", "charter: 2\n");
  fs::path old = fs::current_path();
  fs::current_path(d.path());
  auto r = load_charter({"sub dir"});
  std::string out = render_to_string(r, OutputFormat::Sarif);
  fs::current_path(old);
  json j = json::parse(out);
  const json& run = j["runs"][0];
  BOOST_REQUIRE(run["results"].size() >= 1u);
  const json& loc = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
  BOOST_TEST(loc["uri"] == "sub%20dir/my%20charter.yaml");
  BOOST_TEST(loc["uriBaseId"] == "%SRCROOT%");
  std::string base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"];
  BOOST_TEST(base.rfind("file://", 0) == 0u, base);
  BOOST_TEST(base.back() == '/');
}

BOOST_AUTO_TEST_CASE(warnings_and_fixes) {
  auto r = test::load("charter: 1\nmeetings:\n  - { id: m, every: 8w }\nteams:\n  - { id: a, nmae: x, name: A }\n");
  json j = json::parse(render_to_string(r, OutputFormat::Sarif));
  bool warning = false, fix = false;
  for (const auto& res : j["runs"][0]["results"]) {
    if (res["ruleId"] == "CH0803") warning = res["level"] == "warning";
    if (res["ruleId"] == "CH0203" && res.contains("fixes"))
      fix = res["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "name";
  }
  BOOST_TEST(warning);
  BOOST_TEST(fix);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- github ------------------------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(github)

BOOST_AUTO_TEST_CASE(workflow_commands) {
  auto r = test::load(kBad);
  std::string out = render_to_string(r, OutputFormat::Github);
  auto lines = lines_of(out);
  BOOST_TEST(lines.size() == r.diagnostics().size(), "one line per finding\n" << out);
  int i = find_line(lines, "title=CH0301");
  BOOST_REQUIRE_MESSAGE(i >= 0, out);
  BOOST_TEST(
      lines[static_cast<std::size_t>(i)].rfind(
          "::error file=t.yaml,line=6,col=35,endLine=6,endColumn=40,title=CH0301::unknown team `salse`", 0) == 0u,
      lines[static_cast<std::size_t>(i)]);
  BOOST_TEST(lines[static_cast<std::size_t>(i)].find("%0Ahelp: did you mean `sales`?") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(escaping_of_data_and_properties) {
  // A file name with `:`, `,` and `%`, and a message with `%` and a help on a second line.
  auto r = load_charter_from_string(
      "charter: 1\nteams: [{id: a, name: A}]\nslas:\n  - { id: x, type: volume, provider: a, customer: a, "
      "count: { activity: [call] }, at_least: 5, period: week, objective: 150% }\n",
      "we:ird,name%.yaml");
  std::string out = render_to_string(r, OutputFormat::Github);
  auto lines = lines_of(out);
  int i = find_line(lines, "title=CH0703");
  BOOST_REQUIRE_MESSAGE(i >= 0, out);
  const std::string& l = lines[static_cast<std::size_t>(i)];
  BOOST_TEST(l.find("file=we%3Aird%2Cname%25.yaml,") != std::string::npos, l);
  std::string msg = l.substr(l.find("::", 2) + 2);
  BOOST_TEST(msg.find("150%25") != std::string::npos, msg);
  BOOST_TEST(msg.find('%') == msg.find("%25"), "every % in the message is escaped: " << msg);
  for (const auto& line : lines) BOOST_TEST(line.rfind("::", 0) == 0u, "no raw newline splits a command: " << line);
}

BOOST_AUTO_TEST_CASE(warnings_and_notes) {
  TempDir d;
  d.write("charter.yaml", "charter: 1\nmeetings:\n  - { id: m, every: 8w }\n");
  d.write("ci.yaml", "on: push\n");
  auto r = load_charter({d.path()});
  std::string out = render_to_string(r, OutputFormat::Github);
  BOOST_TEST(out.find("::warning file=") != std::string::npos, out);
  BOOST_TEST(out.find("title=CH0803") != std::string::npos);
  BOOST_TEST(out.find("::notice") != std::string::npos, "the CH0007 note: " << out);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- junit -------------------------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(junit)

BOOST_AUTO_TEST_CASE(well_formed_with_one_testcase_per_file) {
  TempDir d;
  d.write("a.yaml", "charter: 1\nteams: [{id: a, name: A}]\n");
  d.write("b.yaml", "charter: 1\n\"x<y&z\\\"q'\": 1\nteams: [{id: b, name: B, owner: a}]\n");
  d.write("c.yaml", "charter: 1\nmeetings:\n  - { id: m, every: 8w }\n");
  auto r = load_charter({d.path()});
  std::string xml = render_to_string(r, OutputFormat::Junit);
  std::string why;
  BOOST_TEST(well_formed_xml(xml, why), why << "\n" << xml);
  std::size_t cases = 0;
  for (std::size_t p = 0; (p = xml.find("<testcase ", p)) != std::string::npos; ++p) ++cases;
  BOOST_TEST(cases == 3u, xml);
  BOOST_TEST(xml.find("tests=\"3\"") != std::string::npos);
  BOOST_TEST(xml.find("failures=\"1\"") != std::string::npos, "only b.yaml has errors\n" << xml);
  BOOST_TEST(xml.find("x&lt;y&amp;z&quot;q&apos;") != std::string::npos, xml);
  BOOST_TEST(xml.find("x<y") == std::string::npos);
  BOOST_TEST(xml.find("CH0803") != std::string::npos, "warnings are listed too");
}

BOOST_AUTO_TEST_CASE(a_string_is_one_testcase) {
  auto r = test::load(kBad);
  std::string xml = render_to_string(r, OutputFormat::Junit);
  std::string why;
  BOOST_TEST(well_formed_xml(xml, why), why);
  std::size_t cases = 0;
  for (std::size_t p = 0; (p = xml.find("<testcase ", p)) != std::string::npos; ++p) ++cases;
  BOOST_TEST(cases == 1u);
  BOOST_TEST(xml.find("<failure") != std::string::npos);
  BOOST_TEST(xml.find("线索人") == std::string::npos, "messages, not source lines");
}

BOOST_AUTO_TEST_CASE(control_characters_are_not_emitted_raw) {
  auto r = test::load("charter: 1\n\"a\\x01b\": 1\n");
  std::string xml = render_to_string(r, OutputFormat::Junit);
  BOOST_TEST(xml.find('\x01') == std::string::npos);
  std::string why;
  BOOST_TEST(well_formed_xml(xml, why), why);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- markdown summary -----------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(markdown)

BOOST_AUTO_TEST_CASE(appends_a_table_with_escaped_pipes) {
  TempDir d;
  auto path = (d / "summary.md").string();
  auto r = test::load("charter: 1\n\"a|b\": 1\nteams: [{id: a, name: A, nmae: x}]\n");
  BOOST_REQUIRE(append_markdown_summary(path, r));
  BOOST_REQUIRE(append_markdown_summary(path, r));
  std::ifstream in(path);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto lines = lines_of(all);
  std::size_t headers = 0, rows = 0;
  for (const auto& l : lines) {
    if (l.rfind("### ", 0) == 0) ++headers;
    if (l.rfind("| error ", 0) == 0 || l.rfind("| warning ", 0) == 0 || l.rfind("| note ", 0) == 0) {
      ++rows;
      std::size_t unescaped = 0;
      for (std::size_t i = 0; i < l.size(); ++i)
        if (l[i] == '|' && (i == 0 || l[i - 1] != '\\')) ++unescaped;
      BOOST_TEST(unescaped == 5u, "four cells: " << l);
    }
  }
  BOOST_TEST(headers == 2u, "appended, not overwritten");
  BOOST_TEST(rows == 2 * r.diagnostics().size());
  BOOST_TEST(all.find("| Severity | Code | Location | Message |") != std::string::npos);
  BOOST_TEST(all.find("a\\|b") != std::string::npos, all);
  BOOST_TEST(all.find("t.yaml:2:1") != std::string::npos, all);
}

BOOST_AUTO_TEST_CASE(clean_result_and_unwritable_path) {
  TempDir d;
  auto ok = test::load("charter: 1\n");
  auto path = (d / "summary.md").string();
  BOOST_TEST(append_markdown_summary(path, ok));
  std::ifstream in(path);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  BOOST_TEST(all.find("No problems") != std::string::npos, all);
  BOOST_TEST(!append_markdown_summary(d.path().string(), ok), "a directory cannot be appended to");
  BOOST_TEST(!append_markdown_summary((d / "missing" / "x.md").string(), ok));
}

BOOST_AUTO_TEST_SUITE_END()

// ---- export ---------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(export_json_of_the_example_parses) {
  auto r = load_charter({test::acme_dir()});
  std::ostringstream out;
  export_json(out, r.charter());
  json j;
  BOOST_REQUIRE_NO_THROW(j = json::parse(out.str()));
  BOOST_TEST(j["organization"]["name"] == "Acme Corp");
  BOOST_TEST(j["glossary"].size() == r.charter().glossary().size());
  BOOST_TEST(j["funnel"]["stages"].size() == r.charter().funnel().stages.size());
  BOOST_TEST(j["files"].size() == r.charter().files().size());
}

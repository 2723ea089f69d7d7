// Loading: files, directories, strings, includes, merging, positions and pointers.
#define BOOST_TEST_MODULE charter_load
#include <boost/test/unit_test.hpp>

#include <charter/charter.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "common.hpp"

using namespace charter;
using test::TempDir;
namespace fs = std::filesystem;

namespace {

const char* kTeams = R"(charter: 1
teams:
  - { id: marketing, name: Marketing }
  - { id: sales, name: Sales }
)";

const char* kGlossary = R"(charter: 1
glossary:
  - id: lead
    term: Lead
    definition: A person who gave us their details.
    status: approved
    owner: marketing
)";

}  // namespace

// ---- the example charter --------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(example)

BOOST_AUTO_TEST_CASE(acme_directory_loads_clean_with_expected_content) {
  auto r = load_charter({test::acme_dir()});
  BOOST_TEST(r.ok(), test::dump(r));
  BOOST_TEST(count_at_least(r.diagnostics(), Severity::Warning) == 0u, test::dump(r));
  const Charter& c = r.charter();
  BOOST_TEST(c.files().size() == 8u);
  BOOST_TEST(c.glossary().size() >= 25u);
  std::size_t translated = 0;
  for (const auto& t : c.glossary())
    if (t.translation("zh")) ++translated;
  BOOST_TEST(translated >= 10u);
  std::vector<std::string> stages;
  for (const auto& s : c.funnel().stages) stages.emplace_back(s.id);
  std::vector<std::string> expected = {"subscriber", "lead", "mql", "sql", "opportunity", "customer"};
  BOOST_TEST(stages == expected, boost::test_tools::per_element());
  BOOST_TEST(c.funnel().recycle_to == "lead");
  BOOST_TEST(c.exit("disqualified") != nullptr);
  BOOST_TEST(c.exit("nurture") != nullptr);
  BOOST_TEST(c.criteria().size() >= 3u);
  BOOST_TEST(c.scores().size() == 2u);
  std::set<SlaType> types;
  for (const auto& s : c.slas()) types.insert(s.type);
  BOOST_TEST(types.size() == 4u);
  BOOST_TEST(!c.calendars().empty());
  BOOST_TEST(!c.calendars()[0].holidays.empty());
  BOOST_TEST(c.goals().size() >= 1u);
  BOOST_TEST(c.meetings().size() >= 1u);
  BOOST_TEST(c.organization().name == "Acme Corp");
  BOOST_TEST(c.organization().timezone == "Europe/Berlin");
  // Every expression of a clean charter is parsed and typed.
  for (const auto& k : c.criteria()) BOOST_TEST(k.when.ok(), k.id);
  for (const auto& s : c.scores())
    for (const auto& rule : s.rules) BOOST_TEST(rule.when.ok(), rule.when.text);
  BOOST_TEST(r.skipped_files().empty());
}

BOOST_AUTO_TEST_CASE(acme_root_file_brings_its_includes) {
  auto by_dir = load_charter({test::acme_dir()});
  auto by_file = load_charter({test::acme_dir() / "charter.yaml"});
  BOOST_TEST(by_file.ok(), test::dump(by_file));
  BOOST_TEST(by_file.charter().files().size() == by_dir.charter().files().size());
  BOOST_TEST(by_file.charter().glossary().size() == by_dir.charter().glossary().size());
  BOOST_TEST(by_file.charter().slas().size() == by_dir.charter().slas().size());
  BOOST_TEST(by_file.charter().files()[0].ends_with("charter.yaml"));
}

BOOST_AUTO_TEST_CASE(directory_and_file_given_together_load_each_file_once) {
  auto r = load_charter({test::acme_dir(), test::acme_dir() / "charter.yaml", test::acme_dir() / "funnel.yaml"});
  BOOST_TEST(r.ok(), test::dump(r));
  BOOST_TEST(r.charter().files().size() == 8u);
  BOOST_TEST(!test::has_code(r, "CH0310"));
}

BOOST_AUTO_TEST_SUITE_END()

// ---- merging and ids ------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(merging)

BOOST_AUTO_TEST_CASE(several_files_merge_and_cross_file_references_resolve) {
  TempDir d;
  auto a = d.write("teams.yaml", kTeams);
  auto b = d.write("glossary.yaml", kGlossary);
  auto r = load_charter({a, b});
  BOOST_TEST(r.ok(), test::dump(r));
  BOOST_TEST(r.charter().files().size() == 2u);
  BOOST_TEST(r.charter().teams().size() == 2u);
  BOOST_REQUIRE(r.charter().term("lead"));
  BOOST_TEST(r.charter().term("lead")->owner == "marketing");
  BOOST_TEST(r.charter().team("marketing") != nullptr);
}

BOOST_AUTO_TEST_CASE(reference_to_a_team_in_no_file_is_reported) {
  TempDir d;
  auto b = d.write("glossary.yaml", kGlossary);
  auto r = load_charter({b});
  BOOST_TEST(!r.ok());
  BOOST_TEST(test::count_code(r, "CH0301") == 1u, test::dump(r));
}

BOOST_AUTO_TEST_CASE(duplicate_id_across_files_points_at_both) {
  TempDir d;
  auto a = d.write("a.yaml", kTeams);
  auto b =
      d.write("b.yaml", "charter: 1\nteams:\n  - id: other\n    name: Other\n  - id: sales\n    name: Sales EMEA\n");
  auto r = load_charter({a, b});
  BOOST_REQUIRE_EQUAL(test::count_code(r, "CH0310"), 1u);
  const Diagnostic& dup = test::first(r, "CH0310");
  BOOST_TEST(dup.severity == Severity::Error);
  BOOST_TEST(dup.span.file.ends_with("b.yaml"));
  BOOST_TEST(dup.span.line == 5);
  BOOST_TEST(dup.span.column == 9);
  BOOST_TEST(dup.span.pointer == "/teams/1/id");
  BOOST_REQUIRE_EQUAL(dup.related.size(), 1u);
  BOOST_TEST(dup.related[0].span.file.ends_with("a.yaml"));
  BOOST_TEST(dup.related[0].span.line == 4);
  BOOST_TEST(dup.related[0].span.column == test::column_of(kTeams, 4, "sales"));
  BOOST_TEST(!dup.related[0].message.empty());
  // First definition wins for lookups.
  BOOST_REQUIRE(r.charter().team("sales"));
  BOOST_TEST(r.charter().team("sales")->name == "Sales");
}

BOOST_AUTO_TEST_CASE(ids_are_global_per_section_not_across_sections) {
  auto r = test::load(R"(charter: 1
teams:
  - { id: lead, name: Lead team }
glossary:
  - { id: lead, term: Lead }
fields:
  - { id: lead, type: string }
)");
  BOOST_TEST(!test::has_code(r, "CH0310"), test::dump(r));
}

BOOST_AUTO_TEST_CASE(stages_and_exits_share_one_namespace) {
  auto r = test::load(R"(charter: 1
funnel:
  stages:
    - id: lead
    - id: lost
  exits:
    - id: lost
)");
  BOOST_TEST(test::count_code(r, "CH0310") == 1u, test::dump(r));
}

BOOST_AUTO_TEST_CASE(organization_in_two_files_is_a_section_redefinition) {
  TempDir d;
  auto a = d.write("a.yaml", "charter: 1\norganization: { name: A }\n");
  auto b = d.write("b.yaml", "charter: 1\norganization: { name: B }\n");
  auto r = load_charter({a, b});
  BOOST_REQUIRE_EQUAL(test::count_code(r, "CH0213"), 1u);
  const Diagnostic& x = test::first(r, "CH0213");
  BOOST_TEST(x.span.file.ends_with("b.yaml"));
  BOOST_TEST(x.span.line == 2);
  BOOST_REQUIRE(!x.related.empty());
  BOOST_TEST(x.related[0].span.file.ends_with("a.yaml"));
  BOOST_TEST(r.charter().organization().name == "A");
}

BOOST_AUTO_TEST_SUITE_END()

// ---- extensions and unknown keys --------------------------------------------------------

BOOST_AUTO_TEST_SUITE(keys)

BOOST_AUTO_TEST_CASE(x_keys_are_kept_as_json_and_never_flagged) {
  auto r = test::load(R"(charter: 1
x-owner: { team: revops, reviewers: [ana, "bo"], since: 2024, active: true, ratio: 0.5, none: ~ }
x-channel: "#revops"
teams:
  - id: sales
    name: Sales
    x-slack: '#sales'
    x-size: 12
funnel:
  x-note: top to bottom
  stages:
    - { id: lead, x-color: blue }
scores:
  - id: s
    x-owner: sales
    rules:
      - { when: "true", points: 1, x-why: because }
)");
  BOOST_TEST(r.ok(), test::dump(r));
  BOOST_TEST(r.diagnostics().empty(), test::dump(r));
  const auto& ext = r.charter().extensions();
  BOOST_REQUIRE(ext.count("x-owner"));
  auto j = nlohmann::json::parse(ext.at("x-owner"));
  BOOST_TEST(j["team"] == "revops");
  BOOST_TEST(j["reviewers"] == nlohmann::json::array({"ana", "bo"}));
  BOOST_TEST(j["since"] == 2024);
  BOOST_TEST(j["active"] == true);
  BOOST_TEST(j["ratio"].get<double>() == 0.5);
  BOOST_TEST(j["none"].is_null());
  BOOST_REQUIRE(ext.count("x-channel"));
  BOOST_TEST(nlohmann::json::parse(ext.at("x-channel")) == "#revops");
  const Team* t = r.charter().team("sales");
  BOOST_REQUIRE(t);
  BOOST_TEST(nlohmann::json::parse(t->extensions.at("x-slack")) == "#sales");
  BOOST_TEST(nlohmann::json::parse(t->extensions.at("x-size")) == 12);
  BOOST_TEST(r.charter().funnel().extensions.count("x-note") == 1u);
  BOOST_REQUIRE(r.charter().stage("lead"));
  BOOST_TEST(r.charter().stage("lead")->extensions.count("x-color") == 1u);
  BOOST_TEST(r.charter().score("s")->extensions.count("x-owner") == 1u);
}

BOOST_AUTO_TEST_CASE(unknown_key_has_did_you_mean) {
  const char* y = "charter: 1\nteams:\n  - id: sales\n    nmae: Sales\n";
  auto r = test::load(y);
  BOOST_TEST(!r.ok());
  const Diagnostic& d = test::first(r, "CH0203");
  BOOST_TEST(d.severity == Severity::Error);
  BOOST_TEST(d.span.line == 4);
  BOOST_TEST(d.span.column == 5);
  BOOST_TEST(d.span.end_column == 9);
  BOOST_TEST(d.message.find("nmae") != std::string::npos);
  BOOST_REQUIRE(d.suggestion.has_value());
  BOOST_TEST(*d.suggestion == "name");
  BOOST_TEST(d.help.find("name") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(unknown_top_level_key_has_did_you_mean) {
  auto r = test::load("charter: 1\nglosary:\n  - { id: lead, term: Lead }\n");
  const Diagnostic& d = test::first(r, "CH0203");
  BOOST_TEST(d.span.line == 2);
  BOOST_TEST(d.span.column == 1);
  BOOST_REQUIRE(d.suggestion.has_value());
  BOOST_TEST(*d.suggestion == "glossary");
}

BOOST_AUTO_TEST_CASE(unknown_key_without_close_match_lists_the_keys) {
  auto r = test::load("charter: 1\nteams:\n  - { id: sales, name: Sales, wibblewobble: 1 }\n");
  const Diagnostic& d = test::first(r, "CH0203");
  BOOST_TEST(!d.suggestion.has_value());
  BOOST_TEST(d.help.find("x-") != std::string::npos, d.help);
}

BOOST_AUTO_TEST_CASE(missing_charter_key_and_wrong_position) {
  auto none = test::load("teams:\n  - { id: sales, name: Sales }\n");
  BOOST_TEST(test::count_code(none, "CH0201") == 1u, test::dump(none));
  BOOST_TEST(test::first(none, "CH0201").span.line == 1);
  auto late = test::load("teams:\n  - { id: sales, name: Sales }\ncharter: 1\n");
  BOOST_TEST(test::count_code(late, "CH0201") == 1u, test::dump(late));
  BOOST_TEST(test::first(late, "CH0201").span.line == 3);
  auto v2 = test::load("charter: 2\n");
  BOOST_TEST(test::count_code(v2, "CH0202") == 1u);
  BOOST_TEST(test::first(v2, "CH0202").span.column == 10);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- YAML 1.2 core schema ---------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(core_schema)

BOOST_AUTO_TEST_CASE(yes_is_a_string_not_the_integer_1) {
  for (const char* v : {"yes", "on", "Yes", "y"}) {
    auto r = test::load(std::string("charter: ") + v + "\n");
    BOOST_TEST(test::count_code(r, "CH0202") == 1u, v << "\n" << test::dump(r));
    BOOST_TEST(test::first(r, "CH0202").message.find("string") != std::string::npos, v);
  }
  auto quoted = test::load("charter: \"1\"\n");
  BOOST_TEST(test::count_code(quoted, "CH0202") == 1u, "a quoted 1 is a string");
  auto boolean = test::load("charter: true\n");
  BOOST_TEST(test::count_code(boolean, "CH0202") == 1u);
}

BOOST_AUTO_TEST_CASE(yes_no_on_off_and_dates_stay_strings) {
  auto r = test::load(R"(charter: 1
teams:
  - { id: a, name: yes }
  - { id: b, name: off }
  - { id: c, name: 2026-01-01 }
  - { id: d, name: 12:30 }
  - { id: e, name: No }
)");
  BOOST_TEST(r.ok(), test::dump(r));
  BOOST_TEST(r.charter().team("a")->name == "yes");
  BOOST_TEST(r.charter().team("b")->name == "off");
  BOOST_TEST(r.charter().team("c")->name == "2026-01-01");
  BOOST_TEST(r.charter().team("d")->name == "12:30");
  BOOST_TEST(r.charter().team("e")->name == "No");
}

BOOST_AUTO_TEST_CASE(true_false_and_numbers_are_not_strings) {
  auto r =
      test::load("charter: 1\nteams:\n  - { id: a, name: true }\n  - { id: b, name: 42 }\n  - { id: c, name: 1.5 }\n");
  BOOST_TEST(test::count_code(r, "CH0204") == 3u, test::dump(r));
  for (auto* d : test::with_code(r, "CH0204")) BOOST_TEST(!d->help.empty(), "says how YAML reads it");
}

BOOST_AUTO_TEST_CASE(yes_where_an_integer_is_expected_is_a_wrong_type) {
  auto r = test::load("charter: 1\norganization: { name: A, fiscal_year_start: yes }\n");
  BOOST_TEST(test::count_code(r, "CH0204") == 1u, test::dump(r));
}

BOOST_AUTO_TEST_CASE(dates_are_typed_by_context) {
  auto r = test::load(R"(charter: 1
goals:
  - id: g
    period: { from: 2027-01-01, to: "2027-12-31" }
)");
  BOOST_TEST(r.ok(), test::dump(r));
  const Goal* g = r.charter().goal("g");
  BOOST_REQUIRE(g);
  BOOST_TEST((g->from == Date{2027, 1, 1}));
  BOOST_TEST((g->to == Date{2027, 12, 31}));
  auto bad = test::load("charter: 1\ngoals:\n  - id: g\n    period: { from: 2027-02-30, to: 2027-12-31 }\n");
  BOOST_TEST(test::count_code(bad, "CH0209") == 1u, test::dump(bad));
}

BOOST_AUTO_TEST_SUITE_END()

// ---- directory walks and includes -------------------------------------------------------

BOOST_AUTO_TEST_SUITE(files)

BOOST_AUTO_TEST_CASE(walk_skips_dot_folders_and_non_charter_yaml) {
  TempDir d;
  d.write("charter.yaml", kTeams);
  d.write("sub/glossary.yml", kGlossary);
  d.write(".github/workflows/ci.yaml", "charter: 1\nthis: is not loaded\n");
  d.write(".git/config.yaml", "charter: 1\nbroken: [\n");
  d.write("docker-compose.yaml", "services:\n  web: { image: nginx }\n");
  d.write("notes.txt", "charter: 1\nnot: yaml of the charter\n");
  d.write("list.yaml", "- a\n- b\n");
  auto r = load_charter({d.path()});
  std::vector<std::string> files(r.charter().files().begin(), r.charter().files().end());
  BOOST_TEST(std::none_of(files.begin(), files.end(), [](auto& f) { return f.find(".github") != std::string::npos; }));
  BOOST_TEST(std::none_of(files.begin(), files.end(), [](auto& f) { return f.ends_with("docker-compose.yaml"); }));
  BOOST_TEST(std::none_of(files.begin(), files.end(), [](auto& f) { return f.ends_with("notes.txt"); }));
  BOOST_TEST(std::any_of(files.begin(), files.end(), [](auto& f) { return f.ends_with("sub/glossary.yml"); }));
  BOOST_TEST(r.charter().term("lead") != nullptr);
  BOOST_TEST(!test::has_code(r, "CH0203"), test::dump(r));
  // The non-charter files are listed, and a note (never an error) says so.
  const auto& skipped = r.skipped_files();
  BOOST_TEST(std::any_of(skipped.begin(), skipped.end(), [](auto& f) { return f.ends_with("docker-compose.yaml"); }));
  BOOST_TEST(std::any_of(skipped.begin(), skipped.end(), [](auto& f) { return f.ends_with("list.yaml"); }));
  BOOST_REQUIRE_EQUAL(test::count_code(r, "CH0007"), 1u);
  BOOST_TEST(test::first(r, "CH0007").severity == Severity::Note);
  BOOST_TEST(r.ok(), test::dump(r));
  BOOST_TEST(r.charter().files().size() == 2u);
}

BOOST_AUTO_TEST_CASE(one_file_spelled_two_ways_is_loaded_once) {
  TempDir d;
  auto a = d.write("teams.yaml", kTeams);
  auto r = load_charter({a, d / "." / "teams.yaml", d / "sub" / ".." / "teams.yaml"});
  BOOST_TEST(r.ok(), test::dump(r));
  BOOST_TEST(r.charter().files().size() == 1u);
}

BOOST_AUTO_TEST_CASE(no_paths_give_an_empty_charter) {
  auto r = load_charter({});
  BOOST_TEST(r.charter().files().empty());
  BOOST_TEST(r.charter().glossary().empty());
}

BOOST_AUTO_TEST_CASE(directory_without_charter_files_is_an_error) {
  TempDir d;
  d.write("ci.yaml", "on: push\n");
  auto r = load_charter({d.path()});
  BOOST_TEST(!r.ok());
  BOOST_TEST(test::count_code(r, "CH0008") == 1u, test::dump(r));
  BOOST_TEST(r.skipped_files().size() == 1u);
}

BOOST_AUTO_TEST_CASE(path_that_does_not_exist_is_CH0001) {
  TempDir d;
  auto r = load_charter({d / "missing.yaml"});
  BOOST_TEST(!r.ok());
  BOOST_TEST(test::count_code(r, "CH0001") == 1u, test::dump(r));
}

BOOST_AUTO_TEST_CASE(file_reached_by_walk_and_include_is_loaded_once) {
  TempDir d;
  d.write("charter.yaml", "charter: 1\ninclude: [teams.yaml, glossary/*.yaml]\n");
  d.write("teams.yaml", kTeams);
  d.write("glossary/lead.yaml", kGlossary);
  auto r = load_charter({d.path(), d / "charter.yaml", d / "teams.yaml"});
  BOOST_TEST(r.ok(), test::dump(r));
  BOOST_TEST(r.charter().files().size() == 3u);
  BOOST_TEST(r.charter().teams().size() == 2u);
  BOOST_TEST(r.charter().glossary().size() == 1u);
  std::set<std::string> unique(r.charter().files().begin(), r.charter().files().end());
  BOOST_TEST(unique.size() == 3u);
}

BOOST_AUTO_TEST_CASE(includes_of_included_files_are_followed) {
  TempDir d;
  d.write("a.yaml", "charter: 1\ninclude: [b.yaml]\n");
  d.write("b.yaml", "charter: 1\ninclude: [sub/c.yaml]\n");
  d.write("sub/c.yaml", "charter: 1\ninclude: [d.yaml]\n");
  d.write("sub/d.yaml", kTeams);
  auto r = load_charter({d / "a.yaml"});
  BOOST_TEST(r.ok(), test::dump(r));
  BOOST_TEST(r.charter().files().size() == 4u);
  BOOST_TEST(r.charter().team("sales") != nullptr);
}

BOOST_AUTO_TEST_CASE(include_via_relative_dot_segments_is_the_same_file) {
  TempDir d;
  d.write("charter.yaml", "charter: 1\ninclude: [teams.yaml, ./teams.yaml, sub/../teams.yaml]\n");
  d.write("teams.yaml", kTeams);
  auto r = load_charter({d / "charter.yaml"});
  BOOST_TEST(r.ok(), test::dump(r));
  BOOST_TEST(r.charter().files().size() == 2u);
}

BOOST_AUTO_TEST_CASE(include_globs) {
  TempDir d;
  d.write("charter.yaml", "charter: 1\ninclude: [glossary/*.yaml]\n");
  d.write("glossary/a.yaml", "charter: 1\nglossary:\n  - { id: a, term: A }\n");
  d.write("glossary/b.yaml", "charter: 1\nglossary:\n  - { id: b, term: B }\n");
  d.write("glossary/c.yml", "charter: 1\nglossary:\n  - { id: c, term: C }\n");
  d.write("glossary/readme.md", "# not yaml\n");
  d.write("glossary/deep/d.yaml", "charter: 1\nglossary:\n  - { id: d, term: D }\n");
  auto r = load_charter({d / "charter.yaml"});
  BOOST_TEST(r.ok(), test::dump(r));
  BOOST_TEST(r.charter().term("a") != nullptr);
  BOOST_TEST(r.charter().term("b") != nullptr);
  BOOST_TEST(r.charter().term("c") == nullptr, "*.yaml does not match .yml");
  BOOST_TEST(r.charter().term("d") == nullptr, "* does not cross folders");
  BOOST_TEST(r.charter().files().size() == 3u);

  d.write("charter.yaml", "charter: 1\ninclude: [\"glossary/**/*.y*ml\"]\n");
  auto deep = load_charter({d / "charter.yaml"});
  BOOST_TEST(deep.ok(), test::dump(deep));
  for (const char* id : {"a", "b", "c", "d"}) BOOST_TEST(deep.charter().term(id) != nullptr, id);
}

BOOST_AUTO_TEST_CASE(include_glob_matching_one_file) {
  TempDir d;
  d.write("charter.yaml", "charter: 1\ninclude: [glossary/*.yaml]\n");
  d.write("glossary/a.yaml", "charter: 1\nglossary:\n  - { id: a, term: A }\n");
  d.write("glossary/c.yml", "charter: 1\nglossary:\n  - { id: c, term: C }\n");
  d.write("glossary/readme.md", "# not yaml\n");
  d.write("glossary/deep/d.yaml", "charter: 1\nglossary:\n  - { id: d, term: D }\n");
  auto r = load_charter({d / "charter.yaml"});
  BOOST_TEST(r.ok(), test::dump(r));
  BOOST_TEST(r.charter().term("a") != nullptr);
  BOOST_TEST(r.charter().term("c") == nullptr, "*.yaml does not match .yml");
  BOOST_TEST(r.charter().term("d") == nullptr, "* does not cross folders");
  BOOST_TEST(r.charter().files().size() == 2u);
}

BOOST_AUTO_TEST_CASE(include_glob_matching_nothing_is_CH0212) {
  TempDir d;
  const char* root = "charter: 1\ninclude:\n  - glosary/*.yaml\n";
  d.write("charter.yaml", root);
  d.write("glossary/a.yaml", "charter: 1\n");
  auto r = load_charter({d / "charter.yaml"});
  BOOST_REQUIRE_EQUAL(test::count_code(r, "CH0212"), 1u);
  const Diagnostic& x = test::first(r, "CH0212");
  BOOST_TEST(x.span.line == 3);
  BOOST_TEST(x.span.column == 5);
  BOOST_TEST(x.span.pointer == "/include/0");
}

BOOST_AUTO_TEST_CASE(include_of_a_missing_file_is_CH0212) {
  TempDir d;
  d.write("charter.yaml", "charter: 1\ninclude: [teams.yaml]\n");
  auto r = load_charter({d / "charter.yaml"});
  BOOST_TEST(test::count_code(r, "CH0212") == 1u, test::dump(r));
  BOOST_TEST(test::first(r, "CH0212").span.line == 2);
}

BOOST_AUTO_TEST_CASE(include_from_a_string_is_CH0212) {
  auto r = test::load("charter: 1\ninclude: [teams.yaml]\n");
  BOOST_TEST(test::count_code(r, "CH0212") == 1u, test::dump(r));
  BOOST_TEST(test::first(r, "CH0212").span.line == 2);
}

BOOST_AUTO_TEST_CASE(include_cycle_is_CH0211) {
  TempDir d;
  d.write("charter.yaml", "charter: 1\ninclude: [glossary.yaml]\n");
  d.write("glossary.yaml", "charter: 1\ninclude:\n  - charter.yaml\n");
  auto r = load_charter({d / "charter.yaml"});
  BOOST_TEST(r.charter().files().size() == 2u);
  BOOST_REQUIRE_EQUAL(test::count_code(r, "CH0211"), 1u);
  const Diagnostic& x = test::first(r, "CH0211");
  BOOST_TEST(x.span.file.ends_with("glossary.yaml"));
  BOOST_TEST(x.span.line == 3);
  BOOST_TEST(x.span.column == 5);
  BOOST_TEST(x.message.find("charter.yaml") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(include_cycle_through_a_walk_is_CH0211) {
  TempDir d;
  d.write("charter.yaml", "charter: 1\ninclude: [glossary.yaml]\n");
  d.write("glossary.yaml", "charter: 1\ninclude:\n  - charter.yaml\n");
  auto r = load_charter({d.path()});
  BOOST_TEST(r.charter().files().size() == 2u);
  BOOST_REQUIRE_EQUAL(test::count_code(r, "CH0211"), 1u);
  const Diagnostic& x = test::first(r, "CH0211");
  BOOST_TEST(x.span.line >= 2);
  BOOST_TEST(x.span.column > 1);
}

BOOST_AUTO_TEST_CASE(self_include_is_a_cycle) {
  TempDir d;
  d.write("charter.yaml", "charter: 1\ninclude: [charter.yaml]\n");
  auto r = load_charter({d / "charter.yaml"});
  BOOST_TEST(test::count_code(r, "CH0211") == 1u, test::dump(r));
  BOOST_TEST(r.charter().files().size() == 1u);
}

BOOST_AUTO_TEST_CASE(include_outside_the_root_is_CH0210) {
  TempDir d;
  d.write("other/secrets.yaml", kTeams);
  d.write("charter/charter.yaml", "charter: 1\ninclude:\n  - ../other/secrets.yaml\n  - ../other/*.yaml\n");
  auto r = load_charter({d / "charter" / "charter.yaml"});
  BOOST_TEST(test::count_code(r, "CH0210") == 2u, test::dump(r));
  for (auto* x : test::with_code(r, "CH0210")) {
    BOOST_TEST(x->span.line > 2);
    BOOST_TEST(x->span.column == 5);
  }
  BOOST_TEST(r.charter().teams().empty(), "nothing outside the root is loaded");
  BOOST_TEST(r.charter().files().size() == 1u);
}

BOOST_AUTO_TEST_CASE(include_of_an_absolute_path_is_CH0210) {
  TempDir d;
  auto team = d.write("teams.yaml", kTeams);
  d.write("charter.yaml", "charter: 1\ninclude: [\"" + team.string() + "\"]\n");
  auto r = load_charter({d / "charter.yaml"});
  BOOST_TEST(test::count_code(r, "CH0210") == 1u, test::dump(r));
  BOOST_TEST(test::first(r, "CH0210").span.line == 2);
}

BOOST_AUTO_TEST_CASE(include_through_a_symlink_out_of_the_root_is_CH0210) {
  TempDir d;
  d.write("outside/teams.yaml", kTeams);
  d.write("root/charter.yaml", "charter: 1\ninclude: [link/teams.yaml]\n");
  std::error_code ec;
  fs::create_directory_symlink(d / "outside", d / "root" / "link", ec);
  if (ec) return;  // no symlinks on this file system
  auto r = load_charter({d / "root" / "charter.yaml"});
  BOOST_TEST(test::count_code(r, "CH0210") == 1u, test::dump(r));
  BOOST_TEST(r.charter().teams().empty());
}

BOOST_AUTO_TEST_CASE(root_of_a_walk_is_the_given_directory) {
  TempDir d;
  d.write("root/sub/a.yaml", "charter: 1\ninclude: [../b.yaml]\n");
  d.write("root/b.yaml", kTeams);
  auto r = load_charter({d / "root"});
  BOOST_TEST(!test::has_code(r, "CH0210"), test::dump(r));
  BOOST_TEST(r.charter().files().size() == 2u);
  auto by_file = load_charter({d / "root" / "sub" / "a.yaml"});
  BOOST_TEST(test::count_code(by_file, "CH0210") == 1u, test::dump(by_file));
}

BOOST_AUTO_TEST_CASE(included_file_without_charter_key_is_an_error_whatever_its_name) {
  // A file that is included is part of the charter even when a walk also finds it.
  for (const char* name : {"a_teams.yaml", "z_teams.yaml"}) {
    TempDir d;
    d.write("main.yaml", std::string("charter: 1\ninclude: [") + name + "]\n");
    d.write(name, "teams:\n  - { id: sales, name: Sales }\n");
    auto by_file = load_charter({d / "main.yaml"});
    BOOST_TEST(test::count_code(by_file, "CH0201") == 1u, name << "\n" << test::dump(by_file));
    auto by_dir = load_charter({d.path()});
    BOOST_TEST(test::count_code(by_dir, "CH0201") == 1u, name << "\n" << test::dump(by_dir));
    BOOST_TEST(by_dir.skipped_files().empty(), name);
  }
}

BOOST_AUTO_TEST_SUITE_END()

// ---- positions ----------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(positions)

BOOST_AUTO_TEST_CASE(columns_count_code_points_not_bytes) {
  const std::string y = "charter: 1\nteams: [{name: 线索人, id: Bad}]\n";
  auto r = test::load(y);
  const Diagnostic& d = test::first(r, "CH0206");
  BOOST_TEST(d.span.line == 2);
  BOOST_TEST(d.span.column == 25);  // 15 ASCII + 3 CJK + 6 ASCII before `Bad`; bytes would give 31
  BOOST_TEST(d.span.column == test::column_of(y, 2, "Bad"));
  BOOST_TEST(d.span.end_column == 28);
}

BOOST_AUTO_TEST_CASE(column_right_after_three_cjk_characters_is_4) {
  // A flow collection continued on a line that starts with three CJK characters.
  const std::string y = "{charter: 1, teams: [{id: a, name: \"x\n线索人\", nmae: 1}]}\n";
  auto r = test::load(y);
  const Diagnostic& d = test::first(r, "CH0203");
  BOOST_TEST(d.span.line == 2);
  BOOST_TEST(d.span.column == test::column_of(y, 2, "nmae"));
  // The quote after the three characters is column 4.
  BOOST_TEST(test::column_of(y, 2, "\"") == 4);
}

BOOST_AUTO_TEST_CASE(cjk_key_at_line_start) {
  const std::string y = "charter: 1\n线索人: 1\n";
  auto r = test::load(y);
  const Diagnostic& d = test::first(r, "CH0203");
  BOOST_TEST(d.span.line == 2);
  BOOST_TEST(d.span.column == 1);
  BOOST_TEST(d.span.end_column == 4);
}

BOOST_AUTO_TEST_CASE(utf8_bom_does_not_shift_columns) {
  auto plain = test::load("charter: 2\n");
  auto bom = test::load(
      "\xEF\xBB\xBF"
      "charter: 2\n");
  const Diagnostic& a = test::first(plain, "CH0202");
  const Diagnostic& b = test::first(bom, "CH0202");
  BOOST_TEST(b.span.line == 1);
  BOOST_TEST(b.span.column == 10);
  BOOST_TEST(b.span.column == a.span.column);
  BOOST_TEST(b.span.end_column == a.span.end_column);
  BOOST_TEST(bom.source_line("t.yaml", 1) == "charter: 2");
  auto ok = test::load(
      "\xEF\xBB\xBF"
      "charter: 1\nteams: [{id: a, name: A}]\n");
  BOOST_TEST(ok.ok(), test::dump(ok));
}

BOOST_AUTO_TEST_CASE(spans_inside_expression_scalars_of_every_style) {
  struct Case {
    const char* name;
    std::string when;  // the `when:` value as written (may span lines)
    int line;          // expected line of `bogus` in the file (the `when` line is line 5)
  };
  std::vector<Case> cases = {
      {"plain", "title == \"x\" and bogus", 5},
      {"plain after CJK", "title == \"线索人\" and bogus", 5},
      {"folded after CJK", ">\n      title == \"线索\" or\n      title == \"人\" and bogus", 7},
      {"double-quoted", "\"title == \\\"x\\\" and bogus\"", 5},
      {"double-quoted with a tab escape", "\"title == \\\"a\\tb\\\" and bogus\"", 5},
      {"single-quoted", "'title == \"it''s\" and bogus'", 5},
      {"multi-line plain", "title == \"x\"\n      and bogus", 6},
      {"multi-line double-quoted", "\"title == \\\"x\\\"\n      and bogus\"", 6},
      {"folded", ">-\n      title == \"x\"\n      and bogus", 7},
      {"literal", "|\n      title == \"x\" and\n        bogus", 7},
      {"flow mapping", "", 5},
  };
  for (const auto& c : cases) {
    std::string y = "charter: 1\nfields:\n  - { id: title, type: string }\ncriteria:\n";
    if (std::string(c.name) == "flow mapping")
      y += "  - { id: c, when: 'title == \"x\" and bogus' }\n";
    else
      y += "  - id: c\n    when: " + c.when + "\n";
    auto r = test::load(y);
    const Diagnostic* d = nullptr;
    for (const auto& x : r.diagnostics())
      if (x.message.find("bogus") != std::string::npos) d = &x;
    BOOST_REQUIRE_MESSAGE(d, c.name << ": no diagnostic names `bogus`\n" << test::dump(r));
    // In the block cases `- id: c` is line 5 and `when:` line 6.
    int line = c.line + (std::string(c.name) == "flow mapping" ? 0 : 1);
    BOOST_TEST(d->span.line == line, c.name);
    BOOST_TEST(d->span.column == test::column_of(y, line, "bogus"), c.name << "\n" << y);
    BOOST_TEST(d->span.end_column == d->span.column + 5, c.name);
    BOOST_TEST(d->span.pointer == "/criteria/0/when", c.name);
  }
}

BOOST_AUTO_TEST_CASE(span_after_a_unicode_escape_in_a_double_quoted_expression) {
  std::string y =
      "charter: 1\nfields:\n  - { id: title, type: string }\ncriteria:\n"
      "  - { id: c, when: \"title == \\\"caf\\u00e9\\\" and bogus\" }\n";
  auto r = test::load(y);
  const Diagnostic* d = nullptr;
  for (const auto& x : r.diagnostics())
    if (x.message.find("bogus") != std::string::npos) d = &x;
  BOOST_REQUIRE_MESSAGE(d, test::dump(r));
  BOOST_TEST(d->span.line == 5);
  BOOST_TEST(d->span.column == test::column_of(y, 5, "bogus"));
}

BOOST_AUTO_TEST_CASE(json_pointers_of_diagnostics) {
  auto r = test::load(R"(charter: 1
teams:
  - { id: marketing, name: Marketing }
glossary:
  - id: lead
    term: Lead
    owner: marketting
lint:
  languages:
    "playbooks/zh~1/**": xx_bad
)");
  BOOST_TEST(test::first(r, "CH0301").span.pointer == "/glossary/0/owner");
  BOOST_TEST(test::first(r, "CH0301").span.line == 7);
  BOOST_TEST(test::first(r, "CH0301").span.column == 12);
  BOOST_REQUIRE(test::first(r, "CH0301").suggestion);
  BOOST_TEST(*test::first(r, "CH0301").suggestion == "marketing");
  BOOST_TEST(test::first(r, "CH0209").span.pointer == "/lint/languages/playbooks~1zh~01~1**");
}

BOOST_AUTO_TEST_CASE(span_of_model_objects) {
  const char* y = "charter: 1\nteams:\n  - id: sales\n    name: Sales\n";
  auto r = test::load(y);
  const Team* t = r.charter().team("sales");
  BOOST_REQUIRE(t);
  Span whole = r.charter().span(t->where);
  BOOST_TEST(whole.file == "t.yaml");
  BOOST_TEST(whole.line == 3);
  BOOST_TEST(whole.column == 5);
  BOOST_TEST(whole.pointer == "/teams/0");
  Span name = r.charter().span(t->where, "name");
  BOOST_TEST(name.line == 4);
  BOOST_TEST(name.column == 11);
  BOOST_TEST(name.end_column == 16);
  BOOST_TEST(name.pointer == "/teams/0/name");
  BOOST_TEST(r.charter().span(SourceRef{}).line == 0);
  BOOST_TEST(r.charter().span(SourceRef{}).file.empty());
}

BOOST_AUTO_TEST_CASE(diagnostics_sorted_by_file_order_then_line) {
  TempDir d;
  d.write("b.yaml", "charter: 1\nteams:\n  - { id: x, name: X, bad1: 1 }\n  - { id: Y, name: Y }\n");
  d.write("a.yaml",
          "charter: 1\nglossary:\n  - { id: lead, term: Lead, owner: nobody }\n  - { id: t2, term: T, bad2: 1 }\n"
          "teams:\n  - { id: x, name: X again }\n");
  d.write("c.yaml", "charter: 1\nmeetings:\n  - { id: m, every: 9w }\n  - { id: m2, every: soon }\n");
  auto r = load_charter({d.path()});
  const auto& files = r.charter().files();
  BOOST_REQUIRE_EQUAL(files.size(), 3u);
  std::map<std::string, std::size_t> rank;
  for (std::size_t i = 0; i < files.size(); ++i) rank[files[i]] = i;
  BOOST_TEST(r.diagnostics().size() >= 6u, test::dump(r));
  std::set<std::string> seen_files;
  for (std::size_t i = 1; i < r.diagnostics().size(); ++i) {
    const auto& p = r.diagnostics()[i - 1].span;
    const auto& q = r.diagnostics()[i].span;
    if (p.file.empty() || q.file.empty()) continue;
    auto key = [&](const Span& s) { return std::make_tuple(rank.at(s.file), s.line, s.column); };
    BOOST_TEST((key(p) <= key(q)), "out of order at " << i << "\n" << test::dump(r));
  }
  for (const auto& x : r.diagnostics()) seen_files.insert(x.span.file);
  BOOST_TEST(seen_files.size() == 3u, "every file has findings: all problems in one run");
}

BOOST_AUTO_TEST_CASE(every_problem_of_a_file_is_reported_in_one_run) {
  auto r = test::load(R"(charter: 1
teams:
  - { id: Sales, name: Sales }
  - { name: No id }
glossary:
  - { id: lead, term: Lead, status: aproved }
meetings:
  - { id: sync, every: 4 weeks }
)");
  for (const char* code : {"CH0206", "CH0205", "CH0208", "CH0209"})
    BOOST_TEST(test::has_code(r, code), code << "\n" << test::dump(r));
  auto* fix = test::first(r, "CH0209").suggestion ? &*test::first(r, "CH0209").suggestion : nullptr;
  BOOST_REQUIRE(fix);
  BOOST_TEST(*fix == "4w");
  BOOST_REQUIRE(test::first(r, "CH0208").suggestion);
  BOOST_TEST(*test::first(r, "CH0208").suggestion == "approved");
  BOOST_REQUIRE(test::first(r, "CH0206").suggestion);
  BOOST_TEST(*test::first(r, "CH0206").suggestion == "sales");
}

BOOST_AUTO_TEST_SUITE_END()

// charter docs: the texts both renderers share (src/docs/common.cpp), the SVG funnel and
// writing the output folder safely (write_docs).
#define BOOST_TEST_MODULE charter_docs
#include <boost/test/unit_test.hpp>

#include <charter/docs.hpp>

#include "common.hpp"
#include "docs/docs.hpp"

using namespace charter;
namespace fs = std::filesystem;

namespace {

const Charter& acme() {
  static const LoadResult r = load_charter({test::acme_dir()});
  BOOST_REQUIRE_MESSAGE(r.ok(), test::dump(r));
  return r.charter();
}

std::size_t count(std::string_view hay, std::string_view needle) {
  std::size_t n = 0;
  for (auto p = hay.find(needle); p != std::string_view::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<DocsFile> two_files(std::string a = "A", std::string b = "B") {
  return {{"index.html", std::move(a)}, {"assets/style.css", std::move(b)}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(texts)

BOOST_AUTO_TEST_CASE(fold_ignores_case_and_latin_accents) {
  BOOST_TEST(docs::fold("Équipe Café") == "equipe cafe");
  BOOST_TEST(docs::fold("ŁÓDŹ Straße") == "lodz strasse");
  BOOST_TEST(docs::fold("MQL") == "mql");
  BOOST_TEST(docs::fold("e\xCC\x81t\xC3\xA9") == "ete");  // combining acute, then precomposed
  BOOST_TEST(docs::fold("营销合格线索") == "营销合格线索");
  BOOST_TEST(docs::fold("ΣΟΦΙΑ") == docs::fold("σοφια"));
}

BOOST_AUTO_TEST_CASE(numbers_percentages_durations) {
  BOOST_TEST(docs::number_text(9600000) == "9,600,000");
  BOOST_TEST(docs::number_text(1920.0) == "1,920");
  BOOST_TEST(docs::number_text(2.5) == "2.5");
  BOOST_TEST(docs::number_text(1.0 / 3) == "0.33");
  BOOST_TEST(docs::number_text(-1234.5) == "-1,234.5");
  BOOST_TEST(docs::percent_text(0.95) == "95%");
  BOOST_TEST(docs::percent_text(0.125) == "12.5%");
  BOOST_TEST(docs::money_text(9600000, "EUR") == "EUR 9,600,000");
  BOOST_TEST(docs::duration_text({8, 'h'}, true) == "8 business hours");
  BOOST_TEST(docs::duration_text({1, 'd'}, true) == "1 business day");
  BOOST_TEST(docs::duration_text({2, 'w'}, false) == "2 weeks");
  BOOST_TEST(docs::duration_text({90, 'm'}, false) == "90 minutes");
}

BOOST_AUTO_TEST_CASE(hours_and_holidays) {
  const Calendar* emea = acme().calendar("emea");
  BOOST_REQUIRE(emea);
  auto lines = docs::hours_text(*emea);
  BOOST_REQUIRE_EQUAL(lines.size(), 1u);
  BOOST_TEST(lines[0] == "Mon–Fri 09:00–17:30");
  auto r = test::load(R"(charter: 1
calendars:
  - id: c
    timezone: UTC
    hours: { mon: "09:00-12:00, 13:00-17:00", tue: "09:00-12:00, 13:00-17:00", sat: "10:00-14:00", sun: "00:00-24:00" }
    holidays:
      - 2026-04-03
      - { from: 2026-12-28, to: 2026-12-31, name: Shutdown }
      - { every_year: "12-25", name: Christmas Day }
)");
  BOOST_REQUIRE_MESSAGE(r.ok(), test::dump(r));
  const Calendar& c = r.charter().calendars()[0];
  lines = docs::hours_text(c);
  BOOST_REQUIRE_EQUAL(lines.size(), 3u);
  BOOST_TEST(lines[0] == "Mon, Tue 09:00–12:00, 13:00–17:00");
  BOOST_TEST(lines[1] == "Sat 10:00–14:00");
  BOOST_TEST(lines[2] == "Sun 00:00–24:00");
  BOOST_REQUIRE_EQUAL(c.holidays.size(), 3u);
  BOOST_TEST(docs::holiday_text(c.holidays[0]) == "2026-04-03");
  BOOST_TEST(docs::holiday_text(c.holidays[1]) == "2026-12-28 to 2026-12-31 (Shutdown)");
  BOOST_TEST(docs::holiday_text(c.holidays[2]) == "every year on 12-25 (Christmas Day)");
}

BOOST_AUTO_TEST_CASE(terms_sorted_a_to_z_by_folded_label_with_letters) {
  auto r = test::load(R"(charter: 1
glossary:
  - { id: z1, term: zebra, definition: d }
  - { id: e1, term: Équipe, definition: d }
  - { id: a1, term: apple, definition: d }
  - { id: n1, term: "42 things", definition: d }
  - { id: b1, term: Banana, definition: d }
)");
  BOOST_REQUIRE_MESSAGE(r.ok(), test::dump(r));
  docs::Site site(r.charter(), {});
  std::vector<std::string> ids;
  for (const Term* t : site.terms()) ids.emplace_back(t->id);
  BOOST_TEST(ids == (std::vector<std::string>{"a1", "b1", "e1", "z1", "n1"}), boost::test_tools::per_element());
  BOOST_TEST(site.letter(*r.charter().term("e1")) == "E");
  BOOST_TEST(site.letter(*r.charter().term("n1")) == "#");
  BOOST_TEST(site.letters() == (std::vector<std::string>{"A", "B", "E", "Z", "#"}), boost::test_tools::per_element());
  BOOST_TEST(!site.split_glossary());
  DocsOptions small;
  small.terms_per_page = 2;
  BOOST_TEST(docs::Site(r.charter(), small).split_glossary());
}

BOOST_AUTO_TEST_CASE(locale_falls_back_with_a_marker) {
  DocsOptions zh;
  zh.locale = "zh";
  docs::Site site(acme(), zh);
  const Term* mql = acme().term("marketing_qualified_lead");
  BOOST_REQUIRE(mql);
  BOOST_TEST(site.label(*mql).text == "营销合格线索");
  BOOST_TEST(!site.label(*mql).fallback);
  BOOST_TEST(site.t("Glossary") == "术语表");
  bool some_fallback = false;
  for (const Term* t : site.terms())
    if (!t->translation("zh")) {
      some_fallback = true;
      BOOST_TEST(site.label(*t).fallback);
      BOOST_TEST(site.label(*t).text == t->term);
    }
  (void)some_fallback;
  docs::Site en(acme(), {});
  BOOST_TEST(en.label(*mql).text == "Marketing Qualified Lead");
  BOOST_TEST(!en.label(*mql).fallback);
  BOOST_TEST(en.t("Glossary") == "Glossary");
}

BOOST_AUTO_TEST_CASE(sla_sentences_of_acme) {
  docs::Site site(acme(), {});
  const Sla* s = acme().sla("mql_follow_up_emea");
  BOOST_REQUIRE(s);
  std::string text = site.sla_commitment(*s);
  BOOST_TEST(text.rfind("Sales Development commits to Marketing: respond to every new ", 0) == 0, text);
  BOOST_TEST(text.find("with a call, email or meeting within 8 business hours (Berlin office business hours)") !=
                 std::string::npos,
             text);
  BOOST_TEST(text.find("for 95% of items each month") != std::string::npos, text);
  BOOST_TEST(text.find("where country is one of GB") != std::string::npos, text);
  BOOST_TEST(site.sla_target(*s) == "within 8 business hours");
  for (const auto& sla : acme().slas()) {
    std::string sentence = site.sla_commitment(sla);
    BOOST_TEST(sentence.find(" commits to ") != std::string::npos, sentence);
    BOOST_TEST(sentence.back() == '.');
    if (sla.type == SlaType::Volume) BOOST_TEST(site.sla_target(sla).rfind("at least ", 0) == 0);
  }
}

BOOST_AUTO_TEST_CASE(reverse_funnel_of_the_acme_goal) {
  docs::Site site(acme(), {});
  const Goal* g = acme().goal("fy2027");
  BOOST_REQUIRE(g);
  auto rf = site.reverse_funnel(*g);
  BOOST_TEST(rf.months == 12.0);
  BOOST_TEST(rf.revenue == 4800000.0);
  BOOST_TEST(rf.deals == 240.0);
  std::map<std::string, double> total;
  for (auto& row : rf.rows) total[std::string(row.stage)] = row.total;
  // The numbers written in examples/acme/goals.yaml.
  BOOST_TEST(total["customer"] == 240.0);
  BOOST_TEST(total["opportunity"] == 960.0);
  BOOST_TEST(total["sql"] == 1920.0);
  BOOST_TEST(total["mql"] == 4800.0);
  BOOST_TEST(total["lead"] == 24000.0);
  BOOST_REQUIRE(!rf.rows.empty());
  BOOST_TEST(rf.rows.front().stage == "lead");
  BOOST_TEST(rf.rows.back().stage == "customer");
  for (auto& row : rf.rows)
    if (row.stage == "mql") BOOST_TEST(row.per_month == 400.0);
}

BOOST_AUTO_TEST_CASE(team_roles) {
  docs::Site site(acme(), {});
  auto sdr = site.team_role("sales_development");
  BOOST_TEST(!sdr.provides.empty());
  for (const Sla* s : sdr.provides) BOOST_TEST(s->provider == "sales_development");
  for (const Stage* s : sdr.stages) BOOST_TEST(s->owner == "sales_development");
  auto marketing = site.team_role("marketing");
  BOOST_TEST(!marketing.terms.empty());
  BOOST_TEST(!marketing.receives.empty());
  BOOST_TEST(!marketing.meetings.empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(svg)

BOOST_AUTO_TEST_CASE(one_shape_per_stage_in_order_and_exits) {
  std::string svg = funnel_svg(acme());
  const auto& stages = acme().funnel().stages;
  BOOST_TEST(count(svg, "<g class=\"stage\"") == stages.size());
  BOOST_TEST(count(svg, "<g class=\"exit\"") == acme().funnel().exits.size());
  std::size_t at = 0;
  for (const auto& s : stages) {
    auto p = svg.find("data-stage=\"" + std::string(s.id) + "\"");
    BOOST_REQUIRE(p != std::string::npos);
    BOOST_TEST(p > at);
    at = p;
  }
  BOOST_TEST(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"funnel\"", 0) == 0);
  BOOST_TEST(svg.find("<script") == std::string::npos);
  BOOST_TEST(funnel_svg(acme()) == svg);  // deterministic
  BOOST_TEST(funnel_svg(acme(), "zh").find("营销合格线索") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(names_are_escaped) {
  auto r = test::load(R"(charter: 1
teams:
  - { id: t, name: "R&D <team>" }
funnel:
  stages:
    - { id: a, name: "<script>alert(1)</script>", owner: t }
    - { id: b, name: "B \"quoted\"" }
  exits:
    - { id: x, name: "x & y" }
)");
  BOOST_REQUIRE_MESSAGE(r.ok(), test::dump(r));
  std::string svg = funnel_svg(r.charter());
  BOOST_TEST(svg.find("<script>") == std::string::npos);
  BOOST_TEST(svg.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  BOOST_TEST(svg.find("R&amp;D &lt;team&gt;") != std::string::npos);
  BOOST_TEST(svg.find("B &quot;quoted&quot;") != std::string::npos);
  BOOST_TEST(svg.find("x &amp; y") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(writing)

BOOST_AUTO_TEST_CASE(a_new_folder_gets_the_files_and_a_manifest) {
  test::TempDir t;
  auto r = write_docs(two_files(), (t / "site/deep").string());
  BOOST_REQUIRE_MESSAGE(r.ok(), r.error);
  BOOST_TEST(r.written == 2u);
  BOOST_TEST(slurp(t / "site/deep/index.html") == "A");
  BOOST_TEST(slurp(t / "site/deep/assets/style.css") == "B");
  std::string manifest = slurp(t / "site/deep" / std::string(kDocsManifest));
  BOOST_TEST(manifest.find("\nindex.html\n") != std::string::npos);
  BOOST_TEST(manifest.find("\nassets/style.css\n") != std::string::npos);
  // No temporary folder is left behind.
  std::size_t entries = 0;
  for (auto& e : fs::directory_iterator(t / "site")) entries += e.path().filename() != "deep";
  BOOST_TEST(entries == 0u);
}

BOOST_AUTO_TEST_CASE(a_foreign_folder_is_refused_without_force_and_kept_with_it) {
  test::TempDir t;
  t.write("wiki/.git/HEAD", "ref: refs/heads/main\n");
  t.write("wiki/notes.md", "mine");
  t.write("wiki/index.html", "old");
  auto r = write_docs(two_files(), (t / "wiki").string());
  BOOST_TEST(!r.ok());
  BOOST_TEST(r.error.find("--force") != std::string::npos, r.error);
  BOOST_TEST(slurp(t / "wiki/index.html") == "old");
  BOOST_TEST(!fs::exists(t / "wiki/assets"));

  WriteDocsOptions force;
  force.force = true;
  r = write_docs(two_files(), (t / "wiki").string(), force);
  BOOST_REQUIRE_MESSAGE(r.ok(), r.error);
  BOOST_TEST(slurp(t / "wiki/index.html") == "A");
  BOOST_TEST(slurp(t / "wiki/notes.md") == "mine");
  BOOST_TEST(slurp(t / "wiki/.git/HEAD") == "ref: refs/heads/main\n");
  // A second run with fewer files removes only its own stale file.
  r = write_docs({{"index.html", "A2"}}, (t / "wiki").string());
  BOOST_REQUIRE_MESSAGE(r.ok(), r.error);
  BOOST_TEST(r.removed == 1u);
  BOOST_TEST(!fs::exists(t / "wiki/assets"));
  BOOST_TEST(slurp(t / "wiki/notes.md") == "mine");
  BOOST_TEST(fs::exists(t / "wiki/.git/HEAD"));
}

BOOST_AUTO_TEST_CASE(a_folder_written_before_is_updated_without_force) {
  test::TempDir t;
  BOOST_REQUIRE(write_docs(two_files(), (t / "site").string()).ok());
  t.write("site/extra.txt", "user file");
  auto r = write_docs(two_files("A2", "B2"), (t / "site").string());
  BOOST_REQUIRE_MESSAGE(r.ok(), r.error);
  BOOST_TEST(slurp(t / "site/index.html") == "A2");
  BOOST_TEST(slurp(t / "site/extra.txt") == "user file");
  BOOST_TEST(r.removed == 0u);
}

BOOST_AUTO_TEST_CASE(an_empty_existing_folder_is_fine) {
  test::TempDir t;
  fs::create_directory(t / "empty");
  BOOST_TEST(write_docs(two_files(), (t / "empty").string()).ok());
  BOOST_TEST(slurp(t / "empty/index.html") == "A");
}

BOOST_AUTO_TEST_CASE(unsafe_paths_and_conflicts_write_nothing) {
  test::TempDir t;
  for (std::string bad : {"../evil", "/etc/evil", "a/../../evil", "a//b", "./a", "a\\b", ".charter-docs", ""}) {
    auto r = write_docs({{"index.html", "x"}, {bad, "x"}}, (t / "out").string());
    BOOST_TEST(!r.ok(), bad);
    BOOST_TEST(!fs::exists(t / "out"), bad);
  }
  BOOST_TEST(!fs::exists(t.path().parent_path() / "evil"));
  auto r = write_docs({{"a", "x"}, {"a/b", "y"}}, (t / "out").string());
  BOOST_TEST(!r.ok());
  r = write_docs({{"a", "x"}, {"a", "y"}}, (t / "out").string());
  BOOST_TEST(!r.ok());
  BOOST_TEST(!fs::exists(t / "out"));
}

BOOST_AUTO_TEST_CASE(a_file_in_the_way_or_a_symlinked_folder_is_refused) {
  test::TempDir t;
  t.write("file", "x");
  BOOST_TEST(!write_docs(two_files(), (t / "file").string()).ok());
  BOOST_TEST(slurp(t / "file") == "x");
  t.write("outside/keep.txt", "k");
  BOOST_REQUIRE(write_docs({{"index.html", "A"}}, (t / "site").string()).ok());
  fs::create_directory_symlink(t / "outside", t / "site/assets");
  auto r = write_docs(two_files(), (t / "site").string());
  BOOST_TEST(!r.ok());
  BOOST_TEST(r.error.find("symbolic link") != std::string::npos, r.error);
  BOOST_TEST(!fs::exists(t / "outside/style.css"));
  // A hand-edited manifest cannot make a later run delete outside the folder.
  t.write("site/.charter-docs", "index.html\n../outside/keep.txt\n/etc/passwd\n");
  fs::remove(t / "site/assets");
  BOOST_TEST(write_docs(two_files(), (t / "site").string()).ok());
  BOOST_TEST(slurp(t / "outside/keep.txt") == "k");
}

BOOST_AUTO_TEST_CASE(render_docs_is_deterministic_and_sorted) {
  for (auto format : {DocsFormat::Html, DocsFormat::Markdown}) {
    DocsOptions o;
    o.format = format;
    auto a = render_docs(acme(), o), b = render_docs(acme(), o);
    BOOST_REQUIRE_EQUAL(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      BOOST_TEST(a[i].path == b[i].path);
      BOOST_TEST(a[i].content == b[i].content, a[i].path);
      if (i) BOOST_TEST((a[i - 1].path < a[i].path), a[i].path);
    }
    BOOST_TEST(!a.empty());
  }
  BOOST_TEST((parse_docs_format("html") == DocsFormat::Html));
  BOOST_TEST((parse_docs_format("markdown") == DocsFormat::Markdown));
  BOOST_TEST(!parse_docs_format("pdf"));
}

BOOST_AUTO_TEST_SUITE_END()

// The HTML site of `charter docs` (render_docs with DocsFormat::Html, src/docs/html.cpp):
// escaping of every kind of value, raw HTML and script links in Markdown definitions, links
// between terms, the glossary split into letter pages, the search index, --locale, determinism
// and the DOM contract the browser test relies on.
#define BOOST_TEST_MODULE docs_html
#include <boost/test/unit_test.hpp>

#include <charter/charter.hpp>
#include <charter/docs.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "common.hpp"

using namespace charter;

namespace {

// path -> content of a rendered site.
using Site = std::map<std::string, std::string>;

Site render(const Charter& c, DocsOptions o = {}) {
  o.format = DocsFormat::Html;
  Site site;
  for (auto& f : render_docs(c, o)) site.emplace(f.path, f.content);
  return site;
}

// Loads a charter that must have no errors.
LoadResult load_ok(std::string_view yaml) {
  auto r = test::load(yaml);
  BOOST_REQUIRE_MESSAGE(r.ok(), "the test charter has errors:\n" << test::dump(r));
  return r;
}

std::size_t count(const std::string& text, std::string_view needle) {
  std::size_t n = 0;
  for (auto p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) ++n;
  return n;
}

// Every value of every href="..." / src="..." attribute in `html`, HTML entities left as they are.
std::vector<std::string> urls(const std::string& html) {
  static const std::regex re(R"re(\s(?:href|src|action|formaction)\s*=\s*"([^"]*)")re", std::regex::icase);
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), re); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1]);
  return out;
}

// The scheme a browser would see: whitespace and control characters removed, lower case.
std::string scheme_of(const std::string& url) {
  std::string s;
  for (char ch : url)
    if (static_cast<unsigned char>(ch) > 0x20) s += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto colon = s.find(':');
  auto slash = s.find_first_of("/?#");
  if (colon == std::string::npos || (slash != std::string::npos && slash < colon)) return "";
  return s.substr(0, colon);
}

// Tags of live markup in `html` that carry an event handler attribute (onclick=, onerror=...).
std::vector<std::string> handler_tags(const std::string& html) {
  static const std::regex re(R"re(<[a-zA-Z][^>]*\son[a-z]+\s*=[^>]*>)re");
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), re); it != std::sregex_iterator(); ++it)
    out.push_back(it->str());
  return out;
}

const char* const kHostile = R"yaml(charter: 1
organization:
  name: "Org <i>x</i> & </title>"
  locales: [en, zh]
teams:
  - id: ops
    name: "Ops <img src=x onerror=alert(2)>"
    description: "<script>alert(3)</script>"
    contact: "javascript:alert(4)"
glossary:
  - id: markup_label
    term: "Bold <b>&\"'"
    abbreviation: "<u>AB</u>"
    status: approved
    owner: ops
    definition: A label with markup.
    aliases: ["alias <em>x</em>"]
    avoid: ["avoid \"quoted\" & <s>"]
  - id: script_def
    term: Script Definition
    status: approved
    owner: ops
    definition: |
      Inline <script>alert(1)</script> script and an image <img src=x onerror=alert(1)> here.

      <div onclick="alert(5)">a raw HTML block</div>
  - id: links_def
    term: Links Definition
    status: approved
    definition: |
      Bad: [a](javascript:alert(1)), [b](JaVaScRiPt:alert(1)), [c](&#106;avascript:alert(1)),
      [d](vbscript:msgbox), [e](data:text/html;base64,PHNjcmlwdD4=), [f][tab], <javascript:alert(6)>
      and ![img](javascript:alert(7)).
      Good: [web](https://example.com/x?a=1&b=2), [mail](mailto:a@example.com),
      [other term](#markup_label) and [bare id](script_def).

      [tab]: java&#9;script:alert(8)
funnel:
  stages:
    - id: first
      name: "First <script>alert(9)</script>"
      owner: ops
      term: markup_label
)yaml";

}  // namespace

BOOST_AUTO_TEST_CASE(every_value_is_escaped) {
  auto r = load_ok(kHostile);
  Site site = render(r.charter());
  const std::string& g = site.at("glossary.html");
  BOOST_TEST(count(g, "Bold &lt;b&gt;&amp;&quot;&#39;") >= 1);  // the label, as text
  BOOST_TEST(count(g, "<b>") == 0);
  BOOST_TEST(count(g, "&lt;u&gt;AB&lt;/u&gt;") >= 1);  // abbreviation
  BOOST_TEST(count(g, "<u>") == 0);
  BOOST_TEST(count(g, "alias &lt;em&gt;x&lt;/em&gt;") == 1);
  BOOST_TEST(count(g, "avoid &quot;quoted&quot; &amp; &lt;s&gt;") == 1);
  BOOST_TEST(count(g, "<em>") == 0);
  for (const auto& [path, content] : site) {
    if (path.size() < 5 || path.compare(path.size() - 5, 5, ".html") != 0) continue;
    BOOST_TEST_INFO("page " << path);
    BOOST_TEST(content.find("</title>") > content.find("&lt;/title&gt;"));  // the name does not end <title>
    BOOST_TEST(count(content, "Org &lt;i&gt;x&lt;/i&gt; &amp; &lt;/title&gt;") >= 1);
    BOOST_TEST(count(content, "<i>") == 0);
    BOOST_TEST(count(content, "<img") == 0);
    BOOST_TEST(count(content, "<script>") == 0);  // our scripts are all <script src=...>
    BOOST_TEST(handler_tags(content).empty(), "event handler in " << path << ": " << handler_tags(content).front());
  }
  BOOST_TEST(count(site.at("teams.html"), "Ops &lt;img src=x onerror=alert(2)&gt;") >= 1);
  BOOST_TEST(count(site.at("teams.html"), "&lt;script&gt;alert(3)&lt;/script&gt;") == 1);
  BOOST_TEST(count(site.at("funnel.html"), "First &lt;script&gt;alert(9)&lt;/script&gt;") >= 1);
}

BOOST_AUTO_TEST_CASE(raw_html_in_definitions_is_shown_as_text) {
  auto r = load_ok(kHostile);
  const std::string g = render(r.charter()).at("glossary.html");
  BOOST_TEST(count(g, "&lt;script&gt;alert(1)&lt;/script&gt;") == 1);
  BOOST_TEST(count(g, "&lt;img src=x onerror=alert(1)&gt;") == 1);
  BOOST_TEST(count(g, "&lt;div onclick=&quot;alert(5)&quot;&gt;a raw HTML block&lt;/div&gt;") == 1);
  BOOST_TEST(count(g, "raw HTML omitted") == 0);  // cmark-gfm's placeholder would hide it
  BOOST_TEST(count(g, "<div onclick") == 0);
}

BOOST_AUTO_TEST_CASE(script_links_are_dropped_and_safe_links_kept) {
  auto r = load_ok(kHostile);
  Site site = render(r.charter());
  for (const auto& [path, content] : site) {
    for (const auto& url : urls(content)) {
      std::string scheme = scheme_of(url);
      BOOST_TEST_INFO("page " << path << ", url " << url);
      BOOST_TEST((scheme.empty() || scheme == "http" || scheme == "https" || scheme == "mailto" || scheme == "data"));
      if (scheme == "data") BOOST_TEST(url == "data:,");  // only the empty favicon
    }
    BOOST_TEST(count(content, "&#106;avascript") == 0);
  }
  const std::string& g = site.at("glossary.html");
  BOOST_TEST(count(g, "href=\"https://example.com/x?a=1&amp;b=2\"") == 1);
  BOOST_TEST(count(g, "href=\"mailto:a@example.com\"") == 1);
  // The text of a dropped link stays.
  BOOST_TEST(count(g, "Bad: a, b, c,") == 1);
  BOOST_TEST(count(g, "javascript:alert(6)") == 1);  // the autolink, as text
  // A contact that is not an email address is not a link.
  BOOST_TEST(count(site.at("teams.html"), "href=\"javascript") == 0);
}

BOOST_AUTO_TEST_CASE(links_between_terms) {
  auto r = load_ok(kHostile);
  const std::string g = render(r.charter()).at("glossary.html");
  BOOST_TEST(count(g, "<a href=\"#markup_label\">other term</a>") == 1);
  BOOST_TEST(count(g, "<a href=\"#script_def\">bare id</a>") == 1);

  DocsOptions split;
  split.terms_per_page = 1;  // one page per letter: B (markup_label), L (links_def), S (script_def)
  Site paged = render(r.charter(), split);
  const std::string& l = paged.at("glossary/l.html");
  BOOST_TEST(count(l, "<a href=\"../glossary/b.html#markup_label\">other term</a>") == 1);
  BOOST_TEST(count(l, "<a href=\"../glossary/s.html#script_def\">bare id</a>") == 1);
  // Other pages link straight to the letter page.
  BOOST_TEST(count(paged.at("funnel.html"), "href=\"glossary/b.html#markup_label\"") >= 1);
}

const char* const kPaged = R"yaml(charter: 1
organization: {name: Paged}
glossary:
  - {id: apple, term: Apple, status: draft, aliases: [pomme]}
  - {id: avocado, term: Avocado, status: draft}
  - {id: banana, term: Banana, status: draft, avoid: [plantain]}
  - {id: cherry, term: Cherry, status: draft, broader: banana}
  - {id: number, term: 42nd Street, status: draft}
  - {id: umlaut, term: Äpfel, status: draft}
)yaml";

BOOST_AUTO_TEST_CASE(split_glossary_has_letter_pages_and_an_index) {
  auto r = load_ok(kPaged);
  DocsOptions o;
  o.terms_per_page = 2;
  Site site = render(r.charter(), o);
  std::vector<std::string> letters;
  for (const auto& [path, content] : site)
    if (path.rfind("glossary/", 0) == 0) letters.push_back(path);
  BOOST_TEST(letters == (std::vector<std::string>{"glossary/a.html", "glossary/b.html", "glossary/c.html",
                                                  "glossary/other.html"}),
             boost::test_tools::per_element());
  const std::string& index = site.at("glossary.html");
  BOOST_TEST(count(index, "class=\"term\"") == 0);
  BOOST_TEST(count(index, "data-page=\"glossary-index\"") == 1);  // search.js redirects #id from here
  for (auto page : {"glossary/a.html", "glossary/b.html", "glossary/c.html", "glossary/other.html"})
    BOOST_TEST(count(index, std::string("href=\"") + page + "\"") == 1);
  const std::string& a = site.at("glossary/a.html");
  for (auto id : {"apple", "avocado", "umlaut"})  // Äpfel is filed under A
    BOOST_TEST(count(a, std::string("<article class=\"term\" id=\"") + id + "\" data-term=\"" + id + "\"") == 1);
  BOOST_TEST(count(a, "href=\"../assets/style.css\"") == 1);
  BOOST_TEST(count(a, "data-root=\"../\"") == 1);
  BOOST_TEST(count(site.at("glossary/other.html"), "id=\"number\"") == 1);
  // Narrower terms link across pages.
  BOOST_TEST(count(site.at("glossary/b.html"), "href=\"../glossary/c.html#cherry\"") == 1);

  const std::string& js = site.at("assets/search-index.js");
  BOOST_TEST(js.rfind("// ", 0) == 0);
  BOOST_TEST(count(js, "window.CHARTER_SEARCH = {") == 1);
  BOOST_TEST(
      count(js, "\"pages\": [\"glossary/a.html\",\"glossary/b.html\",\"glossary/c.html\",\"glossary/other.html\"]") ==
      1);
  for (auto entry :
       {R"(["apple","Apple",0,"",["pomme"]])", R"(["avocado","Avocado",0])", R"(["umlaut","Äpfel",0])",
        R"(["banana","Banana",1,"",[],["plantain"]])", R"(["cherry","Cherry",2])", R"(["number","42nd Street",3])"})
    BOOST_TEST(count(js, entry) == 1, "search index entry " << entry);
}

BOOST_AUTO_TEST_CASE(one_page_glossary_without_split) {
  auto r = load_ok(kPaged);
  Site site = render(r.charter());
  BOOST_TEST(site.count("glossary/a.html") == 0);
  const std::string& g = site.at("glossary.html");
  BOOST_TEST(count(g, "<article class=\"term\"") == 6);
  BOOST_TEST(count(g, "data-filter=\"terms\"") == 1);  // search.js hides non-matching terms here
  BOOST_TEST(count(site.at("assets/search-index.js"), "\"pages\": [\"glossary.html\"]") == 1);
}

BOOST_AUTO_TEST_CASE(search_index_cannot_end_a_script) {
  auto r = load_ok(R"yaml(charter: 1
organization: {name: X}
glossary:
  - id: closing
    term: "</script><script>alert(1)</script> & \u2028 \u2029 \"q\" \\ end"
    status: draft
    aliases: ["<!-- x -->"]
)yaml");
  const std::string js = render(r.charter()).at("assets/search-index.js");
  BOOST_TEST(js.find('<') == std::string::npos);
  BOOST_TEST(js.find('>') == std::string::npos);
  BOOST_TEST(js.find("\xE2\x80\xA8") == std::string::npos);
  BOOST_TEST(js.find("\xE2\x80\xA9") == std::string::npos);
  BOOST_TEST(
      count(js,
            R"(\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e \u0026 \u2028 \u2029 \"q\" \\ end)") ==
      1);
  BOOST_TEST(count(js, R"(\u003c!-- x --\u003e)") == 1);
}

const char* const kLocales = R"yaml(charter: 1
organization: {name: Loc, locale: en, locales: [en, zh]}
glossary:
  - id: lead
    term: Lead
    status: approved
    definition: A person who gave us their details.
    avoid: [prospect]
    translations:
      zh: {term: 线索, definition: 留下联系方式的个人。, avoid: [潜在客户]}
  - id: churn
    term: Churn
    status: approved
    definition: Customers who leave.
)yaml";

BOOST_AUTO_TEST_CASE(locale_uses_translations_and_marks_fallbacks) {
  auto r = load_ok(kLocales);
  DocsOptions o;
  o.locale = "zh";
  Site zh = render(r.charter(), o);
  const std::string& g = zh.at("glossary.html");
  BOOST_TEST(count(g, "<html lang=\"zh\">") == 1);
  BOOST_TEST(count(g, ">线索</a>") == 1);
  BOOST_TEST(count(g, "留下联系方式的个人。") == 1);
  BOOST_TEST(count(g, "A person who gave us their details.") == 0);
  // Churn has no zh translation: English, marked, in lang="en".
  BOOST_TEST(count(g, "<a class=\"term-link\" href=\"#churn\" lang=\"en\">Churn</a>") == 1);
  BOOST_TEST(count(g, "class=\"fallback\"") == 2);  // its label and its definition
  BOOST_TEST(count(g, "<div class=\"definition\" lang=\"en\">") == 1);
  // The other locale's label is listed as a translation; the search index knows both.
  BOOST_TEST(count(g, "<span lang=\"en\">Lead</span>") == 1);
  const std::string& js = zh.at("assets/search-index.js");
  BOOST_TEST(count(js, R"(["lead","线索",0,"",[],["潜在客户","prospect"],["Lead"]])") == 1);

  Site en = render(r.charter());
  BOOST_TEST(count(en.at("glossary.html"), "<html lang=\"en\">") == 1);
  BOOST_TEST(count(en.at("glossary.html"), "class=\"fallback\"") == 0);
  BOOST_TEST(count(en.at("assets/search-index.js"), R"(["lead","Lead",0,"",[],["prospect","潜在客户"],["线索"]])") ==
             1);
}

BOOST_AUTO_TEST_CASE(rendering_is_deterministic) {
  auto r = load_charter({test::acme_dir()});
  BOOST_REQUIRE_MESSAGE(r.ok(), test::dump(r));
  DocsOptions o;
  auto a = render_docs(r.charter(), o);
  auto b = render_docs(r.charter(), o);
  BOOST_REQUIRE_EQUAL(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    BOOST_TEST(a[i].path == b[i].path);
    BOOST_TEST(a[i].content == b[i].content, "differs: " << a[i].path);
  }
  BOOST_TEST(std::is_sorted(a.begin(), a.end(), [](auto& x, auto& y) { return x.path < y.path; }));
}

BOOST_AUTO_TEST_CASE(dom_contract_on_acme) {
  auto r = load_charter({test::acme_dir()});
  BOOST_REQUIRE_MESSAGE(r.ok(), test::dump(r));
  Site site = render(r.charter());
  std::vector<std::string> paths;
  for (const auto& [path, content] : site) paths.push_back(path);
  BOOST_TEST(paths == (std::vector<std::string>{"agreements.html", "assets/search-index.js", "assets/search.js",
                                                "assets/style.css", "funnel.html", "glossary.html", "index.html",
                                                "qualification.html", "teams.html"}),
             boost::test_tools::per_element());
  for (auto page :
       {"index.html", "glossary.html", "funnel.html", "qualification.html", "agreements.html", "teams.html"}) {
    const std::string& html = site.at(page);
    BOOST_TEST_INFO("page " << page);
    BOOST_TEST(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0) == 0);
    BOOST_TEST(count(html, "<meta name=\"viewport\"") == 1);
    BOOST_TEST(count(html, "<link rel=\"icon\" href=\"data:,\">") == 1);
    BOOST_TEST(count(html, "<input type=\"search\" id=\"search\"") == 1);
    BOOST_TEST(count(html, "<label class=\"visually-hidden\" for=\"search\">") == 1);
    BOOST_TEST(count(html, "<ul id=\"search-results\"") == 1);
    BOOST_TEST(count(html, "<script src=\"assets/search-index.js\" defer></script>") == 1);
    BOOST_TEST(count(html, "class=\"skip-link\" href=\"#main-content\"") == 1);
    BOOST_TEST(count(html, "<main id=\"main-content\"") == 1);
    BOOST_TEST(count(html, "<h1>") == 1);
    BOOST_TEST(count(html, "http://") + count(html, "https://") == count(html, "http://www.w3.org/2000/svg"));
  }
  const auto& c = r.charter();
  const std::string& g = site.at("glossary.html");
  for (const auto& term : c.glossary())
    BOOST_TEST(count(g, "<article class=\"term\" id=\"" + std::string(term.id) + "\" data-term=\"" +
                            std::string(term.id) + "\"") == 1);
  BOOST_TEST(count(g, "<span class=\"status status-approved\">") >= 1);
  BOOST_TEST(count(g, "<span class=\"status status-deprecated\">") == 1);
  BOOST_TEST(count(g, "<span class=\"status status-draft\">") >= 1);
  const std::string& f = site.at("funnel.html");
  BOOST_TEST(count(f, "class=\"funnel\"") == 1);
  for (const auto& s : c.funnel().stages) {
    BOOST_TEST(count(f, "<section class=\"stage\" id=\"stage-" + std::string(s.id) + "\"") == 1);
    BOOST_TEST(count(f, "<g class=\"stage\" data-stage=\"" + std::string(s.id) + "\"") == 1);
  }
  // The entry rule in plain language, with links to what it uses.
  BOOST_TEST(count(f, "email is set and not free email") == 1);
  BOOST_TEST(count(f, "href=\"qualification.html#criteria-free_email\"") >= 1);
  const std::string& q = site.at("qualification.html");
  for (const auto& x : c.fields()) BOOST_TEST(count(q, "<tr id=\"field-" + std::string(x.id) + "\"") == 1);
  for (const auto& x : c.criteria()) BOOST_TEST(count(q, "id=\"criteria-" + std::string(x.id) + "\"") == 1);
  for (const auto& x : c.scores()) BOOST_TEST(count(q, "id=\"score-" + std::string(x.id) + "\"") == 1);
  BOOST_TEST(count(q, "<code>Products_of_Interest__c</code>") == 1);
  const std::string& a = site.at("agreements.html");
  for (const auto& x : c.slas()) BOOST_TEST(count(a, "id=\"sla-" + std::string(x.id) + "\"") == 1);
  for (const auto& x : c.goals()) BOOST_TEST(count(a, "id=\"goal-" + std::string(x.id) + "\"") == 1);
  for (const auto& x : c.meetings()) BOOST_TEST(count(a, "id=\"meeting-" + std::string(x.id) + "\"") == 1);
  BOOST_TEST(count(a, "Sales Development commits to Marketing: ") >= 1);
  BOOST_TEST(count(a, "<td class=\"num\">4,800</td>") == 1);  // MQLs the FY2027 goal needs
  BOOST_TEST(count(a, "<td class=\"num\">400</td>") == 1);    // per month
  const std::string& t = site.at("teams.html");
  for (const auto& x : c.teams()) BOOST_TEST(count(t, "id=\"team-" + std::string(x.id) + "\"") == 1);
  const std::string& css = site.at("assets/style.css");
  BOOST_TEST(count(css, "@media (prefers-color-scheme: dark)") == 1);
  BOOST_TEST(count(css, "@media print") == 1);
  BOOST_TEST(count(css, ":focus-visible") >= 1);
  BOOST_TEST(count(css, "url(") == 0);  // no fonts or images to fetch
}

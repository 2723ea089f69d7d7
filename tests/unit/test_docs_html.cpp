// The HTML site of `charter docs` (render_docs with DocsFormat::Html, src/docs/html.cpp):
// escaping of every kind of value, raw HTML and script links in Markdown definitions, links
// between terms, the glossary split into letter pages (and a letter into several pages), links
// that resolve on every page, the search index, --locale, determinism and the DOM contract the
// browser test relies on.
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

// "%41b" -> "Ab".
std::string percent_decoded(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// `target` ("../glossary/c.html") seen from the page `from` ("glossary/b.html"), from the site
// root ("glossary/c.html"); "" when it leaves the site.
std::string resolved(const std::string& from, const std::string& target) {
  std::vector<std::string> parts;
  for (std::size_t start = 0, slash; start <= from.size(); start = slash + 1) {
    slash = from.find('/', start);
    if (slash == std::string::npos) break;  // the file name itself is not a folder
    parts.push_back(from.substr(start, slash - start));
  }
  std::size_t start = 0;
  for (std::size_t slash; (slash = target.find('/', start)) != std::string::npos; start = slash + 1) {
    std::string part = target.substr(start, slash - start);
    if (part == "..") {
      if (parts.empty()) return "";
      parts.pop_back();
    } else if (part != "." && !part.empty()) {
      parts.push_back(part);
    }
  }
  std::string out;
  for (const auto& part : parts) out += part + "/";
  return out + target.substr(start);
}

// Every link of every HTML page to a page of the site (relative, with or without #id) that does
// not resolve: the page must exist and hold an element with that id. "page: href (why)".
std::vector<std::string> broken_links(const std::map<std::string, std::string>& site) {
  std::vector<std::string> broken;
  for (const auto& [path, content] : site) {
    if (path.size() < 5 || path.compare(path.size() - 5, 5, ".html") != 0) continue;
    for (const std::string& url : urls(content)) {
      if (!scheme_of(url).empty() || url.empty()) continue;  // http(s), mailto, data:
      auto hash = url.find('#');
      std::string file = url.substr(0, hash);
      std::string target = file.empty() ? path : resolved(path, file);
      if (target.size() < 5 || target.compare(target.size() - 5, 5, ".html") != 0) {
        if (!target.empty() && !site.count(target)) broken.push_back(path + ": " + url + " (no such file)");
        continue;  // the stylesheet and the scripts
      }
      auto page = site.find(target);
      if (page == site.end()) {
        broken.push_back(path + ": " + url + " (no page " + target + ")");
        continue;
      }
      if (hash == std::string::npos) continue;
      std::string id = percent_decoded(url.substr(hash + 1));
      if (page->second.find(" id=\"" + id + "\"") == std::string::npos)
        broken.push_back(path + ": " + url + " (" + target + " has no id=\"" + id + "\")");
    }
  }
  return broken;
}

// The first few items, for a message (the operands of a message are evaluated even when the
// check passes).
std::string listed(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < 5; ++i) out += (i ? "; " : "") + items[i];
  return out;
}

// The search index: its "pages" and, per term id, the index of its page.
struct SearchIndex {
  std::vector<std::string> pages;
  std::map<std::string, std::size_t> page_of;
};
SearchIndex search_index(const std::string& js) {
  SearchIndex index;
  static const std::regex pages_re(R"re("pages": \[([^\]]*)\])re");
  static const std::regex string_re(R"re("([^"]*)")re");
  static const std::regex term_re(R"re(\n\["([^"]*)","(?:[^"\\]|\\.)*",([0-9]+))re");
  std::smatch m;
  if (std::regex_search(js, m, pages_re)) {
    std::string list = m[1];
    for (auto it = std::sregex_iterator(list.begin(), list.end(), string_re); it != std::sregex_iterator(); ++it)
      index.pages.push_back((*it)[1]);
  }
  for (auto it = std::sregex_iterator(js.begin(), js.end(), term_re); it != std::sregex_iterator(); ++it)
    index.page_of[(*it)[1]] = std::stoul((*it)[2]);
  return index;
}

// The ids of the article.term of a page, in order.
std::vector<std::string> article_ids(const std::string& html) {
  static const std::regex re(R"re(<article class="term" id="([^"]*)")re");
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), re); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1]);
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
    BOOST_TEST(handler_tags(content).empty(), "event handler in " << path << ": " << listed(handler_tags(content)));
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
  // A has three terms: Äpfel and Apple on a.html, Avocado on a-2.html.
  BOOST_TEST(letters == (std::vector<std::string>{"glossary/a-2.html", "glossary/a.html", "glossary/b.html",
                                                  "glossary/c.html", "glossary/other.html"}),
             boost::test_tools::per_element());
  const std::string& index = site.at("glossary.html");
  BOOST_TEST(count(index, "class=\"term\"") == 0);
  BOOST_TEST(count(index, "data-page=\"glossary-index\"") == 1);  // search.js redirects #id from here
  for (auto page :
       {"glossary/a.html", "glossary/a-2.html", "glossary/b.html", "glossary/c.html", "glossary/other.html"})
    BOOST_TEST(count(index, std::string("href=\"") + page + "\"") == 1);
  BOOST_TEST(count(index, ">Äpfel – Apple</a>") == 1);  // the labels a page runs from and to
  BOOST_TEST(count(index, ">Avocado</a>") == 1);
  const std::string& a = site.at("glossary/a.html");
  for (auto id : {"apple", "umlaut"})  // Äpfel is filed under A
    BOOST_TEST(count(a, std::string("<article class=\"term\" id=\"") + id + "\" data-term=\"" + id + "\"") == 1);
  BOOST_TEST(count(site.at("glossary/a-2.html"), "<article class=\"term\" id=\"avocado\" data-term=\"avocado\"") == 1);
  BOOST_TEST(count(a, "href=\"../assets/style.css\"") == 1);
  BOOST_TEST(count(a, "data-root=\"../\"") == 1);
  BOOST_TEST(count(site.at("glossary/other.html"), "id=\"number\"") == 1);
  // Narrower terms link across pages.
  BOOST_TEST(count(site.at("glossary/b.html"), "href=\"../glossary/c.html#cherry\"") == 1);

  const std::string& js = site.at("assets/search-index.js");
  BOOST_TEST(js.rfind("// ", 0) == 0);
  BOOST_TEST(count(js, "window.CHARTER_SEARCH = {") == 1);
  BOOST_TEST(count(js,
                   "\"pages\": "
                   "[\"glossary/a.html\",\"glossary/a-2.html\",\"glossary/b.html\",\"glossary/c.html\",\"glossary/"
                   "other.html\"]") == 1);
  for (auto entry :
       {R"(["apple","Apple",0,"",["pomme"]])", R"(["avocado","Avocado",1])", R"(["umlaut","Äpfel",0])",
        R"(["banana","Banana",2,"",[],["plantain"]])", R"(["cherry","Cherry",3])", R"(["number","42nd Street",4])"})
    BOOST_TEST(count(js, entry) == 1, "search index entry " << entry);
}

const char* const kManyC = R"yaml(charter: 1
organization: {name: Many C}
teams:
  - {id: ops, name: Ops}
glossary:
  - {id: cab, term: Cab, status: draft, owner: ops, related: [cycle]}
  - {id: cake, term: Cake, status: draft, owner: ops, broader: cab}
  - {id: call, term: Call, status: draft, owner: ops, definition: "See [the cycle](cycle) and [zeta](glossary.html#zeta)."}
  - {id: camp, term: Camp, status: draft, owner: ops, replaced_by: cab}
  - {id: cycle, term: Cycle, status: draft, owner: ops, broader: call}
  - {id: apple, term: Apple, status: draft, related: [camp]}
  - {id: zeta, term: Zeta, status: draft, owner: ops, related: [cake, cycle]}
fields:
  - {id: size, type: number, term: camp}
criteria:
  - {id: big, when: size > 10, term: cycle}
funnel:
  stages:
    - {id: one, name: One, owner: ops, term: cake}
)yaml";

// Each letter on pages of at most terms_per_page terms: C (five terms, two per page) on c.html,
// c-2.html and c-3.html.
BOOST_AUTO_TEST_CASE(a_letter_with_many_terms_has_several_pages) {
  auto r = load_ok(kManyC);
  DocsOptions o;
  o.terms_per_page = 2;
  Site site = render(r.charter(), o);
  std::vector<std::string> pages;
  for (const auto& [path, content] : site)
    if (path.rfind("glossary/", 0) == 0) pages.push_back(path);
  BOOST_TEST(pages == (std::vector<std::string>{"glossary/a.html", "glossary/c-2.html", "glossary/c-3.html",
                                                "glossary/c.html", "glossary/z.html"}),
             boost::test_tools::per_element());

  // At most two terms a page, every term on exactly one page, in A–Z order within C.
  std::map<std::string, std::string> page_of;  // term id -> page
  for (const auto& page : pages) {
    auto ids = article_ids(site.at(page));
    BOOST_TEST_INFO("page " << page);
    BOOST_TEST(!ids.empty());
    BOOST_TEST(ids.size() <= 2u);
    for (const auto& id : ids) {
      auto [it, inserted] = page_of.emplace(id, page);
      BOOST_TEST(inserted, id << " is on " << it->second << " and " << page);
    }
  }
  BOOST_TEST(page_of.size() == r.charter().glossary().size());
  BOOST_TEST(page_of["cab"] == "glossary/c.html");
  BOOST_TEST(page_of["cake"] == "glossary/c.html");
  BOOST_TEST(page_of["call"] == "glossary/c-2.html");
  BOOST_TEST(page_of["camp"] == "glossary/c-2.html");
  BOOST_TEST(page_of["cycle"] == "glossary/c-3.html");

  // The search index sends each term to its page (glossary.html#ID redirects through it).
  SearchIndex index = search_index(site.at("assets/search-index.js"));
  BOOST_TEST(index.pages == (std::vector<std::string>{"glossary/a.html", "glossary/c.html", "glossary/c-2.html",
                                                      "glossary/c-3.html", "glossary/z.html"}),
             boost::test_tools::per_element());
  BOOST_TEST(index.page_of.size() == page_of.size());
  for (const auto& [id, page] : page_of) {
    BOOST_TEST_INFO("term " << id);
    BOOST_REQUIRE(index.page_of.count(id) == 1u);
    BOOST_REQUIRE(index.page_of[id] < index.pages.size());
    BOOST_TEST(index.pages[index.page_of[id]] == page);
  }

  // The letter index lists each page of C with the labels it runs from and to.
  const std::string& g = site.at("glossary.html");
  BOOST_TEST(count(g, "<li><a href=\"glossary/c.html\">Cab – Cake</a></li>") == 1);
  BOOST_TEST(count(g, "<li><a href=\"glossary/c-2.html\">Call – Camp</a></li>") == 1);
  BOOST_TEST(count(g, "<li><a href=\"glossary/c-3.html\">Cycle</a></li>") == 1);
  BOOST_TEST(count(g, "href=\"glossary/a.html\"") == 1);  // a letter on one page: one link

  // Previous and next lead to the neighbouring pages, across letters too.
  auto rel = [&](const std::string& page, std::string_view which) {
    static const std::regex re(R"re(rel="(prev|next)" href="([^"]*)")re");
    std::vector<std::string> out;
    const std::string& html = site.at(page);
    for (auto it = std::sregex_iterator(html.begin(), html.end(), re); it != std::sregex_iterator(); ++it)
      if ((*it)[1].str() == which) out.push_back((*it)[2]);
    out.erase(std::unique(out.begin(), out.end()), out.end());  // the same at the top and the bottom
    return out;
  };
  using Links = std::vector<std::string>;
  BOOST_TEST(rel("glossary/a.html", "prev") == Links{}, boost::test_tools::per_element());
  BOOST_TEST(rel("glossary/a.html", "next") == Links{"../glossary/c.html"}, boost::test_tools::per_element());
  BOOST_TEST(rel("glossary/c.html", "prev") == Links{"../glossary/a.html"}, boost::test_tools::per_element());
  BOOST_TEST(rel("glossary/c-2.html", "prev") == Links{"../glossary/c.html"}, boost::test_tools::per_element());
  BOOST_TEST(rel("glossary/c-2.html", "next") == Links{"../glossary/c-3.html"}, boost::test_tools::per_element());
  BOOST_TEST(rel("glossary/c-3.html", "next") == Links{"../glossary/z.html"}, boost::test_tools::per_element());
  BOOST_TEST(rel("glossary/z.html", "next") == Links{}, boost::test_tools::per_element());
  BOOST_TEST(count(site.at("glossary/c-2.html"), "<h1>Glossary: C (2/3)</h1>") == 1);
  BOOST_TEST(count(site.at("glossary/c-2.html"),
                   "href=\"../glossary/c-2.html\" title=\"Call – Camp\" "
                   "aria-current=\"page\">2</a>") == 1);

  // Links from other pages and between glossary pages go to the page that holds the term.
  BOOST_TEST(count(site.at("funnel.html"), "href=\"glossary/c.html#cake\"") == 1);
  BOOST_TEST(count(site.at("qualification.html"), "href=\"glossary/c-2.html#camp\"") == 1);
  BOOST_TEST(count(site.at("qualification.html"), "href=\"glossary/c-3.html#cycle\"") == 1);
  BOOST_TEST(count(site.at("teams.html"), "href=\"glossary/c-3.html#cycle\"") == 1);
  BOOST_TEST(count(site.at("glossary/c-2.html"), "<a href=\"../glossary/c-3.html#cycle\">the cycle</a>") == 1);
  BOOST_TEST(count(site.at("glossary/c-2.html"), "<a href=\"../glossary/z.html#zeta\">zeta</a>") == 1);
  auto broken = broken_links(site);
  BOOST_TEST(broken.empty(), broken.size() << " broken links: " << listed(broken));

  auto again = render(r.charter(), o);
  BOOST_TEST((again == site));  // deterministic
}

// Every link to a page of the site resolves (the page exists and has the id), split or not.
BOOST_AUTO_TEST_CASE(every_link_resolves) {
  auto acme = load_charter({test::acme_dir()});
  BOOST_REQUIRE_MESSAGE(acme.ok(), test::dump(acme));
  auto hostile = load_ok(kHostile);
  auto paged = load_ok(kPaged);
  auto many = load_ok(kManyC);
  for (const Charter* c : {&acme.charter(), &hostile.charter(), &paged.charter(), &many.charter()})
    for (std::size_t per_page : {0u, 1u, 2u, 3u, 5u}) {
      DocsOptions o;
      o.terms_per_page = per_page;
      Site site = render(*c, o);
      auto broken = broken_links(site);
      BOOST_TEST_INFO(c->organization().name << ", terms_per_page " << per_page);
      BOOST_TEST(broken.empty(), broken.size() << " broken links: " << listed(broken));
      // Every term on exactly one page, which the search index names.
      SearchIndex index = search_index(site.at("assets/search-index.js"));
      BOOST_TEST(index.page_of.size() == c->glossary().size());
      std::size_t articles = 0;
      for (const auto& [id, page] : index.page_of) {
        BOOST_REQUIRE(page < index.pages.size());
        BOOST_TEST(count(site.at(index.pages[page]), "<article class=\"term\" id=\"" + id + "\"") == 1, id);
      }
      for (const auto& page : index.pages) articles += article_ids(site.at(page)).size();
      BOOST_TEST(articles == c->glossary().size());
    }
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

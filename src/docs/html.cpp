// The HTML site of `charter docs` (render_html in docs/docs.hpp): seven pages, a stylesheet, a
// search script and the search index, all relative links, no network access.
//
// Safety: every value of the charter goes through `Html::text` (text and quoted attributes),
// `Html::url` (ids in URLs, percent-encoded) or `append_json` (the search index, with `<`, `>`,
// `&`, U+2028 and U+2029 escaped so it cannot end the script). Markdown definitions are parsed
// with cmark-gfm; raw HTML in them becomes visible text, and links whose scheme is not http,
// https, mailto or tel are unwrapped to their text.
//
// Size: everything is appended to strings reserved up front; lookups that would be quadratic on
// a large glossary (narrower terms, what refers to a term, the page of a term) are computed once.
#include <charter/describe.hpp>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "docs/docs.hpp"
#include "docs/html_assets.hpp"
#include "util/text.hpp"

namespace charter::docs {

namespace {

// ---- escaping --------------------------------------------------------------------------------

// HTML text and quoted attribute values.
void append_escaped(std::string& out, std::string_view s) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char* rep = nullptr;
    switch (s[i]) {
      case '&': rep = "&amp;"; break;
      case '<': rep = "&lt;"; break;
      case '>': rep = "&gt;"; break;
      case '"': rep = "&quot;"; break;
      case '\'': rep = "&#39;"; break;
      default: continue;
    }
    out.append(s, start, i - start);
    out += rep;
    start = i + 1;
  }
  out.append(s, start, std::string_view::npos);
}

// One component of a URL (an id after `#`): unreserved characters as they are, the rest as %XX.
void append_percent_encoded(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
}

// A JSON string that is also safe inside a <script> element or a script file.
void append_json(std::string& out, std::string_view s) {
  out += '"';
  detail::json_escape(out, s, true);
  out += '"';
}

// An HTML fragment under construction.
class Html {
 public:
  std::string s;
  Html& raw(std::string_view x) {
    s.append(x);
    return *this;
  }
  Html& text(std::string_view x) {
    append_escaped(s, x);
    return *this;
  }
  Html& url(std::string_view x) {
    append_percent_encoded(s, x);
    return *this;
  }
  Html& num(std::size_t n) {
    s += std::to_string(n);
    return *this;
  }
};

// ---- links in Markdown -----------------------------------------------------------------------

enum class UrlKind { Unsafe, Absolute, Fragment, Relative };

// What a link destination is. Browsers drop tabs and newlines anywhere in a URL and spaces and
// control characters around it ("java\tscript:"); cmark-gfm has already decoded entities
// ("&#106;avascript:"). So the scheme is read with all of those removed, case-insensitively, and
// only http, https, mailto and tel are kept.
UrlKind classify_url(std::string_view url) {
  std::string s;
  s.reserve(url.size());
  for (char ch : url) {
    auto c = static_cast<unsigned char>(ch);
    if (c > 0x20 && c != 0x7f) s += static_cast<char>(std::tolower(c));
  }
  if (s.empty()) return UrlKind::Relative;
  if (s[0] == '#') return UrlKind::Fragment;
  auto colon = s.find(':');
  auto delim = s.find_first_of("/?#");
  if (colon == std::string::npos || (delim != std::string::npos && delim < colon)) return UrlKind::Relative;
  std::string_view scheme = std::string_view(s).substr(0, colon);
  if (scheme == "http" || scheme == "https" || scheme == "mailto" || scheme == "tel") return UrlKind::Absolute;
  return UrlKind::Unsafe;
}

// The GFM extensions used for definitions (registered once, thread-safe).
const std::vector<cmark_syntax_extension*>& gfm_extensions() {
  static const std::vector<cmark_syntax_extension*> list = [] {
    cmark_gfm_core_extensions_ensure_registered();
    std::vector<cmark_syntax_extension*> v;
    for (const char* name : {"table", "strikethrough", "autolink", "tasklist"})
      if (cmark_syntax_extension* e = cmark_find_syntax_extension(name)) v.push_back(e);
    return v;
  }();
  return list;
}

// Moves the children of `node` to its place and frees it.
void unwrap(cmark_node* node) {
  while (cmark_node* child = cmark_node_first_child(node)) cmark_node_insert_before(node, child);
  cmark_node_free(node);
}

// Replaces `node` by a text node with its literal (raw HTML shown as text, escaped on output).
void html_to_text(cmark_node* node, bool block) {
  std::string literal = cmark_node_get_literal(node) ? cmark_node_get_literal(node) : "";
  while (!literal.empty() && (literal.back() == '\n' || literal.back() == '\r')) literal.pop_back();
  cmark_node* text = cmark_node_new(CMARK_NODE_TEXT);
  cmark_node_set_literal(text, literal.c_str());
  cmark_node* replacement = text;
  if (block) {
    replacement = cmark_node_new(CMARK_NODE_PARAGRAPH);
    cmark_node_append_child(replacement, text);
  }
  cmark_node_replace(node, replacement);
  cmark_node_free(node);
}

// ---- the site --------------------------------------------------------------------------------

// One page of the glossary: the whole glossary, or (split) up to terms_per_page terms of a letter.
struct GlossaryPage {
  std::string path;       // relative to the site root: "glossary.html", "glossary/c.html", "glossary/c-2.html"
  std::string letter;     // "C" ("" for the one-page glossary)
  std::size_t part = 0;   // 0-based page of the letter
  std::size_t parts = 1;  // pages of the letter
  std::span<const Term* const> terms;
};

// Something that refers to a term: a field, score, criteria or stage.
struct TermUse {
  std::string_view kind;  // UI text: "Field", "Score", "Criteria", "Stage"
  std::string_view id;
  std::string href;  // relative to the site root
  std::string_view name;
};

constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kSections = {{
    {"index.html", "Overview"},
    {"glossary.html", "Glossary"},
    {"funnel.html", "Funnel"},
    {"qualification.html", "Qualification"},
    {"agreements.html", "Agreements"},
    {"teams.html", "Teams"},
}};

std::string letter_slug(std::string_view letter) {
  if (letter.size() == 1 && letter[0] >= 'A' && letter[0] <= 'Z')
    return std::string(1, static_cast<char>(letter[0] - 'A' + 'a'));
  return "other";
}

class Renderer {
 public:
  explicit Renderer(const Site& site) : site_(site), c_(site.charter()) {
    for (const Term* t : site_.terms())
      if (!t->broader.empty()) narrower_[t->broader].push_back(t);  // A–Z, since terms() is
    for (const std::string& letter : site_.letters()) by_letter_[letter];
    for (const Term* t : site_.terms()) by_letter_[site_.letter(*t)].push_back(t);
    if (site_.split_glossary()) {
      // Pages of at most terms_per_page terms: c.html, c-2.html, c-3.html ... (the first keeps
      // the letter's name, so links to a letter stay stable). 1,000 is Site's default too.
      const std::size_t per_page = site_.terms_per_page();
      for (const std::string& letter : site_.letters()) {
        const std::vector<const Term*>& terms = by_letter_.at(letter);
        const std::size_t parts = (terms.size() + per_page - 1) / per_page;
        first_page_[letter] = pages_.size();
        for (std::size_t part = 0; part < parts; ++part) {
          GlossaryPage page;
          page.path = "glossary/" + letter_slug(letter);
          if (part) page.path += "-" + std::to_string(part + 1);
          page.path += ".html";
          page.letter = letter;
          page.part = part;
          page.parts = parts;
          page.terms = std::span<const Term* const>(terms).subspan(part * per_page,
                                                                   std::min(per_page, terms.size() - part * per_page));
          for (const Term* t : page.terms) page_of_[t] = pages_.size();
          pages_.push_back(std::move(page));
        }
      }
    } else {
      pages_.push_back({"glossary.html", {}, 0, 1, site_.terms()});
    }
    auto use = [&](std::string_view term, std::string_view kind, std::string_view id, std::string href,
                   std::string_view name) {
      if (!term.empty()) uses_[term].push_back({kind, id, std::move(href), name});
    };
    for (const auto& s : c_.funnel().stages)
      use(s.term, "Stage", s.id, "funnel.html#stage-" + encoded(s.id), site_.stage_name(s.id));
    for (const auto& f : c_.fields()) use(f.term, "Field", f.id, "qualification.html#field-" + encoded(f.id), f.id);
    for (const auto& s : c_.scores()) use(s.term, "Score", s.id, "qualification.html#score-" + encoded(s.id), s.id);
    for (const auto& k : c_.criteria())
      use(k.term, "Criteria", k.id, "qualification.html#criteria-" + encoded(k.id), k.id);
  }

  std::vector<DocsFile> render() {
    std::vector<DocsFile> files;
    files.push_back({"agreements.html", agreements_page()});
    files.push_back({"assets/search-index.js", search_index()});
    files.push_back({"assets/search.js", std::string(kHtmlSearchScript)});
    files.push_back({"assets/style.css", std::string(kHtmlStyle)});
    files.push_back({"funnel.html", funnel_page()});
    if (site_.split_glossary()) {
      files.push_back({"glossary.html", glossary_index_page()});
      for (std::size_t i = 0; i < pages_.size(); ++i) files.push_back({pages_[i].path, glossary_letter_page(i)});
    } else {
      files.push_back({"glossary.html", glossary_page()});
    }
    files.push_back({"index.html", index_page()});
    files.push_back({"qualification.html", qualification_page()});
    files.push_back({"teams.html", teams_page()});
    std::sort(files.begin(), files.end(), [](const DocsFile& a, const DocsFile& b) { return a.path < b.path; });
    return files;
  }

 private:
  const Site& site_;
  const Charter& c_;
  std::unordered_map<std::string_view, std::vector<const Term*>> narrower_;
  std::unordered_map<std::string_view, std::vector<TermUse>> uses_;
  std::map<std::string, std::vector<const Term*>> by_letter_;
  std::vector<GlossaryPage> pages_;                       // glossary pages, in the order of the search index
  std::map<std::string, std::size_t> first_page_;         // letter -> its first page
  std::unordered_map<const Term*, std::size_t> page_of_;  // term -> its page (split glossary)
  std::string page_;                                      // path of the page being rendered
  std::string root_;                                      // "" or "../": from that page to the site root
  std::string page_letter_;                               // the letter of the glossary page being rendered, if any

  static std::string encoded(std::string_view id) {
    std::string s;
    append_percent_encoded(s, id);
    return s;
  }
  std::string_view t(std::string_view english) const { return site_.t(english); }
  const std::string& default_locale() const { return site_.default_locale(); }

  // ---- links ---------------------------------------------------------------------------------

  std::size_t page_of(const Term& term) const { return site_.split_glossary() ? page_of_.at(&term) : 0; }
  // href of a term from the current page.
  void term_href(Html& h, const Term& term) const {
    const std::string& page = pages_[page_of(term)].path;
    if (page != page_) h.raw(root_).raw(page);
    h.raw("#").url(term.id);
  }
  // ` lang="en"` when a text fell back to the default locale.
  void lang_if(Html& h, bool fallback) const {
    if (fallback) h.raw(" lang=\"").text(default_locale()).raw("\"");
  }
  void term_link(Html& h, std::string_view id) const {
    const Term* term = c_.term(id);
    if (!term) {
      h.raw("<code>").text(id).raw("</code>");
      return;
    }
    auto label = site_.label(*term);
    h.raw("<a href=\"");
    term_href(h, *term);
    h.raw("\"");
    lang_if(h, label.fallback);
    h.raw(">").text(label.text).raw("</a>");
  }
  void term_links(Html& h, const std::vector<std::string_view>& ids) const {
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (i) h.raw(", ");
      term_link(h, ids[i]);
    }
  }
  void team_link(Html& h, std::string_view id) const {
    if (!c_.team(id)) {
      h.text(id);
      return;
    }
    h.raw("<a href=\"").raw(root_).raw("teams.html#team-").url(id).raw("\">").text(site_.team_name(id)).raw("</a>");
  }
  void stage_link(Html& h, std::string_view id) const {
    const char* prefix = c_.stage(id) ? "#stage-" : c_.exit(id) ? "#exit-" : nullptr;
    if (!prefix) {
      h.text(site_.stage_name(id));
      return;
    }
    h.raw("<a href=\"")
        .raw(root_)
        .raw("funnel.html")
        .raw(prefix)
        .url(id)
        .raw("\">")
        .text(site_.stage_name(id))
        .raw("</a>");
  }
  void fallback_badge(Html& h) const {
    h.raw("<span class=\"fallback\" title=\"")
        .text(t("Not translated"))
        .raw("\" lang=\"")
        .text(default_locale())
        .raw("\">")
        .text(default_locale())
        .raw("</span>");
  }
  // "Uses: company_size, free_email", linked to the fields, scores and criteria.
  void uses(Html& h, const std::vector<std::pair<NameKind, std::string_view>>& names) const {
    if (names.empty()) return;
    h.raw("<p class=\"uses\">").text(t("Uses")).raw(": ");
    for (std::size_t i = 0; i < names.size(); ++i) {
      auto [kind, name] = names[i];
      if (i) h.raw(", ");
      const char* anchor = kind == NameKind::Field ? "#field-" : kind == NameKind::Score ? "#score-" : "#criteria-";
      h.raw("<a href=\"")
          .raw(root_)
          .raw("qualification.html")
          .raw(anchor)
          .url(name)
          .raw("\"><code>")
          .text(name)
          .raw("</code></a>");
    }
    h.raw("</p>\n");
  }
  void uses(Html& h, const Expression& e) const { uses(h, referenced_names(e)); }
  // The rule in plain language and as written.
  void rule(Html& h, const Expression& e) const {
    h.raw("<p class=\"rule\"><span class=\"plain\">")
        .text(describe(e))
        .raw("</span><br><code class=\"expr\">")
        .text(e.text)
        .raw("</code></p>\n");
  }

  // ---- Markdown ------------------------------------------------------------------------------

  // The href for a link destination of a definition, or nullopt to drop the link.
  std::optional<std::string> rewrite_url(std::string_view url) const {
    Html h;
    switch (classify_url(url)) {
      case UrlKind::Unsafe: return std::nullopt;
      case UrlKind::Absolute: return std::string(url);
      case UrlKind::Fragment:
        if (const Term* term = c_.term(url.substr(1))) {
          term_href(h, *term);
          return h.s;
        }
        return std::string(url);
      case UrlKind::Relative:
        if (const Term* term = c_.term(url)) {  // a bare term id
          term_href(h, *term);
          return h.s;
        }
        if (url.substr(0, 14) == "glossary.html#")
          if (const Term* term = c_.term(url.substr(14))) {
            term_href(h, *term);
            return h.s;
          }
        if (url.empty() || url[0] == '/') return std::string(url);
        return root_ + std::string(url);  // relative to the site root
    }
    return std::nullopt;
  }

  // Markdown as HTML: raw HTML becomes text, unsafe links become their text, headings start at
  // `heading_base`.
  void markdown(Html& h, std::string_view md, int heading_base) const {
    const auto& extensions = gfm_extensions();
    cmark_parser* parser = cmark_parser_new(CMARK_OPT_VALIDATE_UTF8);
    for (cmark_syntax_extension* e : extensions) cmark_parser_attach_syntax_extension(parser, e);
    cmark_parser_feed(parser, md.data(), md.size());
    cmark_node* doc = cmark_parser_finish(parser);

    std::vector<cmark_node*> nodes;
    cmark_iter* it = cmark_iter_new(doc);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
      if (ev != CMARK_EVENT_ENTER) continue;
      cmark_node* n = cmark_iter_get_node(it);
      switch (cmark_node_get_type(n)) {
        case CMARK_NODE_HTML_BLOCK:
        case CMARK_NODE_HTML_INLINE:
        case CMARK_NODE_LINK:
        case CMARK_NODE_IMAGE:
        case CMARK_NODE_HEADING: nodes.push_back(n); break;
        default: break;
      }
    }
    cmark_iter_free(it);

    for (cmark_node* n : nodes) {
      switch (cmark_node_get_type(n)) {
        case CMARK_NODE_HTML_BLOCK: html_to_text(n, true); break;
        case CMARK_NODE_HTML_INLINE: html_to_text(n, false); break;
        case CMARK_NODE_HEADING:
          cmark_node_set_heading_level(n, std::min(6, cmark_node_get_heading_level(n) + heading_base - 1));
          break;
        case CMARK_NODE_LINK:
        case CMARK_NODE_IMAGE: {
          const char* u = cmark_node_get_url(n);
          auto href = rewrite_url(u ? u : "");
          if (!href)
            unwrap(n);
          else
            cmark_node_set_url(n, href->c_str());
          break;
        }
        default: break;
      }
    }

    char* html = cmark_render_html(doc, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser));
    h.raw(html);
    cmark_get_default_mem_allocator()->free(html);
    cmark_node_free(doc);
    cmark_parser_free(parser);
  }

  // ---- page frame ----------------------------------------------------------------------------

  void begin(Html& h, std::string path, std::string_view section, std::string_view heading, std::string_view kind,
             bool filter = false) {
    page_ = std::move(path);
    root_.clear();
    for (char ch : page_)
      if (ch == '/') root_ += "../";
    h.raw("<!DOCTYPE html>\n<html lang=\"").text(site_.locale()).raw("\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.raw("<meta name=\"color-scheme\" content=\"light dark\">\n<meta name=\"generator\" content=\"charter\">\n");
    h.raw("<title>");
    if (!heading.empty()) h.text(heading).raw(" · ");
    h.text(site_.title()).raw("</title>\n");
    h.raw("<link rel=\"icon\" href=\"data:,\">\n");
    h.raw("<link rel=\"stylesheet\" href=\"").raw(root_).raw("assets/style.css\">\n");
    h.raw("<script src=\"").raw(root_).raw("assets/search-index.js\" defer></script>\n");
    h.raw("<script src=\"").raw(root_).raw("assets/search.js\" defer></script>\n");
    h.raw("</head>\n<body data-root=\"").raw(root_).raw("\" data-page=\"").raw(kind).raw("\"");
    if (filter) h.raw(" data-filter=\"terms\"");
    h.raw(">\n<a class=\"skip-link\" href=\"#main-content\">").text(t("Skip to content")).raw("</a>\n");
    h.raw("<header class=\"site-header\">\n<div class=\"header-inner\">\n");
    h.raw("<a class=\"brand\" href=\"").raw(root_).raw("index.html\">").text(site_.title()).raw("</a>\n");
    h.raw("<nav class=\"site-nav\" aria-label=\"").text(t("Sections")).raw("\">\n<ul>\n");
    for (auto [file, name] : kSections) {
      h.raw("<li><a href=\"").raw(root_).raw(file).raw("\"");
      if (file == section) h.raw(" aria-current=\"page\"");
      h.raw(">").text(t(name)).raw("</a></li>\n");
    }
    h.raw("</ul>\n</nav>\n");
    h.raw("<div class=\"search\" role=\"search\">\n");
    h.raw("<label class=\"visually-hidden\" for=\"search\">").text(t("Search terms")).raw("</label>\n");
    h.raw("<input type=\"search\" id=\"search\" name=\"q\" autocomplete=\"off\" spellcheck=\"false\" placeholder=\"")
        .text(t("Search terms"))
        .raw("…\" aria-controls=\"search-results\" aria-describedby=\"search-status\">\n");
    h.raw("<div class=\"search-panel\" hidden>\n");
    h.raw("<ul id=\"search-results\" class=\"search-results\" aria-label=\"")
        .text(t("Search results"))
        .raw("\"></ul>\n");
    h.raw("<p id=\"search-status\" class=\"search-status\" aria-live=\"polite\"></p>\n</div>\n");
    h.raw("</div>\n</div>\n</header>\n<main id=\"main-content\" tabindex=\"-1\">\n");
  }

  void end(Html& h) const {
    h.raw("</main>\n<footer class=\"site-footer\">\n<p>").text(site_.title());
    if (!c_.organization().name.empty() && c_.organization().name != site_.title())
      h.raw(" · ").text(c_.organization().name);
    h.raw(" · ").text(t("Generated by charter from the charter files")).raw("</p>\n</footer>\n</body>\n</html>\n");
  }

  // ---- glossary ------------------------------------------------------------------------------

  void term_article(Html& h, const Term& term, int level) const {
    auto label = site_.label(term);
    const char* status = to_string(term.status);
    std::string_view status_text = term.status == TermStatus::Approved     ? t("Approved")
                                   : term.status == TermStatus::Deprecated ? t("Deprecated")
                                                                           : t("Draft");
    h.raw("<article class=\"term\" id=\"").text(term.id).raw("\" data-term=\"").text(term.id);
    h.raw("\" data-status=\"").raw(status).raw("\">\n");
    h.raw("<h").num(static_cast<std::size_t>(level)).raw("><a class=\"term-link\" href=\"#").url(term.id).raw("\"");
    lang_if(h, label.fallback);
    h.raw(">").text(label.text).raw("</a>");
    if (label.fallback) h.raw(" "), fallback_badge(h);
    if (!term.abbreviation.empty())
      h.raw(" <abbr class=\"abbr\" title=\"").text(label.text).raw("\">").text(term.abbreviation).raw("</abbr>");
    h.raw(" <span class=\"status status-").raw(status).raw("\">").text(status_text).raw("</span>");
    h.raw("</h").num(static_cast<std::size_t>(level)).raw(">\n");

    if (term.status == TermStatus::Deprecated) {
      h.raw("<p class=\"notice\"><strong>").text(t("Deprecated")).raw("</strong>");
      if (!term.replaced_by.empty()) {
        h.raw(" · ").text(t("Replaced by")).raw(": ");
        term_link(h, term.replaced_by);
      }
      h.raw("</p>\n");
    }

    auto def = site_.definition(term);
    if (!def.text.empty()) {
      h.raw("<div class=\"definition\"");
      lang_if(h, def.fallback);
      h.raw(">");
      if (def.fallback) fallback_badge(h);
      h.raw("\n");
      markdown(h, def.text, level + 1);
      h.raw("</div>\n");
    } else {
      h.raw("<p class=\"no-definition\">").text(t("No definition yet.")).raw("</p>\n");
    }

    Html facts;
    auto fact = [&](std::string_view name) { facts.raw("<dt>").text(t(name)).raw("</dt><dd>"); };
    if (!term.owner.empty()) {
      fact("Owner");
      team_link(facts, term.owner);
      facts.raw("</dd>\n");
    }
    const auto& avoid = site_.avoid(term);
    bool avoid_default = &avoid == &term.avoid;
    if (!avoid.empty()) {
      fact("Say instead");
      facts.raw("<ul class=\"plain\">");
      for (auto word : avoid) {
        facts.raw("<li><span class=\"avoid-word\"");
        lang_if(facts, avoid_default && site_.locale() != default_locale());
        facts.raw(">").text(word).raw("</span> → <strong");
        lang_if(facts, label.fallback);
        facts.raw(">").text(label.text).raw("</strong></li>");
      }
      facts.raw("</ul></dd>\n");
    }
    const auto& aliases = site_.aliases(term);
    if (!aliases.empty()) {
      fact("Aliases");
      bool other = &aliases == &term.aliases && site_.locale() != default_locale();
      for (std::size_t i = 0; i < aliases.size(); ++i) {
        if (i) facts.raw(", ");
        facts.raw("<span");
        lang_if(facts, other);
        facts.raw(">").text(aliases[i]).raw("</span>");
      }
      facts.raw("</dd>\n");
    }
    if (!term.broader.empty()) {
      fact("Broader");
      term_link(facts, term.broader);
      facts.raw("</dd>\n");
    }
    if (auto it = narrower_.find(term.id); it != narrower_.end()) {
      fact("Narrower");
      for (std::size_t i = 0; i < it->second.size(); ++i) {
        if (i) facts.raw(", ");
        term_link(facts, it->second[i]->id);
      }
      facts.raw("</dd>\n");
    }
    if (!term.related.empty()) {
      fact("Related");
      term_links(facts, term.related);
      facts.raw("</dd>\n");
    }
    if (!term.replaced_by.empty() && term.status != TermStatus::Deprecated) {
      fact("Replaced by");
      term_link(facts, term.replaced_by);
      facts.raw("</dd>\n");
    }
    if (!term.examples.empty()) {
      fact("Examples");
      facts.raw("<ul>");
      for (auto e : term.examples) {  // examples are not translated
        facts.raw("<li");
        lang_if(facts, site_.locale() != default_locale());
        facts.raw(">").text(e).raw("</li>");
      }
      facts.raw("</ul></dd>\n");
    }
    translations(facts, term, label);
    if (auto it = uses_.find(term.id); it != uses_.end()) {
      fact("Used in");
      for (std::size_t i = 0; i < it->second.size(); ++i) {
        const TermUse& u = it->second[i];
        if (i) facts.raw(", ");
        facts.text(t(u.kind)).raw(" <a href=\"").raw(root_).raw(u.href).raw("\">");
        if (u.kind == "Stage")
          facts.text(u.name);
        else
          facts.raw("<code>").text(u.name).raw("</code>");
        facts.raw("</a>");
      }
      facts.raw("</dd>\n");
    }
    if (!facts.s.empty()) h.raw("<dl class=\"facts\">\n").raw(facts.s).raw("</dl>\n");
    h.raw("</article>\n");
  }

  // The term in the other locales: the default label when another locale is shown, and every
  // translation but the one shown.
  void translations(Html& h, const Term& term, const Localized& label) const {
    bool any = false;
    auto item = [&](std::string_view locale, std::string_view text) {
      if (!any) h.raw("<dt>").text(t("Translations")).raw("</dt><dd><ul class=\"plain\">");
      any = true;
      h.raw("<li><span class=\"locale\">")
          .text(locale)
          .raw("</span> <span lang=\"")
          .text(locale)
          .raw("\">")
          .text(text)
          .raw("</span></li>");
    };
    if (site_.locale() != default_locale() && !label.fallback) item(default_locale(), term.term);
    for (const Translation& tr : term.translations)
      if (tr.locale != site_.locale() && !tr.term.empty()) item(tr.locale, tr.term);
    if (any) h.raw("</ul></dd>\n");
  }

  void letter_nav(Html& h, bool split) const {
    h.raw("<nav class=\"letters\" aria-label=\"").text(t("Letters")).raw("\">\n<ul>\n");
    for (const std::string& letter : site_.letters()) {
      h.raw("<li><a href=\"");
      if (split) {
        const GlossaryPage& first = pages_[first_page_.at(letter)];
        h.raw(root_).raw(first.path).raw("\"");
        if (first.path == page_)
          h.raw(" aria-current=\"page\"");
        else if (letter == page_letter_)  // on a later page of this letter
          h.raw(" aria-current=\"true\"");
      } else {
        h.raw("#letter-").raw(letter_slug(letter)).raw("\"");
      }
      h.raw(">").text(letter).raw("</a></li>\n");
    }
    h.raw("</ul>\n</nav>\n");
  }

  std::string glossary_intro() const {
    std::size_t counts[3] = {0, 0, 0};
    for (const Term* term : site_.terms()) ++counts[static_cast<int>(term->status)];
    Html h;
    h.raw("<p class=\"lead\">")
        .text(t("Terms"))
        .raw(": ")
        .text(number_text(static_cast<double>(site_.terms().size())))
        .raw(" · ")
        .text(t("Approved"))
        .raw(": ")
        .text(number_text(static_cast<double>(counts[static_cast<int>(TermStatus::Approved)])))
        .raw(" · ")
        .text(t("Draft"))
        .raw(": ")
        .text(number_text(static_cast<double>(counts[static_cast<int>(TermStatus::Draft)])))
        .raw(" · ")
        .text(t("Deprecated"))
        .raw(": ")
        .text(number_text(static_cast<double>(counts[static_cast<int>(TermStatus::Deprecated)])))
        .raw("</p>\n");
    return h.s;
  }

  std::string glossary_page() {
    Html h;
    h.s.reserve(4096 + site_.terms().size() * 1600);
    begin(h, "glossary.html", "glossary.html", t("Glossary"), "glossary", true);
    h.raw("<h1>").text(t("Glossary")).raw("</h1>\n").raw(glossary_intro());
    letter_nav(h, false);
    for (const std::string& letter : site_.letters()) {
      h.raw("<section class=\"letter\" id=\"letter-")
          .raw(letter_slug(letter))
          .raw("\">\n<h2>")
          .text(letter)
          .raw("</h2>\n");
      for (const Term* term : by_letter_.at(letter)) term_article(h, *term, 3);
      h.raw("</section>\n");
    }
    end(h);
    return std::move(h.s);
  }

  // "Cabin Fever – Customer Success": the labels of the first and last term of a page.
  std::string page_range(const GlossaryPage& page) const {
    std::string range(site_.label(*page.terms.front()).text);
    if (page.terms.size() > 1) range.append(" – ").append(site_.label(*page.terms.back()).text);
    return range;
  }
  // "C" for a letter on one page, "C (2/7)" for the second of seven.
  static std::string page_name(const GlossaryPage& page) {
    std::string name = page.letter;
    if (page.parts > 1) name += " (" + std::to_string(page.part + 1) + "/" + std::to_string(page.parts) + ")";
    return name;
  }

  std::string glossary_index_page() {
    Html h;
    h.s.reserve(4096 + pages_.size() * 256);
    begin(h, "glossary.html", "glossary.html", t("Glossary"), "glossary-index");
    h.raw("<h1>").text(t("Glossary")).raw("</h1>\n").raw(glossary_intro());
    h.raw("<p>")
        .text(t("Pages by initial letter. Type in the search box to find a term by any of its names."))
        .raw("</p>\n");
    h.raw("<ul class=\"letter-index\">\n");
    auto count = [&](const std::string& letter) {
      h.raw("<span class=\"count\">")
          .text(number_text(static_cast<double>(by_letter_.at(letter).size())))
          .raw(" ")
          .text(t("terms"))
          .raw("</span>");
    };
    for (const std::string& letter : site_.letters()) {
      const std::size_t first = first_page_.at(letter);
      if (pages_[first].parts == 1) {
        h.raw("<li><a href=\"").raw(pages_[first].path).raw("\"><span class=\"letter\">").text(letter).raw("</span>");
        count(letter);
        h.raw("</a></li>\n");
        continue;
      }
      // A letter on several pages: each page with the labels it runs from and to.
      h.raw("<li class=\"letter-pages\"><span class=\"letter\">").text(letter).raw("</span>");
      count(letter);
      h.raw("\n<ol>\n");
      for (std::size_t i = first; i < first + pages_[first].parts; ++i)
        h.raw("<li><a href=\"").raw(pages_[i].path).raw("\">").text(page_range(pages_[i])).raw("</a></li>\n");
      h.raw("</ol></li>\n");
    }
    h.raw("</ul>\n");
    end(h);
    return std::move(h.s);
  }

  // Previous and next glossary page (across letters), and on a letter of several pages, its pages.
  void pager(Html& h, std::size_t index, bool pages) const {
    const GlossaryPage& page = pages_[index];
    h.raw("<nav class=\"pager\" aria-label=\"").text(pages ? t("Pages") : t("Previous and next page")).raw("\">\n");
    auto link = [&](std::size_t i, std::string_view rel, std::string_view arrow) {
      h.raw("<a class=\"pager-").raw(rel).raw("\" rel=\"").raw(rel).raw("\" href=\"").raw(root_).raw(pages_[i].path);
      h.raw("\" title=\"").text(page_range(pages_[i])).raw("\">");
      if (rel == "prev") h.raw("<span aria-hidden=\"true\">").raw(arrow).raw("</span> ");
      h.text(rel == "prev" ? t("Previous") : t("Next")).raw(": ").text(page_name(pages_[i]));
      if (rel == "next") h.raw(" <span aria-hidden=\"true\">").raw(arrow).raw("</span>");
      h.raw("</a>\n");
    };
    if (index > 0) link(index - 1, "prev", "←");
    if (pages && page.parts > 1) {
      h.raw("<ol class=\"pager-pages\">\n");
      const std::size_t first = index - page.part;
      for (std::size_t i = first; i < first + page.parts; ++i) {
        h.raw("<li><a href=\"").raw(root_).raw(pages_[i].path).raw("\" title=\"").text(page_range(pages_[i])).raw("\"");
        if (i == index) h.raw(" aria-current=\"page\"");
        h.raw(">").num(pages_[i].part + 1).raw("</a></li>\n");
      }
      h.raw("</ol>\n");
    }
    if (index + 1 < pages_.size()) link(index + 1, "next", "→");
    h.raw("</nav>\n");
  }

  std::string glossary_letter_page(std::size_t index) {
    const GlossaryPage& page = pages_[index];
    Html h;
    h.s.reserve(4096 + page.terms.size() * 1600);
    std::string heading = std::string(t("Glossary")) + ": " + page_name(page);
    page_letter_ = page.letter;
    begin(h, page.path, "glossary.html", heading, "glossary-letter");
    h.raw("<h1>").text(heading).raw("</h1>\n");
    if (page.parts > 1) h.raw("<p class=\"lead page-range\">").text(page_range(page)).raw("</p>\n");
    letter_nav(h, true);
    pager(h, index, true);
    for (const Term* term : page.terms) term_article(h, *term, 2);
    pager(h, index, false);
    end(h);
    page_letter_.clear();
    return std::move(h.s);
  }

  // window.CHARTER_SEARCH = {"pages": [...], "ui": {...}, "terms": [[id, label, page, abbreviation,
  // [aliases], [avoid], [translations]], ...]}; trailing empty entries are left out.
  std::string search_index() const {
    std::string out;
    out.reserve(256 + site_.terms().size() * 120);
    out += "// The search index of the charter docs (generated).\nwindow.CHARTER_SEARCH = {\"pages\": [";
    for (std::size_t i = 0; i < pages_.size(); ++i) {
      if (i) out += ',';
      append_json(out, pages_[i].path);
    }
    out += "],\n\"ui\": {";
    const std::pair<const char*, std::string_view> ui[] = {{"sayInstead", t("say instead")},
                                                           {"more", t("more")},
                                                           {"results", t("results")},
                                                           {"none", t("No matching terms")}};
    for (std::size_t i = 0; i < std::size(ui); ++i) {
      if (i) out += ", ";
      append_json(out, ui[i].first);
      out += ": ";
      append_json(out, ui[i].second);
    }
    out += "},\n\"terms\": [\n";
    auto list = [&out](const std::vector<std::string_view>& v) {
      out += '[';
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) out += ',';
        append_json(out, v[i]);
      }
      out += ']';
    };
    auto add_unique = [](std::vector<std::string_view>& v, std::string_view s) {
      if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
    };
    std::vector<std::string_view> aliases, avoid, translations;
    bool first = true;
    for (const Term* term : site_.terms()) {
      auto label = site_.label(*term);
      aliases.clear();
      avoid.clear();
      translations.clear();
      for (auto a : site_.aliases(*term)) add_unique(aliases, a);
      for (auto a : site_.avoid(*term)) add_unique(avoid, a);
      for (auto a : term->aliases) add_unique(aliases, a);
      for (auto a : term->avoid) add_unique(avoid, a);
      if (term->term != label.text) add_unique(translations, term->term);
      for (const Translation& tr : term->translations) {
        if (tr.term != label.text) add_unique(translations, tr.term);
        for (auto a : tr.aliases) add_unique(aliases, a);
        for (auto a : tr.avoid) add_unique(avoid, a);
      }
      if (!first) out += ",\n";
      first = false;
      out += '[';
      append_json(out, term->id);
      out += ',';
      append_json(out, label.text);
      out += ',';
      out += std::to_string(page_of(*term));
      int last = !translations.empty()         ? 6
                 : !avoid.empty()              ? 5
                 : !aliases.empty()            ? 4
                 : !term->abbreviation.empty() ? 3
                                               : 2;
      if (last >= 3) out += ',', append_json(out, term->abbreviation);
      if (last >= 4) out += ',', list(aliases);
      if (last >= 5) out += ',', list(avoid);
      if (last >= 6) out += ',', list(translations);
      out += ']';
    }
    out += "\n]};\n";
    return out;
  }

  // ---- overview ------------------------------------------------------------------------------

  std::string index_page() {
    Html h;
    begin(h, "index.html", "index.html", {}, "index");
    const auto& org = c_.organization();
    h.raw("<h1>").text(site_.title()).raw("</h1>\n");
    h.raw("<p class=\"lead\">");
    if (!org.name.empty() && org.name != site_.title()) h.text(org.name).raw(" · ");
    h.text(t("The shared vocabulary, the funnel, how leads qualify, the agreements between the teams and who owns "
             "what."))
        .raw("</p>\n");

    auto count = [](std::size_t n) { return number_text(static_cast<double>(n)); };
    std::size_t approved = 0;
    for (const Term* term : site_.terms()) approved += term->status == TermStatus::Approved;
    h.raw("<nav aria-label=\"").text(t("Overview")).raw("\">\n<ul class=\"cards\">\n");
    auto card = [&](std::string_view href, std::string_view name,
                    std::vector<std::pair<std::string_view, std::size_t>> counts) {
      h.raw("<li><a href=\"").raw(href).raw("\"><strong>").text(t(name)).raw("</strong><span>");
      for (std::size_t i = 0; i < counts.size(); ++i) {
        if (i) h.raw(" · ");
        h.text(t(counts[i].first)).raw(": ").text(count(counts[i].second));
      }
      h.raw("</span></a></li>\n");
    };
    card("glossary.html", "Glossary", {{"Terms", site_.terms().size()}, {"Approved", approved}});
    card("funnel.html", "Funnel", {{"Stages", c_.funnel().stages.size()}, {"Exits", c_.funnel().exits.size()}});
    card("qualification.html", "Qualification",
         {{"Criteria", c_.criteria().size()}, {"Scores", c_.scores().size()}, {"Fields", c_.fields().size()}});
    card("agreements.html", "Agreements",
         {{"SLAs", c_.slas().size()}, {"Goals", c_.goals().size()}, {"Meetings", c_.meetings().size()}});
    card("teams.html", "Teams", {{"Teams", c_.teams().size()}});
    h.raw("</ul>\n</nav>\n");

    if (!c_.funnel().stages.empty()) {
      h.raw("<h2>").text(t("Funnel")).raw("</h2>\n<ol class=\"stage-strip\">\n");
      for (const auto& s : c_.funnel().stages) {
        h.raw("<li>");
        stage_link(h, s.id);
        h.raw("</li>\n");
      }
      h.raw("</ol>\n<figure class=\"funnel-figure\">\n").raw(render_funnel_svg(site_, false)).raw("</figure>\n");
    }
    if (!c_.teams().empty()) {
      h.raw("<h2>").text(t("Teams")).raw("</h2>\n<ul>\n");
      for (const auto& team : c_.teams()) {
        h.raw("<li>");
        team_link(h, team.id);
        if (!team.description.empty()) h.raw(" — ").text(team.description);
        h.raw("</li>\n");
      }
      h.raw("</ul>\n");
    }
    end(h);
    return std::move(h.s);
  }

  // ---- funnel --------------------------------------------------------------------------------

  void crm_columns(Html& h, const std::map<std::string_view, std::string_view>& source) const {
    bool first = true;
    for (auto [crm, column] : source) {
      if (!first) h.raw("<br>");
      first = false;
      h.text(crm).raw(": <code>").text(column).raw("</code>");
    }
  }

  std::string funnel_page() {
    Html h;
    const Funnel& f = c_.funnel();
    begin(h, "funnel.html", "funnel.html", t("Funnel"), "funnel");
    h.raw("<h1>").text(t("Funnel")).raw("</h1>\n");
    h.raw("<figure class=\"funnel-figure\">\n").raw(render_funnel_svg(site_, true)).raw("</figure>\n");
    h.raw("<h2>").text(t("Stages")).raw("</h2>\n");
    for (std::size_t i = 0; i < f.stages.size(); ++i) {
      const Stage& s = f.stages[i];
      h.raw("<section class=\"stage\" id=\"stage-").text(s.id).raw("\" data-stage=\"").text(s.id).raw("\">\n");
      h.raw("<h3>").num(i + 1).raw(". ").text(site_.stage_name(s.id)).raw("</h3>\n");
      if (!s.description.empty()) h.raw("<p>").text(s.description).raw("</p>\n");
      h.raw("<dl class=\"facts\">\n");
      if (!s.owner.empty()) {
        h.raw("<dt>").text(t("Owner")).raw("</dt><dd>");
        team_link(h, s.owner);
        h.raw("</dd>\n");
      }
      if (!s.term.empty()) {
        h.raw("<dt>").text(t("Term")).raw("</dt><dd>");
        term_link(h, s.term);
        h.raw("</dd>\n");
      }
      h.raw("<dt>").text(t("Entry")).raw("</dt><dd>");
      if (s.entry) {
        // `entry: mql` names a criteria: link it and say what it means.
        const ExprNode* root = s.entry->root.get();
        const Criteria* named = root && root->kind == ExprNode::Kind::Name && root->name_kind == NameKind::Criteria
                                    ? c_.find_criteria(root->name)
                                    : nullptr;
        if (named) {
          h.raw("<p class=\"rule\"><span class=\"plain\">").text(t("Meets the criteria")).raw(" <a href=\"");
          h.raw(root_).raw("qualification.html#criteria-").url(named->id).raw("\"><code>").text(named->id);
          h.raw("</code></a></span>");
          if (!named->description.empty()) h.raw(": ").text(named->description);
          h.raw("</p>\n");
          rule(h, named->when);
        } else {
          rule(h, *s.entry);
        }
        uses(h, named ? named->when : *s.entry);
      } else {
        h.raw("<p>").text(t("No entry rule: records are moved here by people or by the CRM.")).raw("</p>");
      }
      h.raw("</dd>\n");
      if (!s.source.empty()) {
        h.raw("<dt>").text(t("CRM columns")).raw("</dt><dd>");
        crm_columns(h, s.source);
        h.raw("</dd>\n");
      }
      h.raw("</dl>\n</section>\n");
    }
    if (!f.exits.empty()) {
      h.raw("<h2>").text(t("Exits")).raw("</h2>\n");
      for (const Exit& e : f.exits) {
        h.raw("<section class=\"exit\" id=\"exit-")
            .text(e.id)
            .raw("\">\n<h3>")
            .text(site_.stage_name(e.id))
            .raw("</h3>\n");
        if (!e.description.empty()) h.raw("<p>").text(e.description).raw("</p>\n");
        if (!e.reasons.empty()) {
          h.raw("<p class=\"meta\">").text(t("Reasons")).raw(": ");
          for (std::size_t i = 0; i < e.reasons.size(); ++i) {
            if (i) h.raw(", ");
            h.raw("<code>").text(e.reasons[i]).raw("</code>");
          }
          h.raw("</p>\n");
        }
        h.raw("</section>\n");
      }
      if (!f.recycle_to.empty()) {
        h.raw("<p>").text(t("Records that leave the funnel can be recycled to")).raw(" ");
        stage_link(h, f.recycle_to);
        h.raw(".</p>\n");
      }
    }
    end(h);
    return std::move(h.s);
  }

  // ---- qualification -------------------------------------------------------------------------

  std::string qualification_page() {
    Html h;
    begin(h, "qualification.html", "qualification.html", t("Qualification"), "qualification");
    h.raw("<h1>").text(t("Qualification")).raw("</h1>\n");

    h.raw("<h2>").text(t("Criteria")).raw("</h2>\n");
    for (const Criteria& k : c_.criteria()) {
      h.raw("<section class=\"criteria\" id=\"criteria-")
          .text(k.id)
          .raw("\">\n<h3><code>")
          .text(k.id)
          .raw("</code></h3>\n");
      if (!k.description.empty()) h.raw("<p>").text(k.description).raw("</p>\n");
      if (!k.term.empty()) {
        h.raw("<p class=\"meta\">").text(t("Term")).raw(": ");
        term_link(h, k.term);
        h.raw("</p>\n");
      }
      rule(h, k.when);
      uses(h, k.when);
      h.raw("</section>\n");
    }

    h.raw("<h2>").text(t("Scores")).raw("</h2>\n");
    for (const Score& s : c_.scores()) {
      h.raw("<section class=\"score\" id=\"score-").text(s.id).raw("\">\n<h3><code>").text(s.id).raw("</code></h3>\n");
      if (!s.description.empty()) h.raw("<p>").text(s.description).raw("</p>\n");
      h.raw("<p class=\"meta\">");
      if (!s.term.empty()) {
        h.text(t("Term")).raw(": ");
        term_link(h, s.term);
        if (s.max) h.raw(" · ");
      }
      if (s.max) h.text(t("Maximum")).raw(": ").text(number_text(*s.max));
      h.raw("</p>\n<div class=\"table-wrap\"><table>\n<thead><tr><th scope=\"col\" class=\"num\">")
          .text(t("Points"))
          .raw("</th><th scope=\"col\">")
          .text(t("When"))
          .raw("</th></tr></thead>\n<tbody>\n");
      for (const ScoreRule& r : s.rules) {
        h.raw("<tr><td class=\"num\">").text(r.points > 0 ? "+" + number_text(r.points) : number_text(r.points));
        h.raw("</td><td>");
        rule(h, r.when);
        h.raw("</td></tr>\n");
      }
      h.raw("</tbody>\n</table></div>\n");
      std::vector<std::pair<NameKind, std::string_view>> names;  // of all rules, in one line
      for (const ScoreRule& r : s.rules)
        for (auto n : referenced_names(r.when))
          if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
      uses(h, names);
      h.raw("</section>\n");
    }

    h.raw("<h2>").text(t("Fields")).raw("</h2>\n");
    h.raw("<p>").text(t("The data contract: the fields of a lead record that criteria and scores read.")).raw("</p>\n");
    std::vector<std::string_view> crms;  // every CRM name, A–Z
    for (const Field& f : c_.fields())
      for (auto [crm, column] : f.source)
        if (std::find(crms.begin(), crms.end(), crm) == crms.end()) crms.push_back(crm);
    std::sort(crms.begin(), crms.end());
    h.raw("<div class=\"table-wrap\"><table class=\"fields\">\n<thead><tr><th scope=\"col\">")
        .text(t("Field"))
        .raw("</th><th scope=\"col\">")
        .text(t("Type"))
        .raw("</th><th scope=\"col\">")
        .text(t("Description"))
        .raw("</th><th scope=\"col\">")
        .text(t("Allowed values"))
        .raw("</th>");
    for (auto crm : crms) h.raw("<th scope=\"col\">").text(crm).raw("</th>");
    h.raw("</tr></thead>\n<tbody>\n");
    for (const Field& f : c_.fields()) {
      h.raw("<tr id=\"field-").text(f.id).raw("\"><th scope=\"row\"><code>").text(f.id).raw("</code></th><td>");
      h.text(to_string(f.type)).raw("</td><td>").text(f.description);
      if (!f.term.empty()) {
        h.raw(f.description.empty() ? "" : " ").raw("(").text(t("Term")).raw(": ");
        term_link(h, f.term);
        h.raw(")");
      }
      h.raw("</td><td class=\"values\">");
      for (std::size_t i = 0; i < f.values.size(); ++i) {
        if (i) h.raw(", ");
        h.raw("<code>").text(f.values[i]).raw("</code>");
      }
      h.raw("</td>");
      for (auto crm : crms) {
        h.raw("<td>");
        if (auto it = f.source.find(crm); it != f.source.end()) h.raw("<code>").text(it->second).raw("</code>");
        h.raw("</td>");
      }
      h.raw("</tr>\n");
    }
    h.raw("</tbody>\n</table></div>\n");
    end(h);
    return std::move(h.s);
  }

  // ---- agreements ----------------------------------------------------------------------------

  void sla_article(Html& h, const Sla& sla) const {
    h.raw("<article class=\"sla\" id=\"sla-").text(sla.id).raw("\">\n<h3>").text(sla.name.empty() ? sla.id : sla.name);
    h.raw("</h3>\n<p class=\"commitment\">").text(site_.sla_commitment(sla)).raw("</p>\n");
    if (!sla.description.empty()) h.raw("<p>").text(sla.description).raw("</p>\n");
    h.raw("<dl class=\"facts\">\n<dt>").text(t("Provider")).raw("</dt><dd>");
    team_link(h, sla.provider);
    h.raw("</dd>\n<dt>").text(t("Customer")).raw("</dt><dd>");
    team_link(h, sla.customer);
    h.raw("</dd>\n<dt>").text(t("Type")).raw("</dt><dd>").text(to_string(sla.type)).raw("</dd>\n");
    std::string target = site_.sla_target(sla);
    if (!target.empty()) h.raw("<dt>").text(t("Target")).raw("</dt><dd>").text(target).raw("</dd>\n");
    if (sla.objective)
      h.raw("<dt>").text(t("Objective")).raw("</dt><dd>").text(percent_text(*sla.objective)).raw("</dd>\n");
    if (sla.period) h.raw("<dt>").text(t("Period")).raw("</dt><dd>").text(to_string(*sla.period)).raw("</dd>\n");
    if (sla.warn_at)
      h.raw("<dt>").text(t("Warning at")).raw("</dt><dd>").text(percent_text(*sla.warn_at)).raw("</dd>\n");
    if (!sla.calendar.empty()) {
      h.raw("<dt>").text(t("Calendar")).raw("</dt><dd>");
      if (c_.calendar(sla.calendar))
        h.raw("<a href=\"#calendar-").url(sla.calendar).raw("\">").text(site_.calendar_name(sla.calendar)).raw("</a>");
      else
        h.text(sla.calendar);
      h.raw("</dd>\n");
    }
    if (!sla.from.empty() || !sla.to.empty()) {
      h.raw("<dt>").text(t("Stages")).raw("</dt><dd>");
      stage_link(h, sla.from);
      h.raw(" → ");
      stage_link(h, sla.to);
      h.raw("</dd>\n");
    }
    if (sla.applies_to) {
      h.raw("<dt>").text(t("Applies to")).raw("</dt><dd>");
      rule(h, *sla.applies_to);
      uses(h, *sla.applies_to);
      h.raw("</dd>\n");
    }
    h.raw("</dl>\n</article>\n");
  }

  void calendar_section(Html& h, const Calendar& cal) const {
    static constexpr const char* kDays[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    auto hhmm = [](int minutes) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
      return std::string(buf);
    };
    auto pct = [](int minutes) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.2f%%", minutes * 100.0 / 1440.0);
      return std::string(buf);
    };
    h.raw("<section class=\"calendar\" id=\"calendar-").text(cal.id).raw("\">\n<h3>").text(site_.calendar_name(cal.id));
    h.raw("</h3>\n");
    if (!cal.timezone.empty())
      h.raw("<p class=\"meta\">").text(t("Time zone")).raw(": ").text(cal.timezone).raw("</p>\n");
    h.raw("<table class=\"week\">\n<caption class=\"visually-hidden\">").text(t("Business hours")).raw("</caption>\n");
    h.raw("<tbody>\n");
    for (std::size_t d = 0; d < 7; ++d) {
      const auto& iv = cal.hours[d];
      h.raw("<tr><th scope=\"row\">").text(t(kDays[d])).raw("</th><td class=\"hours");
      if (iv.empty()) h.raw(" closed");
      h.raw("\">");
      if (iv.empty()) h.text(t("closed"));
      for (std::size_t i = 0; i < iv.size(); ++i) {
        if (i) h.raw(", ");
        h.text(hhmm(iv[i].start)).raw("–").text(hhmm(iv[i].end));
      }
      h.raw("</td><td><span class=\"track\" aria-hidden=\"true\">");
      for (const OpenInterval& o : iv)
        h.raw("<span class=\"open\" style=\"left:")
            .raw(pct(o.start))
            .raw(";width:")
            .raw(pct(o.end - o.start))
            .raw("\"></span>");
      h.raw("</span></td></tr>\n");
    }
    h.raw("</tbody>\n</table>\n");
    if (!cal.holidays.empty()) {
      h.raw("<h4>").text(t("Holidays")).raw("</h4>\n<ul>\n");
      for (const Holiday& hol : cal.holidays) h.raw("<li>").text(holiday_text(hol)).raw("</li>\n");
      h.raw("</ul>\n");
    }
    h.raw("</section>\n");
  }

  void goal_article(Html& h, const Goal& g) const {
    auto date = [](const Date& d) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
      return std::string(buf);
    };
    h.raw("<article class=\"goal\" id=\"goal-").text(g.id).raw("\">\n<h3>").text(g.name.empty() ? g.id : g.name);
    h.raw("</h3>\n<dl class=\"facts\">\n");
    if (g.from.year) h.raw("<dt>").text(t("Period")).raw("</dt><dd>").text(date(g.from)).raw(" – ").text(date(g.to));
    if (g.from.year) h.raw("</dd>\n");
    if (g.revenue)
      h.raw("<dt>").text(t("Revenue")).raw("</dt><dd>").text(money_text(*g.revenue, g.currency)).raw("</dd>\n");
    if (g.marketing_share)
      h.raw("<dt>").text(t("Marketing share")).raw("</dt><dd>").text(percent_text(*g.marketing_share)).raw("</dd>\n");
    if (g.average_deal)
      h.raw("<dt>")
          .text(t("Average deal"))
          .raw("</dt><dd>")
          .text(money_text(*g.average_deal, g.currency))
          .raw("</dd>\n");
    if (g.sales_cycle)
      h.raw("<dt>").text(t("Sales cycle")).raw("</dt><dd>").text(duration_text(*g.sales_cycle, false)).raw("</dd>\n");
    h.raw("</dl>\n");

    ReverseFunnel rf = site_.reverse_funnel(g);
    if (rf.rows.empty()) {
      h.raw("<p class=\"meta\">")
          .text(t("The numbers this goal implies need a revenue, an average deal, a period and conversion rates."))
          .raw("</p>\n");
    } else {
      double months = rf.months > 0 ? rf.months : 1;
      h.raw("<div class=\"table-wrap\"><table class=\"reverse-funnel\">\n<caption>")
          .text(t("What the goal implies, from revenue back up the funnel"))
          .raw("</caption>\n<thead><tr><th scope=\"col\">")
          .text(t("Stage"))
          .raw("</th><th scope=\"col\" class=\"num\">")
          .text(t("Total"))
          .raw("</th><th scope=\"col\" class=\"num\">")
          .text(t("Per month"))
          .raw("</th><th scope=\"col\" class=\"num\">")
          .text(t("Conversion rate"))
          .raw("</th></tr></thead>\n<tbody>\n");
      h.raw("<tr><th scope=\"row\">").text(t("Revenue"));
      if (g.marketing_share)
        h.raw(" (").text(t("Marketing share")).raw(" ").text(percent_text(*g.marketing_share)).raw(")");
      h.raw("</th><td class=\"num\">")
          .text(money_text(rf.revenue, g.currency))
          .raw("</td><td class=\"num\">")
          .text(money_text(rf.revenue / months, g.currency))
          .raw("</td><td></td></tr>\n");
      for (auto it = rf.rows.rbegin(); it != rf.rows.rend(); ++it) {
        h.raw("<tr><th scope=\"row\">");
        stage_link(h, it->stage);
        h.raw("</th><td class=\"num\">")
            .text(number_text(it->total))
            .raw("</td><td class=\"num\">")
            .text(number_text(it->per_month))
            .raw("</td><td class=\"num\">");
        if (it->rate) h.text(percent_text(*it->rate));
        h.raw("</td></tr>\n");
      }
      h.raw("</tbody>\n</table></div>\n");
    }
    h.raw("</article>\n");
  }

  void meeting_article(Html& h, const Meeting& m) const {
    h.raw("<article class=\"meeting\" id=\"meeting-").text(m.id).raw("\">\n<h3>").text(m.name.empty() ? m.id : m.name);
    h.raw("</h3>\n<dl class=\"facts\">\n");
    if (m.every) h.raw("<dt>").text(t("Every")).raw("</dt><dd>").text(duration_text(*m.every, false)).raw("</dd>\n");
    if (!m.attendees.empty()) {
      h.raw("<dt>").text(t("Attendees")).raw("</dt><dd>");
      for (std::size_t i = 0; i < m.attendees.size(); ++i) {
        if (i) h.raw(", ");
        team_link(h, m.attendees[i]);
      }
      h.raw("</dd>\n");
    }
    if (!m.agenda.empty()) {
      h.raw("<dt>").text(t("Agenda")).raw("</dt><dd><ul>");
      for (auto item : m.agenda) h.raw("<li>").text(item).raw("</li>");
      h.raw("</ul></dd>\n");
    }
    h.raw("</dl>\n</article>\n");
  }

  std::string agreements_page() {
    Html h;
    begin(h, "agreements.html", "agreements.html", t("Agreements"), "agreements");
    h.raw("<h1>").text(t("Agreements")).raw("</h1>\n");
    h.raw("<p class=\"lead\">")
        .text(t("What each team commits to the others, the goals they share and where they meet."));
    h.raw("</p>\n");
    h.raw("<h2>").text(t("Service-level agreements")).raw("</h2>\n");
    for (const Sla& sla : c_.slas()) sla_article(h, sla);
    if (!c_.calendars().empty()) {
      h.raw("<h2>").text(t("Calendars")).raw("</h2>\n");
      for (const Calendar& cal : c_.calendars()) calendar_section(h, cal);
    }
    if (!c_.goals().empty()) {
      h.raw("<h2>").text(t("Goals")).raw("</h2>\n");
      for (const Goal& g : c_.goals()) goal_article(h, g);
    }
    if (!c_.meetings().empty()) {
      h.raw("<h2>").text(t("Meetings")).raw("</h2>\n");
      for (const Meeting& m : c_.meetings()) meeting_article(h, m);
    }
    end(h);
    return std::move(h.s);
  }

  // ---- teams ---------------------------------------------------------------------------------

  void sla_items(Html& h, const std::vector<const Sla*>& slas, bool provides) const {
    h.raw("<ul>\n");
    for (const Sla* sla : slas) {
      h.raw("<li><a href=\"agreements.html#sla-").url(sla->id).raw("\">").text(sla->name.empty() ? sla->id : sla->name);
      h.raw("</a> — ").text(provides ? t("to") : t("from")).raw(" ");
      team_link(h, provides ? sla->customer : sla->provider);
      std::string target = site_.sla_target(*sla);
      if (!target.empty()) h.raw(": ").text(target);
      h.raw("</li>\n");
    }
    h.raw("</ul>\n");
  }

  std::string teams_page() {
    Html h;
    begin(h, "teams.html", "teams.html", t("Teams"), "teams");
    h.raw("<h1>").text(t("Teams")).raw("</h1>\n");
    for (const Team& team : c_.teams()) {
      TeamRole role = site_.team_role(team.id);
      h.s.reserve(h.s.size() + role.terms.size() * 96);
      h.raw("<section class=\"team\" id=\"team-")
          .text(team.id)
          .raw("\">\n<h2>")
          .text(team.name.empty() ? team.id : team.name);
      h.raw("</h2>\n");
      if (!team.description.empty()) h.raw("<p>").text(team.description).raw("</p>\n");
      if (!team.contact.empty()) {
        h.raw("<p class=\"meta\">").text(t("Contact")).raw(": ");
        bool email = team.contact.find('@') != std::string_view::npos &&
                     team.contact.find_first_of(" \t:/<>\"'") == std::string_view::npos;
        if (email)
          h.raw("<a href=\"mailto:").text(team.contact).raw("\">").text(team.contact).raw("</a>");
        else
          h.text(team.contact);
        h.raw("</p>\n");
      }
      if (!role.terms.empty() || !role.stages.empty()) {
        h.raw("<h3>").text(t("Owns")).raw("</h3>\n<dl class=\"facts\">\n");
        if (!role.stages.empty()) {
          h.raw("<dt>").text(t("Stages")).raw("</dt><dd>");
          for (std::size_t i = 0; i < role.stages.size(); ++i) {
            if (i) h.raw(", ");
            stage_link(h, role.stages[i]->id);
          }
          h.raw("</dd>\n");
        }
        if (!role.terms.empty()) {
          h.raw("<dt>").text(t("Terms")).raw("</dt><dd>");
          for (std::size_t i = 0; i < role.terms.size(); ++i) {
            if (i) h.raw(", ");
            term_link(h, role.terms[i]->id);
          }
          h.raw("</dd>\n");
        }
        h.raw("</dl>\n");
      }
      if (!role.provides.empty()) {
        h.raw("<h3>").text(t("Commits to")).raw("</h3>\n");
        sla_items(h, role.provides, true);
      }
      if (!role.receives.empty()) {
        h.raw("<h3>").text(t("Receives")).raw("</h3>\n");
        sla_items(h, role.receives, false);
      }
      if (!role.meetings.empty()) {
        h.raw("<h3>").text(t("Meetings")).raw("</h3>\n<ul>\n");
        for (const Meeting* m : role.meetings) {
          h.raw("<li><a href=\"agreements.html#meeting-").url(m->id).raw("\">").text(m->name.empty() ? m->id : m->name);
          h.raw("</a>");
          if (m->every) h.raw(" — ").text(t("every")).raw(" ").text(duration_text(*m->every, false));
          h.raw("</li>\n");
        }
        h.raw("</ul>\n");
      }
      h.raw("</section>\n");
    }
    end(h);
    return std::move(h.s);
  }
};

}  // namespace

std::vector<DocsFile> render_html(const Site& site) { return Renderer(site).render(); }

}  // namespace charter::docs

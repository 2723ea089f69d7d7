// The Markdown set of `charter docs --format markdown`: index.md, one file per section and the
// funnel as SVG, with relative links that work on GitHub and in MkDocs.
//
// Anchors are explicit `<a id="..."></a>` elements in front of the headings (GitHub and MkDocs
// both keep them), so links do not depend on either tool's heading slugs: glossary.md#TERM_ID,
// funnel.md#stage-ID, qualification.md#field-ID, agreements.md#sla-ID, teams.md#team-ID, ...
//
// Escaping: plain values (names, labels, descriptions) are escaped so that no character starts
// Markdown or HTML; definitions and examples are Markdown and pass through, but every `<` that
// is not an http(s)/mailto autolink is escaped (no raw HTML), links and link definitions with
// any scheme other than http, https, mailto or tel are dropped (text kept), and `{` is escaped
// (no MkDocs attribute lists, which could set `on*` attributes).
#include <charter/describe.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "docs/docs.hpp"

namespace charter::docs {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// ---- plain values --------------------------------------------------------------------------

// Plain text as inline Markdown: every character that could start markup is escaped and line
// breaks become spaces. `block_start`: the text begins a paragraph or list item, so a leading
// "-", "+" or "1." must not open a list.
void put_text(std::string& out, std::string_view s, bool block_start = false) {
  if (block_start) {
    s = trim(s);
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
      out += '\\';
      out += s[0];
      s.remove_prefix(1);
    } else {
      std::size_t d = 0;
      while (d < s.size() && d < 10 && is_digit(s[d])) ++d;
      if (d > 0 && d < s.size() && (s[d] == '.' || s[d] == ')')) {
        out.append(s.substr(0, d));
        out += '\\';
        out += s[d];
        s.remove_prefix(d + 1);
      }
    }
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    switch (c) {
      case '\\':
      case '`':
      case '*':
      case '_':
      case '{':
      case '}':
      case '[':
      case ']':
      case '#':
      case '|':
        out += '\\';
        out += c;
        break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '~': out += "&#126;"; break;  // GFM strikethrough; `\~` shows the backslash in MkDocs
      case '&':
        if (i + 1 < s.size() && (is_alnum(s[i + 1]) || s[i + 1] == '#'))
          out += "&amp;";
        else
          out += '&';
        break;
      case '\n':
      case '\r':
      case '\t': out += ' '; break;
      default: out += c;
    }
  }
}

std::size_t longest_backtick_run(std::string_view s) {
  std::size_t best = 0, run = 0;
  for (char c : s) {
    run = c == '`' ? run + 1 : 0;
    best = std::max(best, run);
  }
  return best;
}

// An inline code span. In a table (`in_table`), a `|` would end the cell on GitHub unless
// escaped, and an escaped one shows its backslash in MkDocs: such text becomes <code> with
// character references instead.
// <code>...</code> with every character that Markdown or HTML could read as markup written as
// a character reference: code whatever the surrounding Markdown makes of it.
void put_code_html(std::string& out, std::string_view s) {
  out += "<code>";
  for (char c : s) switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '|': out += "&#124;"; break;
      case '*': out += "&#42;"; break;
      case '_': out += "&#95;"; break;
      case '`': out += "&#96;"; break;
      case '[': out += "&#91;"; break;
      case ']': out += "&#93;"; break;
      case '\\': out += "&#92;"; break;
      case '~': out += "&#126;"; break;
      case '{': out += "&#123;"; break;
      case '}': out += "&#125;"; break;
      case '\n':
      case '\r': out += ' '; break;
      default: out += c;
    }
  out += "</code>";
}

void put_code(std::string& out, std::string_view s, bool in_table = false) {
  if (in_table && s.find('|') != std::string_view::npos) return put_code_html(out, s);
  std::string fence(longest_backtick_run(s) + 1, '`');
  bool pad = s.empty() || s.front() == '`' || s.back() == '`' || s.front() == ' ' || s.back() == ' ';
  out += fence;
  if (pad) out += ' ';
  for (char c : s) out += c == '\n' || c == '\r' ? ' ' : c;
  if (pad) out += ' ';
  out += fence;
}

// A fenced code block (at the start of a line).
void put_code_block(std::string& out, std::string_view s) {
  std::string fence(std::max<std::size_t>(3, longest_backtick_run(s) + 1), '`');
  out += fence;
  out += '\n';
  out.append(trim(s));
  out += '\n';
  out += fence;
  out += "\n\n";
}

// An id as it appears in `id="..."` and after `#` in a link: ids are [a-z][a-z0-9_]*, anything
// else (only in a charter with errors) is spelled as "-XX" hex bytes.
void put_slug(std::string& out, std::string_view id) {
  static const char* const kHex = "0123456789abcdef";
  for (char c : id) {
    if (is_alnum(c) || c == '_' || c == '-') {
      out += c;
    } else {
      auto b = static_cast<unsigned char>(c);
      out += '-';
      out += kHex[b >> 4];
      out += kHex[b & 15];
    }
  }
}

// ---- Markdown values (definitions, examples) -----------------------------------------------

// Whether a link destination is allowed: relative, or http, https, mailto, tel. Anything that a
// browser or Markdown could still turn into a scheme (character references, escapes, control
// characters before the first `:`) is refused.
bool safe_destination(std::string_view d) {
  d = trim(d);
  if (!d.empty() && d.front() == '<') d.remove_prefix(1);
  for (std::size_t k = 0; k < d.size(); ++k) {
    auto c = static_cast<unsigned char>(d[k]);
    if (c == '/' || c == '?' || c == '#') return true;
    if (c == ':') {
      std::string scheme = lower(d.substr(0, k));
      return scheme == "http" || scheme == "https" || scheme == "mailto" || scheme == "tel";
    }
    if (c == '&' || c == '\\' || c <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

// At s[p] == '(' after `]`: the end of "(destination "title")" (one past `)`), or npos when it
// is not a link tail on this line. `dest` receives the destination.
std::size_t link_tail(std::string_view s, std::size_t p, std::string_view& dest) {
  std::size_t n = s.size(), i = p + 1;
  auto stop = [&](char c) { return c == '\n' || c == '\r'; };
  while (i < n && (s[i] == ' ' || s[i] == '\t')) ++i;
  if (i < n && s[i] == '<') {
    std::size_t j = i + 1;
    while (j < n && s[j] != '>' && s[j] != '<' && !stop(s[j])) j += s[j] == '\\' && j + 1 < n ? 2 : 1;
    if (j >= n || s[j] != '>') return std::string_view::npos;
    dest = s.substr(i, j + 1 - i);
    i = j + 1;
  } else {
    std::size_t j = i;
    int depth = 0;
    while (j < n) {
      char c = s[j];
      if (c == '\\' && j + 1 < n && !stop(s[j + 1])) {
        j += 2;
        continue;
      }
      if (c == '(') ++depth;
      if (c == ')' && depth-- == 0) break;
      if (static_cast<unsigned char>(c) <= 0x20) break;
      ++j;
    }
    dest = s.substr(i, j - i);
    i = j;
  }
  while (i < n && (s[i] == ' ' || s[i] == '\t')) ++i;
  if (i < n && (s[i] == '"' || s[i] == '\'' || s[i] == '(')) {
    char close = s[i] == '(' ? ')' : s[i];
    std::size_t j = i + 1;
    while (j < n && s[j] != close && !stop(s[j])) j += s[j] == '\\' && j + 1 < n ? 2 : 1;
    if (j >= n || s[j] != close) return std::string_view::npos;
    i = j + 1;
    while (i < n && (s[i] == ' ' || s[i] == '\t')) ++i;
  }
  return i < n && s[i] == ')' ? i + 1 : std::string_view::npos;
}

// After `]:` at s[i]: whether this could define a link reference whose destination is not
// allowed. Reference definitions also start inside block quotes and list items, so every `]:`
// is checked, wherever it is; a destination on the next line counts as not allowed.
bool bad_reference_definition(std::string_view s, std::size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  if (i >= s.size() || s[i] == '\n' || s[i] == '\r') return true;
  std::size_t e = i;
  while (e < s.size() && !is_space(s[e])) ++e;
  return !safe_destination(s.substr(i, e - i));
}

// `<...>` at s[i] that stays: an http(s)/mailto autolink or an e-mail autolink. Returns its
// length, or 0.
std::size_t allowed_autolink(std::string_view s, std::size_t i) {
  std::size_t j = i + 1;
  while (j < s.size() && s[j] != '>' && s[j] != '<' && static_cast<unsigned char>(s[j]) > 0x20) ++j;
  if (j >= s.size() || s[j] != '>' || j == i + 1) return 0;
  std::string_view body = s.substr(i + 1, j - i - 1);
  if (auto colon = body.find(':'); colon != std::string_view::npos) {
    std::string scheme = lower(body.substr(0, colon));
    if (scheme != "http" && scheme != "https" && scheme != "mailto") return 0;
    for (char c : body)
      if (c == '"' || c == '\'' || c == '\\' || c == '&' || c == '`') return 0;
    return j - i + 1;
  }
  auto at = body.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == body.size()) return 0;
  for (std::size_t k = 0; k < body.size(); ++k) {
    char c = body[k];
    bool ok = is_alnum(c) || c == '.' || c == '-' || (k < at && (c == '_' || c == '+' || c == '%')) || k == at;
    if (!ok) return 0;
  }
  return j - i + 1;
}

// Markdown from the charter (a definition, an example) made safe: no raw HTML, no links with
// a scheme other than http/https/mailto/tel, no attribute lists. `flat`: for a table cell or a
// list item, line breaks become spaces (and `|` is escaped); `block_start` then also keeps a
// leading list or heading marker from starting a block.
void put_markdown(std::string& dst, std::string_view md, bool flat, bool block_start = false) {
  md = trim(md);
  // Flat: one line before anything is read, so that code spans are found as Markdown will.
  std::string one_line;
  if (flat && md.find_first_of("\r\n") != std::string_view::npos) {
    one_line.reserve(md.size());
    for (std::size_t k = 0; k < md.size(); ++k) {
      if (md[k] == '\r' && k + 1 < md.size() && md[k + 1] == '\n') continue;
      one_line += md[k] == '\n' || md[k] == '\r' ? ' ' : md[k];
    }
    md = one_line;
  }
  std::string out;
  out.reserve(md.size() + md.size() / 8);
  std::vector<std::size_t> open;  // positions in `out` of unclosed `[` (or `![`)
  bool pending_gt = false;        // an escaped `<tag` waits for its `>`
  if (flat && block_start && !md.empty()) {
    char c = md[0];
    if (c == '#' || c == '>' || ((c == '-' || c == '+' || c == '*') && (md.size() == 1 || md[1] == ' '))) {
      out += '\\';
      out += c;
      md.remove_prefix(1);
    } else {
      std::size_t d = 0;
      while (d < md.size() && d < 10 && is_digit(md[d])) ++d;
      if (d > 0 && d < md.size() && (md[d] == '.' || md[d] == ')')) {
        out.append(md.substr(0, d));
        out += '\\';
        out += md[d];
        md.remove_prefix(d + 1);
      }
    }
  }
  auto newline = [&](char c) {
    if (flat)
      out += ' ';
    else
      out += c;
  };
  const std::size_t n = md.size();
  for (std::size_t i = 0; i < n;) {
    char c = md[i];
    switch (c) {
      case '\\':
        out += c;
        if (i + 1 < n && md[i + 1] != '\n' && md[i + 1] != '\r') {
          if (flat && md[i + 1] == '|') {
            out += '|';
          } else if (md[i + 1] == '<') {
            out.back() = '&';  // `\<` is a literal `<`: as a character reference, without the backslash
            out += "lt;";
          } else {
            out += md[i + 1];
          }
          i += 2;
        } else {
          ++i;
        }
        continue;
      case '`': {
        std::size_t run = 0;
        while (i + run < n && md[i + run] == '`') ++run;
        // A code span closes with a run of the same length on the same line. Whatever this scan
        // takes for code, Markdown may pair the backticks differently (a span across lines, a
        // block that ends the paragraph): so code that holds markup characters is written as
        // <code> with character references, and only harmless code keeps its backticks.
        std::size_t j = i + run, close = std::string_view::npos;
        while (j < n && md[j] != '\n' && md[j] != '\r') {
          if (md[j] != '`') {
            ++j;
            continue;
          }
          std::size_t r = 0;
          while (j + r < n && md[j + r] == '`') ++r;
          if (r == run) {
            close = j;
            break;
          }
          j += r;
        }
        if (close == std::string_view::npos) {
          out.append(run, '`');
          i += run;
          continue;
        }
        std::string_view code = md.substr(i + run, close - i - run);
        if (code.find_first_of("<>[]{}") != std::string_view::npos) {
          if (code.size() >= 2 && code.front() == ' ' && code.back() == ' ' &&
              code.find_first_not_of(' ') != std::string_view::npos)
            code = code.substr(1, code.size() - 2);
          put_code_html(out, code);
        } else {
          for (std::size_t k = i; k < close + run; ++k) {
            if (flat && md[k] == '|') out += '\\';
            out += md[k];
          }
        }
        i = close + run;
        continue;
      }
      case '[':
        open.push_back(i > 0 && md[i - 1] == '!' && !out.empty() && out.back() == '!' ? out.size() - 1 : out.size());
        out += c;
        ++i;
        continue;
      case ']': {
        std::size_t opener = std::string_view::npos;
        if (!open.empty()) {
          opener = open.back();
          open.pop_back();
        }
        if (i + 1 < n && md[i + 1] == ':' && bad_reference_definition(md, i + 2)) {
          out += "]&#58;";  // shows as "]:" but defines nothing
          i += 2;
          continue;
        }
        if (i + 1 < n && md[i + 1] == '(') {
          std::string_view dest;
          std::size_t end = link_tail(md, i + 1, dest);
          bool parsed = end != std::string_view::npos, bad = parsed && !safe_destination(dest);
          if (bad && opener != std::string_view::npos) {  // keep the link text, drop the link
            std::size_t len = out[opener] == '!' ? 2 : 1;
            out.erase(opener, len);
            for (auto& o : open)
              if (o > opener) o -= len;
            i = end;
            continue;
          }
          // A link is copied as it is only when its tail holds nothing that Markdown could read
          // otherwise should it not take this for a link (it may pair brackets or backticks
          // differently). Anything else never becomes a link and is read on as text.
          if (parsed && !bad && opener != std::string_view::npos &&
              md.substr(i + 1, end - i - 1).find_first_of("<{[]`") == std::string_view::npos) {
            for (std::size_t k = i; k < end; ++k) {
              if (flat && md[k] == '|') out += '\\';
              out += md[k];
            }
            i = end;
            continue;
          }
          out += "]\\(";
          i += 2;
          continue;
        }
        out += c;
        ++i;
        continue;
      }
      case '<':
        if (std::size_t len = allowed_autolink(md, i)) {
          out.append(md.substr(i, len));
          i += len;
          continue;
        }
        if (i + 1 < n && (is_alpha(md[i + 1]) || md[i + 1] == '/' || md[i + 1] == '!' || md[i + 1] == '?'))
          pending_gt = true;
        out += "&lt;";
        ++i;
        continue;
      case '>':
        if (pending_gt) {
          out += "&gt;";
          pending_gt = false;
        } else {
          out += c;
        }
        ++i;
        continue;
      case '{':
        out += "\\{";
        ++i;
        continue;
      case '|':
        if (flat) out += '\\';
        out += c;
        ++i;
        continue;
      case '\r':
        if (i + 1 < n && md[i + 1] == '\n') {
          ++i;
          continue;
        }
        newline('\n');
        ++i;
        continue;
      case '\n':
        newline('\n');
        ++i;
        continue;
      default: out += c; ++i;
    }
  }
  dst += out;
}

// ---- pages ---------------------------------------------------------------------------------

std::string date_text(const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

// "12 terms", "1 goal": the count and a word (both singular and plural go through `t`).
std::string count_text(const Site& site, std::size_t n, std::string_view one, std::string_view many) {
  return number_text(static_cast<double>(n)) + " " + std::string(site.t(n == 1 ? one : many));
}

std::string_view status_word(TermStatus s) {
  switch (s) {
    case TermStatus::Draft: return "Draft";
    case TermStatus::Approved: return "Approved";
    case TermStatus::Deprecated: return "Deprecated";
  }
  return "Draft";
}

// One output file being written; links to the same file use the fragment alone.
class Page {
 public:
  Page(const Site& site, std::string_view file, std::size_t reserve = 0) : site_(site), file_(file) {
    out.reserve(reserve);
  }

  std::string out;

  const Site& site() const { return site_; }
  const Charter& charter() const { return site_.charter(); }
  std::string_view t(std::string_view english) const { return site_.t(english); }

  void line(std::string_view s) {
    out += s;
    out += '\n';
  }
  void blank() { out += '\n'; }
  void text(std::string_view s, bool block_start = false) { put_text(out, s, block_start); }

  void anchor(std::string_view prefix, std::string_view id) {
    out += "<a id=\"";
    out += prefix;
    put_slug(out, id);
    out += "\"></a>\n";
  }

  void href(std::string_view file, std::string_view prefix, std::string_view id) {
    if (file != file_) out += file;
    if (!prefix.empty() || !id.empty()) {
      out += '#';
      out += prefix;
      put_slug(out, id);
    }
  }

  // [text](file#prefixID) with `text` escaped as plain text.
  void link(std::string_view label, std::string_view file, std::string_view prefix, std::string_view id) {
    out += '[';
    put_text(out, label);
    out += "](";
    href(file, prefix, id);
    out += ')';
  }

  // "**Owner:** " at the start of a list item.
  void key(std::string_view english) {
    out += "- **";
    text(t(english));
    out += ":** ";
  }
  // A bold caption on its own line, as the head of a list or table below it.
  void caption(std::string_view english) {
    out += "**";
    text(t(english));
    out += "**\n\n";
  }

  void term_link(std::string_view term_id) {
    if (const Term* t = charter().term(term_id))
      link(site_.label(*t).text, "glossary.md", "", t->id);
    else
      put_code(out, term_id);
  }
  void team_link(std::string_view team_id) {
    if (charter().team(team_id))
      link(site_.team_name(team_id), "teams.md", "team-", team_id);
    else
      put_code(out, team_id);
  }
  void stage_link(std::string_view stage_id) {
    if (charter().stage(stage_id))
      link(site_.stage_name(stage_id), "funnel.md", "stage-", stage_id);
    else if (charter().exit(stage_id))
      link(site_.stage_name(stage_id), "funnel.md", "exit-", stage_id);
    else
      put_code(out, stage_id);
  }
  void sla_link(const Sla& s) { link(s.name.empty() ? s.id : s.name, "agreements.md", "sla-", s.id); }
  void calendar_link(std::string_view id) {
    if (charter().calendar(id))
      link(site_.calendar_name(id), "agreements.md", "calendar-", id);
    else
      put_code(out, id);
  }
  void meeting_link(const Meeting& m) { link(m.name.empty() ? m.id : m.name, "agreements.md", "meeting-", m.id); }

  // `fit_score` linked to its definition on the qualification page.
  void name_link(NameKind kind, std::string_view name) {
    const char* prefix = kind == NameKind::Field ? "field-" : kind == NameKind::Score ? "score-" : "criteria-";
    out += '[';
    put_code(out, name);
    out += "](";
    href("qualification.md", prefix, name);
    out += ')';
  }

  // "link, link, link" for a list of ids.
  template <typename Ids, typename F>
  void join(const Ids& ids, F each, std::string_view sep = ", ") {
    bool first = true;
    for (const auto& id : ids) {
      if (!first) out += sep;
      first = false;
      each(id);
    }
  }

  // An expression: plain language, the expression as written, and what it refers to.
  void expression(std::string_view english, const Expression& e) {
    std::string plain = describe(e);
    // An entry that is one criteria ("mql") reads as that criteria's condition too.
    if (e.root && e.root->kind == ExprNode::Kind::Name && e.root->name_kind == NameKind::Criteria)
      if (const Criteria* k = charter().find_criteria(e.root->name); k && k->when.ok())
        plain += " (" + describe(k->when) + ")";
    out += "**";
    text(t(english));
    out += ":** ";
    text(plain);
    out += "\n\n";
    if (trim(e.text) != trim(plain)) put_code_block(out, e.text);
    auto names = referenced_names(e);
    if (!names.empty()) {
      out += "**";
      text(t("Uses"));
      out += ":** ";
      join(names, [&](const auto& p) { name_link(p.first, p.second); });
      out += "\n\n";
    }
  }

  DocsFile done() { return DocsFile{std::string(file_), std::move(out)}; }

 private:
  const Site& site_;
  std::string_view file_;
};

// A table cell value: escaped text, or "—" when empty.
void cell(std::string& out, std::string_view s) {
  if (trim(s).empty())
    out += "—";
  else
    put_text(out, trim(s));
}

// ---- index.md ------------------------------------------------------------------------------

DocsFile index_page(const Site& site) {
  Page p(site, "index.md");
  const Charter& c = site.charter();
  p.out += "# ";
  p.text(site.title());
  p.out += "\n\n";
  const auto& org = c.organization();
  if (!org.name.empty()) {
    p.key("Organization");
    p.text(org.name);
    p.out += '\n';
  }
  p.key("Language");
  p.text(site.locale());
  p.out += '\n';
  if (!org.timezone.empty()) {
    p.key("Time zone");
    p.text(org.timezone);
    p.out += '\n';
  }
  p.blank();

  p.out += "| ";
  p.text(p.t("Section"));
  p.out += " | ";
  p.text(p.t("Contents"));
  p.out += " |\n| --- | --- |\n";
  auto row = [&](std::string_view title, std::string_view file, const std::vector<std::string>& counts) {
    p.out += "| ";
    p.link(p.t(title), file, "", "");
    p.out += " | ";
    for (std::size_t i = 0; i < counts.size(); ++i) {
      if (i) p.out += ", ";
      p.text(counts[i]);
    }
    p.out += " |\n";
  };
  const auto& f = c.funnel();
  row("Glossary", "glossary.md", {count_text(site, c.glossary().size(), "term", "terms")});
  row("Funnel", "funnel.md",
      {count_text(site, f.stages.size(), "stage", "stages"), count_text(site, f.exits.size(), "exit", "exits")});
  row("Qualification", "qualification.md",
      {count_text(site, c.criteria().size(), "criteria", "criteria"),
       count_text(site, c.scores().size(), "score", "scores"), count_text(site, c.fields().size(), "field", "fields")});
  row("Agreements", "agreements.md",
      {count_text(site, c.slas().size(), "SLA", "SLAs"),
       count_text(site, c.calendars().size(), "calendar", "calendars"),
       count_text(site, c.goals().size(), "goal", "goals"),
       count_text(site, c.meetings().size(), "meeting", "meetings")});
  row("Teams", "teams.md", {count_text(site, c.teams().size(), "team", "teams")});
  p.blank();
  p.out += "![";
  p.text(p.t("Funnel"));
  p.out += "](funnel.svg)\n";
  return p.done();
}

// ---- glossary.md ---------------------------------------------------------------------------

void letter_slug(std::string& out, const std::string& letter) {
  out += "letter-";
  if (letter.size() == 1 && letter[0] >= 'A' && letter[0] <= 'Z')
    out += static_cast<char>(letter[0] - 'A' + 'a');
  else
    out += "other";
}

void glossary_term(Page& p, const Term& term,
                   const std::unordered_map<std::string_view, std::vector<const Term*>>& narrower) {
  const Site& site = p.site();
  const std::string& fallback_locale = site.default_locale();
  auto marker = [&] {
    p.out += " *(";
    p.text(fallback_locale);
    p.out += ")*";
  };

  p.anchor("", term.id);
  Localized label = site.label(term);
  p.out += "### ";
  p.text(label.text.empty() ? term.id : label.text);
  if (!term.abbreviation.empty()) {
    p.out += " (";
    p.text(term.abbreviation);
    p.out += ')';
  }
  if (label.fallback) marker();
  p.out += "\n\n";

  Localized def = site.definition(term);
  if (trim(def.text).empty()) {
    p.out += '*';
    p.text(p.t("No definition yet."));
    p.out += "*\n\n";
  } else {
    if (def.fallback) {
      // The marker goes in front unless the definition starts with a block of its own.
      char first = trim(def.text).front();
      bool block = first == '-' || first == '+' || first == '*' || first == '#' || first == '>' || first == '`' ||
                   first == '~' || first == '|' || is_digit(first);
      p.out += "*(";
      p.text(fallback_locale);
      p.out += block ? ")*\n\n" : ")* ";
    }
    put_markdown(p.out, def.text, false);
    p.out += "\n\n";
  }

  p.key("Status");
  p.text(p.t(status_word(term.status)));
  p.out += '\n';
  if (!term.owner.empty()) {
    p.key("Owner");
    p.team_link(term.owner);
    p.out += '\n';
  }
  if (const auto& aliases = site.aliases(term); !aliases.empty()) {
    p.key("Aliases");
    p.join(aliases, [&](std::string_view a) { p.text(a); });
    p.out += '\n';
  }
  if (const auto& avoid = site.avoid(term); !avoid.empty()) {
    p.key("Say instead");
    p.join(
        avoid,
        [&](std::string_view a) {
          p.out += '"';
          p.text(a);
          p.out += "\" → ";
          p.text(p.t("say"));
          p.out += " **";
          p.text(label.text.empty() ? term.id : label.text);
          p.out += "**";
        },
        "; ");
    p.out += '\n';
  }
  if (!term.broader.empty()) {
    p.key("Broader");
    p.term_link(term.broader);
    p.out += '\n';
  }
  if (auto it = narrower.find(term.id); it != narrower.end()) {
    p.key("Narrower");
    p.join(it->second, [&](const Term* t) { p.term_link(t->id); });
    p.out += '\n';
  }
  if (!term.related.empty()) {
    p.key("Related");
    p.join(term.related, [&](std::string_view id) { p.term_link(id); });
    p.out += '\n';
  }
  if (!term.replaced_by.empty()) {
    p.key("Replaced by");
    p.term_link(term.replaced_by);
    p.out += '\n';
  }
  p.blank();

  if (!term.examples.empty()) {
    p.caption("Examples");
    for (auto ex : term.examples) {
      p.out += "- ";
      put_markdown(p.out, ex, true, true);
      p.out += '\n';
    }
    p.blank();
  }

  // Translations: every locale but the one shown (the default locale too when another is shown).
  bool others = site.locale() != site.default_locale();
  for (const auto& tr : term.translations) others = others || tr.locale != site.locale();
  if (others) {
    p.caption("Translations");
    p.out += "| ";
    p.text(p.t("Locale"));
    p.out += " | ";
    p.text(p.t("Term"));
    p.out += " | ";
    p.text(p.t("Definition"));
    p.out += " |\n| --- | --- | --- |\n";
    auto row = [&](std::string_view locale, std::string_view word, std::string_view definition) {
      p.out += "| ";
      cell(p.out, locale);
      p.out += " | ";
      cell(p.out, word);
      p.out += " | ";
      if (trim(definition).empty())
        p.out += "—";
      else
        put_markdown(p.out, definition, true);
      p.out += " |\n";
    };
    if (site.locale() != site.default_locale()) row(site.default_locale(), term.term, term.definition);
    for (const auto& tr : term.translations)
      if (tr.locale != site.locale()) row(tr.locale, tr.term, tr.definition);
    p.blank();
  }
}

DocsFile glossary_page(const Site& site) {
  const auto& terms = site.terms();
  Page p(site, "glossary.md", 512 + terms.size() * 1536);

  // Narrower terms of each term, A–Z (site.terms() is in that order): one pass, not one per term.
  std::unordered_map<std::string_view, std::vector<const Term*>> narrower;
  for (const Term* t : terms)
    if (!t->broader.empty()) narrower[t->broader].push_back(t);

  p.out += "# ";
  p.text(p.t("Glossary"));
  p.out += "\n\n";
  p.text(count_text(site, terms.size(), "term", "terms"));
  p.out += ".";
  if (site.locale() != site.default_locale()) {
    p.out += " *(";
    p.text(site.default_locale());
    p.out += ")*: ";
    p.text(p.t("Not translated"));
    p.out += '.';
  }
  p.out += "\n\n";

  const auto& letters = site.letters();
  if (!letters.empty()) {
    for (std::size_t i = 0; i < letters.size(); ++i) {
      if (i) p.out += " · ";
      p.out += '[';
      p.text(letters[i]);
      p.out += "](#";
      letter_slug(p.out, letters[i]);
      p.out += ')';
    }
    p.out += "\n\n";
  }

  const std::string* current = nullptr;
  for (const Term* t : terms) {
    const std::string& letter = site.letter(*t);
    if (!current || *current != letter) {
      current = &letter;
      p.out += "<a id=\"";
      letter_slug(p.out, letter);
      p.out += "\"></a>\n## ";
      p.text(letter);
      p.out += "\n\n";
    }
    glossary_term(p, *t, narrower);
  }
  while (p.out.size() >= 2 && p.out[p.out.size() - 1] == '\n' && p.out[p.out.size() - 2] == '\n') p.out.pop_back();
  return p.done();
}

// ---- funnel.md -----------------------------------------------------------------------------

// A Mermaid label inside double quotes: quotes and markup characters as Mermaid entity codes.
void put_mermaid_label(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) switch (c) {
      case '"': out += "#quot;"; break;
      case '#': out += "#35;"; break;
      case '&': out += "#amp;"; break;
      case '<': out += "#lt;"; break;
      case '>': out += "#gt;"; break;
      case '`': out += "#96;"; break;
      case '\n':
      case '\r':
      case '\t': out += ' '; break;
      default: out += c;
    }
  out += '"';
}

DocsFile funnel_page(const Site& site) {
  Page p(site, "funnel.md");
  const Charter& c = site.charter();
  const Funnel& f = c.funnel();

  p.out += "# ";
  p.text(p.t("Funnel"));
  p.out += "\n\n";

  // The diagram: node ids are generated (stage ids could be Mermaid keywords such as `end`).
  if (!f.stages.empty()) {
    p.out += "```mermaid\nflowchart LR\n";
    for (std::size_t i = 0; i < f.stages.size(); ++i) {
      p.out += "  s" + std::to_string(i) + "[";
      put_mermaid_label(p.out, site.stage_name(f.stages[i].id));
      p.out += "]\n";
    }
    for (std::size_t i = 0; i + 1 < f.stages.size(); ++i)
      p.out += "  s" + std::to_string(i) + " --> s" + std::to_string(i + 1) + "\n";
    if (!f.exits.empty()) {
      p.out += "  subgraph exits [";
      put_mermaid_label(p.out, p.t("Exits"));
      p.out += "]\n";
      for (std::size_t i = 0; i < f.exits.size(); ++i) {
        p.out += "    x" + std::to_string(i) + "([";
        put_mermaid_label(p.out, site.stage_name(f.exits[i].id));
        p.out += "])\n";
      }
      p.out += "  end\n";
      if (auto r = c.stage_index(f.recycle_to)) {
        for (std::size_t i = 0; i < f.exits.size(); ++i) {
          p.out += "  x" + std::to_string(i) + " -.->|";
          put_mermaid_label(p.out, p.t("recycle"));
          p.out += "| s" + std::to_string(*r) + "\n";
        }
      }
    }
    p.out += "```\n\n";
  }
  p.out += "![";
  p.text(p.t("Funnel"));
  p.out += "](funnel.svg)\n\n";

  if (!f.stages.empty()) {
    p.out += "## ";
    p.text(p.t("Stages"));
    p.out += "\n\n";
    p.text(p.t("A record moves forward, to any later stage, or from any stage to an exit."));
    p.out += "\n\n";
  }
  for (std::size_t i = 0; i < f.stages.size(); ++i) {
    const Stage& s = f.stages[i];
    p.anchor("stage-", s.id);
    p.out += "### " + std::to_string(i + 1) + ". ";
    p.text(site.stage_name(s.id));
    p.out += "\n\n";
    if (!trim(s.description).empty()) {
      p.text(s.description, true);
      p.out += "\n\n";
    }
    bool list = false;
    if (!s.owner.empty()) {
      p.key("Owner");
      p.team_link(s.owner);
      p.out += '\n';
      list = true;
    }
    if (!s.term.empty()) {
      p.key("Term");
      p.term_link(s.term);
      p.out += '\n';
      list = true;
    }
    if (!s.source.empty()) {
      p.key("CRM columns");
      p.join(s.source, [&](const auto& kv) {
        p.text(kv.first);
        p.out += ": ";
        put_code(p.out, kv.second);
      });
      p.out += '\n';
      list = true;
    }
    if (i + 1 < f.stages.size()) {
      p.key("Next stage");
      p.stage_link(f.stages[i + 1].id);
      p.out += '\n';
      list = true;
    }
    if (list) p.blank();
    if (s.entry) p.expression("Entry", *s.entry);
  }

  if (!f.exits.empty()) {
    p.out += "## ";
    p.text(p.t("Exits"));
    p.out += "\n\n";
    for (const Exit& e : f.exits) {
      p.anchor("exit-", e.id);
      p.out += "### ";
      p.text(site.stage_name(e.id));
      p.out += "\n\n";
      if (!trim(e.description).empty()) {
        p.text(e.description, true);
        p.out += "\n\n";
      }
      if (!e.reasons.empty()) {
        p.out += "**";
        p.text(p.t("Reasons"));
        p.out += ":** ";
        p.join(e.reasons, [&](std::string_view r) { put_code(p.out, r); });
        p.out += "\n\n";
      }
    }
  }
  if (!f.recycle_to.empty()) {
    p.out += "## ";
    p.text(p.t("Recycling"));
    p.out += "\n\n";
    p.text(p.t("A record in an exit can move back to"));
    p.out += ' ';
    p.stage_link(f.recycle_to);
    p.out += ".\n\n";
  }
  while (p.out.size() >= 2 && p.out[p.out.size() - 1] == '\n' && p.out[p.out.size() - 2] == '\n') p.out.pop_back();
  return p.done();
}

// ---- qualification.md ----------------------------------------------------------------------

DocsFile qualification_page(const Site& site) {
  Page p(site, "qualification.md");
  const Charter& c = site.charter();

  p.out += "# ";
  p.text(p.t("Qualification"));
  p.out += "\n\n";

  auto header = [&](std::string_view prefix, std::string_view id, std::string_view description, std::string_view term) {
    p.anchor(prefix, id);
    p.out += "### ";
    put_code(p.out, id);
    p.out += "\n\n";
    if (!trim(description).empty()) {
      p.text(description, true);
      p.out += "\n\n";
    }
    if (!term.empty()) {
      p.key("Term");
      p.term_link(term);
      p.out += "\n\n";
    }
  };

  if (!c.criteria().empty()) {
    p.out += "## ";
    p.text(p.t("Criteria"));
    p.out += "\n\n";
    for (const Criteria& k : c.criteria()) {
      header("criteria-", k.id, k.description, k.term);
      p.expression("When", k.when);
    }
  }

  if (!c.scores().empty()) {
    p.out += "## ";
    p.text(p.t("Scores"));
    p.out += "\n\n";
    for (const Score& s : c.scores()) {
      header("score-", s.id, s.description, s.term);
      if (!s.rules.empty()) {
        p.out += "| ";
        p.text(p.t("When"));
        p.out += " | ";
        p.text(p.t("Expression"));
        p.out += " | ";
        p.text(p.t("Points"));
        p.out += " |\n| --- | --- | ---: |\n";
        for (const ScoreRule& r : s.rules) {
          p.out += "| ";
          cell(p.out, describe(r.when));
          p.out += " | ";
          put_code(p.out, trim(r.when.text), true);
          p.out += " | ";
          if (r.points > 0) p.out += '+';
          p.out += number_text(r.points);
          p.out += " |\n";
        }
        p.blank();
      }
      if (s.max) {
        p.out += "**";
        p.text(p.t("Maximum"));
        p.out += ":** " + number_text(*s.max) + "\n\n";
      }
      // What the rules refer to, over all rules, in order of first use.
      std::vector<std::pair<NameKind, std::string_view>> names;
      for (const ScoreRule& r : s.rules)
        for (auto& n : referenced_names(r.when))
          if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
      if (!names.empty()) {
        p.out += "**";
        p.text(p.t("Uses"));
        p.out += ":** ";
        p.join(names, [&](const auto& n) { p.name_link(n.first, n.second); });
        p.out += "\n\n";
      }
    }
  }

  if (!c.fields().empty()) {
    p.out += "## ";
    p.text(p.t("Fields"));
    p.out += "\n\n| ";
    p.text(p.t("Field"));
    p.out += " | ";
    p.text(p.t("Type"));
    p.out += " | ";
    p.text(p.t("Allowed values"));
    p.out += " | ";
    p.text(p.t("CRM columns"));
    p.out += " | ";
    p.text(p.t("Description"));
    p.out += " |\n| --- | --- | --- | --- | --- |\n";
    for (const Field& f : c.fields()) {
      p.out += "| <a id=\"field-";
      put_slug(p.out, f.id);
      p.out += "\"></a>";
      put_code(p.out, f.id, true);
      p.out += " | ";
      p.text(to_string(f.type));
      p.out += " | ";
      if (f.values.empty()) p.out += "—";
      p.join(f.values, [&](std::string_view v) { put_code(p.out, v, true); });
      p.out += " | ";
      if (f.source.empty()) p.out += "—";
      p.join(
          f.source,
          [&](const auto& kv) {
            p.text(kv.first);
            p.out += ": ";
            put_code(p.out, kv.second, true);
          },
          "<br>");
      p.out += " | ";
      cell(p.out, f.description);
      if (!f.term.empty()) {
        p.out += trim(f.description).empty() ? "" : " ";
        p.out += '(';
        p.term_link(f.term);
        p.out += ')';
      }
      p.out += " |\n";
    }
    p.blank();
  }
  while (p.out.size() >= 2 && p.out[p.out.size() - 1] == '\n' && p.out[p.out.size() - 2] == '\n') p.out.pop_back();
  return p.done();
}

// ---- agreements.md -------------------------------------------------------------------------

DocsFile agreements_page(const Site& site) {
  Page p(site, "agreements.md");
  const Charter& c = site.charter();

  p.out += "# ";
  p.text(p.t("Agreements"));
  p.out += "\n\n";

  if (!c.slas().empty()) {
    p.out += "## ";
    p.text(p.t("Service-level agreements"));
    p.out += "\n\n";
    for (const Sla& s : c.slas()) {
      p.anchor("sla-", s.id);
      p.out += "### ";
      p.text(s.name.empty() ? s.id : s.name);
      p.out += "\n\n";
      p.text(site.sla_commitment(s), true);
      p.out += "\n\n";
      if (!trim(s.description).empty()) {
        p.text(s.description, true);
        p.out += "\n\n";
      }
      static constexpr std::string_view kHead[] = {"Provider", "Customer", "Target", "Objective", "Period", "Calendar"};
      p.out += '|';
      for (auto h : kHead) {
        p.out += ' ';
        p.text(p.t(h));
        p.out += " |";
      }
      p.out += "\n| --- | --- | --- | --- | --- | --- |\n| ";
      p.team_link(s.provider);
      p.out += " | ";
      p.team_link(s.customer);
      p.out += " | ";
      cell(p.out, site.sla_target(s));
      p.out += " | ";
      p.out += s.objective ? percent_text(*s.objective) : "—";
      p.out += " | ";
      if (s.period)
        p.text(p.t(to_string(*s.period)));
      else
        p.out += "—";
      p.out += " | ";
      if (s.calendar.empty())
        p.text(p.t("wall-clock time"));
      else
        p.calendar_link(s.calendar);
      p.out += " |\n\n";
    }
  }

  if (!c.calendars().empty()) {
    p.out += "## ";
    p.text(p.t("Calendars"));
    p.out += "\n\n";
    for (const Calendar& cal : c.calendars()) {
      p.anchor("calendar-", cal.id);
      p.out += "### ";
      p.text(site.calendar_name(cal.id));
      p.out += "\n\n";
      if (!cal.timezone.empty()) {
        p.key("Time zone");
        p.text(cal.timezone);
        p.out += '\n';
      }
      p.key("Business hours");
      p.join(
          hours_text(cal), [&](const std::string& h) { p.text(h); }, "; ");
      p.out += '\n';
      std::vector<const Sla*> users;
      for (const Sla& s : c.slas())
        if (s.calendar == cal.id) users.push_back(&s);
      if (!users.empty()) {
        p.key("Used by");
        p.join(users, [&](const Sla* s) { p.sla_link(*s); });
        p.out += '\n';
      }
      p.blank();
      if (!cal.holidays.empty()) {
        p.caption("Holidays");
        for (const Holiday& h : cal.holidays) {
          p.out += "- ";
          p.text(holiday_text(h), true);
          p.out += '\n';
        }
        p.blank();
      }
    }
  }

  if (!c.goals().empty()) {
    p.out += "## ";
    p.text(p.t("Goals"));
    p.out += "\n\n";
    for (const Goal& g : c.goals()) {
      p.anchor("goal-", g.id);
      p.out += "### ";
      p.text(g.name.empty() ? g.id : g.name);
      p.out += "\n\n";
      ReverseFunnel rf = site.reverse_funnel(g);
      if (g.from.year != 0) {
        p.key("Period");
        p.out += date_text(g.from) + " – " + date_text(g.to);
        if (rf.months > 0) {
          p.out += " (";
          p.text(number_text(rf.months) + " " + std::string(p.t(rf.months == 1 ? "month" : "months")));
          p.out += ')';
        }
        p.out += '\n';
      }
      if (g.revenue) {
        p.key("Revenue");
        p.text(money_text(*g.revenue, g.currency));
        p.out += '\n';
      }
      if (g.marketing_share) {
        p.key("Marketing share");
        p.out += percent_text(*g.marketing_share);
        if (g.revenue) {
          p.out += " (";
          p.text(money_text(*g.revenue * *g.marketing_share, g.currency));
          p.out += ')';
        }
        p.out += '\n';
      }
      if (g.average_deal) {
        p.key("Average deal");
        p.text(money_text(*g.average_deal, g.currency));
        p.out += '\n';
      }
      if (rf.deals > 0) {
        p.key("Deals needed");
        p.out += number_text(rf.deals);
        p.out += '\n';
      }
      if (g.sales_cycle) {
        p.key("Sales cycle");
        p.text(duration_text(*g.sales_cycle, false));
        p.out += '\n';
      }
      p.blank();
      if (!rf.rows.empty()) {
        p.out += "| ";
        p.text(p.t("Stage"));
        p.out += " | ";
        p.text(p.t("Conversion rate"));
        p.out += " | ";
        p.text(p.t("Total"));
        p.out += " | ";
        p.text(p.t("Per month"));
        p.out += " |\n| --- | ---: | ---: | ---: |\n";
        for (const FunnelNeed& r : rf.rows) {
          p.out += "| ";
          p.stage_link(r.stage);
          p.out += " | ";
          p.out += r.rate ? percent_text(*r.rate) : "—";
          p.out += " | " + number_text(r.total) + " | " + number_text(r.per_month) + " |\n";
        }
        p.blank();
      }
    }
  }

  if (!c.meetings().empty()) {
    p.out += "## ";
    p.text(p.t("Meetings"));
    p.out += "\n\n";
    for (const Meeting& m : c.meetings()) {
      p.anchor("meeting-", m.id);
      p.out += "### ";
      p.text(m.name.empty() ? m.id : m.name);
      p.out += "\n\n";
      if (m.every) {
        p.key("Cadence");
        std::string every = duration_text(*m.every, false);
        if (m.every->amount == 1 && every.rfind("1 ", 0) == 0) every.erase(0, 2);  // "every week"
        p.text(std::string(p.t("every")) + " " + every);
        p.out += '\n';
      }
      if (!m.attendees.empty()) {
        p.key("Attendees");
        p.join(m.attendees, [&](std::string_view id) { p.team_link(id); });
        p.out += '\n';
      }
      p.blank();
      if (!m.agenda.empty()) {
        p.caption("Agenda");
        for (auto item : m.agenda) {
          p.out += "- ";
          p.text(item, true);
          p.out += '\n';
        }
        p.blank();
      }
    }
  }
  while (p.out.size() >= 2 && p.out[p.out.size() - 1] == '\n' && p.out[p.out.size() - 2] == '\n') p.out.pop_back();
  return p.done();
}

// ---- teams.md ------------------------------------------------------------------------------

DocsFile teams_page(const Site& site) {
  const Charter& c = site.charter();
  Page p(site, "teams.md", 1024 + c.glossary().size() * 64);

  p.out += "# ";
  p.text(p.t("Teams"));
  p.out += "\n\n";
  for (const Team& team : c.teams()) {
    TeamRole role = site.team_role(team.id);
    p.anchor("team-", team.id);
    p.out += "## ";
    p.text(site.team_name(team.id));
    p.out += "\n\n";
    if (!trim(team.description).empty()) {
      p.text(team.description, true);
      p.out += "\n\n";
    }
    bool list = false;
    if (!team.contact.empty()) {
      p.key("Contact");
      p.text(team.contact);
      p.out += '\n';
      list = true;
    }
    if (!role.terms.empty()) {
      p.key("Owns terms");
      p.join(role.terms, [&](const Term* t) { p.link(site.label(*t).text, "glossary.md", "", t->id); });
      p.out += '\n';
      list = true;
    }
    if (!role.stages.empty()) {
      p.key("Owns stages");
      p.join(role.stages, [&](const Stage* s) { p.stage_link(s->id); });
      p.out += '\n';
      list = true;
    }
    if (!role.meetings.empty()) {
      p.key("Meetings");
      p.join(role.meetings, [&](const Meeting* m) { p.meeting_link(*m); });
      p.out += '\n';
      list = true;
    }
    if (list) p.blank();
    auto slas = [&](std::string_view caption, const std::vector<const Sla*>& list, bool provides) {
      if (list.empty()) return;
      p.caption(caption);
      for (const Sla* s : list) {
        p.out += "- ";
        p.sla_link(*s);
        p.out += provides ? " → " : " ← ";
        p.team_link(provides ? s->customer : s->provider);
        p.out += '\n';
      }
      p.blank();
    };
    slas("Commits to", role.provides, true);
    slas("Receives", role.receives, false);
  }
  while (p.out.size() >= 2 && p.out[p.out.size() - 1] == '\n' && p.out[p.out.size() - 2] == '\n') p.out.pop_back();
  return p.done();
}

}  // namespace

std::vector<DocsFile> render_markdown(const Site& site) {
  std::vector<DocsFile> files;
  files.push_back(agreements_page(site));
  files.push_back(funnel_page(site));
  files.push_back(DocsFile{"funnel.svg", render_funnel_svg(site)});
  files.push_back(glossary_page(site));
  files.push_back(index_page(site));
  files.push_back(qualification_page(site));
  files.push_back(teams_page(site));
  return files;  // sorted by path
}

}  // namespace charter::docs

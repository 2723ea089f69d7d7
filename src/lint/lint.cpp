// charter lint (charter/lint.hpp): the glossary's wording rules applied to documents.
//
// The rules come from the charter alone: every `avoid` word (CH1101), the labels and aliases
// of deprecated terms (CH1102), abbreviations and inner-capital labels written with other
// capitals (CH1103). One matcher finds all of them in one pass over each prose range of a
// document (document.cpp says which bytes are prose); suppression comments, locales and
// fixes are applied here.
#include <charter/lint.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

#include "diag/catalog.hpp"
#include "lint/document.hpp"
#include "lint/match.hpp"
#include "render/report.hpp"
#include "util/cores.hpp"
#include "util/text.hpp"

namespace charter {

namespace fs = std::filesystem;

namespace {

// Canonical: a term's own wording (label, alias, abbreviation, translation) that contains
// a phrase of another rule. It is never reported; being in the matcher, it wins by
// leftmost-longest over the phrases inside it ("Marketing Qualified Lead" is not reported
// for the avoid word "qualified lead" of another term).
enum class RuleKind : std::uint8_t { Avoid, Deprecated, Case, Canonical };

struct Rule {
  RuleKind kind = RuleKind::Avoid;
  const Term* term = nullptr;
  std::string locale;       ///< Avoid: the translation's locale, "" = the default (applies everywhere)
  std::string exact;        ///< the phrase as written in the charter
  std::string replacement;  ///< what to write instead; empty = nothing to suggest
  bool unambiguous = true;  ///< the replacement may be applied by --fix
};

struct Edit {
  std::size_t begin = 0, end = 0;
  std::string text;
};

bool has_upper(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// A capital after the first letter of a word ("HubSpot", "eBook", "MQL").
bool inner_capital(std::string_view s) {
  for (std::size_t i = 1; i < s.size(); ++i)
    if (s[i] >= 'A' && s[i] <= 'Z' && std::isalpha(static_cast<unsigned char>(s[i - 1]))) return true;
  return !s.empty() && std::islower(static_cast<unsigned char>(s[0])) && has_upper(s);
}

bool same_locale(std::string_view range, std::string_view rule) {
  if (range == rule) return true;
  auto base = [](std::string_view l) { return l.substr(0, l.find_first_of("-_")); };
  return !range.empty() && !rule.empty() && base(range) == base(rule);
}

// `**` any number of folders, `*` anything but '/', `?` one character but '/'.
bool glob_match(std::string_view g, std::string_view p) {
  if (g.empty()) return p.empty();
  if (g.substr(0, 2) == "**") {
    std::string_view rest = g.substr(2);
    if (!rest.empty() && rest[0] == '/') {
      rest.remove_prefix(1);
      if (glob_match(rest, p)) return true;  // zero folders
      for (std::size_t i = 0; i < p.size(); ++i)
        if (p[i] == '/' && glob_match(rest, p.substr(i + 1))) return true;
      return false;
    }
    for (std::size_t i = 0; i <= p.size(); ++i)
      if (glob_match(rest, p.substr(i))) return true;
    return false;
  }
  if (g[0] == '*') {
    for (std::size_t i = 0; i <= p.size(); ++i) {
      if (glob_match(g.substr(1), p.substr(i))) return true;
      if (i < p.size() && p[i] == '/') break;
    }
    return false;
  }
  if (p.empty()) return false;
  if (g[0] == '?') return p[0] != '/' && glob_match(g.substr(1), p.substr(1));
  return g[0] == p[0] && glob_match(g.substr(1), p.substr(1));
}

bool is_document(const fs::path& p) {
  auto ext = p.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".md" || ext == ".markdown" || ext == ".mdx" || ext == ".html" || ext == ".htm" || ext == ".txt";
}

// Files below `dir` (dot-folders and dot-files skipped), sorted.
void walk(const fs::path& dir, std::vector<fs::path>& out) {
  std::error_code ec;
  std::vector<fs::path> found;
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    auto name = it->path().filename().string();
    if (!name.empty() && name[0] == '.') {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec)) found.push_back(it->path());
  }
  std::sort(found.begin(), found.end());
  out.insert(out.end(), found.begin(), found.end());
}

// Shown path: relative to the working directory when below it, else as given.
std::string shown(const fs::path& p) {
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec).lexically_normal();
  fs::path cwd = fs::current_path(ec);
  fs::path rel = abs.lexically_relative(cwd);
  if (!rel.empty() && *rel.begin() != "..") return rel.generic_string();
  return p.generic_string();
}

std::string quote(std::string_view s) { return "'" + std::string(s) + "'"; }

// Capitalises the first letter of `text` when `original` starts with a capital (a sentence
// start) and `text` with a lower-case ASCII letter.
std::string keep_capital(std::string text, std::string_view original) {
  if (!original.empty() && std::isupper(static_cast<unsigned char>(original[0])) && !text.empty() &&
      std::islower(static_cast<unsigned char>(text[0])))
    text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

// Whether `offset` starts a sentence: only spaces, list or heading markers, or the end of a
// sentence before it in its range.
bool sentence_start(std::string_view text, std::size_t range_begin, std::size_t offset) {
  std::size_t i = offset;
  while (i > range_begin) {
    char c = text[i - 1];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' || c == '(' || c == '*' || c == '_') {
      --i;
      continue;
    }
    return c == '.' || c == '!' || c == '?' || c == ':' || c == '#' || c == '>' || c == '|' || c == '-';
  }
  return true;
}

}  // namespace

// ---- the result ------------------------------------------------------------------------------

struct LintResult::Impl {
  std::vector<Diagnostic> diags;
  std::vector<std::string> files, paths, contents;
  std::vector<std::vector<std::size_t>> line_starts;  // per file
  std::vector<std::vector<Edit>> edits;               // per file, sorted, non-overlapping
};

struct LintAccess {
  static LintResult::Impl& impl(LintResult& r) { return *r.impl_; }
};

LintResult::LintResult() : impl_(std::make_shared<Impl>()) {}
bool LintResult::ok() const noexcept { return count_at_least(impl_->diags, Severity::Error) == 0; }
const std::vector<Diagnostic>& LintResult::diagnostics() const noexcept { return impl_->diags; }
const std::vector<std::string>& LintResult::files() const noexcept { return impl_->files; }

std::string_view LintResult::source_line(std::string_view file, int line) const {
  for (std::size_t i = 0; i < impl_->files.size(); ++i) {
    if (impl_->files[i] != file) continue;
    const auto& starts = impl_->line_starts[i];
    if (line < 1 || static_cast<std::size_t>(line) > starts.size()) return {};
    std::string_view text = impl_->contents[i];
    std::size_t b = starts[static_cast<std::size_t>(line) - 1];
    std::size_t e =
        static_cast<std::size_t>(line) < starts.size() ? starts[static_cast<std::size_t>(line)] : text.size();
    std::string_view l = text.substr(b, e - b);
    while (!l.empty() && (l.back() == '\n' || l.back() == '\r')) l.remove_suffix(1);
    if (line == 1 && l.substr(0, 3) == "\xEF\xBB\xBF") l.remove_prefix(3);
    return l;
  }
  return {};
}

std::vector<LintFix> LintResult::fixes() const {
  std::vector<LintFix> out;
  for (std::size_t i = 0; i < impl_->files.size(); ++i) {
    const auto& edits = impl_->edits[i];
    if (edits.empty()) continue;
    LintFix f;
    f.file = impl_->files[i];
    f.path = impl_->paths[i];
    f.before = impl_->contents[i];
    std::size_t at = 0;
    for (const auto& e : edits) {
      f.after.append(f.before, at, e.begin - at);
      f.after += e.text;
      at = e.end;
    }
    f.after.append(f.before, at, std::string::npos);
    f.fixes = edits.size();
    out.push_back(std::move(f));
  }
  return out;
}

// ---- the linter ------------------------------------------------------------------------------

namespace {

class Linter {
 public:
  Linter(const Charter& c, const LintOptions& o) : charter_(c), options_(o) {
    build_rules();
    std::vector<lint::Phrase> phrases;
    phrases.reserve(rules_.size());
    for (std::uint32_t i = 0; i < rules_.size(); ++i) phrases.push_back({rules_[i].exact, i});
    matcher_ = std::make_unique<lint::Matcher>(phrases);
    // The terms' own wordings that contain a phrase of a rule protect it (RuleKind::Canonical);
    // only those, so a large glossary's automaton does not grow for nothing.
    std::vector<lint::Hit> hits;
    const std::size_t before = rules_.size();
    for (const Term& t : charter_.glossary()) {
      if (t.status == TermStatus::Deprecated) continue;
      auto protect = [&](std::string_view w) {
        if (w.empty()) return;
        hits.clear();
        matcher_->find(w, hits);
        for (const auto& h : hits)
          if (rules_[h.tag].kind != RuleKind::Case && rules_[h.tag].kind != RuleKind::Canonical &&
              (h.begin > 0 || h.end < w.size())) {
            add(RuleKind::Canonical, t, "", w, "");
            return;
          }
      };
      protect(t.term);
      protect(t.abbreviation);
      for (auto a : t.aliases) protect(a);
      for (const auto& tr : t.translations) {
        protect(tr.term);
        for (auto a : tr.aliases) protect(a);
      }
    }
    if (rules_.size() > before) {
      for (auto i = static_cast<std::uint32_t>(before); i < rules_.size(); ++i) phrases.push_back({rules_[i].exact, i});
      matcher_ = std::make_unique<lint::Matcher>(phrases);
    }
  }

  /// Lints one document (`doc` is `scan_document` of `text`); diagnostics and edits for it.
  void lint(std::string_view name, std::string_view path_for_rules, std::string_view text, const lint::Document& doc,
            std::vector<Diagnostic>& diags, std::vector<Edit>& edits) const;

 private:
  void build_rules();
  void add(RuleKind kind, const Term& t, std::string_view locale, std::string_view exact, std::string replacement) {
    if (exact.empty()) return;
    rules_.push_back({kind, &t, std::string(locale), std::string(exact), std::move(replacement), true});
  }
  bool allowed(std::string_view code) const {
    return std::find(options_.disable.begin(), options_.disable.end(), code) == options_.disable.end();
  }
  Severity severity_of(detail::Code code) const {
    const CodeInfo& info = detail::info(code);
    Severity s = info.severity;
    if (s == Severity::Error && std::find(options_.warn.begin(), options_.warn.end(), info.code) != options_.warn.end())
      s = Severity::Warning;
    return s;
  }

  const Charter& charter_;
  LintOptions options_;
  std::vector<Rule> rules_;
  std::unique_ptr<lint::Matcher> matcher_;
};

// The folder of the file with the charter's `lint:` section (its paths are relative to it),
// or empty.
fs::path lint_base(const Charter& c) {
  const auto& l = c.lint();
  if (!l.where.valid()) return {};
  std::error_code ec;
  return fs::absolute(fs::path(c.files()[l.where.file]), ec).lexically_normal().parent_path();
}

void Linter::build_rules() {
  const std::string def(charter_.organization().locale);
  auto label_in = [&](const Term& t, std::string_view locale) -> std::string {
    if (locale.empty() || locale == def) return std::string(t.term);
    if (const Translation* tr = t.translation(locale); tr && !tr->term.empty()) return std::string(tr->term);
    return std::string(t.term);
  };
  for (const Term& t : charter_.glossary()) {
    for (auto a : t.avoid) add(RuleKind::Avoid, t, "", a, std::string(t.term));
    for (const auto& tr : t.translations)
      for (auto a : tr.avoid) add(RuleKind::Avoid, t, tr.locale, a, label_in(t, tr.locale));
    if (t.status == TermStatus::Deprecated) {
      const Term* by = t.replaced_by.empty() ? nullptr : charter_.term(t.replaced_by);
      add(RuleKind::Deprecated, t, "", t.term, by ? std::string(by->term) : "");
      for (auto a : t.aliases) add(RuleKind::Deprecated, t, "", a, by ? std::string(by->term) : "");
      for (const auto& tr : t.translations) {
        std::string to = by ? label_in(*by, tr.locale) : "";
        add(RuleKind::Deprecated, t, tr.locale, tr.term, to);
        for (auto a : tr.aliases) add(RuleKind::Deprecated, t, tr.locale, a, to);
      }
      continue;
    }
    if (!t.abbreviation.empty() && has_upper(t.abbreviation))
      add(RuleKind::Case, t, "", t.abbreviation, std::string(t.abbreviation));
    if (inner_capital(t.term)) add(RuleKind::Case, t, "", t.term, std::string(t.term));
  }
  // A wording that leads to two different terms has no unambiguous replacement.
  struct Target {
    const std::string* replacement;  // the first rule's
    bool several = false;            // another rule leads elsewhere
  };
  std::unordered_map<std::string, Target> to;
  std::vector<std::string> folded(rules_.size());
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const Rule& r = rules_[i];
    if (r.kind == RuleKind::Case || r.kind == RuleKind::Canonical) continue;
    folded[i] = lint::fold(r.exact);
    auto [it, fresh] = to.try_emplace(folded[i], Target{&r.replacement});
    if (!fresh && *it->second.replacement != r.replacement) it->second.several = true;
  }
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    Rule& r = rules_[i];
    if (r.kind == RuleKind::Case) continue;
    auto it = to.find(folded[i]);
    if ((it != to.end() && it->second.several) || r.replacement.empty()) r.unambiguous = false;
  }
}

// The rest of `in` into `out`: in one read when the size is known (a file), else a byte at a
// time through the stream's buffer (a pipe).
void read_whole(std::istream& in, std::string& out) {
  const auto start = in.tellg();
  in.seekg(0, std::ios::end);
  const auto end = in.tellg();
  if (start == std::streampos(-1) || end == std::streampos(-1) || !in) {  // not seekable
    in.clear();
    if (start != std::streampos(-1)) in.seekg(start);
    out.assign(std::istreambuf_iterator<char>(in), {});
    return;
  }
  in.seekg(start);
  out.resize(static_cast<std::size_t>(end - start));
  in.read(out.data(), static_cast<std::streamsize>(out.size()));
  out.resize(static_cast<std::size_t>(in.gcount()));
  if (in.eof() && !in.bad()) in.clear();  // (a file that shrank meanwhile: what was there)
  // A file that grew meanwhile: the rest too.
  std::string more(std::istreambuf_iterator<char>(in), {});
  out += more;
}

struct Finding {
  std::size_t begin = 0, end = 0;
  const Rule* rule = nullptr;
  std::string locale;
};

void Linter::lint(std::string_view name, std::string_view path_for_rules, std::string_view text,
                  const lint::Document& doc, std::vector<Diagnostic>& diags, std::vector<Edit>& edits) const {
  // The locale of a path rule applies where the document does not say its own.
  std::string path_locale;
  if (doc.lang.empty())
    for (auto& [glob, locale] : charter_.lint().languages)
      if (glob_match(glob, path_for_rules)) {
        path_locale = std::string(locale);
        break;
      }
  const lint::LineIndex lines(text);  // positions in O(log n) per finding, not a scan from the start
  auto span_of = [&](std::size_t b, std::size_t e) {
    Span s;
    s.file = std::string(name);
    auto pb = lines.position_of(b), pe = lines.position_of(e);
    s.line = static_cast<int>(pb.line);
    s.column = static_cast<int>(pb.column);
    s.end_line = static_cast<int>(pe.line);
    s.end_column = static_cast<int>(pe.column);
    return s;
  };

  // Problems of the file itself.
  std::vector<Diagnostic> out;
  if (allowed("CH1105"))
    for (const auto& p : doc.problems) {
      Diagnostic d;
      d.code = "CH1105";
      d.severity = severity_of(detail::Code::DocumentEncoding);
      d.message = p.message;
      d.span = span_of(p.offset, p.offset + 1);
      d.label = "byte " + std::to_string(p.offset);
      out.push_back(std::move(d));
    }

  // Every hit, then the best rule per place.
  std::vector<lint::Hit> hits;
  std::vector<Finding> findings;
  for (const auto& r : doc.ranges) {
    hits.clear();
    matcher_->find(text.substr(r.begin, r.end - r.begin), hits);
    std::string locale = !doc.lang.empty() ? r.locale : !path_locale.empty() ? path_locale : r.locale;
    for (std::size_t i = 0; i < hits.size();) {
      std::size_t j = i;
      const Rule* best = nullptr;
      for (; j < hits.size() && hits[j].begin == hits[i].begin && hits[j].end == hits[i].end; ++j) {
        const Rule& rule = rules_[hits[j].tag];
        std::size_t b = r.begin + hits[j].begin, e = r.begin + hits[j].end;
        std::string_view seen = text.substr(b, e - b);
        bool applies = false;
        switch (rule.kind) {
          case RuleKind::Avoid: applies = rule.locale.empty() || same_locale(locale, rule.locale); break;
          case RuleKind::Deprecated: applies = true; break;
          case RuleKind::Canonical: applies = false; break;
          case RuleKind::Case:
            applies = seen != rule.exact && !(keep_capital(rule.exact, seen) == seen &&
                                              sentence_start(text, r.begin, b) && seen.size() == rule.exact.size());
            if (applies) {  // only a different capitalisation of the same letters
              std::string a(seen), x(rule.exact);
              for (auto& c : a) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
              for (auto& c : x) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
              applies = a == x;
            }
            break;
        }
        if (applies && (!best || rule.kind < best->kind)) best = &rule;
      }
      if (best) findings.push_back({r.begin + hits[i].begin, r.begin + hits[i].end, best, locale});
      i = j;
    }
  }

  // Suppressions.
  struct Supp {
    const lint::Suppression* s;
    std::size_t end_line;
    bool used = false;
  };
  std::vector<Supp> supps;
  for (const auto& s : doc.suppressions) {
    auto close = text.find("-->", s.offset);
    supps.push_back({&s, lines.position_of(close == std::string_view::npos ? s.offset : close).line});
  }
  auto names_match = [&](const lint::Suppression& s, const Finding& f, std::string_view code) {
    if (s.what.empty()) return true;
    for (const auto& w : s.what) {
      if (detail::fold_case(w) == detail::fold_case(code) || w == f.rule->term->id) return true;
      std::string fw = lint::fold(w);
      if (fw == lint::fold(f.rule->exact) || fw == lint::fold(f.rule->term->term)) return true;
    }
    return false;
  };
  auto suppressed = [&](const Finding& f, std::string_view code, std::size_t line) {
    // The latest disable/enable before the finding that names it decides; a file-wide or
    // next-line comment suppresses on its own.
    Supp* region = nullptr;
    bool hit = false;
    for (auto& sp : supps) {
      const auto& s = *sp.s;
      if (s.kind == lint::Suppression::Kind::File && names_match(s, f, code)) {
        sp.used = true;
        hit = true;
      } else if (s.kind == lint::Suppression::Kind::NextLine && sp.end_line + 1 == line && names_match(s, f, code)) {
        sp.used = true;
        hit = true;
      } else if (s.offset < f.begin &&
                 (s.kind == lint::Suppression::Kind::Disable || s.kind == lint::Suppression::Kind::Enable)) {
        if (names_match(s, f, code) || (s.kind == lint::Suppression::Kind::Enable && s.what.empty())) region = &sp;
      }
    }
    if (!hit && region && region->s->kind == lint::Suppression::Kind::Disable) {
      region->used = true;
      hit = true;
    }
    return hit;
  };

  for (const auto& f : findings) {
    const Rule& r = *f.rule;
    detail::Code code = r.kind == RuleKind::Avoid        ? detail::Code::AvoidedWording
                        : r.kind == RuleKind::Deprecated ? detail::Code::DeprecatedWording
                                                         : detail::Code::TermCase;
    std::string code_text(detail::info(code).code);
    if (!allowed(code_text)) continue;
    Span sp = span_of(f.begin, f.end);
    if (suppressed(f, code_text, static_cast<std::size_t>(sp.line))) continue;
    std::string_view seen = text.substr(f.begin, f.end - f.begin);
    std::string seen_flat;  // a wrapped phrase, shown on one line
    for (char c : seen) {
      bool space = c == '\n' || c == '\r' || c == '\t' || c == ' ';
      if (space && !seen_flat.empty() && seen_flat.back() == ' ') continue;
      seen_flat += space ? ' ' : c;
    }
    std::string replacement = r.replacement.empty() ? "" : keep_capital(r.replacement, seen);
    Diagnostic d;
    d.code = code_text;
    d.severity = severity_of(code);
    d.span = sp;
    const Term& t = *r.term;
    switch (r.kind) {
      case RuleKind::Avoid: {
        std::string say = quote(replacement.empty() ? std::string(t.term) : replacement);
        if (!t.abbreviation.empty() && (r.locale.empty() || r.locale == charter_.organization().locale))
          say += " (" + std::string(t.abbreviation) + ")";
        d.message = "say " + say + " instead of " + quote(seen_flat);
        d.label = "the glossary says to avoid this";
        d.help = "`" + std::string(t.id) + "` lists " + quote(r.exact) + " as a word to avoid" +
                 (r.locale.empty() ? "" : " in locale `" + r.locale + "`");
        if (!r.unambiguous)
          d.notes.push_back(quote(r.exact) + " is listed by more than one term: choose the right one");
        break;
      }
      case RuleKind::Deprecated:
        d.message = quote(seen_flat) + " is deprecated" + (replacement.empty() ? "" : "; use " + quote(replacement));
        d.label = "deprecated term";
        d.help = "term `" + std::string(t.id) + "` has status deprecated" +
                 (t.replaced_by.empty() ? "" : " and is replaced by `" + std::string(t.replaced_by) + "`");
        break;
      case RuleKind::Case:
        d.message = "write " + quote(r.exact) + ", not " + quote(seen_flat);
        d.label = "the glossary writes it " + quote(r.exact);
        d.help = "as defined by term `" + std::string(t.id) + "`";
        break;
      case RuleKind::Canonical: break;  // (never a finding)
    }
    if (!replacement.empty()) {
      d.suggestion = replacement;
      if (r.unambiguous) edits.push_back({f.begin, f.end, replacement});
    }
    out.push_back(std::move(d));
  }

  if (options_.report_unused_disables && allowed("CH1104"))
    for (const auto& sp : supps) {
      if (sp.used || sp.s->kind == lint::Suppression::Kind::Enable) continue;
      Diagnostic d;
      d.code = "CH1104";
      d.severity = severity_of(detail::Code::UnusedSuppression);
      d.message = "this suppression comment suppresses nothing";
      auto close = text.find("-->", sp.s->offset);
      d.span = span_of(sp.s->offset, close == std::string_view::npos ? sp.s->offset + 4 : close + 3);
      d.label = "unused";
      d.help = "remove it, or name the rule or term it is meant for";
      out.push_back(std::move(d));
    }
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.span.line, a.span.column) < std::tie(b.span.line, b.span.column);
  });
  diags.insert(diags.end(), std::make_move_iterator(out.begin()), std::make_move_iterator(out.end()));
}

std::vector<std::size_t> line_starts_of(std::string_view text) {
  std::vector<std::size_t> starts{0};
  for (std::size_t i = text.find('\n'); i != std::string_view::npos; i = text.find('\n', i + 1))
    if (i + 1 < text.size()) starts.push_back(i + 1);
  return starts;
}

Diagnostic unreadable(const std::string& name, const std::string& why) {
  Diagnostic d;
  d.code = "CH1106";
  d.severity = Severity::Error;
  d.message = "cannot read `" + name + "`: " + why;
  d.span.file = name;
  return d;
}

}  // namespace

// ---- entry points ----------------------------------------------------------------------------

LintResult lint_text(const Charter& charter, std::string_view text, std::string_view name, const LintOptions& options) {
  LintResult r;
  auto& impl = LintAccess::impl(r);
  Linter linter(charter, options);
  impl.files.emplace_back(name);
  impl.paths.emplace_back(name);
  impl.contents.emplace_back(text);
  impl.edits.emplace_back();
  linter.lint(name, name, impl.contents[0], lint::scan_document(impl.contents[0], lint::kind_of_path(name)), impl.diags,
              impl.edits[0]);
  impl.line_starts.push_back(line_starts_of(impl.contents[0]));
  return r;
}

namespace {

// lint_paths, with the charter from `charter_of` (null: it has errors, and nothing is
// linted). With `paths` given, the documents are read and scanned on the other cores while
// `charter_of` runs (it may load the charter).
LintResult lint_documents(const std::vector<std::string>& paths, const LintOptions& options,
                          const std::function<const Charter*()>& charter_of) {
  LintResult r;
  auto& impl = LintAccess::impl(r);
  std::vector<Diagnostic> pre;
  std::vector<fs::path> docs;
  std::error_code ec;
  const Charter* charter = nullptr;
  fs::path base;
  if (paths.empty()) {  // the documents are the charter's `lint.paths`
    charter = charter_of();
    if (!charter) return LintResult{};
    base = lint_base(*charter);
  }
  auto rel_to_base = [&](const fs::path& p) {
    if (base.empty()) return p.generic_string();
    std::error_code e;
    fs::path rel = fs::absolute(p, e).lexically_normal().lexically_relative(base);
    return rel.empty() || *rel.begin() == ".." ? p.generic_string() : rel.generic_string();
  };
  if (!paths.empty()) {
    for (const auto& p : paths) {
      fs::path path(p);
      auto st = fs::status(path, ec);
      if (ec || !fs::exists(st)) {
        pre.push_back(unreadable(p, "no such file or directory"));
        continue;
      }
      if (fs::is_directory(st)) {
        std::vector<fs::path> all;
        walk(path, all);
        for (auto& f : all)
          if (is_document(f)) docs.push_back(f);
      } else {
        docs.push_back(path);
      }
    }
  } else if (!base.empty()) {
    const auto& l = charter->lint();
    std::vector<fs::path> all;
    walk(base, all);
    for (auto& f : all) {
      std::string rel = f.lexically_relative(base).generic_string();
      bool in = std::any_of(l.paths.begin(), l.paths.end(), [&](auto g) { return glob_match(g, rel); });
      bool out = std::any_of(l.exclude.begin(), l.exclude.end(), [&](auto g) { return glob_match(g, rel); });
      if (in && !out) docs.push_back(f);
    }
  }
  // The same file named twice is linted once.
  std::set<fs::path> seen;
  std::vector<fs::path> unique;
  for (auto& d : docs)
    if (seen.insert(fs::absolute(d, ec).lexically_normal()).second) unique.push_back(d);
  docs = std::move(unique);

  std::size_t n = docs.size();
  impl.files.resize(n);
  impl.paths.resize(n);
  impl.contents.resize(n);
  impl.edits.resize(n);
  impl.line_starts.resize(n);
  std::vector<std::vector<Diagnostic>> per(n);
  // Reading and scanning the documents needs no glossary: the other cores start on them
  // while this thread builds the matcher (which takes a while for a large glossary), and a
  // document scanned before the matcher is ready waits in `scanned` to be matched.
  std::vector<lint::Document> scanned_docs(n);
  std::vector<char> readable(n, 0);
  auto scan = [&](std::size_t i) {
    impl.files[i] = shown(docs[i]);
    impl.paths[i] = docs[i].string();
    std::ifstream in(docs[i], std::ios::binary);
    if (!in) {
      per[i].push_back(unreadable(impl.files[i], "cannot open the file"));
      return;
    }
    read_whole(in, impl.contents[i]);
    if (in.bad()) {
      per[i].push_back(unreadable(impl.files[i], "read error"));
      return;
    }
    scanned_docs[i] = lint::scan_document(impl.contents[i], lint::kind_of_path(impl.files[i]));
    impl.line_starts[i] = line_starts_of(impl.contents[i]);
    readable[i] = 1;
  };
  std::unique_ptr<Linter> linter;
  std::atomic<bool> ready{false};
  auto match = [&](std::size_t i) {
    if (readable[i] && linter)  // (no linter: the charter has errors, nothing is linted)
      linter->lint(impl.files[i], rel_to_base(docs[i]), impl.contents[i], scanned_docs[i], per[i], impl.edits[i]);
    scanned_docs[i] = {};
  };
  std::atomic<std::size_t> next{0};
  std::mutex waiting_mutex;
  std::vector<std::size_t> waiting;  // scanned before the matcher was ready
  auto work = [&] {
    for (;;) {
      if (ready.load(std::memory_order_acquire)) {
        if (!linter) return;  // building it failed
        std::size_t j = n;
        {
          std::lock_guard<std::mutex> lock(waiting_mutex);
          if (!waiting.empty()) {
            j = waiting.back();
            waiting.pop_back();
          }
        }
        if (j < n) {
          match(j);
          continue;
        }
      }
      const std::size_t i = next++;
      if (i >= n) {
        if (!ready.load(std::memory_order_acquire)) {
          ready.wait(false, std::memory_order_acquire);  // then help match what waits
          continue;
        }
        // Whoever scans a document after this still matches it.
        std::lock_guard<std::mutex> lock(waiting_mutex);
        if (waiting.empty()) return;
        continue;
      }
      scan(i);
      if (ready.load(std::memory_order_acquire)) {
        match(i);
      } else {
        std::lock_guard<std::mutex> lock(waiting_mutex);
        waiting.push_back(i);
      }
    }
  };
  unsigned threads = options.threads ? options.threads : detail::usable_cores();
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(n, 1)));
  std::vector<std::thread> pool;
  auto release = [&] {
    ready.store(true, std::memory_order_release);
    ready.notify_all();
  };
  try {
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    if (!charter) {
      charter = charter_of();
      if (!charter) {
        release();  // with no linter: the other threads stop
        for (auto& t : pool) t.join();
        return LintResult{};
      }
      base = lint_base(*charter);
    }
    linter = std::make_unique<Linter>(*charter, options);
  } catch (...) {
    linter.reset();
    release();
    for (auto& t : pool) t.join();
    throw;
  }
  release();
  work();
  for (auto& t : pool) t.join();
  impl.diags = std::move(pre);
  for (auto& v : per)
    impl.diags.insert(impl.diags.end(), std::make_move_iterator(v.begin()), std::make_move_iterator(v.end()));
  return r;
}

}  // namespace

LintResult lint_paths(const Charter& charter, const std::vector<std::string>& paths, const LintOptions& options) {
  return lint_documents(paths, options, [&] { return &charter; });
}

LoadedAndLinted load_and_lint(const std::vector<std::filesystem::path>& charter_paths,
                              const std::vector<std::string>& paths, const LintOptions& options,
                              const LoadOptions& load_options) {
  LoadedAndLinted out;
  LintResult linted = lint_documents(paths, options, [&]() -> const Charter* {
    out.loaded = load_charter(charter_paths, load_options);
    return out.loaded.ok() ? &out.loaded.charter() : nullptr;
  });
  if (out.loaded.ok()) out.linted = std::move(linted);
  return out;
}

namespace {

detail::Report report_of(const LintResult& r) {
  detail::Report rep{r.diagnostics(), r.files(), {}, {}, "lint"};
  rep.line = [&r](std::string_view f, int l) { return r.source_line(f, l); };
  rep.ok_text = std::to_string(r.files().size()) + (r.files().size() == 1 ? " file" : " files") + ": no problems";
  return rep;
}

}  // namespace

void render(std::ostream& out, OutputFormat format, const LintResult& result, const RenderOptions& options) {
  detail::render_report(out, format, report_of(result), options);
}

bool append_markdown_summary(const std::string& path, const LintResult& result) {
  return detail::append_summary(path, report_of(result));
}

// ---- unified diff ----------------------------------------------------------------------------

namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t b = 0;
  while (b < text.size()) {
    auto e = text.find('\n', b);
    e = e == std::string_view::npos ? text.size() : e + 1;
    out.push_back(text.substr(b, e - b));
    b = e;
  }
  return out;
}

}  // namespace

std::string unified_diff(const std::vector<LintFix>& fixes) {
  std::string out;
  for (const auto& f : fixes) {
    auto a = lines_of(f.before), b = lines_of(f.after);
    // Line operations: walk both, resynchronising after a difference on the nearest equal pair
    // (fixes change a few lines at a time).
    struct Op {
      char kind;  // ' ', '-', '+'
      std::string_view line;
    };
    std::vector<Op> ops;
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
      if (i < a.size() && j < b.size() && a[i] == b[j]) {
        ops.push_back({' ', a[i++]});
        ++j;
        continue;
      }
      std::size_t bi = a.size(), bj = b.size();
      bool found = false;
      for (std::size_t d = 1; d <= 16 && !found; ++d)
        for (std::size_t x = 0; x <= d && !found; ++x) {
          std::size_t ii = i + x, jj = j + (d - x);
          if (ii < a.size() && jj < b.size() && a[ii] == b[jj]) {
            bi = ii;
            bj = jj;
            found = true;
          }
        }
      while (i < bi) ops.push_back({'-', a[i++]});
      while (j < bj) ops.push_back({'+', b[j++]});
    }
    out += "--- a/" + f.file + "\n+++ b/" + f.file + "\n";
    // Hunks: changes with 3 lines of context.
    std::size_t k = 0;
    while (k < ops.size()) {
      if (ops[k].kind == ' ') {
        ++k;
        continue;
      }
      std::size_t start = k >= 3 ? k - 3 : 0, end = k;
      while (end < ops.size()) {
        if (ops[end].kind != ' ') {
          ++end;
          continue;
        }
        std::size_t run = end;
        while (run < ops.size() && ops[run].kind == ' ') ++run;
        if (run < ops.size() && run - end <= 6) {
          end = run;
          continue;
        }
        end = std::min(ops.size(), end + 3);
        break;
      }
      std::size_t la = 1, lb = 1;
      for (std::size_t q = 0; q < start; ++q) {
        la += ops[q].kind != '+';
        lb += ops[q].kind != '-';
      }
      std::size_t ca = 0, cb = 0;
      for (std::size_t q = start; q < end; ++q) {
        ca += ops[q].kind != '+';
        cb += ops[q].kind != '-';
      }
      out += "@@ -" + std::to_string(ca ? la : la - 1) + "," + std::to_string(ca) + " +" +
             std::to_string(cb ? lb : lb - 1) + "," + std::to_string(cb) + " @@\n";
      for (std::size_t q = start; q < end; ++q) {
        out += ops[q].kind;
        out += ops[q].line;
        if (ops[q].line.empty() || ops[q].line.back() != '\n') out += "\n\\ No newline at end of file\n";
      }
      k = end;
    }
  }
  return out;
}

}  // namespace charter

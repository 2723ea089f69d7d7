// charter lint: the prose of a document (Markdown, HTML, text), its language and its
// suppression comments.
//
// Markdown: cmark-gfm gives the block structure, and only the start line and column of each
// block are used (its end positions are unreliable: a setext heading ends a line late, an HTML
// block can end before it starts). A leaf block's lines run from its start to the line before
// the next block, its own end or a blank line, whichever comes first. Inline syntax (code
// spans, autolinks, bare URLs, link destinations, raw HTML) is found by our own scanner on the
// original bytes, so every offset is exact. Every search that can fail remembers where it
// failed, so no byte is scanned more than a few times: the time is linear in the input.
#include "lint/document.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <unordered_map>
#include <utility>

namespace charter::lint {

namespace {

constexpr std::size_t npos = std::string_view::npos;

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }
bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_alnum(char c) noexcept { return is_alpha(c) || is_digit(c); }
bool is_punct(char c) noexcept {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}
char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool starts_with_nocase(std::string_view s, std::size_t at, std::string_view prefix) noexcept {
  if (at > s.size() || s.size() - at < prefix.size()) return false;
  for (std::size_t k = 0; k < prefix.size(); ++k)
    if (lower(s[at + k]) != prefix[k]) return false;
  return true;
}
bool has_bom(std::string_view s) noexcept { return s.size() >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF"; }

// ---- UTF-8 ------------------------------------------------------------------------------

// Length of the valid UTF-8 sequence at `i` (1 for ASCII), or 0 when it is invalid.
std::size_t valid_sequence(std::string_view s, std::size_t i) noexcept {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  std::size_t len;
  unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte (no overlongs, no surrogates)
  if (c >= 0xC2 && c <= 0xDF)
    len = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else
    return 0;
  if (s.size() - i < len) return 0;
  const auto c1 = static_cast<unsigned char>(s[i + 1]);
  if (c1 < lo || c1 > hi) return 0;
  for (std::size_t k = 2; k < len; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  return len;
}

// Whether a code point starts at `i`: anything but a continuation byte inside a valid sequence
// (so each byte of an invalid sequence counts as one, like `decode_utf8`). Depends only on the
// three bytes before `i`, which makes counts over ranges additive.
bool starts_code_point(std::string_view s, std::size_t i) noexcept {
  if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) return true;
  for (std::size_t k = 1; k <= 3 && k <= i; ++k) {
    const auto c = static_cast<unsigned char>(s[i - k]);
    if ((c & 0xC0) == 0x80) continue;
    const std::size_t len = valid_sequence(s, i - k);
    return len <= k;  // i is inside the sequence only when it is valid and long enough
  }
  return true;
}

// The bytes of [begin, end) where starts_code_point holds. Walks a sequence at a time (eight
// ASCII bytes at a time) instead of looking back from every byte: past the first bytes, a
// continuation byte the walk lands on is never inside a valid sequence, so it starts one.
std::size_t count_code_points(std::string_view s, std::size_t begin, std::size_t end) noexcept {
  std::size_t n = 0, i = begin;
  // Continuation bytes at `begin` may belong to a sequence that started before it.
  for (; i < end && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80 && i < begin + 3; ++i)
    n += starts_code_point(s, i);
  while (i < end) {
    if (i + 8 <= end) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if (!(w & 0x8080808080808080ULL)) {
        n += 8;
        i += 8;
        continue;
      }
    }
    const auto c = static_cast<unsigned char>(s[i]);
    ++n;  // ASCII, a lead byte (valid or not), or a stray continuation byte: one code point
    if (c < 0x80) {
      ++i;
      continue;
    }
    const std::size_t len = (c & 0xC0) == 0x80 ? 0 : valid_sequence(s, i);
    i += len ? len : 1;
  }
  return n;
}

// Every invalid sequence (a maximal invalid subpart counts once), by offset.
void find_invalid_utf8(std::string_view s, std::vector<DocumentProblem>& out) {
  static const char* const hex = "0123456789ABCDEF";
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    // ASCII fast path, eight bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    if (std::size_t len = valid_sequence(s, i)) {
      i += len;
      continue;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    std::string message = "invalid UTF-8 (byte 0x";
    message += hex[c >> 4];
    message += hex[c & 15];
    message += ")";
    out.push_back({i, std::move(message)});
    // The maximal subpart: a lead byte and the continuation bytes that could still follow it.
    std::size_t j = i + 1;
    if (c >= 0xC2 && c <= 0xF4) {
      const std::size_t want = c <= 0xDF ? 2 : c <= 0xEF ? 3 : 4;
      while (j < n && j < i + want && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80 &&
             !(j == i + 1 && ((c == 0xE0 && static_cast<unsigned char>(s[j]) < 0xA0) ||
                              (c == 0xED && static_cast<unsigned char>(s[j]) > 0x9F) ||
                              (c == 0xF0 && static_cast<unsigned char>(s[j]) < 0x90) ||
                              (c == 0xF4 && static_cast<unsigned char>(s[j]) > 0x8F))))
        ++j;
    }
    i = j;
  }
}

// ---- language -------------------------------------------------------------------------------

bool is_han(char32_t c) noexcept {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2FFFF) ||
         (c >= 0xF900 && c <= 0xFAFF);
}
bool is_kana_or_hangul(char32_t c) noexcept {
  return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xAC00 && c <= 0xD7AF) ||
         (c >= 0x1100 && c <= 0x11FF);
}
bool is_other_letter(char32_t c) noexcept {
  return (c < 0x80 && is_alpha(static_cast<char>(c))) || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
         (c >= 0x370 && c <= 0x52F);
}

// Counts Han characters against words of other scripts (a Han character carries about as much
// as a word): "这个hot lead需要跟进" is Chinese, an English sentence quoting 线索 is not.
struct ScriptCount {
  std::size_t han = 0, other = 0;
  void add(std::string_view s, std::size_t begin, std::size_t end) {
    bool in_word = false;
    for (std::size_t i = begin; i < end;) {
      if (static_cast<unsigned char>(s[i]) < 0x80) {  // ASCII: a letter starts or continues a word
        const bool letter = is_alpha(s[i]);
        other += letter & !in_word;
        in_word = letter;
        ++i;
        continue;
      }
      const std::size_t len = valid_sequence(s, i);
      if (!len) {
        ++i;
        in_word = false;
        continue;
      }
      char32_t cp = static_cast<unsigned char>(s[i]);
      if (len > 1) {
        cp &= len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07;
        for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
      }
      i += len;
      if (is_han(cp)) {
        ++han;
        in_word = false;
      } else if (is_kana_or_hangul(cp)) {
        ++other;
        in_word = false;
      } else if (is_other_letter(cp)) {
        if (!in_word) ++other;
        in_word = true;
      } else {
        in_word = false;
      }
    }
  }
  bool chinese() const noexcept { return han > 0 && han >= other; }
};

// ---- suppression comments -------------------------------------------------------------------

// `body` is the text between `<!--` and `-->`. Names are separated by commas (ESLint style:
// `charter-disable-next-line CH1101, hot lead`); text after ` -- ` is a reason and ignored.
bool parse_suppression(std::string_view body, Suppression& out) {
  std::size_t i = 0;
  while (i < body.size() && is_space(body[i])) ++i;
  std::size_t j = i;
  while (j < body.size() && !is_space(body[j])) ++j;
  const std::string_view word = body.substr(i, j - i);
  if (word == "charter-disable-next-line")
    out.kind = Suppression::Kind::NextLine;
  else if (word == "charter-disable")
    out.kind = Suppression::Kind::Disable;
  else if (word == "charter-enable")
    out.kind = Suppression::Kind::Enable;
  else if (word == "charter-disable-file")
    out.kind = Suppression::Kind::File;
  else
    return false;
  std::string_view rest = body.substr(j);
  for (std::size_t k = 0; k + 1 < rest.size(); ++k)
    if (rest[k] == '-' && rest[k + 1] == '-' && (k == 0 || is_space(rest[k - 1])) &&
        (k + 2 == rest.size() || is_space(rest[k + 2]))) {
      rest = rest.substr(0, k);
      break;
    }
  out.what.clear();
  std::size_t start = 0;
  while (start <= rest.size()) {
    std::size_t comma = rest.find(',', start);
    if (comma == npos) comma = rest.size();
    std::string name;
    for (char c : rest.substr(start, comma - start)) {
      if (is_space(c)) {
        if (!name.empty() && name.back() != ' ') name += ' ';
      } else {
        name += c;
      }
    }
    while (!name.empty() && name.back() == ' ') name.pop_back();
    if (!name.empty()) out.what.push_back(std::move(name));
    start = comma + 1;
  }
  return true;
}

// ---- the scan -------------------------------------------------------------------------------

struct Span {
  std::size_t begin, end;
};

// A search for `needle` that remembers its last answer, so searches from growing positions
// (the usual case) and repeated failures cost nothing extra.
class Finder {
 public:
  explicit Finder(std::string_view needle) : needle_(needle) {}
  std::size_t find(std::string_view s, std::size_t from, std::size_t limit) {
    if (failed_from_ != npos && from >= failed_from_ && limit <= failed_limit_) return npos;
    if (found_ != npos && from >= from_ && from <= found_ && found_ + needle_.size() <= limit) return found_;
    const std::size_t at = s.substr(0, limit).find(needle_, from);
    if (at == npos) {
      failed_from_ = failed_from_ == npos ? from : std::min(failed_from_, from);
      failed_limit_ = limit;
    } else {
      from_ = from;
      found_ = at;
    }
    return at;
  }

 private:
  std::string_view needle_;
  std::size_t from_ = 0, found_ = npos, failed_from_ = npos, failed_limit_ = 0;
};

class Scanner {
 public:
  Scanner(std::string_view doc, Document& out) : doc_(doc), out_(out), lines_(doc) {}

  std::string_view doc_;
  Document& out_;
  LineIndex lines_;
  std::size_t group_ = 0;  // first range of the current paragraph

  void begin_group() { group_ = out_.ranges.size(); }
  // Gives the ranges of the paragraph just scanned their language.
  void end_group() {
    if (!out_.lang.empty() || group_ == out_.ranges.size()) return;
    ScriptCount count;
    for (std::size_t r = group_; r < out_.ranges.size(); ++r) count.add(doc_, out_.ranges[r].begin, out_.ranges[r].end);
    if (count.chinese())
      for (std::size_t r = group_; r < out_.ranges.size(); ++r) out_.ranges[r].locale = "zh";
  }

  void add_range(std::size_t b, std::size_t e) {
    while (b < e && is_space(doc_[b])) ++b;
    while (e > b && is_space(doc_[e - 1])) --e;
    if (b >= e) return;
    if (!out_.ranges.empty() && out_.ranges.back().end > b) return;  // never overlap (defensive)
    out_.ranges.push_back({b, e, out_.lang});
  }
  // [b, e) minus `skips` (sorted by begin; they may overlap).
  void add_ranges(std::size_t b, std::size_t e, std::vector<Span>& skips) {
    std::stable_sort(skips.begin(), skips.end(), [](const Span& x, const Span& y) { return x.begin < y.begin; });
    std::size_t cur = b;
    for (const Span& s : skips) {
      if (s.begin > cur) add_range(cur, std::min(s.begin, e));
      cur = std::max(cur, s.end);
      if (cur >= e) return;
    }
    add_range(cur, e);
  }

  // An HTML comment [begin, end) whose body is [body_b, body_e).
  void comment(std::size_t begin, std::size_t body_b, std::size_t body_e) {
    Suppression s;
    if (!parse_suppression(doc_.substr(body_b, body_e - body_b), s)) return;
    s.offset = begin;
    s.line = lines_.position_of(begin).line;
    out_.suppressions.push_back(std::move(s));
  }
  // All comments in [b, e) (an HTML block of a Markdown document, or a text file). Returns
  // their spans when `spans` is given (suppressions only when `only_suppressions`).
  void comments_in(std::size_t b, std::size_t e, std::vector<Span>* spans, bool only_suppressions) {
    std::size_t p = b;
    while (p < e) {
      const std::size_t open = doc_.substr(0, e).find("<!--", p);
      if (open == npos) return;
      std::size_t body = open + 4, close, end;
      if (doc_.substr(body, 1) == ">" || doc_.substr(body, 2) == "->") {
        close = body;
        end = doc_.find('>', body) + 1;
      } else {
        close = doc_.substr(0, e).find("-->", body);
        if (close == npos) return;
        end = close + 3;
      }
      const std::size_t before = out_.suppressions.size();
      comment(open, body, close);
      if (spans && (!only_suppressions || out_.suppressions.size() > before)) spans->push_back({open, end});
      p = end;
    }
  }

  // ---- inline Markdown ----

  struct Inline {
    std::unordered_map<std::size_t, std::size_t> ticks;  // run length -> start of its last run seen
    std::size_t ticks_scanned = npos;                    // the whole slice was scanned from here
    Finder comment_end{"-->"}, pi_end{"?>"}, cdata_end{"]]>"}, decl_end{">"};
    std::size_t link_fail_until = 0;
    std::array<std::size_t, 3> quote_fail_from{npos, npos, npos};  // '"', '\'', ')'
  };

  std::size_t tick_run(std::size_t p, std::size_t e) const {
    std::size_t q = p;
    while (q < e && doc_[q] == '`') ++q;
    return q - p;
  }
  // The start of the closing backtick run of length `n` after `from`, or npos.
  std::size_t closing_ticks(Inline& st, std::size_t from, std::size_t e, std::size_t n) {
    if (st.ticks_scanned != npos && st.ticks_scanned <= from) {
      auto it = st.ticks.find(n);
      if (it == st.ticks.end() || it->second < from) return npos;
    }
    std::size_t q = from;
    while (q < e) {
      const void* hit = std::memchr(doc_.data() + q, '`', e - q);
      if (!hit) break;
      q = static_cast<std::size_t>(static_cast<const char*>(hit) - doc_.data());
      const std::size_t len = tick_run(q, e);
      std::size_t& seen = st.ticks[len];
      seen = std::max(seen, q);
      if (len == n) return q;
      q += len;
    }
    if (st.ticks_scanned == npos || from < st.ticks_scanned) st.ticks_scanned = from;
    return npos;
  }

  // A quoted run from `p` (at its opening quote) to just past its closing quote, or npos.
  std::size_t quoted(Inline& st, std::size_t p, std::size_t e) {
    const char open = doc_[p];
    const char close = open == '(' ? ')' : open;
    const int which = open == '"' ? 0 : open == '\'' ? 1 : 2;
    if (st.quote_fail_from[which] != npos && p >= st.quote_fail_from[which]) return npos;
    for (std::size_t q = p + 1; q < e; ++q) {
      if (doc_[q] == '\\' && q + 1 < e && is_punct(doc_[q + 1]))
        ++q;
      else if (doc_[q] == close)
        return q + 1;
      else if (open == '(' && doc_[q] == '(')
        break;
    }
    st.quote_fail_from[which] = std::min(st.quote_fail_from[which], p);
    return npos;
  }

  // `<...>` at p: an autolink, comment, tag, processing instruction, declaration or CDATA.
  // Returns the end of the construct, or npos when `<` is literal text.
  std::size_t angle(Inline& st, std::size_t p, std::size_t e) {
    const std::string_view s = doc_.substr(0, e);
    std::size_t q = p + 1;
    if (q >= e) return npos;
    if (s.substr(q, 3) == "!--") {
      const std::size_t body = q + 3;
      if (s.substr(body, 1) == ">") return body + 1;
      if (s.substr(body, 2) == "->") return body + 2;
      const std::size_t close = st.comment_end.find(s, body, e);
      if (close == npos) return npos;
      comment(p, body, close);
      return close + 3;
    }
    if (s[q] == '?') {
      const std::size_t close = st.pi_end.find(s, q + 1, e);
      return close == npos ? npos : close + 2;
    }
    if (s.substr(q, 8) == "![CDATA[") {
      const std::size_t close = st.cdata_end.find(s, q + 8, e);
      return close == npos ? npos : close + 3;
    }
    if (s[q] == '!' && q + 1 < e && is_alpha(s[q + 1])) {
      const std::size_t close = st.decl_end.find(s, q + 1, e);
      return close == npos ? npos : close + 1;
    }
    // Autolink: <scheme:...> or <user@host>.
    if (is_alpha(s[q])) {
      std::size_t r = q + 1;
      while (r < e && r - q < 32 && (is_alnum(s[r]) || s[r] == '+' || s[r] == '.' || s[r] == '-')) ++r;
      if (r < e && s[r] == ':' && r - q >= 2) {
        std::size_t t = r + 1;
        while (t<e&& static_cast<unsigned char>(s[t])> ' ' && s[t] != '<' && s[t] != '>') ++t;
        if (t < e && s[t] == '>') return t + 1;
      }
    }
    {
      std::size_t r = q;
      while (r < e && (is_alnum(s[r]) || std::strchr(".!#$%&'*+/=?^_`{|}~-", s[r]))) ++r;
      if (r > q && r < e && s[r] == '@') {
        std::size_t t = r + 1;
        while (t < e && (is_alnum(s[t]) || s[t] == '-' || s[t] == '.')) ++t;
        if (t > r + 1 && t < e && s[t] == '>') return t + 1;
      }
    }
    // Closing tag.
    if (s[q] == '/') {
      std::size_t r = q + 1;
      if (r >= e || !is_alpha(s[r])) return npos;
      while (r < e && (is_alnum(s[r]) || s[r] == '-')) ++r;
      while (r < e && is_space(s[r])) ++r;
      return r < e && s[r] == '>' ? r + 1 : npos;
    }
    // Opening tag with attributes.
    if (!is_alpha(s[q])) return npos;
    std::size_t r = q + 1;
    while (r < e && (is_alnum(s[r]) || s[r] == '-')) ++r;
    for (;;) {
      const std::size_t before_space = r;
      while (r < e && is_space(s[r])) ++r;
      if (r >= e) return npos;
      if (s[r] == '>') return r + 1;
      if (s[r] == '/') return r + 1 < e && s[r + 1] == '>' ? r + 2 : npos;
      if (r == before_space) return npos;  // attributes are separated by space
      if (!(is_alpha(s[r]) || s[r] == '_' || s[r] == ':')) return npos;
      while (r < e && (is_alnum(s[r]) || std::strchr("_.:-", s[r]))) ++r;
      std::size_t t = r;
      while (t < e && is_space(s[t])) ++t;
      if (t < e && s[t] == '=') {
        ++t;
        while (t < e && is_space(s[t])) ++t;
        if (t >= e) return npos;
        if (s[t] == '"' || s[t] == '\'') {
          r = quoted(st, t, e);
          if (r == npos) return npos;
        } else {
          const std::size_t v = t;
          while (t < e && !is_space(s[t]) && !std::strchr("\"'=<>`", s[t])) ++t;
          if (t == v) return npos;
          r = t;
        }
      }
    }
  }

  // A link destination and optional title after `](` (p at the `(`): end past `)`, or npos.
  // `reached` tells how far the attempt looked.
  std::size_t destination(Inline& st, std::size_t p, std::size_t e, std::size_t& reached) {
    const std::string_view s = doc_.substr(0, e);
    std::size_t q = p + 1;
    while (q < e && is_space(s[q])) ++q;
    if (q < e && s[q] == '<') {
      ++q;
      while (q < e && s[q] != '>' && s[q] != '\n' && s[q] != '<') q += (s[q] == '\\' && q + 1 < e) ? 2 : 1;
      if (q >= e || s[q] != '>') {
        reached = q;
        return npos;
      }
      ++q;
    } else {
      int depth = 0;
      while (q<e&& static_cast<unsigned char>(s[q])> ' ') {
        if (s[q] == '\\' && q + 1 < e && is_punct(s[q + 1])) {
          q += 2;
          continue;
        }
        if (s[q] == '(') {
          if (++depth > 32) break;
        } else if (s[q] == ')') {
          if (depth == 0) break;
          --depth;
        }
        ++q;
      }
      reached = q;
      if (depth != 0) return npos;
    }
    const std::size_t after_dest = q;
    while (q < e && is_space(s[q])) ++q;
    if (q < e && q > after_dest && (s[q] == '"' || s[q] == '\'' || s[q] == '(')) {
      q = quoted(st, q, e);
      if (q == npos) return npos;
      while (q < e && is_space(s[q])) ++q;
    }
    reached = std::max(reached, q);
    return q < e && s[q] == ')' ? q + 1 : npos;
  }

  // A bare URL at p (http://, https://, ftp://, mailto:, www.): its end, or npos.
  std::size_t bare_url(std::size_t p, std::size_t b, std::size_t e) const {
    if (p > b) {
      const char prev = doc_[p - 1];
      if (is_alnum(prev) || prev == '.' || prev == '-' || prev == '_' || prev == '/' || prev == '@') return npos;
    }
    const std::string_view s = doc_.substr(0, e);
    std::size_t q;
    if (starts_with_nocase(s, p, "http://"))
      q = p + 7;
    else if (starts_with_nocase(s, p, "https://"))
      q = p + 8;
    else if (starts_with_nocase(s, p, "ftp://"))
      q = p + 6;
    else if (starts_with_nocase(s, p, "mailto:"))
      q = p + 7;
    else if (starts_with_nocase(s, p, "www.") && p + 4 < e && is_alnum(s[p + 4]))
      q = p + 4;
    else
      return npos;
    if (q >= e || !(is_alnum(s[q]) || s[q] == '[')) return npos;
    // To whitespace or `<`; non-ASCII ends it too, so Chinese text right after a URL stays prose.
    while (q<e&& static_cast<unsigned char>(s[q])> ' ' && static_cast<unsigned char>(s[q]) < 0x80 && s[q] != '<') ++q;
    // Trailing punctuation is not part of it; nor is an unbalanced `)`.
    std::ptrdiff_t balance = 0;
    for (std::size_t k = p; k < q; ++k) balance += s[k] == '(' ? 1 : s[k] == ')' ? -1 : 0;
    for (;;) {
      const char c = s[q - 1];
      if (std::strchr("?!.,:*_~'\"", c)) {
        --q;
      } else if (c == ')' && balance < 0) {
        --q;
        ++balance;
      } else {
        break;
      }
    }
    return q;
  }

  // A link reference definition at `p` (the content start of a line): the end of its last
  // line, or npos.
  std::size_t reference_definition(Inline& st, std::size_t p, std::size_t e) {
    const std::string_view s = doc_.substr(0, e);
    std::size_t q = p;
    while (q < e && is_blank(s[q])) ++q;
    if (q >= e || s[q] != '[' || q + 1 >= e || s[q + 1] == '^') return npos;
    std::size_t r = q + 1;
    bool nonblank = false;
    while (r < e && s[r] != ']' && r - q <= 1000) {
      if (s[r] == '[') return npos;
      if (s[r] == '\\' && r + 1 < e) ++r;
      if (!is_space(s[r])) nonblank = true;
      ++r;
    }
    if (r + 1 >= e || s[r] != ']' || s[r + 1] != ':' || !nonblank) return npos;
    r += 2;
    auto skip_space_one_newline = [&](std::size_t x) {
      while (x < e && is_blank(s[x])) ++x;
      if (x < e && s[x] == '\r') ++x;
      if (x < e && s[x] == '\n') ++x;
      while (x < e && (is_blank(s[x]) || s[x] == '>')) ++x;
      return x;
    };
    r = skip_space_one_newline(r);
    if (r >= e) return npos;
    if (s[r] == '<') {
      while (r < e && s[r] != '>' && s[r] != '\n') ++r;
      if (r >= e || s[r] != '>') return npos;
      ++r;
    } else {
      const std::size_t d = r;
      while (r<e&& static_cast<unsigned char>(s[r])> ' ') ++r;
      if (r == d) return npos;
    }
    auto line_end = [&](std::size_t x) {
      const std::size_t nl = s.find('\n', x);
      return nl == npos ? e : nl;
    };
    auto rest_blank = [&](std::size_t x) {
      while (x < e && is_blank(s[x])) ++x;
      return x >= e || s[x] == '\n' || s[x] == '\r';
    };
    std::size_t t = r;
    while (t < e && is_blank(s[t])) ++t;
    if (t < e && t > r && (s[t] == '"' || s[t] == '\'' || s[t] == '(')) {  // title on the same line
      const std::size_t end = quoted(st, t, e);
      return end != npos && rest_blank(end) ? line_end(end) : npos;
    }
    if (!rest_blank(r)) return npos;
    const std::size_t dest_line_end = line_end(r);
    // A title on the next line.
    if (dest_line_end < e) {
      std::size_t u = dest_line_end + 1;
      while (u < e && (is_blank(s[u]) || s[u] == '>')) ++u;
      if (u < e && (s[u] == '"' || s[u] == '\'' || s[u] == '(')) {
        const std::size_t end = quoted(st, u, e);
        if (end != npos && rest_blank(end)) return line_end(end);
      }
    }
    return dest_line_end;
  }

  // The inline syntax of [b, e) that is not prose, appended to `skips`. `line_starts` are the
  // content starts of its lines, for reference definitions (empty: none are looked for).
  void scan_inlines(std::size_t b, std::size_t e, const std::vector<std::size_t>& line_starts,
                    std::vector<Span>& skips) {
    Inline st;
    std::size_t p = b;
    for (std::size_t li = 0; li < line_starts.size();) {
      const std::size_t end = reference_definition(st, line_starts[li], e);
      if (end == npos) break;
      skips.push_back({line_starts[li], end});
      p = end;
      while (li < line_starts.size() && line_starts[li] <= end) ++li;
    }
    static const std::array<bool, 256> interesting = [] {
      std::array<bool, 256> t{};
      for (unsigned char c : std::string_view("\\`<]hHwWfFmM")) t[c] = true;
      return t;
    }();
    while (p < e) {
      while (p < e && !interesting[static_cast<unsigned char>(doc_[p])]) ++p;
      if (p >= e) break;
      switch (doc_[p]) {
        case '\\': p += (p + 1 < e && is_punct(doc_[p + 1])) ? 2 : 1; break;
        case '`': {
          const std::size_t n = tick_run(p, e);
          const std::size_t close = closing_ticks(st, p + n, e, n);
          if (close == npos) {
            p += n;
          } else {
            skips.push_back({p, close + n});
            p = close + n;
          }
          break;
        }
        case '<': {
          const std::size_t end = angle(st, p, e);
          if (end == npos) {
            ++p;
          } else {
            skips.push_back({p, end});
            p = end;
          }
          break;
        }
        case ']': {
          if (p + 1 < e && doc_[p + 1] == '(' && p + 1 >= st.link_fail_until) {
            std::size_t reached = p + 1;
            const std::size_t end = destination(st, p + 1, e, reached);
            if (end != npos) {
              skips.push_back({p + 1, end});
              p = end;
              break;
            }
            st.link_fail_until = reached;
          } else if (p + 1 < e && doc_[p + 1] == '[') {  // [text][label]: the label is not prose
            std::size_t r = p + 2;
            while (r < e && r - p < 1000 && doc_[r] != ']' && doc_[r] != '[') ++r;
            if (r < e && doc_[r] == ']') {
              skips.push_back({p + 1, r + 1});
              p = r + 1;
              break;
            }
          }
          ++p;
          break;
        }
        default: {
          const std::size_t end = bare_url(p, b, e);
          if (end == npos) {
            ++p;
          } else {
            skips.push_back({p, end});
            p = end;
          }
        }
      }
    }
  }
};

// ---- Markdown -------------------------------------------------------------------------------

// Front matter: `---` ... `---` or `...` (YAML), `+++` ... `+++` (TOML), at the very start.
// Returns the offset after it (0 when there is none) and sets `lang` from `lang:` / `lang =`.
std::size_t front_matter(std::string_view s, std::size_t start, std::string& lang) {
  auto line_at = [&](std::size_t p) {
    std::size_t nl = s.find('\n', p);
    std::size_t end = nl == npos ? s.size() : nl;
    std::size_t next = nl == npos ? s.size() : nl + 1;
    std::size_t content_end = end;
    while (content_end > p && is_space(s[content_end - 1])) --content_end;
    return std::tuple{s.substr(p, content_end - p), next};
  };
  auto [first, body] = line_at(start);
  if (first != "---" && first != "+++") return 0;
  const bool toml = first == "+++";
  std::string found;
  for (std::size_t p = body; p < s.size();) {
    auto [line, next] = line_at(p);
    if (line == first || (!toml && line == "...")) {
      lang = found;
      return next;
    }
    if (line.substr(0, 4) == "lang" && line.size() > 4) {
      std::string_view v = line.substr(4);
      std::size_t k = 0;
      while (k < v.size() && is_blank(v[k])) ++k;
      if (k < v.size() && v[k] == (toml ? '=' : ':')) {
        v = v.substr(k + 1);
        if (const std::size_t hash = v.find(" #"); hash != npos) v = v.substr(0, hash);
        while (!v.empty() && is_space(v.front())) v.remove_prefix(1);
        while (!v.empty() && is_space(v.back())) v.remove_suffix(1);
        if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front())
          v = v.substr(1, v.size() - 2);
        if (std::all_of(v.begin(), v.end(), [](char c) { return is_alnum(c) || c == '-' || c == '_'; }))
          found = std::string(v);
      }
    }
    p = next;
  }
  return 0;  // not closed: not front matter
}

// What a block is to the scan (the table node type of the extension is not in its headers).
enum class BlockKind : std::uint8_t { Paragraph, Heading, Table, Html, Other };

struct Block {
  BlockKind kind;
  int start_line, start_column, end_line, end_column;
  int quote_depth;
};

const std::vector<cmark_syntax_extension*>& extensions() {
  static const std::vector<cmark_syntax_extension*> list = [] {
    cmark_gfm_core_extensions_ensure_registered();
    std::vector<cmark_syntax_extension*> v;
    if (cmark_syntax_extension* e = cmark_find_syntax_extension("table")) v.push_back(e);
    return v;
  }();
  return list;
}

// What cmark-gfm is given: `body` with the same length and line structure, where inline syntax
// that cannot change the block structure is blanked out ("x"), so its inline parser (whose
// results are not used, and which is slow and memory-hungry on some inputs) has little to do.
// In a line, after the container and list markers, once a letter, a non-ASCII byte or the
// 256th byte has been seen: `[ ! & * _` and `]` (unless it may end a CDATA block) become x, and so does `<` unless it
// starts the end tag that closes a <script>, <pre>, <style> or <textarea> HTML block, and a backtick unless the line
// opens a code fence. Markers past the 256th byte of a line become x too, which caps the nesting of block quotes and
// lists (hostile inputs); such deep markers are then prose.
struct InlineSyntax {
  bool has[256] = {};
  constexpr InlineSyntax() {
    for (unsigned char c : std::string_view("[!&*_`]<")) has[c] = true;
  }
};
constexpr InlineSyntax kInlineSyntax;

std::string blanked_for_blocks(std::string_view body) {
  std::string out(body);
  constexpr std::size_t kLimit = 256;
  const std::size_t n = out.size();
  for (std::size_t ls = 0; ls < n;) {
    std::size_t le = ls;
    while (le < n && out[le] != '\n' && out[le] != '\r') ++le;
    std::size_t p = ls;
    while (p < le && std::strchr(" \t>*+-0123456789.)", out[p])) {
      if (p - ls >= kLimit) out[p] = 'x';
      ++p;
    }
    const bool fence = le - p >= 3 && out.compare(p, 3, "```") == 0;
    // Up to the first letter, non-ASCII byte or the 256th byte nothing changes.
    for (; p < le; ++p) {
      const char c = out[p];
      if (is_alpha(c) || static_cast<unsigned char>(c) >= 0x80 || p - ls >= kLimit) break;
    }
    for (; p < le; ++p) {
      const char c = out[p];
      if (!kInlineSyntax.has[static_cast<unsigned char>(c)]) continue;
      if (c == '[' || c == '!' || c == '&' || c == '*' || c == '_' || (c == '`' && !fence) ||
          (c == ']' && !(p + 1 < le && (out[p + 1] == ']' || out[p + 1] == '>')))) {
        out[p] = 'x';
      } else if (c == '<') {
        const bool closes_block =
            p + 1 < le && out[p + 1] == '/' &&
            (starts_with_nocase(out, p + 2, "script") || starts_with_nocase(out, p + 2, "pre") ||
             starts_with_nocase(out, p + 2, "style") || starts_with_nocase(out, p + 2, "textarea"));
        if (!closes_block) out[p] = 'x';
      }
    }
    ls = le + 1;
  }
  return out;
}

// The blocks of `body` that matter here, in document order (positions relative to `body`).
std::vector<Block> parse_blocks(std::string_view body) {
  std::vector<Block> blocks;
  std::unique_ptr<cmark_parser, void (*)(cmark_parser*)> parser(cmark_parser_new(CMARK_OPT_FOOTNOTES),
                                                                cmark_parser_free);
  if (!parser) return blocks;
  for (cmark_syntax_extension* e : extensions()) cmark_parser_attach_syntax_extension(parser.get(), e);
  const std::string blanked = blanked_for_blocks(body);
  cmark_parser_feed(parser.get(), blanked.data(), blanked.size());
  std::unique_ptr<cmark_node, void (*)(cmark_node*)> root(cmark_parser_finish(parser.get()), cmark_node_free);
  if (!root) return blocks;
  std::unique_ptr<cmark_iter, void (*)(cmark_iter*)> it(cmark_iter_new(root.get()), cmark_iter_free);
  int depth = 0;
  for (cmark_event_type ev; (ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE;) {
    cmark_node* n = cmark_iter_get_node(it.get());
    const cmark_node_type type = cmark_node_get_type(n);
    if (type == CMARK_NODE_BLOCK_QUOTE) depth += ev == CMARK_EVENT_ENTER ? 1 : -1;
    if (ev != CMARK_EVENT_ENTER) continue;
    if (type == CMARK_NODE_DOCUMENT) continue;
    const bool table = std::strcmp(cmark_node_get_type_string(n), "table") == 0;
    const BlockKind kind = type == CMARK_NODE_PARAGRAPH    ? BlockKind::Paragraph
                           : type == CMARK_NODE_HEADING    ? BlockKind::Heading
                           : table                         ? BlockKind::Table
                           : type == CMARK_NODE_HTML_BLOCK ? BlockKind::Html
                                                           : BlockKind::Other;
    blocks.push_back({kind, cmark_node_get_start_line(n), cmark_node_get_start_column(n), cmark_node_get_end_line(n),
                      cmark_node_get_end_column(n), depth});
    const bool leaf = kind != BlockKind::Other || type == CMARK_NODE_CODE_BLOCK || type == CMARK_NODE_THEMATIC_BREAK;
    if (leaf) cmark_iter_reset(it.get(), n, CMARK_EVENT_EXIT);  // its inlines and rows are ours to scan
  }
  return blocks;
}

void scan_markdown(Scanner& sc, std::size_t start) {
  const std::string_view doc = sc.doc_;
  const std::size_t after_front_matter = front_matter(doc, start, sc.out_.lang);
  const std::size_t body_begin = after_front_matter ? after_front_matter : start;
  const std::string_view body = doc.substr(body_begin);
  // Lines as cmark counts them (LF, CR LF or a lone CR), as absolute offsets.
  std::vector<std::size_t> starts{body_begin};
  for (std::size_t i = body_begin; i < doc.size(); ++i)
    if (doc[i] == '\n' || (doc[i] == '\r' && (i + 1 == doc.size() || doc[i + 1] != '\n'))) starts.push_back(i + 1);
  if (starts.size() > 1 && starts.back() == doc.size()) starts.pop_back();
  const std::size_t nlines = starts.size();
  auto line_begin = [&](std::size_t l) { return starts[l]; };  // l is 0-based
  auto line_end = [&](std::size_t l) {
    std::size_t e = l + 1 < nlines ? starts[l + 1] : doc.size();
    if (e > starts[l] && doc[e - 1] == '\n') --e;
    if (e > starts[l] && doc[e - 1] == '\r') --e;
    return e;
  };
  // After up to `depth` block quote markers (and the space around them) from `p`.
  auto strip_quotes = [&](std::size_t p, std::size_t e, int depth) {
    for (int d = 0; d < depth; ++d) {
      std::size_t q = p;
      while (q < e && is_blank(doc[q])) ++q;
      if (q >= e || doc[q] != '>') break;
      p = q + 1;
    }
    return p;
  };
  auto blank_line = [&](std::size_t l, int depth) {
    const std::size_t e = line_end(l);
    std::size_t p = strip_quotes(line_begin(l), e, depth);
    while (p < e && is_space(doc[p])) ++p;
    return p >= e;
  };

  const std::vector<Block> blocks = parse_blocks(body);
  for (std::size_t k = 0; k < blocks.size(); ++k) {
    const Block& bl = blocks[k];
    if (bl.kind == BlockKind::Other) continue;
    if (bl.start_line < 1 || static_cast<std::size_t>(bl.start_line) > nlines) continue;
    const std::size_t first = static_cast<std::size_t>(bl.start_line) - 1;
    // The last line: before the next block, not past its own end (when that is sane).
    std::size_t last = nlines - 1;
    for (std::size_t j = k + 1; j < blocks.size(); ++j)
      if (blocks[j].start_line > bl.start_line) {
        last = std::min(last, static_cast<std::size_t>(blocks[j].start_line) - 2);
        break;
      }
    if (bl.kind == BlockKind::Html) {
      sc.comments_in(line_begin(first), line_end(last), nullptr, true);
      continue;
    }
    // A reported end is used when it is sane, except for headings (a setext heading's is late).
    const int end_line = bl.end_column == 0 ? bl.end_line - 1 : bl.end_line;
    if (bl.kind != BlockKind::Heading && end_line >= bl.start_line)
      last = std::min(last, static_cast<std::size_t>(end_line) - 1);
    for (std::size_t l = first + 1; l <= last; ++l)
      if (blank_line(l, bl.quote_depth)) {
        last = l - 1;
        break;
      }
    const std::size_t first_content =
        std::min(line_begin(first) + static_cast<std::size_t>(std::max(bl.start_column, 1)) - 1, line_end(first));
    std::vector<std::size_t> content{first_content};  // where each line's content starts
    std::vector<Span> skips;
    for (std::size_t l = first + 1; l <= last; ++l) {
      const std::size_t c = strip_quotes(line_begin(l), line_end(l), bl.quote_depth);
      if (c > line_begin(l)) skips.push_back({line_begin(l), c});
      content.push_back(c);
    }
    sc.begin_group();
    if (bl.kind == BlockKind::Table) {
      for (std::size_t i = 0; i < content.size(); ++i) {
        if (i == 1) continue;  // the delimiter row
        const std::size_t e = line_end(first + i);
        std::size_t cell = content[i];
        for (std::size_t p = content[i]; p <= e; ++p) {
          if (p < e && doc[p] == '\\') {
            ++p;
            continue;
          }
          if (p == e || doc[p] == '|') {
            std::vector<Span> cell_skips;
            sc.scan_inlines(cell, p, {}, cell_skips);
            sc.add_ranges(cell, p, cell_skips);
            cell = p + 1;
          }
        }
      }
      sc.end_group();
      continue;
    }
    std::size_t b = first_content, e = line_end(last);
    if (bl.kind == BlockKind::Heading) {
      std::size_t p = b;
      while (p < e && doc[p] == '#') ++p;
      if (p > b && p - b <= 6 && (p == e || is_blank(doc[p]))) {  // ATX: `## text ##`
        b = p;
        e = line_end(first);
        content.resize(1);
        skips.clear();
        std::size_t q = e;
        while (q > b && is_space(doc[q - 1])) --q;
        std::size_t hashes = q;
        while (hashes > b && doc[hashes - 1] == '#') --hashes;
        if (hashes < q && (hashes == b || is_blank(doc[hashes - 1]))) e = hashes;
      } else {  // setext: the text ends before the `===` or `---` line
        for (std::size_t i = 1; i < content.size(); ++i) {
          const std::size_t le = line_end(first + i);
          std::size_t p2 = content[i];
          while (p2 < le && is_blank(doc[p2])) ++p2;
          const char u = p2 < le ? doc[p2] : '\0';
          std::size_t q = p2;
          while (q < le && doc[q] == u) ++q;
          while (q < le && is_space(doc[q])) ++q;
          if ((u == '=' || u == '-') && q == le) {
            e = line_end(first + i - 1);
            content.resize(i);
            break;
          }
        }
      }
      content.clear();  // no reference definitions in headings
    }
    std::erase_if(skips, [&](const Span& s) { return s.begin >= e; });
    sc.scan_inlines(b, e, bl.kind == BlockKind::Paragraph ? content : std::vector<std::size_t>{}, skips);
    sc.add_ranges(b, e, skips);
    sc.end_group();
  }
}

// ---- HTML -------------------------------------------------------------------------------------

bool tag_is(std::string_view name, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

void scan_html(Scanner& sc, std::size_t start) {
  const std::string_view s = sc.doc_;
  const std::size_t n = s.size();
  std::size_t p = start, text = start;
  int skip_depth = 0;  // inside <pre>, <code>, ...
  bool seen_html = false;
  std::string name;
  sc.begin_group();
  auto flush = [&](std::size_t end) {
    if (skip_depth == 0 && end > text) sc.add_range(text, end);
  };
  while (p < n) {
    const void* hit = std::memchr(s.data() + p, '<', n - p);
    if (!hit) break;
    p = static_cast<std::size_t>(static_cast<const char*>(hit) - s.data());
    const std::size_t lt = p;
    std::size_t q = p + 1;
    if (s.substr(q, 3) == "!--") {  // comment
      const std::size_t body = q + 3;
      std::size_t end;
      if (s.substr(body, 1) == ">")
        end = body + 1;
      else if (s.substr(body, 2) == "->")
        end = body + 2;
      else {
        const std::size_t close = s.find("-->", body);
        end = close == npos ? n : close + 3;
        sc.comment(lt, body, close == npos ? n : close);
      }
      flush(lt);
      p = text = end;
      continue;
    }
    if (q < n && (s[q] == '!' || s[q] == '?' || (s[q] == '/' && q + 1 < n && !is_alpha(s[q + 1])))) {
      // doctype, processing instruction or bogus comment: to the next `>`
      const std::size_t close = s.find('>', q);
      flush(lt);
      p = text = close == npos ? n : close + 1;
      continue;
    }
    const bool closing = q < n && s[q] == '/';
    if (closing) ++q;
    if (q >= n || !is_alpha(s[q])) {
      ++p;  // a literal `<`
      continue;
    }
    name.clear();
    while (q < n && !is_space(s[q]) && s[q] != '/' && s[q] != '>') name += lower(s[q++]);
    // Attributes (quoted values may hold `>`), noting `lang` on the first <html>.
    std::string lang;
    bool self_closing = false;
    while (q < n && s[q] != '>') {
      if (is_space(s[q]) || s[q] == '/') {
        self_closing = s[q] == '/';
        ++q;
        continue;
      }
      self_closing = false;
      const std::size_t an = q;
      while (q < n && !is_space(s[q]) && s[q] != '/' && s[q] != '>' && s[q] != '=') ++q;
      const std::string_view attr = s.substr(an, q - an);
      while (q < n && is_space(s[q])) ++q;
      if (q < n && s[q] == '=') {
        ++q;
        while (q < n && is_space(s[q])) ++q;
        std::size_t vb = q, ve;
        if (q < n && (s[q] == '"' || s[q] == '\'')) {
          const std::size_t close = s.find(s[q], q + 1);
          vb = q + 1;
          ve = close == npos ? n : close;
          q = close == npos ? n : close + 1;
        } else {
          while (q < n && !is_space(s[q]) && s[q] != '>') ++q;
          ve = q;
        }
        if (attr.size() == 4 && starts_with_nocase(attr, 0, "lang")) lang = std::string(s.substr(vb, ve - vb));
      }
    }
    const std::size_t end = q < n ? q + 1 : n;
    flush(lt);
    p = text = end;
    if (closing) {
      if (skip_depth > 0 && tag_is(name, {"pre", "code", "kbd", "samp"})) --skip_depth;
    } else {
      if (name == "html" && !seen_html) {
        seen_html = true;
        while (!lang.empty() && is_space(lang.back())) lang.pop_back();
        if (!lang.empty()) {
          sc.out_.lang = lang;
          for (auto& r : sc.out_.ranges) r.locale = lang;
        }
      }
      if (!self_closing && tag_is(name, {"pre", "code", "kbd", "samp"})) ++skip_depth;
      if (tag_is(name, {"script", "style"})) {  // raw text to the matching end tag
        std::size_t r = end;
        for (;;) {
          const std::size_t close = s.find("</", r);
          if (close == npos) {
            r = n;
            break;
          }
          if (starts_with_nocase(s, close + 2, name)) {
            r = close;
            break;
          }
          r = close + 2;
        }
        p = text = r;
      }
    }
    if (tag_is(name, {"p",      "div",        "br",      "li",     "ul",     "ol",   "dl",    "dt",   "dd",
                      "h1",     "h2",         "h3",      "h4",     "h5",     "h6",   "td",    "th",   "tr",
                      "table",  "section",    "article", "header", "footer", "nav",  "aside", "main", "blockquote",
                      "figure", "figcaption", "title",   "body",   "head",   "html", "hr",    "pre"})) {
      sc.end_group();
      sc.begin_group();
    }
  }
  flush(n);
  sc.end_group();
}

// ---- text -------------------------------------------------------------------------------------

void scan_text(Scanner& sc, std::size_t start) {
  const std::string_view s = sc.doc_;
  std::vector<Span> comments;  // suppression comments are not prose
  sc.comments_in(start, s.size(), &comments, true);
  std::size_t next_comment = 0;
  std::size_t p = start, para = npos;
  auto close_paragraph = [&](std::size_t end) {
    if (para == npos) return;
    std::vector<Span> skips;
    while (next_comment < comments.size() && comments[next_comment].begin < end)
      skips.push_back(comments[next_comment++]);
    sc.begin_group();
    sc.add_ranges(para, end, skips);
    sc.end_group();
    // A comment that runs past the paragraph end keeps applying to the next one.
    if (!skips.empty() && skips.back().end > end) --next_comment;
    para = npos;
  };
  while (p < s.size()) {
    const void* hit = std::memchr(s.data() + p, '\n', s.size() - p);
    const std::size_t nl = hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - s.data()) : s.size();
    bool blank = true;
    for (std::size_t i = p; i < nl && blank; ++i) blank = is_space(s[i]);
    if (blank)
      close_paragraph(p);
    else if (para == npos)
      para = p;
    p = nl + 1;
  }
  close_paragraph(s.size());
}

}  // namespace

// ---- public -----------------------------------------------------------------------------------

DocKind kind_of_path(std::string_view path) noexcept {
  const std::size_t slash = path.find_last_of("/\\");
  const std::string_view file = slash == npos ? path : path.substr(slash + 1);
  const std::size_t dot = file.rfind('.');
  if (dot == npos) return DocKind::Text;
  const std::string_view ext = file.substr(dot + 1);
  auto is = [&](std::string_view e) { return ext.size() == e.size() && starts_with_nocase(ext, 0, e); };
  if (is("md") || is("markdown") || is("mdx")) return DocKind::Markdown;
  if (is("html") || is("htm")) return DocKind::Html;
  return DocKind::Text;
}

Document scan_document(std::string_view bytes, DocKind kind) {
  Document doc;
  doc.kind = kind;
  try {
    find_invalid_utf8(bytes, doc.problems);
    Scanner sc(bytes, doc);
    const std::size_t start = has_bom(bytes) ? 3 : 0;
    switch (kind) {
      case DocKind::Markdown: scan_markdown(sc, start); break;
      case DocKind::Html: scan_html(sc, start); break;
      case DocKind::Text: scan_text(sc, start); break;
    }
    std::stable_sort(doc.suppressions.begin(), doc.suppressions.end(),
                     [](const Suppression& a, const Suppression& b) { return a.offset < b.offset; });
  } catch (const std::bad_alloc&) {
    doc.ranges.clear();
    doc.problems.push_back({0, "out of memory while scanning the document"});
  }
  return doc;
}

Position position_of(std::string_view bytes, std::size_t offset) noexcept {
  offset = std::min(offset, bytes.size());
  Position pos;
  const std::string_view before = bytes.substr(0, offset);
  pos.line = 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
  const std::size_t nl = before.rfind('\n');
  pos.line_begin = nl == npos ? 0 : nl + 1;
  std::size_t from = pos.line_begin;
  if (from == 0 && has_bom(bytes) && offset >= 3) from = 3;
  pos.column = 1 + count_code_points(bytes, from, offset);
  const std::size_t next = bytes.find('\n', offset);
  pos.line_end = next == npos ? bytes.size() : next;
  if (pos.line_end > pos.line_begin && bytes[pos.line_end - 1] == '\r') --pos.line_end;
  return pos;
}

LineIndex::LineIndex(std::string_view bytes) : bytes_(bytes), starts_{0} {
  for (std::size_t i = 0; i < bytes.size();) {
    const void* hit = std::memchr(bytes.data() + i, '\n', bytes.size() - i);
    if (!hit) break;
    i = static_cast<std::size_t>(static_cast<const char*>(hit) - bytes.data()) + 1;
    starts_.push_back(i);
  }
  checkpoint_.reserve(bytes.size() / kStride + 1);
  std::size_t count = 0;
  for (std::size_t at = 0;; at += kStride) {
    checkpoint_.push_back(count);
    if (at + kStride > bytes.size()) break;
    count += count_code_points(bytes, at, at + kStride);
  }
}

std::size_t LineIndex::code_points_before(std::size_t offset) const noexcept {
  const std::size_t k = offset / kStride;
  std::size_t n = checkpoint_[k] + count_code_points(bytes_, k * kStride, offset);
  if (offset >= 3 && has_bom(bytes_)) n -= 1;  // the BOM's first byte was counted
  return n;
}

Position LineIndex::position_of(std::size_t offset) const noexcept {
  offset = std::min(offset, bytes_.size());
  Position pos;
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  const std::size_t line = static_cast<std::size_t>(it - starts_.begin()) - 1;
  pos.line = line + 1;
  pos.line_begin = starts_[line];
  if (offset - pos.line_begin <= 2 * kStride) {  // a usual line: count from its start
    std::size_t from = pos.line_begin;
    if (from == 0 && offset >= 3 && has_bom(bytes_)) from = 3;
    pos.column = 1 + count_code_points(bytes_, from, offset);
  } else {  // a long line: from the checkpoints, a few kilobytes at most
    pos.column = 1 + code_points_before(offset) - code_points_before(pos.line_begin);
  }
  pos.line_end = line + 1 < starts_.size() ? starts_[line + 1] - 1 : bytes_.size();
  if (pos.line_end > pos.line_begin && bytes_[pos.line_end - 1] == '\r') --pos.line_end;
  return pos;
}

}  // namespace charter::lint

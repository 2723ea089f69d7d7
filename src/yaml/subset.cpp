// A fast reader for the common subset of YAML that charters are written in: block mappings
// and block lists, plain and quoted one-line scalars, literal and folded block scalars
// (clip or strip chomping), one-line flow lists and mappings, and comments. It builds
// exactly the tree the yaml-cpp event parser gives (tree.cpp, `Builder`) and gives up at the
// first thing outside the subset or anything doubtful (a duplicate key, an anchor or tag, a
// tab or carriage return, a line break inside a quoted or plain scalar or a flow collection,
// a `|+` or indentation indicator, a document marker...), leaving the tree empty: the caller
// then parses the file with yaml-cpp, which also words every error. So this reader never
// reports anything itself, and a file it reads is one yaml-cpp reads the same way
// (tests/unit/test_hostile.cpp compares the two on real and mutated files).
//
// yaml-cpp's scanner is the cost of a large charter: `charter validate` of a 20.6 MB charter
// takes 0.5 s with this reader, where yaml-cpp's event scan alone takes 5.5 s
// (docs/performance.md).
#include "yaml/subset.hpp"

#include "util/text.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>
#include <unordered_set>

namespace charter::detail::yaml {

namespace {

struct GiveUp {};

class Subset {
 public:
  Subset(Tree& t, const Limits& limits)
      : t_(t), s_(t.source.data()), n_(static_cast<std::uint32_t>(t.source.size())), lim_(limits) {}

  void run(std::uint32_t base) {
    next_line(base);
    if (eof_ || col_ != 0) give_up();
    t_.has_document = true;
    block(0);
    if (!eof_) throw GiveUp{};  // content left at a lower indentation than the root's
  }

 private:
  struct Open {
    std::uint32_t node;
    std::uint32_t last = kNone;
    std::unordered_set<std::string>* keys = nullptr;  // mappings with many keys
  };

 public:
  ~Subset() {
    for (auto& o : stack_) delete o.keys;
  }

 private:
  [[noreturn]] static void give_up() { throw GiveUp{}; }

  char at(std::uint32_t p) const noexcept { return p < n_ ? s_[p] : '\n'; }
  static bool blank(char c) noexcept { return c == ' ' || c == '\n'; }

  // Moves to the first content of the next line that has any, starting at the line start
  // `p`: blank lines and comment lines are skipped. Sets p_, col_ and eof_.
  void next_line(std::uint32_t p) {
    while (p < n_) {
      std::uint32_t q = p;
      while (q < n_ && s_[q] == ' ') ++q;
      if (q >= n_) break;
      char c = s_[q];
      if (c == '\n' || c == '#') {
        const void* nl = std::memchr(s_ + q, '\n', n_ - q);
        if (!nl) break;
        p = static_cast<std::uint32_t>(static_cast<const char*>(nl) - s_) + 1;
        continue;
      }
      if (q == p && (c == '%' || ((c == '-' || c == '.') && q + 2 < n_ && s_[q + 1] == c && s_[q + 2] == c)))
        give_up();  // a directive or a document marker
      p_ = q;
      col_ = q - p;
      eof_ = false;
      return;
    }
    p_ = n_;
    col_ = 0;
    eof_ = true;
  }

  // After a value that ends at `p`: only spaces and a comment may follow on the line; then
  // moves to the next content line.
  void end_line(std::uint32_t p) {
    std::uint32_t q = p;
    while (q < n_ && s_[q] == ' ') ++q;
    if (q < n_ && s_[q] == '#') {
      if (q == p) give_up();  // a `#` right after a value is not a comment
      const void* nl = std::memchr(s_ + q, '\n', n_ - q);
      q = nl ? static_cast<std::uint32_t>(static_cast<const char*>(nl) - s_) : n_;
    }
    if (q < n_ && s_[q] != '\n') give_up();
    next_line(q < n_ ? q + 1 : n_);
  }

  bool seq_item(std::uint32_t p) const noexcept { return at(p) == '-' && blank(at(p + 1)); }

  // Whether a quoted scalar at `p` is followed by `: ` on its line (a quoted key).
  bool quoted_key(std::uint32_t p) const noexcept {
    const char q = at(p);
    if (q != '"' && q != '\'') return false;
    for (std::uint32_t i = p + 1; at(i) != '\n'; ++i) {
      if (q == '"' && at(i) == '\\') {
        ++i;
        continue;
      }
      if (at(i) == q) {
        if (q == '\'' && at(i + 1) == '\'') {
          ++i;
          continue;
        }
        return at(i + 1) == ':' && blank(at(i + 2));
      }
    }
    return false;
  }

  // The end of a plain key starting at `p` (the position of its `:`), or kNone when the line
  // does not start with a key this reader accepts.
  std::uint32_t key_end(std::uint32_t p) const noexcept {
    char c = at(p);
    if (c == '-' || c == '?' || c == ':' || c == ' ' || c == '\n') return kNone;
    for (std::uint32_t q = p; q < n_; ++q) {
      c = s_[q];
      if (c == ':' && blank(at(q + 1))) return (s_[q - 1] == ' ' || q - p > 1000) ? kNone : q;
      if (c != ' ' && indicator(c)) return kNone;  // a comment, a quote, a flow indicator...
    }
    return kNone;
  }

  static bool null_word(std::string_view v) noexcept { return v == "~" || v == "null" || v == "Null" || v == "NULL"; }

  std::uint32_t add(Node n) {
    if (stack_.empty()) {
      std::uint32_t none = kNone;
      return append_node(t_, kNone, none, n);
    }
    return append_node(t_, stack_.back().node, stack_.back().last, n);
  }

  std::uint32_t scalar(Style style, std::uint32_t offset, std::uint32_t first, std::uint32_t size) {
    Node n;
    n.kind = Kind::Scalar;
    n.style = style;
    n.offset = offset;
    n.in_source = true;
    n.first = first;
    n.size = size;
    return add(n);
  }

  void null_node(std::uint32_t offset, bool implicit) {
    Node n;
    n.kind = Kind::Null;
    n.offset = offset;
    n.implicit = implicit;
    add(n);
  }

  void open(Kind kind, Style style, std::uint32_t offset) {
    if (stack_.size() >= lim_.max_depth) give_up();
    Node n;
    n.kind = kind;
    n.style = style;
    n.offset = offset;
    std::uint32_t i = add(n);
    stack_.push_back(Open{i});
  }

  void close() {
    delete stack_.back().keys;
    stack_.pop_back();
  }

  // A key just added to the innermost mapping: give up on a key that is not a scalar and on
  // a duplicate (yaml-cpp's parse reports it).
  void check_key(std::uint32_t key) {
    if (t_.nodes[key].kind != Kind::Scalar) give_up();
    Open& o = stack_.back();
    const Node& map = t_.nodes[o.node];
    const std::string_view kv = t_.value(key);
    if (!o.keys && map.size < 32) {
      for (std::uint32_t c = map.first; c != key; c = t_.nodes[t_.nodes[c].next].next)
        if (t_.value(c) == kv) give_up();
      return;
    }
    if (!o.keys) {
      o.keys = new std::unordered_set<std::string>();
      for (std::uint32_t c = map.first; c != key; c = t_.nodes[t_.nodes[c].next].next) o.keys->emplace(t_.value(c));
    }
    if (!o.keys->emplace(kv).second) give_up();
  }

  static int hex_digit(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // The escape at `p` (after its backslash) of a double-quoted scalar: appends its value to
  // `out` and returns its length in the source, or gives up on one this reader leaves to
  // yaml-cpp.
  std::uint32_t escape(std::uint32_t p, std::string& out) {
    char e = at(p);
    const char* simple = nullptr;
    switch (e) {
      case '\\': simple = "\\"; break;
      case '"': simple = "\""; break;
      case '/': simple = "/"; break;
      case 'n': simple = "\n"; break;
      case 't': simple = "\t"; break;
      case 'r': simple = "\r"; break;
      case 'b': simple = "\b"; break;
      case 'f': simple = "\f"; break;
      case 'a': simple = "\a"; break;
      case 'v': simple = "\v"; break;
      case 'e': simple = "\x1B"; break;
      case '0': out += '\0'; return 1;
      default: break;
    }
    if (simple) {
      out += simple;
      return 1;
    }
    std::uint32_t digits = e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : 0;
    if (digits == 0) give_up();
    std::uint32_t cp = 0;
    for (std::uint32_t k = 1; k <= digits; ++k) {
      int d = hex_digit(at(p + k));
      if (d < 0) give_up();
      cp = cp * 16 + static_cast<std::uint32_t>(d);
    }
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) give_up();
    append_utf8(out, cp);
    return 1 + digits;
  }

  // A quoted scalar opening at `p`, on one line; returns the position after it.
  std::uint32_t quoted(std::uint32_t p) {
    const char q = s_[p];
    bool decoded = false;
    std::uint32_t i = p + 1;
    for (;; ++i) {
      char c = at(i);
      if (c == '\n') give_up();
      if (q == '"' && c == '\\') {
        decoded = true;
        ++i;
        if (at(i) == '\n') give_up();
        continue;
      }
      if (c == q) {
        if (q == '\'' && at(i + 1) == '\'') {
          decoded = true;
          ++i;
          continue;
        }
        break;
      }
    }
    const Style style = q == '"' ? Style::DoubleQuoted : Style::SingleQuoted;
    if (!decoded) {
      scalar(style, p, p + 1, i - p - 1);
    } else {
      Node n;
      n.kind = Kind::Scalar;
      n.style = style;
      n.offset = p;
      n.first = static_cast<std::uint32_t>(t_.arena.size());
      for (std::uint32_t k = p + 1; k < i; ++k) {
        if (q == '"' && s_[k] == '\\') {
          k += escape(k + 1, t_.arena);
          continue;
        }
        t_.arena += s_[k];
        if (q == '\'' && s_[k] == '\'') ++k;
      }
      n.size = static_cast<std::uint32_t>(t_.arena.size()) - n.first;
      // As the event parser's tree does: a value that reads the same as the source where it
      // starts is a slice of the source (`'it'''` is `it'`), whatever its escapes.
      if (std::string_view(s_ + p + 1, i - p - 1).starts_with(std::string_view(t_.arena).substr(n.first))) {
        t_.arena.resize(n.first);
        n.in_source = true;
        n.first = p + 1;
      }
      add(n);
    }
    return i + 1;
  }

  // A literal (`|`) or folded (`>`) block scalar whose indicator is at `p`, the value of a
  // node of the block at column `indent`. Reads the lines that belong to it and moves to the
  // next content line. Gives up on indentation indicators, keep chomping (`+`), lines of
  // only spaces, leading empty lines, more-indented lines of a folded scalar, and an empty
  // scalar: the rules there are subtle, and yaml-cpp reads them.
  void block_scalar(std::uint32_t p, std::uint32_t indent) {
    const bool folded = s_[p] == '>';
    bool strip = false;
    std::uint32_t i = p + 1;
    if (at(i) == '-') {
      strip = true;
      ++i;
    }
    if (at(i) != ' ' && at(i) != '\n') give_up();
    while (at(i) == ' ') ++i;
    if (at(i) == '#') {
      if (s_[i - 1] != ' ') give_up();
      while (at(i) != '\n') ++i;
    }
    if (at(i) != '\n' || i >= n_) give_up();
    std::uint32_t line = i + 1, ind = 0;
    while (at(line + ind) == ' ') ++ind;
    if (line >= n_ || at(line + ind) == '\n' || ind <= indent) give_up();
    std::string& out = t_.arena;
    const auto first = static_cast<std::uint32_t>(out.size());
    std::uint32_t empty = 0;
    bool any = false;
    while (line < n_) {
      std::uint32_t sp = 0;
      while (at(line + sp) == ' ') ++sp;
      if (at(line + sp) == '\n') {
        if (sp > 0 || line + sp >= n_) give_up();
        ++empty;
        ++line;
        continue;
      }
      if (sp < ind) break;
      if (sp > ind && folded) give_up();
      const void* nl = std::memchr(s_ + line, '\n', n_ - line);
      if (!nl) give_up();  // the last line has no line break
      const auto eol = static_cast<std::uint32_t>(static_cast<const char*>(nl) - s_);
      if (any) {
        if (folded && empty == 0)
          out += ' ';
        else
          out.append(folded ? empty : empty + 1, '\n');
      }
      out.append(s_ + line + ind, eol - line - ind);
      any = true;
      empty = 0;
      line = eol + 1;
    }
    if (!strip) out += '\n';
    Node n;
    n.kind = Kind::Scalar;
    n.style = folded ? Style::Folded : Style::Literal;
    n.offset = p;
    n.first = first;
    n.size = static_cast<std::uint32_t>(out.size()) - first;
    add(n);
    next_line(line);
  }

  // A plain scalar (or null word) from `p` to `e` (trailing spaces already excluded).
  void plain(std::uint32_t p, std::uint32_t e) {
    std::string_view v(s_ + p, e - p);
    if (null_word(v))
      null_node(p, false);
    else
      scalar(Style::Plain, p, p, e - p);
  }

  static bool indicator(char c) noexcept {
    switch (c) {
      case '#':
      case '&':
      case '*':
      case '!':
      case '|':
      case '>':
      case '%':
      case '@':
      case '`':
      case '{':
      case '}':
      case '\'':
      case '"':
      case '[':
      case ']':
      case ',':
      case '\t':
      case '\r':
      case '\n':
      case ' ': return true;
      default: return false;
    }
  }

  // A node of a one-line flow collection at `i`: a scalar, or a nested collection.
  // Returns the position after it (a plain scalar ends before `,`, `]`, `}` or `: `).
  std::uint32_t flow_node(std::uint32_t i) {
    const char c = at(i);
    if (c == '[') return flow_collection(i, Kind::Sequence);
    if (c == '{') return flow_collection(i, Kind::Mapping);
    if (c == '"' || c == '\'') return quoted(i);
    if (indicator(c) || c == '?' || c == ':' || (c == '-' && (blank(at(i + 1)) || at(i + 1) == ','))) give_up();
    std::uint32_t e = i;
    for (;; ++e) {
      const char d = at(e);
      if (d == ',' || d == ']' || d == '}') break;
      if (d == ':') {
        const char f = at(e + 1);
        if (blank(f) || f == ',' || f == ']' || f == '}') break;
      }
      if (d == '\n' || d == '[' || d == '{' || d == '?' || (d == '#' && s_[e - 1] == ' ')) give_up();
    }
    std::uint32_t z = e;
    while (s_[z - 1] == ' ') --z;
    plain(i, z);
    return z;
  }

  // A flow list or mapping on one line opening at `p`; returns the position after it.
  // Mapping entries are `key: value` with a scalar key and a value.
  std::uint32_t flow_collection(std::uint32_t p, Kind kind) {
    open(kind, Style::Flow, p);
    const char closer = kind == Kind::Sequence ? ']' : '}';
    std::uint32_t i = p + 1;
    while (at(i) == ' ') ++i;
    if (at(i) != closer) {
      for (;;) {
        if (kind == Kind::Mapping) {
          if (at(i) == '[' || at(i) == '{') give_up();
          i = flow_node(i);
          check_key(static_cast<std::uint32_t>(t_.nodes.size()) - 1);
          if (at(i) != ':' || at(i + 1) != ' ') give_up();
          ++i;
          while (at(i) == ' ') ++i;
          if (at(i) == ',' || at(i) == closer) give_up();  // an empty value
        }
        i = flow_node(i);
        while (at(i) == ' ') ++i;
        if (at(i) == closer) break;
        if (at(i) != ',') give_up();
        ++i;
        while (at(i) == ' ') ++i;
        if (at(i) == closer) give_up();  // a trailing comma
      }
    }
    close();
    return i + 1;
  }

  // A value written on the line of its key or `- `, at `p`, of a node of the block at
  // column `indent`; then the rest of the line.
  void inline_value(std::uint32_t p, std::uint32_t indent) {
    char c = s_[p];
    std::uint32_t e;
    if (c == '|' || c == '>') {
      block_scalar(p, indent);
      return;
    }
    if (c == '"' || c == '\'') {
      e = quoted(p);
    } else if (c == '[' || c == '{') {
      e = flow_collection(p, c == '[' ? Kind::Sequence : Kind::Mapping);
    } else {
      if (indicator(c) || c == '?' || c == ':' || (c == '-' && blank(at(p + 1)))) give_up();
      e = p;
      for (;; ++e) {
        char d = at(e);
        if (d == '\n' || (d == '#' && s_[e - 1] == ' ')) break;
        if (d == '\t' || d == '\r' || (d == ':' && blank(at(e + 1)))) give_up();
      }
      std::uint32_t z = e;
      while (s_[z - 1] == ' ') --z;
      plain(p, z);
      e = z;
    }
    end_line(e);
  }

  // A block collection at p_: a list when it starts with `- `, a mapping otherwise.
  void block(std::uint32_t indent) {
    if (seq_item(p_))
      sequence(indent);
    else
      mapping(indent);
  }

  void mapping(std::uint32_t indent) {
    open(Kind::Mapping, Style::Block, p_);
    for (;;) {
      const std::uint32_t k = p_;
      std::uint32_t colon;
      if (at(k) == '"' || at(k) == '\'') {
        colon = quoted(k);
        if (at(colon) != ':' || !blank(at(colon + 1))) give_up();
      } else {
        colon = key_end(k);
        if (colon == kNone || null_word(std::string_view(s_ + k, colon - k))) give_up();
        scalar(Style::Plain, k, k, colon - k);
      }
      check_key(static_cast<std::uint32_t>(t_.nodes.size()) - 1);
      std::uint32_t v = colon + 1;
      while (at(v) == ' ') ++v;
      if (at(v) == '\n' || at(v) == '#') {
        if (at(v) == '#' && v == colon + 1) give_up();
        end_line(v);
        if (!eof_ && (col_ > indent || (col_ == indent && seq_item(p_)))) {
          block(col_);
        } else {
          // yaml-cpp marks an empty value where the next token starts; the tree takes a
          // null word there for an explicit null.
          if (!eof_ && (at(p_) == '~' || std::string_view(s_ + p_, std::min(4u, n_ - p_)) == "null" ||
                        std::string_view(s_ + p_, std::min(4u, n_ - p_)) == "Null" ||
                        std::string_view(s_ + p_, std::min(4u, n_ - p_)) == "NULL"))
            give_up();
          null_node(colon + 1, true);
        }
      } else {
        inline_value(v, indent);
        if (!eof_ && col_ > indent) give_up();  // a continuation line or a misplaced item
      }
      if (eof_ || col_ < indent) break;
      if (col_ > indent || seq_item(p_)) give_up();
    }
    close();
  }

  void sequence(std::uint32_t indent) {
    open(Kind::Sequence, Style::Block, p_);
    for (;;) {
      std::uint32_t v = p_ + 1;
      while (at(v) == ' ') ++v;
      if (at(v) == '\n' || at(v) == '#' || seq_item(v)) give_up();
      if (key_end(v) != kNone || quoted_key(v)) {
        col_ += v - p_;
        p_ = v;
        mapping(col_);
      } else {
        inline_value(v, indent);
      }
      if (eof_ || col_ < indent) break;
      if (col_ > indent) give_up();
      if (!seq_item(p_)) break;
    }
    close();
  }

  Tree& t_;
  const char* s_;
  std::uint32_t n_;
  const Limits& lim_;
  std::vector<Open> stack_;
  std::uint32_t p_ = 0, col_ = 0;
  bool eof_ = true;
};

}  // namespace

bool parse_subset(Tree& t, std::uint32_t base, const Limits& limits) {
  const std::string& s = t.source;
  // Tabs and carriage returns (indentation and line-break rules), and the characters some
  // YAML readers take for line breaks or a byte-order mark, are left to yaml-cpp.
  if (s.size() >= kNone || s.find('\t') != std::string::npos || s.find('\r') != std::string::npos ||
      s.find("\xC2\x85") != std::string::npos || s.find("\xE2\x80\xA8") != std::string::npos ||
      s.find("\xE2\x80\xA9") != std::string::npos || s.find("\xEF\xBB\xBF", base) != std::string::npos)
    return false;
  try {
    Subset reader(t, limits);
    reader.run(base);
    return true;
  } catch (const GiveUp&) {
  } catch (const std::bad_alloc&) {
  }
  t.nodes.clear();
  t.arena.clear();
  t.has_document = false;
  return false;
}

}  // namespace charter::detail::yaml

#include "yaml/tree.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "util/text.hpp"
#include "yaml/subset.hpp"

namespace charter::detail::yaml {

std::string_view Tree::value(std::uint32_t i) const noexcept {
  const Node& n = nodes[i];
  if (n.kind != Kind::Scalar) return {};
  return n.in_source ? std::string_view(source).substr(n.first, n.size)
                     : std::string_view(arena).substr(n.first, n.size);
}

std::uint32_t Tree::get(std::uint32_t map, std::string_view key) const noexcept {
  if (map == kNone || nodes[map].kind != Kind::Mapping) return kNone;
  for (std::uint32_t k = nodes[map].first; k != kNone;) {
    std::uint32_t v = nodes[k].next;
    if (v == kNone) break;
    if (nodes[k].kind == Kind::Scalar && value(k) == key) return v;
    k = nodes[v].next;
  }
  return kNone;
}

std::uint32_t Tree::key_of(std::uint32_t value_node) const noexcept {
  std::uint32_t p = nodes[value_node].parent;
  if (p == kNone || nodes[p].kind != Kind::Mapping) return kNone;
  for (std::uint32_t k = nodes[p].first; k != kNone;) {
    std::uint32_t v = nodes[k].next;
    if (v == kNone) break;
    if (v == value_node) return k;
    if (k == value_node) return kNone;  // the node is itself a key
    k = nodes[v].next;
  }
  return kNone;
}

void Tree::position(std::uint32_t offset, int& line, int& column) const noexcept {
  if (line_starts.empty()) {
    line = 1;
    column = 1;
    return;
  }
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(source.size()));
  auto it = std::upper_bound(line_starts.begin(), line_starts.end(), offset);
  std::size_t li = static_cast<std::size_t>(it - line_starts.begin()) - 1;
  line = static_cast<int>(li) + 1;
  std::uint32_t start = line_starts[li];
  // Skip a UTF-8 BOM at the very start: it is not a column.
  if (li == 0 && source.size() >= 3 && std::memcmp(source.data(), "\xEF\xBB\xBF", 3) == 0 && offset >= 3) start = 3;
  // Columns count code points from the line start: O(column). Many diagnostics on one very
  // long line (a minified file) would make that quadratic, so continue from the furthest
  // point already counted on this line (per thread: a Tree is shared read-only).
  thread_local struct {
    const Tree* tree = nullptr;
    std::size_t line = 0;
    std::uint32_t offset = 0;
    int column = 0;
  } cache;
  std::uint32_t from = start;
  int base = 1;
  if (cache.tree == this && cache.line == li && cache.offset <= offset && cache.offset >= start) {
    from = cache.offset;
    base = cache.column;
  }
  column = static_cast<int>(count_code_points(std::string_view(source).substr(from, offset - from))) + base;
  if (offset - start > 4096 && (cache.tree != this || cache.line != li || offset > cache.offset)) {
    cache.tree = this;
    cache.line = li;
    cache.offset = offset;
    cache.column = column;
  }
}

std::string_view Tree::line_text(int line) const noexcept {
  if (line < 1 || static_cast<std::size_t>(line) > line_starts.size()) return {};
  std::uint32_t b = line_starts[static_cast<std::size_t>(line) - 1];
  std::uint32_t e = static_cast<std::size_t>(line) < line_starts.size() ? line_starts[static_cast<std::size_t>(line)]
                                                                        : static_cast<std::uint32_t>(source.size());
  std::string_view t = std::string_view(source).substr(b, e - b);
  if (line == 1 && t.starts_with("\xEF\xBB\xBF")) t.remove_prefix(3);
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.remove_suffix(1);
  return t;
}

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Skips anchors and tags (`&a`, `!tag`) in front of a node's content.
std::uint32_t skip_properties(const std::string& s, std::uint32_t p) {
  while (p < s.size() && (s[p] == '&' || s[p] == '!')) {
    while (p < s.size() && !is_space(s[p]) && s[p] != ',' && s[p] != ']' && s[p] != '}') ++p;
    while (p < s.size() && (s[p] == ' ' || s[p] == '\t')) ++p;
  }
  return p;
}

// Position of the closing quote of a quoted scalar that opens at `p`.
std::uint32_t closing_quote(const std::string& s, std::uint32_t p) {
  char q = s[p];
  std::uint32_t i = p + 1;
  while (i < s.size()) {
    if (q == '"' && s[i] == '\\') {
      i += 2;
      continue;
    }
    if (s[i] == q) {
      if (q == '\'' && i + 1 < s.size() && s[i + 1] == '\'') {
        i += 2;
        continue;
      }
      return i;
    }
    ++i;
  }
  return static_cast<std::uint32_t>(s.size());
}

}  // namespace

// Walks a double-quoted scalar's source from `p` (after the opening quote), decoding escapes
// and line folding as YAML does, until `k` value bytes have been produced; returns the source
// offset of the construct that produces value byte `k`.
std::uint32_t Tree::double_quoted_offset(std::uint32_t p, std::uint32_t cap, std::uint32_t k) const noexcept {
  auto utf8_len = [](std::uint32_t cp) -> std::uint32_t {
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  };
  auto hex = [&](std::uint32_t at, std::uint32_t n) {
    std::uint32_t v = 0;
    for (std::uint32_t j = 0; j < n && at + j < cap; ++j) {
      char ch = source[at + j];
      v = v * 16 + static_cast<std::uint32_t>(
                       std::isdigit(static_cast<unsigned char>(ch)) ? ch - '0' : (std::tolower(ch) - 'a' + 10));
    }
    return v;
  };
  std::uint32_t i = 0;
  while (p < cap) {
    std::uint32_t produced = 0, consumed = 1;
    char ch = source[p];
    if (ch == '\\' && p + 1 < cap) {
      char e = source[p + 1];
      consumed = 2;
      produced = 1;
      if (e == 'x') {
        produced = utf8_len(hex(p + 2, 2));
        consumed = 4;
      } else if (e == 'u') {
        produced = utf8_len(hex(p + 2, 4));
        consumed = 6;
      } else if (e == 'U') {
        produced = utf8_len(hex(p + 2, 8));
        consumed = 10;
      } else if (e == 'N' || e == '_')
        produced = 2;
      else if (e == 'L' || e == 'P')
        produced = 3;
      else if (e == '\n' || e == '\r') {  // escaped line break: joins lines, drops indentation
        produced = 0;
        while (p + consumed < cap && (source[p + consumed] == ' ' || source[p + consumed] == '\t' ||
                                      source[p + consumed] == '\n' || source[p + consumed] == '\r'))
          ++consumed;
      }
    } else if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      // A run of white space: with line breaks it folds (one break -> a space, n breaks ->
      // n-1 newlines); without, it is kept as is.
      std::uint32_t q = p, breaks = 0;
      while (q < cap && (source[q] == ' ' || source[q] == '\t' || source[q] == '\n' || source[q] == '\r')) {
        if (source[q] == '\n') ++breaks;
        ++q;
      }
      if (breaks == 0) {
        produced = 1;
      } else {
        produced = breaks == 1 ? 1 : breaks - 1;
        consumed = q - p;
      }
    } else {
      produced = 1;
    }
    if (k < i + produced) return p;
    i += produced;
    p += consumed;
  }
  return std::min(p, cap);
}

std::uint32_t Tree::value_offset(std::uint32_t node, std::uint32_t k) const noexcept {
  const Node& n = nodes[node];
  if (n.kind != Kind::Scalar) return n.offset;
  if (n.in_source) return n.first + std::min(k, n.size);
  std::string_view v = value(node);
  std::uint32_t p = skip_properties(source, n.offset);
  std::uint32_t cap = static_cast<std::uint32_t>(source.size());
  if (n.style == Style::SingleQuoted || n.style == Style::DoubleQuoted) {
    cap = closing_quote(source, p);
    ++p;
  } else if (n.style == Style::Literal || n.style == Style::Folded) {
    while (p < source.size() && source[p] != '\n') ++p;
    ++p;
  }
  if (node + 1 < nodes.size() && nodes[node + 1].offset > p) cap = std::min(cap, nodes[node + 1].offset);
  k = std::min<std::uint32_t>(k, static_cast<std::uint32_t>(v.size()));
  if (n.style == Style::DoubleQuoted) return double_quoted_offset(p, cap, k);
  std::uint32_t i = 0;
  while (i < k && p < cap) {
    if (source[p] == v[i]) {
      ++p;
      ++i;
    } else if (n.style == Style::SingleQuoted && source[p] == '\'' && v[i] == '\'') {
      ++p;
    } else {
      ++p;  // whitespace folded away, an escape, or indentation
    }
  }
  // Skip what precedes the next value byte (indentation, escapes) so the offset lands on it.
  if (i < v.size())
    while (p < cap && source[p] != v[i]) ++p;
  return std::min(p, cap);
}

std::uint32_t Tree::end_offset(std::uint32_t node) const noexcept {
  const Node& n = nodes[node];
  switch (n.kind) {
    case Kind::Null: {
      if (n.implicit) return n.offset;
      std::uint32_t p = n.offset;
      while (p < source.size() && !is_space(source[p]) && source[p] != ',' && source[p] != ']' && source[p] != '}') ++p;
      return p;
    }
    case Kind::Scalar: {
      if (n.style == Style::SingleQuoted || n.style == Style::DoubleQuoted) {
        std::uint32_t p = skip_properties(source, n.offset);
        return std::min<std::uint32_t>(closing_quote(source, p) + 1, static_cast<std::uint32_t>(source.size()));
      }
      if (n.size == 0) return skip_properties(source, n.offset);
      std::uint32_t last = value_offset(node, n.size - 1);
      // Advance over the whole UTF-8 sequence of the last character.
      std::uint32_t e = last + 1;
      while (e < source.size() && (static_cast<unsigned char>(source[e]) & 0xC0) == 0x80) ++e;
      return e;
    }
    case Kind::Sequence:
    case Kind::Mapping: {
      std::uint32_t last = kNone;
      for (std::uint32_t c = n.first; c != kNone; c = nodes[c].next) last = c;
      std::uint32_t e = last == kNone ? n.offset + 1 : end_offset(last);
      if (n.style == Style::Flow) {
        char close = n.kind == Kind::Sequence ? ']' : '}';
        std::uint32_t p = e;
        while (p < source.size() && (is_space(source[p]) || source[p] == ',')) ++p;
        if (p < source.size() && source[p] == close) return p + 1;
      }
      return e;
    }
  }
  return n.offset;
}

std::string Tree::pointer(std::uint32_t node) const {
  std::vector<std::string> parts;
  for (std::uint32_t c = node; c != kNone && nodes[c].parent != kNone; c = nodes[c].parent) {
    std::uint32_t p = nodes[c].parent;
    if (nodes[p].kind == Kind::Sequence) {
      parts.push_back(std::to_string(nodes[c].index));
    } else {
      std::uint32_t k = key_of(c);
      std::string key = k == kNone ? std::string(value(c)) : std::string(value(k));
      std::string esc;
      for (char ch : key) {
        if (ch == '~')
          esc += "~0";
        else if (ch == '/')
          esc += "~1";
        else
          esc += ch;
      }
      parts.push_back(std::move(esc));
    }
  }
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    out += '/';
    out += *it;
  }
  return out;
}

std::uint32_t append_node(Tree& t, std::uint32_t parent, std::uint32_t& last, Node n) {
  const auto i = static_cast<std::uint32_t>(t.nodes.size());
  if (parent != kNone) {
    Node& p = t.nodes[parent];
    n.parent = parent;
    n.index = p.kind == Kind::Mapping ? p.size / 2 : p.size;
    ++p.size;
    if (last == kNone)
      p.first = i;
    else
      t.nodes[last].next = i;
    last = i;
  }
  t.nodes.push_back(n);
  return i;
}

ScalarType resolve_plain(std::string_view v) noexcept {
  if (v == "true" || v == "True" || v == "TRUE" || v == "false" || v == "False" || v == "FALSE")
    return ScalarType::Bool;
  if (v.empty()) return ScalarType::String;
  std::size_t i = 0;
  if (v.size() > 2 && v[0] == '0' && (v[1] == 'o' || v[1] == 'x')) {
    bool hex = v[1] == 'x';
    for (i = 2; i < v.size(); ++i) {
      char c = v[i];
      bool ok = hex ? std::isxdigit(static_cast<unsigned char>(c)) != 0 : (c >= '0' && c <= '7');
      if (!ok) return ScalarType::String;
    }
    return ScalarType::Int;
  }
  if (v == ".inf" || v == ".Inf" || v == ".INF" || v == "+.inf" || v == "-.inf" || v == "+.Inf" || v == "-.Inf" ||
      v == ".nan" || v == ".NaN" || v == ".NAN")
    return ScalarType::Float;
  if (v[0] == '-' || v[0] == '+') i = 1;
  std::size_t digits = 0;
  while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) {
    ++i;
    ++digits;
  }
  if (i == v.size()) return digits ? ScalarType::Int : ScalarType::String;
  bool fl = false;
  if (v[i] == '.') {
    fl = true;
    ++i;
    while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) {
      ++i;
      ++digits;
    }
  }
  if (!digits) return ScalarType::String;
  if (i < v.size() && (v[i] == 'e' || v[i] == 'E')) {
    fl = true;
    ++i;
    if (i < v.size() && (v[i] == '-' || v[i] == '+')) ++i;
    std::size_t ed = 0;
    while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) {
      ++i;
      ++ed;
    }
    if (!ed) return ScalarType::String;
  }
  return (i == v.size() && fl) ? ScalarType::Float : ScalarType::String;
}

namespace {

struct Abort {};

// An input buffer over bytes already in memory (no second copy of the file): one range, or
// a short prefix followed by a range.
class MemoryBuf : public std::streambuf {
 public:
  MemoryBuf(const char* b, std::size_t n) {
    char* p = const_cast<char*>(b);
    setg(p, p, p + n);
  }
  MemoryBuf(std::string_view prefix, const char* b, std::size_t n) : MemoryBuf(prefix.data(), prefix.size()) {
    rest_ = b;
    rest_size_ = n;
  }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (!rest_) return traits_type::eof();
    char* p = const_cast<char*>(rest_);
    setg(p, p, p + rest_size_);
    rest_ = nullptr;
    return gptr() < egptr() ? traits_type::to_int_type(*gptr()) : traits_type::eof();
  }

 private:
  const char* rest_ = nullptr;
  std::size_t rest_size_ = 0;
};

class Builder : public YAML::EventHandler {
 public:
  /// `cancel` set: a speculative half of a split parse. The first problem or alias, or a
  /// cancel by the other half, stops it (the file is then parsed again in one go).
  Builder(Tree& t, std::uint32_t base, const Limits& lim, std::atomic<bool>* cancel = nullptr)
      : t_(t), base_(base), lim_(lim), cancel_(cancel) {}

  void OnDocumentStart(const YAML::Mark& m) override {
    if (++documents_ > 1) {
      problem(Code::MultipleDocuments, off(m), "a charter file holds one YAML document; this is a second one",
              "second document starts here");
      throw Abort{};
    }
    t_.has_document = true;
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& m, YAML::anchor_t anchor) override {
    Node n;
    n.kind = Kind::Null;
    n.offset = off(m);
    std::string_view s = std::string_view(t_.source).substr(std::min<std::size_t>(n.offset, t_.source.size()));
    if (!(s.starts_with("~") || s.starts_with("null") || s.starts_with("Null") || s.starts_with("NULL"))) {
      n.implicit = true;
      n.offset = implicit_offset();
    }
    std::uint32_t i = add(n);
    remember(anchor, i);
  }

  void OnAlias(const YAML::Mark& m, YAML::anchor_t anchor) override {
    if (cancel_) give_up();  // expansions count against one budget for the whole file
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      Node n;
      n.kind = Kind::Null;
      n.offset = off(m);
      add(n);
      return;
    }
    copy(it->second, off(m));
  }

  void OnScalar(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor, const std::string& v) override {
    Node n;
    n.kind = Kind::Scalar;
    n.offset = off(m);
    std::uint32_t p = skip_properties(t_.source, n.offset);
    char c = p < t_.source.size() ? t_.source[p] : '\0';
    if (tag == "?")
      n.style = Style::Plain;
    else if (c == '"')
      n.style = Style::DoubleQuoted;
    else if (c == '\'')
      n.style = Style::SingleQuoted;
    else if (c == '|')
      n.style = Style::Literal;
    else if (c == '>')
      n.style = Style::Folded;
    else
      n.style = Style::Plain;
    check_tag(tag, n.offset, true);
    if (tag != "?" && tag != "!" && n.style == Style::Plain) n.style = Style::Tagged;  // !!str 12: a string
    n.size = static_cast<std::uint32_t>(v.size());
    std::uint32_t start = (n.style == Style::DoubleQuoted || n.style == Style::SingleQuoted) ? p + 1 : p;
    if (start + v.size() <= t_.source.size() && t_.source.compare(start, v.size(), v) == 0 &&
        (n.style == Style::Plain || n.style == Style::Tagged || n.style == Style::DoubleQuoted ||
         n.style == Style::SingleQuoted)) {
      n.in_source = true;
      n.first = start;
    } else {
      n.first = static_cast<std::uint32_t>(t_.arena.size());
      t_.arena += v;
    }
    std::uint32_t i = add(n);
    remember(anchor, i);
  }

  void OnSequenceStart(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override {
    open(Kind::Sequence, m, tag, anchor, style);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override {
    open(Kind::Mapping, m, tag, anchor, style);
  }
  void OnMapEnd() override { close(); }

  std::uint32_t off(const YAML::Mark& m) const {
    if (m.pos < 0) return static_cast<std::uint32_t>(t_.source.size());
    return std::min<std::uint32_t>(static_cast<std::uint32_t>(m.pos) + base_,
                                   static_cast<std::uint32_t>(t_.source.size()));
  }

  void problem(Code code, std::uint32_t offset, std::string msg, std::string label = {}, std::uint32_t end = kNone,
               std::uint32_t rel = kNone, std::string rel_msg = {}) {
    if (cancel_) give_up();
    t_.problems.push_back(
        Problem{code, offset, end == kNone ? offset : end, std::move(msg), std::move(label), rel, std::move(rel_msg)});
  }

 private:
  struct Open {
    std::uint32_t node;
    std::uint32_t last = kNone;
    std::unordered_map<std::string, std::uint32_t>* keys = nullptr;  // large mappings only
  };

  void check_tag(const std::string& tag, std::uint32_t offset, bool scalar) {
    if (tag.empty() || tag == "?" || tag == "!") return;
    static const char* ok_scalar[] = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                                      "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"};
    static const char* ok_coll[] = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"};
    if (scalar) {
      for (auto* s : ok_scalar)
        if (tag == s) return;
    } else {
      for (auto* s : ok_coll)
        if (tag == s) return;
    }
    std::uint32_t e = offset;
    while (e < t_.source.size() && !is_space(t_.source[e])) ++e;
    problem(Code::UnsupportedTag, offset, "YAML tag `" + tag + "` is not supported", "remove this tag", e);
  }

  std::uint32_t implicit_offset() const {
    // An empty value: place it right after the key's `:` (or after the `-`).
    if (!stack_.empty()) {
      const Open& o = stack_.back();
      if (o.last != kNone) {
        std::uint32_t p = t_.end_offset(o.last);
        if (p < t_.source.size() && t_.source[p] == ':') ++p;
        return p;
      }
      return t_.nodes[o.node].offset + 1;
    }
    return 0;
  }

  void remember(YAML::anchor_t anchor, std::uint32_t i) {
    if (anchor) anchors_[anchor] = i;
  }

  [[noreturn]] void give_up() {
    cancel_->store(true, std::memory_order_relaxed);
    throw Abort{};
  }

  std::uint32_t add(Node n) {
    if (cancel_ && cancel_->load(std::memory_order_relaxed)) throw Abort{};
    if (stack_.empty()) {
      std::uint32_t none = kNone;
      return append_node(t_, kNone, none, n);
    }
    Open& o = stack_.back();
    const Node& parent = t_.nodes[o.node];
    const bool is_key = parent.kind == Kind::Mapping && parent.size % 2 == 0;
    const std::uint32_t i = append_node(t_, o.node, o.last, n);
    if (is_key) check_duplicate(o, i);
    return i;
  }

  void check_duplicate(Open& o, std::uint32_t key) {
    const Node& k = t_.nodes[key];
    if (k.kind != Kind::Scalar) return;
    std::string_view kv = t_.value(key);
    const Node& map = t_.nodes[o.node];
    std::uint32_t pairs = map.size / 2;  // size already includes this key
    if (pairs < 16 && !o.keys) {
      for (std::uint32_t c = map.first; c != kNone && c != key;) {
        if (t_.nodes[c].kind == Kind::Scalar && t_.value(c) == kv) {
          duplicate(key, c);
          return;
        }
        std::uint32_t v = t_.nodes[c].next;
        if (v == kNone || v == key) break;
        c = t_.nodes[v].next;
      }
      return;
    }
    if (!o.keys) {
      o.keys = new std::unordered_map<std::string, std::uint32_t>();
      for (std::uint32_t c = map.first; c != kNone && c != key;) {
        if (t_.nodes[c].kind == Kind::Scalar) o.keys->emplace(std::string(t_.value(c)), c);
        std::uint32_t v = t_.nodes[c].next;
        if (v == kNone || v == key) break;
        c = t_.nodes[v].next;
      }
    }
    auto [it, inserted] = o.keys->emplace(std::string(kv), key);
    if (!inserted) duplicate(key, it->second);
  }

  void duplicate(std::uint32_t key, std::uint32_t first) {
    std::string k(t_.value(key));
    problem(Code::DuplicateKey, t_.nodes[key].offset, "duplicate key `" + k + "`", "defined again here",
            t_.end_offset(key), t_.nodes[first].offset, "first defined here");
  }

  void open(Kind kind, const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor,
            YAML::EmitterStyle::value style) {
    Node n;
    n.kind = kind;
    n.offset = off(m);
    n.style = style == YAML::EmitterStyle::Flow ? Style::Flow : Style::Block;
    check_tag(tag, n.offset, false);
    if (stack_.size() >= lim_.max_depth) {
      problem(Code::TooDeep, n.offset, "collections nest deeper than " + std::to_string(lim_.max_depth) + " levels",
              "too deep here");
      throw Abort{};
    }
    std::uint32_t i = add(n);
    remember(anchor, i);
    stack_.push_back(Open{i});
  }

  void close() {
    if (stack_.empty()) return;
    delete stack_.back().keys;
    stack_.pop_back();
  }

  void copy(std::uint32_t src, std::uint32_t at) {
    // Copy the subtree rooted at src below the current container (alias expansion), with a budget.
    std::uint32_t count = 0;
    std::vector<std::uint32_t> todo{src};
    while (!todo.empty()) {
      std::uint32_t c = todo.back();
      todo.pop_back();
      ++count;
      for (std::uint32_t ch = t_.nodes[c].first; t_.nodes[c].kind >= Kind::Sequence && ch != kNone;
           ch = t_.nodes[ch].next)
        todo.push_back(ch);
      if (count > lim_.max_alias_nodes) break;
    }
    alias_nodes_ += count;
    if (alias_nodes_ > lim_.max_alias_nodes) {
      problem(Code::AliasLimit, at, "aliases expand to more than " + std::to_string(lim_.max_alias_nodes) + " nodes",
              "expansion stopped here");
      throw Abort{};
    }
    copy_rec(src, 0);
  }

  void copy_rec(std::uint32_t src, unsigned depth) {
    Node n = t_.nodes[src];
    n.parent = kNone;
    n.next = kNone;
    if (n.kind == Kind::Sequence || n.kind == Kind::Mapping) {
      if (stack_.size() >= lim_.max_depth) {
        problem(Code::TooDeep, n.offset, "collections nest deeper than " + std::to_string(lim_.max_depth) + " levels");
        throw Abort{};
      }
      std::vector<std::uint32_t> kids;
      for (std::uint32_t ch = n.first; ch != kNone; ch = t_.nodes[ch].next) kids.push_back(ch);
      n.first = kNone;
      n.size = 0;
      std::uint32_t i = add(n);
      stack_.push_back(Open{i});
      for (auto k : kids) copy_rec(k, depth + 1);
      close();
    } else {
      add(n);
    }
  }

  Tree& t_;
  std::uint32_t base_;
  Limits lim_;
  std::vector<Open> stack_;
  std::unordered_map<YAML::anchor_t, std::uint32_t> anchors_;
  std::uint32_t alias_nodes_ = 0;
  int documents_ = 0;
  std::atomic<bool>* cancel_ = nullptr;

 public:
  ~Builder() override {
    for (auto& o : stack_) delete o.keys;
  }
};

// ---- split parse ----------------------------------------------------------------------
//
// yaml-cpp scans about 5 MB/s, so a large charter is parsed as two halves on two threads.
// The cut is the start of a line `  - x` (an item of a block list at column 2) past the
// middle. The first half is parsed as a file that ends one item later (at the next such
// line); the second as the text `k:` + newline + the rest, which puts the parser where the
// whole file has it at the cut: in a root mapping at column 0, in the block list at column 2
// under its last key. The halves are joined only when
// - both parse with no problem, no alias (one expansion budget per file) and no directive
//   or `...` marker before the cut (they change how the rest is read);
// - the first half's root mapping is a block at column 0 whose last value is a block list
//   whose `-` is at column 2, so that the synthetic start is exactly its state;
// - the item between the cut and the end of the first half (the overlap) gives the same
//   nodes in both halves, a child of that list: the cut was between two items (a scalar, a
//   flow collection or a deeper block cannot reach back to column 2 of a new line), and
//   nothing the first half left pending (a key without a value, say) changes what follows;
// - no root key of the second half repeats one of the first (a duplicate key is reported
//   by the parse in one go).
// Then the first half up to the cut and the second from the cut are the tree of the whole
// file: the same nodes in the same order with the same offsets. Anything else, and the
// caller parses the whole file again.

constexpr std::string_view kSplitPrefix = "k:\n";

// The start of the first line at or after `from` that reads `  - ` and a letter, or kNone.
std::uint32_t split_point(const std::string& s, std::uint32_t from) {
  std::string_view v(s);
  for (std::size_t p = v.find("\n  - ", from == 0 ? 0 : from - 1); p != std::string_view::npos;
       p = v.find("\n  - ", p + 1)) {
    std::size_t i = p + 1;
    if (i + 4 < v.size() && i < kNone && std::isalpha(static_cast<unsigned char>(v[i + 4])))
      return static_cast<std::uint32_t>(i);
  }
  return kNone;
}

// Parses one half into `t` (whose source is the whole file); false when it gave up.
bool parse_half(Tree& t, std::string_view prefix, const char* b, std::size_t n, std::uint32_t base,
                const Limits& limits, std::atomic<bool>& cancel) {
  try {
    MemoryBuf buf(prefix, b, n);
    std::istream in(&buf);
    Builder builder(t, base, limits, &cancel);
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
    }
    return t.problems.empty() && !cancel.load(std::memory_order_relaxed);
  } catch (...) {
    cancel.store(true, std::memory_order_relaxed);
    return false;
  }
}

// Joins the first half `a` (the file up to the end of the overlap) and the second `b`
// (root, key `k`, list, then the file from the cut); false when they do not fit.
bool join_halves(Tree& a, const Tree& b, std::uint32_t cut) {
  const std::string& s = a.source;
  auto column0 = [&](std::uint32_t o) { return o == 0 || s[o - 1] == '\n'; };
  if (a.nodes.empty() || a.nodes[0].kind != Kind::Mapping || a.nodes[0].style != Style::Block ||
      !column0(a.nodes[0].offset))
    return false;
  // The first half's last root pair: a key, then a block list at column 2 of its line.
  std::uint32_t key = kNone, list = kNone;
  std::vector<std::string_view> root_keys;
  for (std::uint32_t k = a.nodes[0].first; k != kNone;) {
    std::uint32_t v = a.nodes[k].next;
    if (v == kNone) return false;
    if (a.nodes[k].kind == Kind::Scalar) root_keys.push_back(a.value(k));
    key = k;
    list = v;
    k = a.nodes[v].next;
  }
  if (list == kNone || a.nodes[key].kind != Kind::Scalar || a.nodes[list].kind != Kind::Sequence ||
      a.nodes[list].style != Style::Block)
    return false;
  std::uint32_t lo = a.nodes[list].offset;
  if (lo < 2 || lo >= cut || s[lo] != '-' || s.compare(lo - 2, 2, "  ") != 0 || !column0(lo - 2)) return false;
  // The overlap: the nodes of the first half from the cut on, one item of the list.
  std::uint32_t at = 0;
  while (at < a.nodes.size() && a.nodes[at].offset < cut) ++at;
  if (at <= list || at >= a.nodes.size() || a.nodes[at].parent != list || a.nodes[at].next != kNone) return false;
  // The second half: root mapping, key `k`, the list, its first item at the cut.
  const std::uint32_t m = static_cast<std::uint32_t>(a.nodes.size()) - at;
  if (b.nodes.size() < 3 + m || b.nodes[0].kind != Kind::Mapping || b.nodes[0].first != 1 || b.nodes[1].next != 2 ||
      b.nodes[2].kind != Kind::Sequence || b.nodes[2].style != Style::Block || b.nodes[2].first != 3)
    return false;
  // Node for node, the overlap must read the same in both halves.
  auto to_b = [&](std::uint32_t i) -> std::uint32_t { return i == list ? 2 : i - at + 3; };
  for (std::uint32_t k = 0; k < m; ++k) {
    const Node& x = a.nodes[at + k];
    const Node& y = b.nodes[3 + k];
    if (x.kind != y.kind || x.style != y.style || x.in_source != y.in_source || x.implicit != y.implicit ||
        x.offset != y.offset || x.size != y.size || (x.parent != list && x.parent < at) || to_b(x.parent) != y.parent ||
        (k > 0 && x.index != y.index))
      return false;
    if (k > 0 && (x.next == kNone ? y.next != kNone : x.next < at || to_b(x.next) != y.next)) return false;
    if (x.kind == Kind::Scalar ? a.value(at + k) != b.value(3 + k)
                               : (x.first == kNone ? y.first != kNone : x.first < at || to_b(x.first) != y.first))
      return false;
  }
  if (b.nodes[3].next != kNone && b.nodes[3].next != 3 + m) return false;
  // Root keys of the second half must not repeat the first half's.
  for (std::uint32_t k = b.nodes[2].next; k != kNone;) {
    std::uint32_t v = b.nodes[k].next;
    if (b.nodes[k].kind == Kind::Scalar && std::find(root_keys.begin(), root_keys.end(), b.value(k)) != root_keys.end())
      return false;
    if (v == kNone) break;
    k = b.nodes[v].next;
  }
  // Drop the overlap from the first half, then append the second half from the cut.
  for (std::uint32_t k = at; k < a.nodes.size(); ++k)
    if (a.nodes[k].kind == Kind::Scalar && !a.nodes[k].in_source) {
      a.arena.resize(a.nodes[k].first);
      break;
    }
  a.nodes.resize(at);
  const std::uint32_t arena = static_cast<std::uint32_t>(a.arena.size());
  const std::uint32_t list_size = a.nodes[list].size - 1, root_pairs = a.nodes[0].size / 2;
  auto to_a = [&](std::uint32_t i) -> std::uint32_t {
    if (i == kNone) return kNone;
    if (i == 0) return 0;
    if (i == 2) return list;
    return at + i - 3;
  };
  a.nodes.reserve(a.nodes.size() + b.nodes.size() - 3);
  for (std::size_t i = 3; i < b.nodes.size(); ++i) {
    Node n = b.nodes[i];
    if (n.parent == 2)
      n.index += list_size;
    else if (n.parent == 0)
      n.index += root_pairs - 1;
    n.parent = to_a(n.parent);
    n.next = to_a(n.next);
    if (n.kind == Kind::Sequence || n.kind == Kind::Mapping)
      n.first = to_a(n.first);
    else if (n.kind == Kind::Scalar && !n.in_source)
      n.first += arena;
    a.nodes.push_back(n);
  }
  a.arena += b.arena;
  a.nodes[list].next = to_a(b.nodes[2].next);
  a.nodes[list].size = list_size + b.nodes[2].size;
  a.nodes[0].size += b.nodes[0].size - 2;
  return true;
}

// Parses `t.source` as two halves at once; false (and `t` as it was) when that is not sure
// to give the tree of a parse in one go.
bool parse_split(Tree& t, std::uint32_t base, const Limits& limits) {
  const std::string& s = t.source;
  std::uint32_t from =
      limits.split_from != kNone ? limits.split_from : base + static_cast<std::uint32_t>((s.size() - base) / 2);
  std::uint32_t cut = split_point(s, std::max(from, base + static_cast<std::uint32_t>(kSplitPrefix.size())));
  if (cut == kNone) return false;
  std::uint32_t end = split_point(s, cut + 1);  // the first half ends one item later
  if (end == kNone) return false;
  // Directives (`%TAG` applies to the whole document) and document markers before the cut
  // change how the rest is read: parse in one go.
  std::string_view head = std::string_view(s).substr(base, end - base);
  if (head.starts_with("%") || head.starts_with("...") || head.find("\n%") != std::string_view::npos ||
      head.find("\n...") != std::string_view::npos)
    return false;
  std::atomic<bool> cancel{false};
  Tree second;
  bool second_ok = false;
  auto run_second = [&] {
    try {
      second.source = s;  // the builder reads offsets in the whole file
      second.nodes.reserve((s.size() - cut) / 8 + 16);
      second_ok = parse_half(second, kSplitPrefix, s.data() + cut, s.size() - cut,
                             cut - static_cast<std::uint32_t>(kSplitPrefix.size()), limits, cancel);
    } catch (...) {
      cancel.store(true, std::memory_order_relaxed);
    }
  };
  bool first_ok = false;
  try {
    std::thread worker(run_second);
    first_ok = parse_half(t, {}, s.data() + base, end - base, base, limits, cancel);
    worker.join();
  } catch (const std::system_error&) {
    first_ok = false;  // no thread
  }
  if (first_ok && second_ok && join_halves(t, second, cut)) return true;
  t.nodes.clear();
  t.arena.clear();
  t.problems.clear();
  t.has_document = false;
  return false;
}

// yaml-cpp's leniencies that the tree must not keep.
void finish(Tree& t) {
  // yaml-cpp accepts a quoted scalar left open at the end of the file (it takes the rest of
  // the file as its value). Any unterminated quote swallows everything after it, so only the
  // last scalar can be one.
  for (std::size_t i = t.nodes.size(); i-- > 0;) {
    const Node& n = t.nodes[i];
    if (n.kind != Kind::Scalar) continue;
    if (n.style == Style::SingleQuoted || n.style == Style::DoubleQuoted) {
      std::uint32_t q = skip_properties(t.source, n.offset);
      if (closing_quote(t.source, q) >= t.source.size()) {
        t.problems.push_back(Problem{Code::YamlSyntax,
                                     q,
                                     q + 1,
                                     "YAML syntax error: unterminated quoted string (the file ends inside it)",
                                     "this quote is never closed",
                                     kNone,
                                     {}});
        t.nodes.clear();
        t.arena.clear();
      }
    }
    break;
  }
}

}  // namespace

Tree parse(std::string bytes, const Limits& limits) {
  Tree t;
  t.source = std::move(bytes);
  const std::string& s = t.source;
  auto problem = [&](Code c, std::uint32_t o, std::string msg, std::string label = {}) {
    t.problems.push_back(Problem{c, o, o, std::move(msg), std::move(label), kNone, {}});
  };
  t.line_starts.push_back(0);
  for (std::uint32_t i = 0; i < s.size(); ++i)
    if (s[i] == '\n') t.line_starts.push_back(i + 1);

  if ((s.size() >= 2 && ((s[0] == '\xFE' && s[1] == '\xFF') || (s[0] == '\xFF' && s[1] == '\xFE'))) ||
      (s.size() >= 4 && s[0] == '\0' && s[1] == '\0' && s[2] == '\xFE' && s[3] == '\xFF')) {
    problem(Code::NotUtf8Encoding, 0, "the file is UTF-16 or UTF-32 encoded; charter files are UTF-8",
            "byte-order mark");
    return t;
  }
  if (auto nul = s.find('\0'); nul != std::string::npos) {
    problem(Code::BinaryFile, static_cast<std::uint32_t>(nul), "binary file: NUL byte at offset " + std::to_string(nul),
            "NUL byte");
    return t;
  }
  if (auto bad = find_invalid_utf8(s)) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(s[*bad]));
    problem(Code::InvalidUtf8, static_cast<std::uint32_t>(*bad), std::string("invalid UTF-8: byte ") + hex,
            "not UTF-8");
    return t;
  }

  std::uint32_t base = s.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  // Charters average about 20 bytes per node; reserving generously costs address space only
  // (untouched pages are never resident) and avoids copying the node vector as it grows.
  t.nodes.reserve(s.size() / 8 + 16);
  if (limits.subset && parse_subset(t, base, limits)) {
    t.by_subset = true;
    return t;
  }
  if (limits.threads >= 2 && s.size() - base >= limits.split_min_bytes && parse_split(t, base, limits)) {
    finish(t);
    return t;
  }
  MemoryBuf membuf(s.data() + base, s.size() - base);
  std::istream in(&membuf);
  Builder b(t, base, limits);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(b)) {
    }
  } catch (const Abort&) {
    // A second document leaves the first one whole; other limits leave a partial tree.
    if (t.problems.empty() || t.problems.back().code != Code::MultipleDocuments) {
      t.nodes.clear();
      t.arena.clear();
    }
  } catch (const YAML::Exception& e) {
    t.nodes.clear();
    t.arena.clear();
    std::uint32_t o;
    if (e.mark.pos >= 0) {
      o = b.off(e.mark);
    } else if (e.mark.line >= 0 && static_cast<std::size_t>(e.mark.line) < t.line_starts.size()) {
      o = t.line_starts[static_cast<std::size_t>(e.mark.line)] + static_cast<std::uint32_t>(std::max(0, e.mark.column));
    } else {
      o = static_cast<std::uint32_t>(s.size());
    }
    // A tab in the indentation at or before the error is the usual cause: say so.
    int err_line = 0, col = 0;
    t.position(o, err_line, col);
    for (int ln = 1; ln <= err_line; ++ln) {
      std::string_view lt = t.line_text(ln);
      std::size_t k = 0;
      while (k < lt.size() && (lt[k] == ' ' || lt[k] == '\t')) ++k;
      std::size_t tab = lt.substr(0, k).find('\t');
      if (tab != std::string_view::npos && k < lt.size() && lt[k] != '#') {
        std::uint32_t to =
            t.line_starts[static_cast<std::size_t>(ln) - 1] + static_cast<std::uint32_t>(tab) + (ln == 1 ? base : 0);
        problem(Code::TabIndentation, to, "tab character used for indentation", "indent with spaces");
        return t;
      }
    }
    std::string msg = e.msg.empty() ? std::string("malformed YAML") : e.msg;
    problem(Code::YamlSyntax, o, "YAML syntax error: " + msg);
  } catch (const std::exception& e) {
    t.nodes.clear();
    t.arena.clear();
    problem(Code::YamlSyntax, 0, std::string("YAML parser failed: ") + e.what());
  }
  finish(t);
  return t;
}

}  // namespace charter::detail::yaml

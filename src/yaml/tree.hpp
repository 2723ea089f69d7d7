// The only code that sees yaml-cpp: parses one file with the event API into a compact
// tree that keeps every node's source offset (the source map), plus parse problems.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "diag/catalog.hpp"

namespace charter::detail::yaml {

enum class Kind : std::uint8_t { Null, Scalar, Sequence, Mapping };
/// Scalar and collection styles. `Tagged` is a plain scalar with an explicit `!!str`-like
/// tag: written like a plain scalar, typed as a string.
enum class Style : std::uint8_t { Plain, SingleQuoted, DoubleQuoted, Literal, Folded, Block, Flow, Tagged };

inline constexpr std::uint32_t kNone = UINT32_MAX;

struct Node {
  Kind kind = Kind::Null;
  Style style = Style::Plain;
  bool in_source = false;    ///< scalar value is the source slice [first, first+size)
  bool implicit = false;     ///< a null written as nothing (`key:`)
  std::uint32_t offset = 0;  ///< byte offset of the node's first character in the source
  std::uint32_t parent = kNone;
  std::uint32_t first = kNone;  ///< containers: first child; scalars: value start (source or arena)
  std::uint32_t next = kNone;   ///< next sibling
  std::uint32_t size = 0;       ///< containers: number of children; scalars: value length
  std::uint32_t index = 0;      ///< position among the parent's entries (pairs for mappings)
};

/// A problem found while reading or parsing (encoding, syntax, limits, duplicate keys).
struct Problem {
  Code code;
  std::uint32_t offset;  ///< byte offset in the source
  std::uint32_t end;     ///< byte offset past the span (== offset for a point)
  std::string message;
  std::string label;
  std::uint32_t related_offset = kNone;  ///< e.g. first occurrence of a duplicate key
  std::string related_message;
};

struct Limits {
  std::uint32_t max_depth = 64;
  std::uint32_t max_alias_nodes = 100000;
  /// Threads the parse may use. With 2 or more, a file of at least `split_min_bytes` is
  /// parsed as two halves at once (yaml-cpp is the cost of a large charter): split before
  /// an item of a top-level block list, and kept only when both halves parse cleanly and
  /// join into the tree the whole file gives; otherwise the file is parsed again in one go.
  unsigned threads = 1;
  std::uint32_t split_min_bytes = 1u << 20;
  /// Where to start looking for the split (kNone: the middle). For tests.
  std::uint32_t split_from = UINT32_MAX;
  /// Try the fast reader of the usual subset of YAML first (subset.cpp); yaml-cpp parses
  /// whatever it leaves. Off: always yaml-cpp (tests compare the two).
  bool subset = true;
};

/// One parsed file: its bytes, the node tree (nodes[0] is the root when non-empty), and
/// helpers to turn offsets into positions.
class Tree {
 public:
  std::string source;
  std::string arena;
  std::vector<Node> nodes;
  std::vector<std::uint32_t> line_starts;
  std::vector<Problem> problems;
  bool has_document = false;
  bool by_subset = false;  ///< read by the fast subset reader rather than yaml-cpp

  bool empty() const noexcept { return nodes.empty(); }
  const Node& operator[](std::uint32_t i) const noexcept { return nodes[i]; }
  std::string_view value(std::uint32_t i) const noexcept;

  /// The value node of `key` in mapping `map`, or kNone.
  std::uint32_t get(std::uint32_t map, std::string_view key) const noexcept;
  /// The key node of the pair whose value is `value_node` (kNone when not in a mapping).
  std::uint32_t key_of(std::uint32_t value_node) const noexcept;

  /// 1-based line and code-point column of a byte offset.
  void position(std::uint32_t offset, int& line, int& column) const noexcept;
  /// Byte offset one past the node's text (scans the source; for containers the end of the
  /// last descendant).
  std::uint32_t end_offset(std::uint32_t node) const noexcept;
  /// Source byte offset of byte `k` of a scalar's value (for spans inside expressions).
  std::uint32_t value_offset(std::uint32_t node, std::uint32_t k) const noexcept;
  std::uint32_t double_quoted_offset(std::uint32_t p, std::uint32_t cap, std::uint32_t k) const noexcept;
  /// RFC 6901 pointer of a node.
  std::string pointer(std::uint32_t node) const;
  /// The text of a 1-based line without its line break.
  std::string_view line_text(int line) const noexcept;
};

/// Appends `n` to `t.nodes` as the next child of container `parent` (kNone: the root), whose
/// last child so far is `last` (updated); sets the node's parent and index (pairs count once
/// in a mapping). Returns the new node's index. Both readers build trees with it.
std::uint32_t append_node(Tree& t, std::uint32_t parent, std::uint32_t& last, Node n);

/// Parses `bytes` (the whole file) into a tree. Never throws: every problem becomes a
/// `Problem`. Checks encoding first (BOMs, NUL bytes, invalid UTF-8, tabs in indentation).
Tree parse(std::string bytes, const Limits& limits = {});

/// YAML 1.2 core schema resolution of a plain scalar.
enum class ScalarType : std::uint8_t { String, Bool, Int, Float };
ScalarType resolve_plain(std::string_view v) noexcept;

}  // namespace charter::detail::yaml

// Internal: typed reading of source-tree nodes into model values, with diagnostics.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "load/impl.hpp"

namespace charter::detail {

struct Ctx {
  Charter::Impl& impl;
  Reporter& rep;
  std::uint32_t file;
  const yaml::Tree& t;

  SourceRef ref(std::uint32_t node) const { return SourceRef{file, node}; }
  Diagnostic& error(Code c, std::uint32_t node, std::string msg, std::string label = {}) {
    return rep.add_at(c, file, node, std::move(msg), std::move(label));
  }
  std::string_view val(std::uint32_t n) const { return t.value(n); }
  const yaml::Node& node(std::uint32_t n) const { return t.nodes[n]; }

  /// Human name of a node's type for messages: "a mapping", "an integer", ...
  std::string describe(std::uint32_t n) const;
  /// The value node's key text (for messages).
  std::string key_name(std::uint32_t value_node) const;

  // Typed readers: return nullopt (after reporting) when the node has the wrong type or format.
  // Strings are views into the file's source text (or the tree's arena): no copies.
  std::optional<std::string_view> str(std::uint32_t n);
  std::optional<std::string_view> id(std::uint32_t n);
  std::optional<std::int64_t> integer(std::uint32_t n);
  std::optional<double> number(std::uint32_t n);
  std::optional<bool> boolean(std::uint32_t n);
  std::optional<double> percent(std::uint32_t n);  ///< "95%" -> 0.95
  std::optional<Duration> duration(std::uint32_t n);
  std::optional<Date> date(std::uint32_t n);
  std::optional<std::string_view> locale(std::uint32_t n);
  /// Children of a sequence node (reports and returns empty when not a sequence).
  std::vector<std::uint32_t> seq(std::uint32_t n);
  std::vector<std::string_view> str_list(std::uint32_t n);
  std::vector<std::string_view> id_list(std::uint32_t n);
  /// (key node, value node) pairs of a mapping (reports when not a mapping).
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs(std::uint32_t n);
  bool is_map(std::uint32_t n, const char* what);
  /// JSON text of a subtree (for `x-` extensions and export).
  std::string to_json(std::uint32_t n) const;
};

/// A mapping being read: checks its keys against `allowed`, keeps `x-` keys.
class Obj {
 public:
  Obj(Ctx& c, std::uint32_t node, std::initializer_list<std::string_view> allowed, Extensions* ext);
  std::uint32_t get(std::string_view key) const;
  bool has(std::string_view key) const { return get(key) != yaml::kNone; }
  /// The value node of a required key; reports CH0205 when absent.
  std::uint32_t need(std::string_view key, std::string_view what);
  std::uint32_t node() const { return node_; }

 private:
  Ctx& c_;
  std::uint32_t node_;
  std::vector<std::pair<std::string_view, std::uint32_t>> entries_;
};

bool valid_id(std::string_view s) noexcept;
bool parse_date(std::string_view s, Date& d) noexcept;
bool parse_duration(std::string_view s, Duration& d) noexcept;

}  // namespace charter::detail

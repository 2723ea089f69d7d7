// The compiled form of a charter's expressions, shared by the record evaluator
// (evaluator.cpp) and the column evaluator (columns.cpp).
#pragma once

#include <re2/re2.h>
#include <charter/evaluate.hpp>

#include <memory>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "load/impl.hpp"
#include "util/str_index.hpp"

namespace charter {

namespace detail {
// The values of an enum field (`values:`) with their positions: a string column of such a
// field also holds each value's position (-1 for a value that is not one of them).
using Ordinals = StrIndex;
inline Ordinals ordinals_of(const Field& f) {
  Ordinals o(f.values.size());
  for (std::size_t i = 0; i < f.values.size(); ++i) o.insert(f.values[i], static_cast<std::int32_t>(i));
  return o;
}
}  // namespace detail

struct Evaluator::Program {
  Charter charter;  // keeps the model (and the ASTs) alive
  const Charter::Impl* impl = nullptr;
  std::vector<FieldType> field_types;
  using Regexes = std::unordered_map<const ExprNode*, std::unique_ptr<RE2>>;
  Regexes regexes;  // keyed by the pattern's node
  // `x in [...]` lists made only of string literals, as hash sets (keyed by the list node).
  std::unordered_map<const ExprNode*, detail::StrIndex> string_sets;
  std::vector<detail::Ordinals> ordinals;  // per field
  // For such a list tested against an enum field: is value i of the field in the list?
  std::unordered_map<const ExprNode*, std::vector<std::uint8_t>> enum_members;

  // Copies of `regexes` lent to column evaluations: an RE2 is thread-safe but guards its
  // cache with a lock that threads matching at the same time fight over; with a copy each,
  // they do not.
  std::unique_ptr<Regexes> borrow_regexes() const {
    {
      std::lock_guard lk(pool_mu);
      if (!pool.empty()) {
        auto r = std::move(pool.back());
        pool.pop_back();
        return r;
      }
    }
    auto copy = std::make_unique<Regexes>();
    for (const auto& [node, re] : regexes) copy->emplace(node, std::make_unique<RE2>(re->pattern(), re->options()));
    return copy;
  }
  void give_back(std::unique_ptr<Regexes> r) const {
    std::lock_guard lk(pool_mu);
    pool.push_back(std::move(r));
  }
  mutable std::mutex pool_mu;
  mutable std::vector<std::unique_ptr<Regexes>> pool;
};

}  // namespace charter

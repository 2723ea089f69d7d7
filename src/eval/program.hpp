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

namespace charter {

struct Evaluator::Program {
  Charter charter;  // keeps the model (and the ASTs) alive
  const Charter::Impl* impl = nullptr;
  std::vector<FieldType> field_types;
  using Regexes = std::unordered_map<const ExprNode*, std::unique_ptr<RE2>>;
  Regexes regexes;  // keyed by the pattern's node
  // `x in [...]` lists made only of string literals, as hash sets (keyed by the list node).
  std::unordered_map<const ExprNode*, std::unordered_set<std::string_view>> string_sets;

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

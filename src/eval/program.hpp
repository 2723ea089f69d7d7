// The compiled form of a charter's expressions, shared by the record evaluator
// (evaluator.cpp) and the column evaluator (columns.cpp).
#pragma once

#include <re2/re2.h>
#include <charter/evaluate.hpp>

#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "load/impl.hpp"

namespace charter {

struct Evaluator::Program {
  Charter charter;  // keeps the model (and the ASTs) alive
  const Charter::Impl* impl = nullptr;
  std::vector<FieldType> field_types;
  std::unordered_map<const ExprNode*, std::unique_ptr<RE2>> regexes;
  // `x in [...]` lists made only of string literals, as hash sets (keyed by the list node).
  std::unordered_map<const ExprNode*, std::unordered_set<std::string_view>> string_sets;
};

}  // namespace charter

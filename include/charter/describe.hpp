// charter — expressions of the criteria language in plain language, for people:
//
//   company_size >= 50 and country in ["US", "CA", "DE"]
//     -> company size is at least 50 and country is one of US, CA, DE
//   last_activity >= now - 14d
//     -> last activity is within the last 14 days
#pragma once

#include <string>

#include <charter/model.hpp>

namespace charter {

/// The plain-language text of a type-checked expression (English). Names read as their ids
/// with `_` as spaces; numbers get thousands separators and percentages stay percentages;
/// `and` inside `or` (and the other way round) is put in parentheses, so the text is never
/// ambiguous. An expression with errors (no tree) gives its source text.
std::string describe(const Expression& expression);

/// The same for one node of an expression tree.
std::string describe(const ExprNode& node);

}  // namespace charter

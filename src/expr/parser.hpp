// Internal: the criteria language's lexer and parser.
#pragma once

#include <charter/expr.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace charter::detail::expr {

struct SyntaxError {
  std::uint32_t begin = 0, end = 0;  ///< byte offsets in the expression text
  std::string message;
  std::string label;
  std::string help;
};

struct ParseOutcome {
  std::unique_ptr<ExprNode> root;  ///< null on a syntax error
  SyntaxError error;
};

/// Parses an expression (never throws; the first syntax error is returned).
ParseOutcome parse(std::string_view text);

bool is_keyword(std::string_view word) noexcept;

}  // namespace charter::detail::expr

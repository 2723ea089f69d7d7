// charter — the criteria language: typed AST produced by the loader.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace charter {

/// Static type of an expression node, decided by the type checker.
enum class ValueType : std::uint8_t {
  Unknown,  ///< not typed (the expression has errors)
  Null,     ///< the `null` literal
  Boolean,
  Integer,
  Number,  ///< decimals, scores, percentages (30% is 0.3)
  String,
  Date,      ///< calendar date
  Datetime,  ///< instant
  Duration,  ///< `90m`, `24h`, `30d`, `2w`
  List,      ///< list literal or `list` field
};

/// "boolean", "integer", ...
const char* to_string(ValueType t) noexcept;

/// A calendar date (proleptic Gregorian).
struct Date {
  int year = 0;
  int month = 0;
  int day = 0;
  friend bool operator==(const Date&, const Date&) = default;
};

/// A duration literal: `amount` of `unit` ('m' minutes, 'h' hours, 'd' days, 'w' weeks).
struct DurationValue {
  std::int64_t amount = 0;
  char unit = 'm';
  /// Wall-clock length in seconds (a day is 86,400 s).
  std::int64_t seconds() const noexcept;
  friend bool operator==(const DurationValue&, const DurationValue&) = default;
};

/// An instant: seconds since 1970-01-01T00:00:00Z, and the offset it was written with.
struct DatetimeValue {
  std::int64_t epoch_seconds = 0;
  int offset_minutes = 0;
  friend bool operator==(const DatetimeValue&, const DatetimeValue&) = default;
};

/// A literal value in an expression. Percentages are stored as `double` fractions.
using Literal =
    std::variant<std::monostate, bool, std::int64_t, double, std::string, Date, DatetimeValue, DurationValue>;

/// Expression operators.
enum class Op : std::uint8_t {
  Or,
  And,
  Not,
  Neg,
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  In,
  NotIn,
  Between,
  IsNull,
  IsNotNull,
  Matches,
  Contains,
  StartsWith,
  EndsWith,
  Add,
  Sub,
  Mul,
  Div,
};

/// What a name refers to.
enum class NameKind : std::uint8_t { Unresolved, Field, Score, Criteria, Now };

/// One node of a parsed, type-checked expression. Immutable once loaded.
struct ExprNode {
  enum class Kind : std::uint8_t { Literal, Name, List, Unary, Binary, Between, Postfix };
  Kind kind = Kind::Literal;
  Op op = Op::Or;  ///< for Unary, Binary, Between (Op::Between), Postfix (IsNull/IsNotNull)
  ValueType type = ValueType::Unknown;
  Literal value;            ///< for Literal
  bool is_percent = false;  ///< the literal was written with `%`
  std::string name;         ///< for Name
  NameKind name_kind = NameKind::Unresolved;
  std::uint32_t index = 0;  ///< for a resolved Name: its position in `Charter::fields()`,
                            ///< `scores()` or `criteria()`
  /// Operands, in source order. `and`/`or` chains are one Binary node with two or more
  /// operands (`a and b and c` has three); other binary operators have exactly two;
  /// Between has three (value, low, high); Unary and Postfix have one.
  std::vector<std::unique_ptr<ExprNode>> children;
  std::uint32_t begin = 0;  ///< byte offset in the expression text
  std::uint32_t end = 0;    ///< byte offset one past the node's text
};

}  // namespace charter

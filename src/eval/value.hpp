// Runtime values of the criteria language and the operations on them, shared by the record
// evaluator and the column evaluator (which falls back to them for rare type combinations).
#pragma once

#include <charter/evaluate.hpp>

#include <cmath>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

#include "util/dates.hpp"

namespace charter::eval {

struct Dur {
  std::int64_t seconds;
};
struct Null {};

// A runtime value. Strings and lists point into the record or the AST (both outlive a call).
using V = std::variant<Null, bool, std::int64_t, double, std::string_view, Date, DatetimeValue, Dur,
                       const std::vector<std::string>*>;

inline bool is_null(const V& v) { return std::holds_alternative<Null>(v); }
inline bool truthy(const V& v) {
  auto* b = std::get_if<bool>(&v);
  return b && *b;
}

using detail::civil_from_days;
using detail::day_number;
using detail::days_from_civil;

inline std::optional<double> as_double(const V& v) {
  if (auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (auto* d = std::get_if<double>(&v)) return *d;
  return std::nullopt;
}

// Three-way comparison of two non-null values of compatible types; nullopt if incomparable.
inline std::optional<int> compare(const V& a, const V& b) {
  auto sign = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  // The common case first: two strings (enum values, `in` lists).
  if (auto* s = std::get_if<std::string_view>(&a)) {
    if (auto* t = std::get_if<std::string_view>(&b)) return sign(*s, *t);
    return std::nullopt;
  }
  if (std::holds_alternative<std::int64_t>(a) && std::holds_alternative<std::int64_t>(b))
    return sign(std::get<std::int64_t>(a), std::get<std::int64_t>(b));
  if (auto x = as_double(a)) {
    if (auto y = as_double(b)) {
      if (std::isnan(*x) || std::isnan(*y)) return std::nullopt;
      return sign(*x, *y);
    }
    return std::nullopt;
  }
  if (a.index() != b.index()) return std::nullopt;
  if (auto* s = std::get_if<std::string_view>(&a)) return sign(*s, std::get<std::string_view>(b));
  if (auto* x = std::get_if<bool>(&a)) return sign(*x, std::get<bool>(b));
  if (auto* d = std::get_if<Date>(&a)) return sign(day_number(*d), day_number(std::get<Date>(b)));
  if (auto* t = std::get_if<DatetimeValue>(&a)) return sign(t->epoch_seconds, std::get<DatetimeValue>(b).epoch_seconds);
  if (auto* u = std::get_if<Dur>(&a)) return sign(u->seconds, std::get<Dur>(b).seconds);
  return std::nullopt;
}

// Whether comparison `op` (==, !=, <, <=, >, >=) holds for a three-way result `c`.
inline bool op_holds(Op op, int c) {
  switch (op) {
    case Op::Eq: return c == 0;
    case Op::Ne: return c != 0;
    case Op::Lt: return c < 0;
    case Op::Le: return c <= 0;
    case Op::Gt: return c > 0;
    default: return c >= 0;
  }
}

inline bool equal(const V& a, const V& b) {
  auto c = compare(a, b);
  return c && *c == 0;
}

// One conversion for record values and literals: they differ only in lists (records) and
// durations (literals).
struct ToV {
  V operator()(std::monostate) const { return Null{}; }
  V operator()(bool b) const { return b; }
  V operator()(std::int64_t i) const { return i; }
  V operator()(double d) const { return d; }
  V operator()(const std::string& s) const { return std::string_view(s); }
  V operator()(const Date& d) const { return d; }
  V operator()(const DatetimeValue& t) const { return t; }
  V operator()(const std::vector<std::string>& l) const { return &l; }
  V operator()(const DurationValue& d) const { return Dur{d.seconds()}; }
};

inline V from_value(const Value& v) { return std::visit(ToV{}, v); }
inline V from_literal(const ExprNode& n) { return std::visit(ToV{}, n.value); }

inline V arithmetic(Op op, const V& a, const V& b) {
  if (is_null(a) || is_null(b)) return Null{};
  auto* ia = std::get_if<std::int64_t>(&a);
  auto* ib = std::get_if<std::int64_t>(&b);
  if (ia && ib && op != Op::Div) {
    std::int64_t r;
    bool overflow = op == Op::Add   ? __builtin_add_overflow(*ia, *ib, &r)
                    : op == Op::Sub ? __builtin_sub_overflow(*ia, *ib, &r)
                                    : __builtin_mul_overflow(*ia, *ib, &r);
    if (!overflow) return r;
    // too large for an integer: continue in floating point
  }
  auto x = as_double(a), y = as_double(b);
  if (x && y) {
    switch (op) {
      case Op::Add: return *x + *y;
      case Op::Sub: return *x - *y;
      case Op::Mul: return *x * *y;
      default: return *y == 0 ? V(Null{}) : V(*x / *y);
    }
  }
  int sgn = op == Op::Sub ? -1 : 1;
  if (auto* t = std::get_if<DatetimeValue>(&a)) {
    if (auto* u = std::get_if<Dur>(&b)) return DatetimeValue{t->epoch_seconds + sgn * u->seconds, t->offset_minutes};
    if (auto* t2 = std::get_if<DatetimeValue>(&b)) return Dur{t->epoch_seconds - t2->epoch_seconds};
  }
  if (auto* d = std::get_if<Date>(&a)) {
    if (auto* u = std::get_if<Dur>(&b)) return civil_from_days(day_number(*d) + sgn * (u->seconds / 86400));
    if (auto* d2 = std::get_if<Date>(&b)) return Dur{(day_number(*d) - day_number(*d2)) * 86400};
  }
  if (auto* u = std::get_if<Dur>(&a)) {
    if (auto* u2 = std::get_if<Dur>(&b)) return Dur{u->seconds + sgn * u2->seconds};
    if (op == Op::Add) {
      if (auto* t = std::get_if<DatetimeValue>(&b))
        return DatetimeValue{t->epoch_seconds + u->seconds, t->offset_minutes};
      if (auto* d = std::get_if<Date>(&b)) return civil_from_days(day_number(*d) + u->seconds / 86400);
    }
  }
  return Null{};
}

}  // namespace charter::eval

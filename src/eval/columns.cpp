// The criteria language over columns: charter::Batch, and an evaluator that computes every
// expression node for all rows of a batch at once. `and`/`or` narrow the rows their later
// operands are computed for (a selection vector), so a costly operand (a regex) runs only
// where it decides the result. The semantics are those of the record evaluator
// (evaluator.cpp); rare type combinations go through its value operations (value.hpp).
#include <charter/evaluate.hpp>

#include <bit>
#include <cmath>
#include <numeric>
#include <unordered_map>

#include "eval/batch.hpp"
#include "eval/program.hpp"
#include "eval/value.hpp"
#include "util/str_index.hpp"

namespace charter {

namespace {

using namespace eval;
using Sel = std::vector<std::uint32_t>;

// The values of one expression node for the rows of a batch, valid at the selected rows.
// Booleans, integers, dates (day numbers), datetimes (epoch seconds) and durations (seconds)
// are in `i`, numbers in `d`; an integer row whose arithmetic overflowed holds a number
// (`dbl`). A constant has one value, for every row.
struct Vec {
  ValueType type = ValueType::Null;
  bool konst = false;
  const std::uint8_t* null = nullptr;  // nullptr: no row is null
  const std::int64_t* i = nullptr;
  const double* d = nullptr;
  const std::uint8_t* dbl = nullptr;  // nullptr: every row is a number iff type is Number
  const std::string_view* s = nullptr;
  const detail::Column* list = nullptr;  // a list field

  std::vector<std::uint8_t> own_null, own_dbl;
  std::vector<std::int64_t> own_i;
  std::vector<double> own_d;
  std::vector<std::string_view> own_s;

  Vec() = default;
  Vec(const Vec&) = delete;
  Vec(Vec&&) noexcept = default;  // moving a vector keeps its buffer: the pointers stay valid

  std::size_t k(std::size_t r) const { return konst ? 0 : r; }
  bool nul(std::size_t r) const { return null && null[k(r)]; }
  bool is_d(std::size_t r) const { return dbl ? dbl[k(r)] != 0 : type == ValueType::Number; }
  double num(std::size_t r) const { return is_d(r) ? d[k(r)] : static_cast<double>(i[k(r)]); }
  bool truth(std::size_t r) const { return type == ValueType::Boolean && !nul(r) && i[k(r)] != 0; }
};

bool int_like(ValueType t) {
  return t == ValueType::Boolean || t == ValueType::Integer || t == ValueType::Date || t == ValueType::Datetime ||
         t == ValueType::Duration;
}
bool numeric(ValueType t) { return t == ValueType::Integer || t == ValueType::Number; }

// A result vector of `type` over n rows, with its own storage.
Vec make(ValueType type, std::size_t n, bool nullable) {
  Vec v;
  v.type = type;
  if (nullable) {
    v.own_null.assign(n, 0);
    v.null = v.own_null.data();
  }
  if (type == ValueType::Number) {
    v.own_d.resize(n);
    v.d = v.own_d.data();
  } else if (type == ValueType::String) {
    v.own_s.resize(n);
    v.s = v.own_s.data();
  } else {
    v.own_i.resize(n);
    v.i = v.own_i.data();
  }
  return v;
}

V get(const Vec& v, std::size_t r) {
  if (v.nul(r)) return Null{};
  std::size_t k = v.k(r);
  switch (v.type) {
    case ValueType::Boolean: return v.i[k] != 0;
    case ValueType::Integer:
    case ValueType::Number: return v.is_d(r) ? V(v.d[k]) : V(v.i[k]);
    case ValueType::String: return v.s[k];
    case ValueType::Date: return civil_from_days(v.i[k]);
    case ValueType::Datetime: return DatetimeValue{v.i[k], 0};
    case ValueType::Duration: return Dur{v.i[k]};
    default: return Null{};  // lists are handled by the operators that take them
  }
}

// Stores `x` at row r of a result made by make(type, n, true).
void put(Vec& o, std::size_t r, const V& x) {
  if (is_null(x)) {
    o.own_null[r] = 1;
    return;
  }
  o.own_null[r] = 0;
  auto need_dbl = [&] {
    if (o.own_dbl.empty()) {
      o.own_dbl.assign(o.own_null.size(), o.type == ValueType::Number ? 1 : 0);
      o.dbl = o.own_dbl.data();
    }
  };
  auto need_d = [&] {
    if (o.own_d.empty()) {
      o.own_d.resize(o.own_null.size());
      o.d = o.own_d.data();
    }
  };
  auto need_i = [&] {
    if (o.own_i.empty()) {
      o.own_i.resize(o.own_null.size());
      o.i = o.own_i.data();
    }
  };
  if (auto* b = std::get_if<bool>(&x)) {
    need_i();
    o.own_i[r] = *b;
  } else if (auto* v = std::get_if<std::int64_t>(&x)) {
    need_i();
    o.own_i[r] = *v;
    if (o.type == ValueType::Number || o.dbl) {
      need_dbl();
      o.own_dbl[r] = 0;
    }
  } else if (auto* dv = std::get_if<double>(&x)) {
    need_d();
    o.own_d[r] = *dv;
    if (o.type != ValueType::Number || o.dbl) {
      need_dbl();
      o.own_dbl[r] = 1;
    }
  } else if (auto* s = std::get_if<std::string_view>(&x)) {
    o.own_s[r] = *s;
  } else if (auto* dt = std::get_if<Date>(&x)) {
    need_i();
    o.own_i[r] = day_number(*dt);
  } else if (auto* t = std::get_if<DatetimeValue>(&x)) {
    need_i();
    o.own_i[r] = t->epoch_seconds;
  } else if (auto* u = std::get_if<Dur>(&x)) {
    need_i();
    o.own_i[r] = u->seconds;
  } else {
    o.own_null[r] = 1;
  }
}

// How two vectors compare, decided once per node.
enum class Cmp : std::uint8_t { Int, Num, Str, Generic };

Cmp cmp_mode(const Vec& a, const Vec& b) {
  if (a.type == ValueType::String && b.type == ValueType::String) return Cmp::Str;
  if (numeric(a.type) && numeric(b.type)) {
    if (a.type == ValueType::Integer && b.type == ValueType::Integer && !a.dbl && !b.dbl) return Cmp::Int;
    return Cmp::Num;
  }
  if (int_like(a.type) && a.type == b.type) return Cmp::Int;
  return Cmp::Generic;
}

// Three-way comparison of two non-null rows; 2 when they are incomparable.
int cmp3(Cmp mode, const Vec& a, const Vec& b, std::size_t r) {
  auto sign = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  switch (mode) {
    case Cmp::Int: return sign(a.i[a.k(r)], b.i[b.k(r)]);
    case Cmp::Str: return sign(a.s[a.k(r)], b.s[b.k(r)]);
    case Cmp::Num: {
      if (!a.is_d(r) && !b.is_d(r)) return sign(a.i[a.k(r)], b.i[b.k(r)]);
      double x = a.num(r), y = b.num(r);
      if (std::isnan(x) || std::isnan(y)) return 2;
      return sign(x, y);
    }
    case Cmp::Generic: break;
  }
  auto c = compare(get(a, r), get(b, r));
  return c ? *c : 2;
}

bool holds(Op op, int c) { return c != 2 && op_holds(op, c); }  // (2: incomparable)

// Vec::truth with the loop invariants in locals (stores to a result must not make the
// compiler read them again for every row).
struct Truth {
  explicit Truth(const Vec& v) {
    if (v.type != ValueType::Boolean || v.konst) {
      konst = true;
      value = v.truth(0);
    } else {
      null = v.null;
      i = v.i;
    }
  }
  bool operator()(std::size_t r) const {
    return konst ? value : static_cast<bool>((null ? null[r] == 0 : true) & (i[r] != 0));
  }
  bool konst = false, value = false;
  const std::uint8_t* null = nullptr;
  const std::int64_t* i = nullptr;
};

// Calls f(r) for the rows of `sel`; a plain loop when it selects all n rows.
template <class F>
inline void each(const Sel& sel, std::size_t n, F&& f) {
  if (sel.size() == n)
    for (std::size_t r = 0; r < n; ++r) f(r);
  else
    for (auto r : sel) f(r);
}

// `column OP constant` for integer-like values or numbers: out[r] for the selected rows.
// (With NaN every comparison is false, `!=` included, as holds() has it.)
template <class T>
void compare_const(Op op, const T* x, const std::uint8_t* null, T c, const Sel& sel, std::size_t n, std::int64_t* out) {
  auto run = [&](auto test) {
    if (null)
      each(sel, n, [&](std::size_t r) { out[r] = (null[r] == 0) & test(x[r]); });
    else
      each(sel, n, [&](std::size_t r) { out[r] = test(x[r]); });
  };
  switch (op) {
    case Op::Eq: run([c](T v) { return v == c; }); break;
    case Op::Ne: run([c](T v) { return v < c || c < v; }); break;
    case Op::Lt: run([c](T v) { return v < c; }); break;
    case Op::Le: run([c](T v) { return v <= c; }); break;
    case Op::Gt: run([c](T v) { return v > c; }); break;
    case Op::Ge: run([c](T v) { return v >= c; }); break;
    default: break;
  }
}

class ColumnRun {
 public:
  ColumnRun(const Evaluator::Program& p, const Batch::Impl& b, const DatetimeValue& now)
      : p_(p), b_(b), n_(b.rows), now_(now), regexes_(p.borrow_regexes()) {
    all_.resize(n_);
    std::iota(all_.begin(), all_.end(), 0u);
    crit_.resize(p.impl->criteria.size());
    crit_state_.assign(p.impl->criteria.size(), 0);
    score_.resize(p.impl->scores.size());
    score_state_.assign(p.impl->scores.size(), 0);
  }

  ~ColumnRun() { p_.give_back(std::move(regexes_)); }
  ColumnRun(const ColumnRun&) = delete;
  ColumnRun& operator=(const ColumnRun&) = delete;

  const Sel& all() const { return all_; }

  const std::vector<std::int64_t>& criteria(std::size_t i) {
    if (crit_state_[i] == 0) {
      crit_state_[i] = 1;  // (cycles are rejected by the loader)
      Vec v = eval(*p_.impl->criteria[i].when.root, all_);
      crit_[i].resize(n_);
      Truth t(v);
      std::int64_t* c = crit_[i].data();
      for (std::size_t r = 0; r < n_; ++r) c[r] = t(r);
    }
    return crit_[i];
  }

  const std::vector<double>& score(std::size_t i) {
    if (score_state_[i] == 0) {
      score_state_[i] = 1;
      const Score& s = p_.impl->scores[i];
      auto& sum = score_[i];
      sum.assign(n_, 0.0);
      double* out = sum.data();
      for (const auto& rule : s.rules) {
        Vec v = eval(*rule.when.root, all_);
        Truth t(v);
        const double points = rule.points;
        if (t.konst) {
          if (t.value)
            for (std::size_t r = 0; r < n_; ++r) out[r] += points;
        } else {
          // Branch-free (the rows' truths are not predictable): the points masked to +0.0
          // where the rule does not hold, which adds nothing.
          const auto bits = std::bit_cast<std::uint64_t>(points);
          const std::uint8_t* null = t.null;
          const std::int64_t* truth = t.i;
          for (std::size_t r = 0; r < n_; ++r) {
            std::uint64_t holds = static_cast<std::uint64_t>(truth[r] != 0) & (null ? null[r] == 0 : 1u);
            out[r] += std::bit_cast<double>(bits & (0 - holds));
          }
        }
      }
      if (s.max)
        for (auto& x : sum)
          if (x > *s.max) x = *s.max;
    }
    return score_[i];
  }

  Vec eval(const ExprNode& n, const Sel& sel) {
    switch (n.kind) {
      case ExprNode::Kind::Literal: return literal(n);
      case ExprNode::Kind::Name: return name(n);
      case ExprNode::Kind::List: return null_const();  // only meaningful under `in`
      case ExprNode::Kind::Unary: return unary(n, sel);
      case ExprNode::Kind::Postfix: return postfix(n, sel);
      case ExprNode::Kind::Between: return between(n, sel);
      case ExprNode::Kind::Binary: return binary(n, sel);
    }
    return null_const();
  }

 private:
  static Vec null_const() {
    Vec v;
    v.konst = true;
    v.own_null.assign(1, 1);
    v.null = v.own_null.data();
    return v;
  }

  Vec literal(const ExprNode& n) {
    V x = from_literal(n);
    if (is_null(x)) return null_const();
    ValueType t = std::visit(
        [](const auto& v) -> ValueType {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, bool>) return ValueType::Boolean;
          if constexpr (std::is_same_v<T, std::int64_t>) return ValueType::Integer;
          if constexpr (std::is_same_v<T, double>) return ValueType::Number;
          if constexpr (std::is_same_v<T, std::string_view>) return ValueType::String;
          if constexpr (std::is_same_v<T, Date>) return ValueType::Date;
          if constexpr (std::is_same_v<T, DatetimeValue>) return ValueType::Datetime;
          if constexpr (std::is_same_v<T, Dur>) return ValueType::Duration;
          return ValueType::Null;
        },
        x);
    Vec v = make(t, 1, true);
    v.konst = true;
    put(v, 0, x);
    return v;
  }

  Vec name(const ExprNode& n) {
    Vec v;
    switch (n.name_kind) {
      case NameKind::Field: {
        const detail::Column& c = b_.cols[n.index];
        v.null = c.null.data();
        switch (c.type) {
          case FieldType::Integer: v.type = ValueType::Integer; break;
          case FieldType::Number: v.type = ValueType::Number; break;
          case FieldType::Boolean: v.type = ValueType::Boolean; break;
          case FieldType::String: v.type = ValueType::String; break;
          case FieldType::Date: v.type = ValueType::Date; break;
          case FieldType::Datetime: v.type = ValueType::Datetime; break;
          case FieldType::List: v.type = ValueType::List; break;
        }
        v.i = c.i.data();
        v.d = c.d.data();
        v.s = c.s.data();
        v.list = &c;
        return v;
      }
      case NameKind::Score:
        v.type = ValueType::Number;
        v.d = score(n.index).data();
        return v;
      case NameKind::Criteria:
        v.type = ValueType::Boolean;
        v.i = criteria(n.index).data();
        return v;
      case NameKind::Now: {
        Vec t = make(ValueType::Datetime, 1, false);
        t.konst = true;
        t.own_i[0] = now_.epoch_seconds;
        return t;
      }
      case NameKind::Unresolved: break;
    }
    return null_const();
  }

  Vec unary(const ExprNode& n, const Sel& sel) {
    Vec a = eval(*n.children[0], sel);
    if (n.op == Op::Not) {
      Vec o = make(ValueType::Boolean, n_, false);
      Truth t(a);
      std::int64_t* out = o.own_i.data();
      each(sel, n_, [&](std::size_t r) { out[r] = !t(r); });
      return o;
    }
    Vec o = make(n.type, n_, true);
    for (auto r : sel) {
      V x = get(a, r);
      if (auto* i = std::get_if<std::int64_t>(&x))
        put(o, r, *i == INT64_MIN ? V(-static_cast<double>(*i)) : V(-*i));  // (as the record evaluator)
      else if (auto* d = std::get_if<double>(&x))
        put(o, r, -*d);
      else if (auto* u = std::get_if<Dur>(&x))
        put(o, r, Dur{-u->seconds});
      else
        put(o, r, Null{});
    }
    return o;
  }

  Vec postfix(const ExprNode& n, const Sel& sel) {
    Vec a = eval(*n.children[0], sel);
    Vec o = make(ValueType::Boolean, n_, false);
    for (auto r : sel) {
      bool null = a.nul(r) || (a.type == ValueType::List && a.list->ln[r] == 0);
      o.own_i[r] = n.op == Op::IsNull ? null : !null;
    }
    return o;
  }

  Vec between(const ExprNode& n, const Sel& sel) {
    Vec a = eval(*n.children[0], sel), lo = eval(*n.children[1], sel), hi = eval(*n.children[2], sel);
    Cmp m1 = cmp_mode(lo, a), m2 = cmp_mode(a, hi);
    Vec o = make(ValueType::Boolean, n_, false);
    if (m1 == Cmp::Int && m2 == Cmp::Int && !a.konst && lo.konst && hi.konst) {
      std::int64_t* out = o.own_i.data();
      if (lo.nul(0) || hi.nul(0)) {
        each(sel, n_, [&](std::size_t r) { out[r] = 0; });
        return o;
      }
      const std::int64_t l = lo.i[0], h = hi.i[0], *x = a.i;
      const std::uint8_t* null = a.null;
      if (null)
        each(sel, n_, [&](std::size_t r) { out[r] = (null[r] == 0) & (l <= x[r]) & (x[r] <= h); });
      else
        each(sel, n_, [&](std::size_t r) { out[r] = (l <= x[r]) & (x[r] <= h); });
      return o;
    }
    for (auto r : sel) {
      if (a.nul(r) || lo.nul(r) || hi.nul(r)) {
        o.own_i[r] = 0;
        continue;
      }
      int c1 = cmp3(m1, lo, a, r), c2 = cmp3(m2, a, hi, r);
      o.own_i[r] = c1 != 2 && c2 != 2 && c1 <= 0 && c2 <= 0;
    }
    return o;
  }

  Vec logic(const ExprNode& n, const Sel& sel) {
    // and: a row is false at its first false operand; the next operand runs on the rest.
    bool is_and = n.op == Op::And;
    Vec o = make(ValueType::Boolean, n_, false);
    Sel cur = sel, next;
    for (const auto& c : n.children) {
      if (cur.empty()) break;
      Vec v = eval(*c, cur);
      Truth t(v);
      std::int64_t* out = o.own_i.data();
      next.resize(cur.size());
      std::size_t kept = 0;
      for (auto r : cur) {
        bool go_on = t(r) == is_and;
        next[kept] = r;
        kept += go_on;
        out[r] = !is_and;  // (a row that goes on is overwritten by a later operand, or below)
      }
      next.resize(kept);
      std::swap(cur, next);
    }
    for (auto r : cur) o.own_i[r] = is_and;
    return o;
  }

  Vec binary(const ExprNode& n, const Sel& sel) {
    if (n.op == Op::And || n.op == Op::Or) return logic(n, sel);
    const ExprNode& rhs = *n.children[1];
    Vec a = eval(*n.children[0], sel);
    if (n.op == Op::In || n.op == Op::NotIn) return in(n, a, rhs, sel);
    if (n.op == Op::Matches) {
      Vec o = make(ValueType::Boolean, n_, false);
      auto it = regexes_->find(&rhs);
      if (a.type != ValueType::String || it == regexes_->end()) return o;  // (all false)
      const RE2& re = *it->second;
      auto match = [&re](std::string_view s) { return RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), re); };
      std::int64_t* out = o.own_i.data();
      if (a.konst) {
        bool hit = !a.nul(0) && match(a.s[0]);
        each(sel, n_, [&](std::size_t r) { out[r] = hit; });
        return o;
      }
      // Values repeat (titles, domains): each distinct value of the column is matched once,
      // while that pays (see Dict).
      Dict& d = dict(a.s);
      std::vector<std::int8_t> known(d.values.size(), -1);  // per distinct value: -1 not matched yet
      for (auto r : sel) {
        if (a.nul(r)) {
          out[r] = 0;
          continue;
        }
        std::int32_t code = d.code_of(r, a.s[r]);
        if (code < 0) {
          out[r] = match(a.s[r]);
          continue;
        }
        if (static_cast<std::size_t>(code) >= known.size()) known.resize(d.values.size(), -1);
        auto& k = known[static_cast<std::size_t>(code)];
        if (k < 0) k = match(a.s[r]);
        out[r] = k;
      }
      return o;
    }
    Vec b = eval(rhs, sel);
    switch (n.op) {
      case Op::Eq:
      case Op::Ne:
      case Op::Lt:
      case Op::Le:
      case Op::Gt:
      case Op::Ge: {
        Vec o = make(ValueType::Boolean, n_, false);
        Cmp m = cmp_mode(a, b);
        std::int64_t* out = o.own_i.data();
        if (!a.konst && b.konst && (m == Cmp::Int || m == Cmp::Num)) {  // `field >= 50`: a tight loop
          if (b.nul(0)) {
            each(sel, n_, [&](std::size_t r) { out[r] = 0; });
            return o;
          }
          if (m == Cmp::Int) {
            compare_const<std::int64_t>(n.op, a.i, a.null, b.i[0], sel, n_, out);
            return o;
          }
          if (a.type == ValueType::Number && !a.dbl) {  // every row a number: compared as numbers
            compare_const<double>(n.op, a.d, a.null, b.num(0), sel, n_, out);
            return o;
          }
        }
        for (auto r : sel) out[r] = !a.nul(r) && !b.nul(r) && holds(n.op, cmp3(m, a, b, r));
        return o;
      }
      case Op::Contains: {
        Vec o = make(ValueType::Boolean, n_, false);
        for (auto r : sel) {
          bool hit = false;
          if (!a.nul(r) && !b.nul(r) && b.type == ValueType::String) {
            std::string_view needle = b.s[b.k(r)];
            if (a.type == ValueType::List) {
              const detail::Column& c = *a.list;
              for (std::uint32_t j = 0; j < c.ln[r] && !hit; ++j) hit = c.items[c.lb[r] + j] == needle;
            } else if (a.type == ValueType::String) {
              hit = a.s[a.k(r)].find(needle) != std::string_view::npos;
            }
          }
          o.own_i[r] = hit;
        }
        return o;
      }
      case Op::StartsWith:
      case Op::EndsWith: {
        Vec o = make(ValueType::Boolean, n_, false);
        bool strings = a.type == ValueType::String && b.type == ValueType::String;
        for (auto r : sel) {
          bool hit = false;
          if (strings && !a.nul(r) && !b.nul(r)) {
            std::string_view s = a.s[a.k(r)], t = b.s[b.k(r)];
            hit = n.op == Op::StartsWith ? s.starts_with(t) : s.ends_with(t);
          }
          o.own_i[r] = hit;
        }
        return o;
      }
      case Op::Add:
      case Op::Sub:
      case Op::Mul:
      case Op::Div: return arith(n, a, b, sel);
      default: return null_const();
    }
  }

  Vec in(const ExprNode& n, const Vec& a, const ExprNode& list, const Sel& sel) {
    Vec o = make(ValueType::Boolean, n_, false);
    bool is_in = n.op == Op::In;
    if (auto set = p_.string_sets.find(&list); set != p_.string_sets.end()) {
      bool strings = a.type == ValueType::String;
      auto members = p_.enum_members.find(&list);
      if (strings && members != p_.enum_members.end() && a.i && !a.konst) {
        // An enum field: membership by the value's position (a value outside the field's
        // values, possible in a batch filled by a program, is looked up by its text).
        const auto& member = members->second;
        for (auto r : sel) {
          if (a.nul(r)) continue;
          std::int64_t ord = a.i[r];
          bool found = ord >= 0 ? member[static_cast<std::size_t>(ord)] != 0 : set->second.contains(a.s[r]);
          o.own_i[r] = is_in ? found : !found;
        }
        return o;
      }
      for (auto r : sel) {
        if (a.nul(r) || !strings) {
          o.own_i[r] = 0;  // a comparison with null (or a non-string): false either way
          continue;
        }
        bool found = set->second.contains(a.s[a.k(r)]);
        o.own_i[r] = is_in ? found : !found;
      }
      return o;
    }
    std::vector<Vec> items;
    std::vector<Cmp> modes;
    for (const auto& item : list.children) {
      items.push_back(eval(*item, sel));
      modes.push_back(cmp_mode(a, items.back()));
    }
    for (auto r : sel) {
      if (a.nul(r)) {
        o.own_i[r] = 0;
        continue;
      }
      bool found = false;
      for (std::size_t j = 0; j < items.size() && !found; ++j)
        found = !items[j].nul(r) && cmp3(modes[j], a, items[j], r) == 0;
      o.own_i[r] = is_in ? found : !found;
    }
    return o;
  }

  Vec arith(const ExprNode& n, const Vec& a, const Vec& b, const Sel& sel) {
    if (a.konst && b.konst) {  // `now - 7d`: once, not per row
      Vec o = make(n.type, 1, true);
      o.konst = true;
      put(o, 0, arithmetic(n.op, get(a, 0), get(b, 0)));
      return o;
    }
    Vec o = make(n.type, n_, true);
    bool ints = a.type == ValueType::Integer && b.type == ValueType::Integer && !a.dbl && !b.dbl;
    if (ints && n.op != Op::Div && n.type == ValueType::Integer) {
      for (auto r : sel) {
        if (a.nul(r) || b.nul(r)) {
          o.own_null[r] = 1;
          continue;
        }
        std::int64_t x = a.i[a.k(r)], y = b.i[b.k(r)], z;
        bool overflow = n.op == Op::Add   ? __builtin_add_overflow(x, y, &z)
                        : n.op == Op::Sub ? __builtin_sub_overflow(x, y, &z)
                                          : __builtin_mul_overflow(x, y, &z);
        if (overflow)
          put(o, r, arithmetic(n.op, V(x), V(y)));  // continues in floating point
        else
          o.own_i[r] = z;
      }
      return o;
    }
    if (numeric(a.type) && numeric(b.type) && n.type == ValueType::Number && !ints) {
      for (auto r : sel) {
        if (a.nul(r) || b.nul(r)) {
          o.own_null[r] = 1;
          continue;
        }
        if (!a.is_d(r) && !b.is_d(r)) {  // two integers in a number-typed node: the general rules
          put(o, r, arithmetic(n.op, get(a, r), get(b, r)));
          continue;
        }
        double x = a.num(r), y = b.num(r);
        switch (n.op) {
          case Op::Add: o.own_d[r] = x + y; break;
          case Op::Sub: o.own_d[r] = x - y; break;
          case Op::Mul: o.own_d[r] = x * y; break;
          default:
            if (y == 0)
              o.own_null[r] = 1;
            else
              o.own_d[r] = x / y;
        }
      }
      return o;
    }
    for (auto r : sel) put(o, r, arithmetic(n.op, get(a, r), get(b, r)));
    return o;
  }

  // The distinct values of a string column of the batch, numbered as they are met, so that
  // an operator costly per value (a regex) runs once per value. Given up on a column once
  // the first 512 rows looked up hold more than 256 distinct values (e-mail addresses).
  struct Dict {
    detail::StrIndex index;
    std::vector<std::string_view> values;
    std::vector<std::int32_t> code;  // per row: -2 not looked up yet
    std::size_t lookups = 0;
    bool off = false;
    // The number of row r's value s, or -1 when the column is given up.
    std::int32_t code_of(std::size_t r, std::string_view s) {
      std::int32_t c = code[r];
      if (c >= 0) return c;
      if (off) return -1;
      c = index.insert(s, static_cast<std::int32_t>(values.size()));
      if (static_cast<std::size_t>(c) == values.size()) values.push_back(s);
      code[r] = c;
      if (++lookups == 512 && values.size() > 256) off = true;
      return c;
    }
  };
  Dict& dict(const std::string_view* column) {
    auto [it, added] = dicts_.try_emplace(column);
    if (added) it->second.code.assign(n_, -2);
    return it->second;
  }

  const Evaluator::Program& p_;
  const Batch::Impl& b_;
  std::unordered_map<const std::string_view*, Dict> dicts_;
  std::size_t n_;
  DatetimeValue now_;
  Sel all_;
  std::vector<std::vector<std::int64_t>> crit_;
  std::vector<char> crit_state_;
  std::vector<std::vector<double>> score_;
  std::vector<char> score_state_;
  std::unique_ptr<Evaluator::Program::Regexes> regexes_;
};

[[noreturn]] void misuse(const std::string& what) { throw Error("charter::Batch::" + what); }

}  // namespace

// ---- Batch ------------------------------------------------------------------------------------

Batch::Batch(const Evaluator& evaluator) : impl_(std::make_unique<Impl>()) {
  impl_->program = evaluator.program_;
  for (FieldType t : evaluator.program_->field_types) {
    impl_->cols.emplace_back();
    impl_->cols.back().type = t;
  }
}
Batch::~Batch() = default;
Batch::Batch(Batch&&) noexcept = default;
Batch& Batch::operator=(Batch&&) noexcept = default;

std::size_t Batch::size() const noexcept { return impl_ ? impl_->rows : 0; }

void Batch::clear() noexcept {
  if (impl_) impl_->clear();
}

std::size_t Batch::add_row(std::string_view id) {
  if (!impl_) misuse("add_row: moved-from batch");
  auto& b = *impl_;
  b.reserve(b.rows + 1);
  b.ids[b.rows] = b.arena.store(id);
  b.null_row(b.rows);
  return b.rows++;
}

namespace {

const FieldType& field_type_of(const Batch::Impl* b, std::size_t row, std::size_t field, const char* what) {
  if (!b) misuse(std::string(what) + ": moved-from batch");
  if (field >= b->cols.size()) misuse(std::string(what) + ": field index out of range");
  if (row >= b->rows) misuse(std::string(what) + ": row out of range");
  return b->cols[field].type;
}

}  // namespace

void Batch::set(std::size_t row, std::size_t field, const Value& value) {
  FieldType t = field_type_of(impl_.get(), row, field, "set");
  auto& b = *impl_;
  detail::Column& c = b.cols[field];
  if (std::holds_alternative<std::monostate>(value)) {
    c.null[row] = 1;
    return;
  }
  bool ok = true;
  switch (t) {
    case FieldType::Integer:
      if (auto* v = std::get_if<std::int64_t>(&value))
        c.i[row] = *v;
      else
        ok = false;
      break;
    case FieldType::Number:
      if (auto* v = std::get_if<std::int64_t>(&value))
        c.d[row] = static_cast<double>(*v);
      else if (auto* d = std::get_if<double>(&value))
        c.d[row] = *d;
      else
        ok = false;
      break;
    case FieldType::Boolean:
      if (auto* v = std::get_if<bool>(&value))
        c.i[row] = *v;
      else
        ok = false;
      break;
    case FieldType::String:
      if (auto* v = std::get_if<std::string>(&value)) {
        c.s[row] = b.arena.store(*v);
        c.i[row] = b.ordinal(field, c.s[row]);
      } else {
        ok = false;
      }
      break;
    case FieldType::Date:
      if (auto* v = std::get_if<Date>(&value))
        c.i[row] = detail::day_number(*v);
      else
        ok = false;
      break;
    case FieldType::Datetime:
      if (auto* v = std::get_if<DatetimeValue>(&value)) {
        c.i[row] = v->epoch_seconds;
        c.off[row] = v->offset_minutes;
      } else {
        ok = false;
      }
      break;
    case FieldType::List:
      if (auto* v = std::get_if<std::vector<std::string>>(&value)) {
        c.lb[row] = static_cast<std::uint32_t>(c.items.size());
        c.ln[row] = static_cast<std::uint32_t>(v->size());
        for (const auto& item : *v) c.items.push_back(b.arena.store(item));
      } else {
        ok = false;
      }
      break;
  }
  if (!ok)
    misuse("set: field `" + std::string(b.program->impl->fields[field].id) + "` is of type " + to_string(t) +
           "; the value has another type");
  c.null[row] = 0;
}

void Batch::set(std::size_t row, std::string_view field, const Value& value) {
  if (!impl_) misuse("set: moved-from batch");
  const auto& ix = impl_->program->impl->field_ix;
  auto it = ix.find(field);
  if (it == ix.end()) misuse("set: unknown field `" + std::string(field) + "`");
  set(row, it->second, value);
}

namespace {

// Checks a column setter's arguments; returns the column.
detail::Column& column_for(Batch::Impl* b, std::size_t field, FieldType want, std::size_t n,
                           std::span<const std::uint8_t> null, const char* what) {
  if (!b) misuse(std::string(what) + ": moved-from batch");
  if (field >= b->cols.size()) misuse(std::string(what) + ": field index out of range");
  detail::Column& c = b->cols[field];
  if (c.type != want)
    misuse(std::string(what) + ": field `" + std::string(b->program->impl->fields[field].id) + "` is of type " +
           to_string(c.type));
  if (n > b->rows)
    misuse(std::string(what) + ": " + std::to_string(n) + " values for a batch of " + std::to_string(b->rows) +
           " rows");
  if (!null.empty() && null.size() != n)
    misuse(std::string(what) + ": the null mask has " + std::to_string(null.size()) + " entries for " +
           std::to_string(n) + " values");
  for (std::size_t r = 0; r < n; ++r) c.null[r] = !null.empty() && null[r] != 0;
  return c;
}

}  // namespace

void Batch::set_integers(std::size_t field, std::span<const std::int64_t> values, std::span<const std::uint8_t> null) {
  auto& c = column_for(impl_.get(), field, FieldType::Integer, values.size(), null, "set_integers");
  std::copy(values.begin(), values.end(), c.i.begin());
}

void Batch::set_numbers(std::size_t field, std::span<const double> values, std::span<const std::uint8_t> null) {
  auto& c = column_for(impl_.get(), field, FieldType::Number, values.size(), null, "set_numbers");
  std::copy(values.begin(), values.end(), c.d.begin());
}

void Batch::set_booleans(std::size_t field, std::span<const std::uint8_t> values, std::span<const std::uint8_t> null) {
  auto& c = column_for(impl_.get(), field, FieldType::Boolean, values.size(), null, "set_booleans");
  for (std::size_t r = 0; r < values.size(); ++r) c.i[r] = values[r] != 0;
}

void Batch::set_strings(std::size_t field, std::span<const std::string_view> values,
                        std::span<const std::uint8_t> null) {
  auto& c = column_for(impl_.get(), field, FieldType::String, values.size(), null, "set_strings");
  for (std::size_t r = 0; r < values.size(); ++r) {
    c.s[r] = c.null[r] ? std::string_view() : impl_->arena.store(values[r]);
    c.i[r] = impl_->ordinal(field, c.s[r]);
  }
}

void Batch::set_dates(std::size_t field, std::span<const Date> values, std::span<const std::uint8_t> null) {
  auto& c = column_for(impl_.get(), field, FieldType::Date, values.size(), null, "set_dates");
  for (std::size_t r = 0; r < values.size(); ++r) c.i[r] = detail::day_number(values[r]);
}

void Batch::set_datetimes(std::size_t field, std::span<const DatetimeValue> values,
                          std::span<const std::uint8_t> null) {
  auto& c = column_for(impl_.get(), field, FieldType::Datetime, values.size(), null, "set_datetimes");
  for (std::size_t r = 0; r < values.size(); ++r) {
    c.i[r] = values[r].epoch_seconds;
    c.off[r] = values[r].offset_minutes;
  }
}

std::string_view Batch::id(std::size_t row) const {
  if (!impl_ || row >= impl_->rows) misuse("id: row out of range");
  return impl_->ids[row];
}

Value Batch::get(std::size_t row, std::size_t field) const {
  field_type_of(impl_.get(), row, field, "get");
  const detail::Column& c = impl_->cols[field];
  if (c.null[row]) return std::monostate{};
  switch (c.type) {
    case FieldType::Integer: return c.i[row];
    case FieldType::Number: return c.d[row];
    case FieldType::Boolean: return c.i[row] != 0;
    case FieldType::String: return std::string(c.s[row]);
    case FieldType::Date: return detail::civil_from_days(c.i[row]);
    case FieldType::Datetime: return DatetimeValue{c.i[row], c.off[row]};
    case FieldType::List: {
      std::vector<std::string> items;
      for (std::uint32_t j = 0; j < c.ln[row]; ++j) items.emplace_back(c.items[c.lb[row] + j]);
      return items;
    }
  }
  return std::monostate{};
}

void Batch::get(std::size_t row, Record& out) const {
  if (!impl_ || row >= impl_->rows) misuse("get: row out of range");
  if (out.layout_ != impl_->program) misuse("get: the record was made by another evaluator");
  for (std::size_t f = 0; f < impl_->cols.size(); ++f) out.values_[f] = get(row, f);
}

// ---- Evaluator over a batch -------------------------------------------------------------------

void Evaluator::holds(const Expression& expression, const Batch& batch, const DatetimeValue& now,
                      std::vector<std::uint8_t>& out) const {
  if (!batch.impl_ || batch.impl_->program != program_)
    throw Error("charter::Evaluator::holds: the batch was made by another evaluator");
  if (!expression.root) throw Error("charter::Evaluator::holds: the expression did not type-check");
  const Batch::Impl& b = *batch.impl_;
  ColumnRun run(*program_, b, now);
  Vec v = run.eval(*expression.root, run.all());
  Truth t(v);
  out.resize(b.rows);
  for (std::size_t r = 0; r < b.rows; ++r) out[r] = t(r);
}

void Evaluator::evaluate(const Batch& batch, const DatetimeValue& now, BatchResult& out) const {
  if (!batch.impl_ || batch.impl_->program != program_)
    throw Error("charter::Evaluator::evaluate: the batch was made by another evaluator");
  const Batch::Impl& b = *batch.impl_;
  const auto& m = *program_->impl;
  ColumnRun run(*program_, b, now);
  std::size_t n = b.rows;
  out.size = n;
  out.scores.resize(m.scores.size());
  for (std::size_t i = 0; i < m.scores.size(); ++i) {
    const auto& s = run.score(i);
    out.scores[i].assign(s.begin(), s.end());
  }
  out.criteria.resize(m.criteria.size());
  for (std::size_t i = 0; i < m.criteria.size(); ++i) {
    const auto& c = run.criteria(i);
    out.criteria[i].resize(n);
    for (std::size_t r = 0; r < n; ++r) out.criteria[i][r] = static_cast<std::uint8_t>(c[r]);
  }
  // The furthest stage whose entry holds: later stages first, each on the rows still open.
  out.stage.assign(n, -1);
  Sel open = run.all(), rest;
  for (std::size_t i = m.funnel.stages.size(); i-- > 0 && !open.empty();) {
    const auto& st = m.funnel.stages[i];
    if (!st.entry) continue;
    Vec v = run.eval(*st.entry->root, open);
    rest.clear();
    for (auto r : open) {
      if (v.truth(r))
        out.stage[r] = static_cast<std::int32_t>(i);
      else
        rest.push_back(r);
    }
    std::swap(open, rest);
  }
}

}  // namespace charter

// Parses and type-checks every expression of a merged charter; finds criteria/score cycles.
#include <re2/re2.h>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "expr/parser.hpp"
#include "load/impl.hpp"
#include "util/text.hpp"

namespace charter::detail {

namespace {

constexpr int kMaxRegexProgramSize = 5000;

ValueType field_type(FieldType t) {
  switch (t) {
    case FieldType::Integer: return ValueType::Integer;
    case FieldType::Number: return ValueType::Number;
    case FieldType::String: return ValueType::String;
    case FieldType::Boolean: return ValueType::Boolean;
    case FieldType::Date: return ValueType::Date;
    case FieldType::Datetime: return ValueType::Datetime;
    case FieldType::List: return ValueType::List;
  }
  return ValueType::Unknown;
}

bool numeric(ValueType t) { return t == ValueType::Integer || t == ValueType::Number; }
bool ordered(ValueType t) {
  return numeric(t) || t == ValueType::Date || t == ValueType::Datetime || t == ValueType::Duration;
}
bool compatible(ValueType a, ValueType b) { return a == b || (numeric(a) && numeric(b)); }

std::string article(ValueType t) {
  std::string s = to_string(t);
  bool vowel = s[0] == 'a' || s[0] == 'e' || s[0] == 'i' || s[0] == 'o' || s[0] == 'u';
  return (vowel ? "an " : "a ") + s;
}

struct Owner {  // who an expression belongs to (for dependency edges)
  char kind;    // 'c' criteria, 's' score, 'o' other
  std::string id;
};

class Checker {
 public:
  Checker(Charter::Impl& impl, Reporter& rep) : impl_(impl), rep_(rep) {
    for (auto& f : impl.fields) names_[f.id].push_back({'f', &f});
    for (auto& s : impl.scores) names_[s.id].push_back({'s', &s});
    for (auto& c : impl.criteria) names_[c.id].push_back({'c', &c});
    for (auto& [k, v] : names_) all_names_.emplace_back(k);
    all_names_.push_back("now");
  }

  void check(Expression& e, const Owner& owner) {
    if (!e.where.valid()) return;
    expr_ = &e;
    owner_ = owner;
    auto out = expr::parse(e.text);
    if (!out.root) {
      auto& d = add(Code::ExprSyntax, out.error.begin, out.error.end, out.error.message, out.error.label);
      d.help = out.error.help;
      return;
    }
    errors_ = 0;
    type(*out.root);
    if (errors_ == 0 && out.root->type != ValueType::Boolean && out.root->type != ValueType::Unknown) {
      auto& d = add(Code::TypeMismatch, out.root->begin, out.root->end,
                    "a condition must be boolean, this is " + article(out.root->type), "not a condition");
      if (out.root->type == ValueType::Number || out.root->type == ValueType::Integer)
        d.help = "compare it, e.g. `" + e.text + " >= 40`";
    }
    if (errors_ == 0) e.root = std::shared_ptr<const ExprNode>(std::move(out.root));
  }

  // Dependency edges found while checking: (owner "c:x"/"s:y") -> referenced, with the place.
  struct Ref {
    std::string from, to;
    Expression* expr;
    std::uint32_t begin, end;
  };
  std::vector<Ref> refs;

 private:
  Diagnostic& add(Code code, std::uint32_t b, std::uint32_t e, std::string msg, std::string label) {
    ++errors_;
    Span s = span(*expr_, b, e);
    return rep_.add(code, std::move(s), std::move(msg), std::move(label));
  }

 public:
  Span span(const Expression& ex, std::uint32_t b, std::uint32_t e) const {
    const auto& t = *impl_.trees[ex.where.file];
    Span s;
    s.file = impl_.files[ex.where.file];
    auto len = static_cast<std::uint32_t>(ex.text.size());
    b = std::min(b, len);
    e = std::max(b, std::min(e, len));
    std::uint32_t sb = t.value_offset(ex.where.node, b);
    std::uint32_t se = e == 0 ? sb : t.value_offset(ex.where.node, e - 1) + 1;
    while (se < t.source.size() && (static_cast<unsigned char>(t.source[se]) & 0xC0) == 0x80) ++se;
    if (b == len) se = sb + 1;  // the end of the expression: one column after it
    t.position(sb, s.line, s.column);
    t.position(std::max(se, sb), s.end_line, s.end_column);
    if (s.end_line == s.line && s.end_column <= s.column) s.end_column = s.column + 1;
    s.pointer = t.pointer(ex.where.node);
    return s;
  }

 private:
  const Field* field_of(const ExprNode& n) const {
    if (n.kind != ExprNode::Kind::Name || n.name_kind != NameKind::Field) return nullptr;
    auto it = impl_.field_ix.find(n.name);
    return it == impl_.field_ix.end() ? nullptr : &impl_.fields[it->second];
  }

  void enum_check(const Field* f, const ExprNode& lit) {
    if (!f || f->values.empty() || lit.kind != ExprNode::Kind::Literal) return;
    auto* s = std::get_if<std::string>(&lit.value);
    if (!s) return;
    if (std::find(f->values.begin(), f->values.end(), *s) != f->values.end()) return;
    auto& d = add(Code::NotEnumValue, lit.begin, lit.end, "\"" + *s + "\" is not a value of field " + f->id,
                  "not in the field's values");
    if (auto c = closest(*s, f->values)) {
      d.help = "did you mean \"" + *c + "\"?";
      d.suggestion = "\"" + *c + "\"";
    } else {
      std::string list;
      for (std::size_t i = 0; i < f->values.size() && i < 12; ++i) list += (i ? ", " : "") + f->values[i];
      d.help = "values of " + f->id + ": " + list + (f->values.size() > 12 ? ", ..." : "");
    }
  }

  void mismatch(const ExprNode& n, const ExprNode& a, const ExprNode& b, const char* op) {
    add(Code::TypeMismatch, n.begin, n.end,
        std::string("cannot apply `") + op + "` to " + article(a.type) + " and " + article(b.type),
        std::string(to_string(a.type)) + " " + op + " " + to_string(b.type));
  }

  static const char* op_text(Op op) {
    switch (op) {
      case Op::Eq: return "==";
      case Op::Ne: return "!=";
      case Op::Lt: return "<";
      case Op::Le: return "<=";
      case Op::Gt: return ">";
      case Op::Ge: return ">=";
      case Op::Add: return "+";
      case Op::Sub: return "-";
      case Op::Mul: return "*";
      case Op::Div: return "/";
      case Op::And: return "and";
      case Op::Or: return "or";
      case Op::Matches: return "matches";
      case Op::Contains: return "contains";
      case Op::StartsWith: return "starts_with";
      case Op::EndsWith: return "ends_with";
      case Op::In: return "in";
      case Op::NotIn: return "not in";
      default: return "?";
    }
  }

  bool is_null_lit(const ExprNode& n) const {
    return n.kind == ExprNode::Kind::Literal && std::holds_alternative<std::monostate>(n.value);
  }

  void type(ExprNode& n) {
    for (auto& c : n.children) type(*c);
    auto known = [&](std::initializer_list<const ExprNode*> xs) {
      for (auto* x : xs)
        if (x->type == ValueType::Unknown) return false;
      return true;
    };
    switch (n.kind) {
      case ExprNode::Kind::Literal: {
        struct V {
          ValueType operator()(std::monostate) const { return ValueType::Null; }
          ValueType operator()(bool) const { return ValueType::Boolean; }
          ValueType operator()(std::int64_t) const { return ValueType::Integer; }
          ValueType operator()(double) const { return ValueType::Number; }
          ValueType operator()(const std::string&) const { return ValueType::String; }
          ValueType operator()(const Date&) const { return ValueType::Date; }
          ValueType operator()(const DatetimeValue&) const { return ValueType::Datetime; }
          ValueType operator()(const DurationValue&) const { return ValueType::Duration; }
        };
        n.type = std::visit(V{}, n.value);
        return;
      }
      case ExprNode::Kind::Name: {
        if (n.name_kind == NameKind::Now) {
          n.type = ValueType::Datetime;
          return;
        }
        auto it = names_.find(n.name);
        if (it == names_.end()) {
          unknown_name(n);
          return;
        }
        if (it->second.size() > 1) {
          std::string kinds;
          auto& d = add(Code::AmbiguousName, n.begin, n.end,
                        "`" + n.name + "` names more than one of fields, scores and criteria", "ambiguous");
          for (auto& [k, p] : it->second) {
            SourceRef where = k == 'f'   ? static_cast<const Field*>(p)->where
                              : k == 's' ? static_cast<const Score*>(p)->where
                                         : static_cast<const Criteria*>(p)->where;
            d.related.push_back({impl_.span_key(where, "id"), std::string(k == 'f'   ? "a field"
                                                                          : k == 's' ? "a score"
                                                                                     : "a criteria") +
                                                                  " here"});
          }
          return;
        }
        auto [k, p] = it->second[0];
        if (k == 'f') n.index = static_cast<std::uint32_t>(static_cast<const Field*>(p) - impl_.fields.data());
        if (k == 's') n.index = static_cast<std::uint32_t>(static_cast<const Score*>(p) - impl_.scores.data());
        if (k == 'c') n.index = static_cast<std::uint32_t>(static_cast<const Criteria*>(p) - impl_.criteria.data());
        if (k == 'f') {
          n.name_kind = NameKind::Field;
          n.type = field_type(static_cast<const Field*>(p)->type);
        } else if (k == 's') {
          n.name_kind = NameKind::Score;
          n.type = ValueType::Number;
          refs.push_back({key(owner_), "s:" + n.name, expr_, n.begin, n.end});
        } else {
          n.name_kind = NameKind::Criteria;
          n.type = ValueType::Boolean;
          refs.push_back({key(owner_), "c:" + n.name, expr_, n.begin, n.end});
        }
        return;
      }
      case ExprNode::Kind::List: {
        ValueType el = ValueType::Unknown;
        for (auto& c : n.children) {
          if (c->type == ValueType::Unknown) continue;
          if (c->type == ValueType::Null) continue;  // reported where the list is used (`in`)
          if (c->type == ValueType::List) {
            add(Code::TypeMismatch, c->begin, c->end, "a list holds plain values, not " + article(c->type),
                "not allowed in a list");
            reported_.insert(c.get());
            continue;
          }
          if (el == ValueType::Unknown) {
            el = c->type;
          } else if (!compatible(el, c->type)) {
            add(Code::TypeMismatch, c->begin, c->end,
                "list items must have one type: " + article(c->type) + " among " + to_string(el) + " items",
                "different type");
            reported_.insert(c.get());
          }
        }
        n.type = ValueType::List;
        elem_[&n] = el;
        return;
      }
      case ExprNode::Kind::Unary: {
        auto& a = *n.children[0];
        if (!known({&a})) return;
        if (n.op == Op::Not) {
          if (a.type != ValueType::Boolean) {
            add(Code::TypeMismatch, a.begin, a.end, "`not` needs a boolean, found " + article(a.type), "not boolean");
            return;
          }
          n.type = ValueType::Boolean;
        } else {
          if (!numeric(a.type) && a.type != ValueType::Duration) {
            add(Code::TypeMismatch, a.begin, a.end, "cannot negate " + article(a.type), "not a number");
            return;
          }
          n.type = a.type;
        }
        return;
      }
      case ExprNode::Kind::Postfix: n.type = ValueType::Boolean; return;
      case ExprNode::Kind::Between: {
        auto &a = *n.children[0], &lo = *n.children[1], &hi = *n.children[2];
        n.type = ValueType::Boolean;
        if (!known({&a, &lo, &hi})) return;
        for (auto* x : {&lo, &hi})
          if (is_null_lit(*x)) {
            add(Code::NullComparison, x->begin, x->end, "comparison with null is always false", "null");
            return;
          }
        if (!ordered(a.type) || !compatible(a.type, lo.type) || !compatible(a.type, hi.type)) {
          add(Code::TypeMismatch, n.begin, n.end,
              "`between` needs three values of one ordered type; found " + std::string(to_string(a.type)) + ", " +
                  to_string(lo.type) + " and " + to_string(hi.type),
              "incompatible types");
        }
        return;
      }
      case ExprNode::Kind::Binary: break;
    }
    if (n.op == Op::And || n.op == Op::Or) {  // two or more operands
      n.type = ValueType::Boolean;
      for (auto& c : n.children) {
        ExprNode* x = c.get();
        if (x->type != ValueType::Unknown && x->type != ValueType::Boolean) {
          auto& d = add(Code::TypeMismatch, x->begin, x->end,
                        std::string("`") + op_text(n.op) + "` needs boolean operands, found " + article(x->type),
                        "not boolean");
          if (numeric(x->type)) d.help = "compare it, e.g. `... >= 40`";
        }
      }
      return;
    }
    auto &a = *n.children[0], &b = *n.children[1];
    switch (n.op) {
      case Op::Eq:
      case Op::Ne:
      case Op::Lt:
      case Op::Le:
      case Op::Gt:
      case Op::Ge: {
        n.type = ValueType::Boolean;
        if (is_null_lit(a) || is_null_lit(b)) {
          const ExprNode& nl = is_null_lit(a) ? a : b;
          auto& d = add(Code::NullComparison, nl.begin, nl.end, "comparison with null is always false", "null");
          d.help = n.op == Op::Ne ? "use `is not null`" : "use `is null`";
          return;
        }
        if (!known({&a, &b})) return;
        bool eq = n.op == Op::Eq || n.op == Op::Ne;
        if (!compatible(a.type, b.type) || a.type == ValueType::List || (!eq && !ordered(a.type))) {
          if (compatible(a.type, b.type) && !eq)
            add(Code::TypeMismatch, n.begin, n.end,
                std::string("`") + op_text(n.op) + "` does not order " + to_string(a.type) + " values", "not ordered");
          else if (a.type == ValueType::List && b.type == ValueType::String)
            add(Code::TypeMismatch, n.begin, n.end, "a list field is compared with `contains`", "list compared").help =
                "write `" + a.name + " contains " + expr_->text.substr(b.begin, b.end - b.begin) + "`";
          else
            mismatch(n, a, b, op_text(n.op));
          return;
        }
        enum_check(field_of(a), b);
        enum_check(field_of(b), a);
        return;
      }
      case Op::In:
      case Op::NotIn: {
        n.type = ValueType::Boolean;
        if (!known({&a})) return;
        if (a.type == ValueType::List) {
          add(Code::TypeMismatch, a.begin, a.end, "`in` tests one value; this is a list", "a list").help =
              "use `contains` on a list field";
          return;
        }
        ValueType el = elem_[&b];
        for (auto& c : b.children) {
          if (is_null_lit(*c)) {
            add(Code::NullComparison, c->begin, c->end, "null in an `in` list never matches", "null");
            continue;
          }
          if (reported_.count(c.get())) continue;
          if (c->type != ValueType::Unknown && !compatible(a.type, c->type)) {
            add(Code::TypeMismatch, c->begin, c->end,
                "list item is " + article(c->type) + " but the value is " + article(a.type), "incompatible");
            continue;
          }
          enum_check(field_of(a), *c);
        }
        (void)el;
        return;
      }
      case Op::Matches: {
        n.type = ValueType::Boolean;
        if (!known({&a})) return;
        if (a.type != ValueType::String) {
          add(Code::TypeMismatch, a.begin, a.end, "`matches` needs a string, found " + article(a.type), "not a string");
          return;
        }
        auto* pat = b.kind == ExprNode::Kind::Literal ? std::get_if<std::string>(&b.value) : nullptr;
        if (!pat) {
          add(Code::TypeMismatch, b.begin, b.end, "`matches` takes a string literal pattern", "not a literal pattern");
          return;
        }
        RE2::Options opt;
        opt.set_log_errors(false);
        RE2 re(*pat, opt);
        if (!re.ok() && re.error_code() == RE2::ErrorPatternTooLarge) {
          add(Code::RegexTooLarge, b.begin, b.end, "regular expression too large: " + re.error(),
              "over RE2's memory budget");
          return;
        }
        if (!re.ok()) {
          std::uint32_t eb = b.begin, ee = b.end;
          const std::string& arg = re.error_arg();
          if (!arg.empty()) {
            std::string_view lit(expr_->text.data() + b.begin, b.end - b.begin);
            auto pos = lit.find(arg);
            if (pos != std::string_view::npos) {
              eb = b.begin + static_cast<std::uint32_t>(pos);
              ee = eb + static_cast<std::uint32_t>(arg.size());
            }
          }
          auto& d = add(Code::InvalidRegex, eb, ee, "invalid regular expression: " + re.error(), "RE2 rejects this");
          if (pat->find("(?=") != std::string::npos || pat->find("(?!") != std::string::npos ||
              pat->find("(?<=") != std::string::npos || pat->find("(?<!") != std::string::npos)
            d.help = "RE2 has no lookaround; rewrite the pattern without it";
          return;
        }
        if (re.ProgramSize() > kMaxRegexProgramSize) {
          add(Code::RegexTooLarge, b.begin, b.end,
              "regular expression too large (program size " + std::to_string(re.ProgramSize()) + ", budget " +
                  std::to_string(kMaxRegexProgramSize) + ")",
              "too large");
        }
        return;
      }
      case Op::Contains: {
        n.type = ValueType::Boolean;
        if (!known({&a, &b})) return;
        if (a.type == ValueType::List) {
          if (b.type != ValueType::String) {
            mismatch(n, a, b, "contains");
            return;
          }
          enum_check(field_of(a), b);
          return;
        }
        if (a.type != ValueType::String || b.type != ValueType::String) mismatch(n, a, b, "contains");
        return;
      }
      case Op::StartsWith:
      case Op::EndsWith: {
        n.type = ValueType::Boolean;
        if (!known({&a, &b})) return;
        if (a.type != ValueType::String || b.type != ValueType::String) mismatch(n, a, b, op_text(n.op));
        return;
      }
      case Op::Add:
      case Op::Sub: {
        if (!known({&a, &b})) return;
        if (numeric(a.type) && numeric(b.type)) {
          n.type = a.type == ValueType::Integer && b.type == ValueType::Integer && !a.is_percent && !b.is_percent
                       ? ValueType::Integer
                       : ValueType::Number;
          return;
        }
        if ((a.type == ValueType::Datetime || a.type == ValueType::Date) && b.type == ValueType::Duration) {
          if (a.type == ValueType::Date) {
            auto* dv = b.kind == ExprNode::Kind::Literal ? std::get_if<DurationValue>(&b.value) : nullptr;
            if (dv && (dv->unit == 'm' || dv->unit == 'h')) {
              add(Code::TypeMismatch, b.begin, b.end, "a date moves by days or weeks, not hours or minutes",
                  "use d or w");
              return;
            }
          }
          n.type = a.type;
          return;
        }
        if (n.op == Op::Add && a.type == ValueType::Duration &&
            (b.type == ValueType::Datetime || b.type == ValueType::Date)) {
          n.type = b.type;
          return;
        }
        if (a.type == ValueType::Duration && b.type == ValueType::Duration) {
          n.type = ValueType::Duration;
          return;
        }
        if (n.op == Op::Sub && a.type == b.type && (a.type == ValueType::Datetime || a.type == ValueType::Date)) {
          n.type = ValueType::Duration;
          return;
        }
        auto& d =
            add(Code::TypeMismatch, n.begin, n.end,
                std::string("cannot apply `") + op_text(n.op) + "` to " + article(a.type) + " and " + article(b.type),
                "incompatible types");
        if ((a.type == ValueType::Datetime || a.type == ValueType::Date) && numeric(b.type))
          d.help = "write a duration with its unit, e.g. `now - 30d`";
        return;
      }
      case Op::Mul:
      case Op::Div: {
        if (!known({&a, &b})) return;
        if (!numeric(a.type) || !numeric(b.type)) {
          mismatch(n, a, b, op_text(n.op));
          return;
        }
        n.type = n.op == Op::Mul && a.type == ValueType::Integer && b.type == ValueType::Integer && !a.is_percent &&
                         !b.is_percent
                     ? ValueType::Integer
                     : ValueType::Number;
        return;
      }
      default: return;
    }
  }

  // An unknown name: say which kind of reference it most likely is (the closest id's kind).
  void unknown_name(const ExprNode& n) {
    std::vector<std::string> fields, scores, crits;
    for (auto& f : impl_.fields) fields.emplace_back(f.id);
    for (auto& s : impl_.scores) scores.emplace_back(s.id);
    for (auto& c : impl_.criteria) crits.emplace_back(c.id);
    struct Cand {
      Code code;
      const char* what;
      std::optional<std::string> best;
    };
    Cand cands[] = {{Code::UnknownField, "field", closest(n.name, fields)},
                    {Code::UnknownScore, "score", closest(n.name, scores)},
                    {Code::UnknownCriteria, "criteria", closest(n.name, crits)}};
    const Cand* pick = nullptr;
    std::size_t best_d = SIZE_MAX;
    for (auto& c : cands)
      if (c.best) {
        std::size_t d = edit_distance(fold_case(n.name), fold_case(*c.best));
        if (d < best_d) {
          best_d = d;
          pick = &c;
        }
      }
    bool whole_entry = entry_context_ && n.begin == 0 && n.end == expr_->text.size();
    Diagnostic* d;
    if (pick) {
      d = &add(pick->code, n.begin, n.end, std::string("unknown ") + pick->what + " `" + n.name + "`",
               std::string("no ") + pick->what + " has this id");
      d->help = "did you mean `" + *pick->best + "`?";
      d->suggestion = *pick->best;
    } else if (whole_entry) {
      d = &add(Code::UnknownCriteria, n.begin, n.end, "unknown criteria `" + n.name + "`", "no criteria has this id");
      if (impl_.term_ix.count(n.name))
        d->help = "`" + n.name + "` is a glossary term; `entry` names a criteria or is an expression";
    } else {
      d = &add(Code::UnknownName, n.begin, n.end, "unknown name `" + n.name + "`", "not a field, score or criteria");
      if (n.name == "today") d->help = "use `now`";
    }
  }

 public:
  bool entry_context_ = false;

 private:
  static std::string key(const Owner& o) { return std::string(1, o.kind) + ":" + o.id; }

  Charter::Impl& impl_;
  Reporter& rep_;
  std::map<std::string_view, std::vector<std::pair<char, const void*>>, std::less<>> names_;
  std::vector<std::string> all_names_;
  std::map<const ExprNode*, ValueType> elem_;
  std::set<const ExprNode*> reported_;  // list items already reported (one diagnostic per problem)
  Expression* expr_ = nullptr;
  Owner owner_;
  int errors_ = 0;
};

}  // namespace

void check_expressions(Charter::Impl& impl, Reporter& rep) {
  Checker ck(impl, rep);
  for (auto& c : impl.criteria) ck.check(c.when, {'c', std::string(c.id)});
  for (auto& s : impl.scores)
    for (auto& r : s.rules) ck.check(r.when, {'s', std::string(s.id)});
  ck.entry_context_ = true;
  for (auto& st : impl.funnel.stages)
    if (st.entry) ck.check(*st.entry, {'o', "stage " + st.id});
  ck.entry_context_ = false;
  for (auto& sla : impl.slas)
    if (sla.applies_to) ck.check(*sla.applies_to, {'o', "sla " + sla.id});

  // Self references of scores, then cycles through criteria and scores.
  std::map<std::string, std::vector<const Checker::Ref*>> graph;
  for (auto& r : ck.refs) {
    if (r.from[0] == 'o') continue;
    if (r.from == r.to) {
      if (r.from[0] == 's') {
        rep.add(Code::ScoreSelfReference, ck.span(*r.expr, r.begin, r.end),
                "score `" + r.from.substr(2) + "` uses itself in its own rule", "the score being defined");
      } else {
        rep.add(Code::CriteriaCycle, ck.span(*r.expr, r.begin, r.end),
                "criteria `" + r.from.substr(2) + "` refers to itself", "self reference");
      }
      r.expr->root.reset();
      continue;
    }
    graph[r.from].push_back(&r);
  }
  std::map<std::string, int> color;
  std::vector<std::string> stack;
  std::set<const Checker::Ref*> reported;
  std::function<void(const std::string&)> dfs = [&](const std::string& u) {
    color[u] = 1;
    stack.push_back(u);
    for (auto* r : graph[u]) {
      int c = color[r->to];
      if (c == 1) {
        if (!reported.insert(r).second) continue;
        std::string chain;
        auto pos = std::find(stack.begin(), stack.end(), r->to);
        for (auto it = pos; it != stack.end(); ++it) chain += it->substr(2) + " -> ";
        chain += r->to.substr(2);
        rep.add(Code::CriteriaCycle, ck.span(*r->expr, r->begin, r->end), "cycle between criteria and scores: " + chain,
                "closes the cycle");
        r->expr->root.reset();
      } else if (c == 0) {
        dfs(r->to);
      }
    }
    stack.pop_back();
    color[u] = 2;
  };
  for (auto& [k, v] : graph)
    if (color[k] == 0) dfs(k);
}

}  // namespace charter::detail

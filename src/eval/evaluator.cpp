// The criteria language on data: a tree-walking evaluator over the type-checked AST, with
// every regular expression compiled once (RE2).
#include <charter/evaluate.hpp>

#include <cmath>
#include <cstdio>

#include "eval/batch.hpp"
#include "eval/program.hpp"
#include "eval/value.hpp"
#include "util/dates.hpp"
#include "util/text.hpp"

namespace charter {

namespace {

using namespace eval;
using detail::civil_from_days;

std::string render(const V& v) {
  struct R {
    std::string operator()(Null) const { return "null"; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.15g", d);
      return buf;
    }
    std::string operator()(std::string_view s) const { return "\"" + std::string(s) + "\""; }
    std::string operator()(const Date& d) const {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
      return buf;
    }
    std::string operator()(const DatetimeValue& t) const {
      std::int64_t days = t.epoch_seconds >= 0 ? t.epoch_seconds / 86400 : -((-t.epoch_seconds + 86399) / 86400);
      std::int64_t secs = t.epoch_seconds - days * 86400;
      Date d = civil_from_days(days);
      char buf[48];
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", d.year, d.month, d.day,
                    static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
      return buf;
    }
    std::string operator()(Dur d) const {
      std::int64_t s = d.seconds;
      if (s % 604800 == 0 && s) return std::to_string(s / 604800) + "w";
      if (s % 86400 == 0 && s) return std::to_string(s / 86400) + "d";
      if (s % 3600 == 0 && s) return std::to_string(s / 3600) + "h";
      if (s % 60 == 0) return std::to_string(s / 60) + "m";
      return std::to_string(s) + "s";
    }
    std::string operator()(const std::vector<std::string>* l) const {
      std::string out = "[";
      for (std::size_t i = 0; i < l->size(); ++i) out += (i ? ", \"" : "\"") + (*l)[i] + "\"";
      return out + "]";
    }
  };
  return std::visit(R{}, v);
}

}  // namespace

namespace {

// One evaluation of one record: memoises criteria and scores.
class Run {
 public:
  // `crit` and `score` are the memo buffers (reused between records to avoid allocations).
  Run(const Evaluator::Program& p, const std::vector<Value>& values, const DatetimeValue& now, std::vector<int>& crit,
      std::vector<std::optional<double>>& score)
      : p_(p), values_(values), now_(now), crit_(crit), score_(score) {
    crit_.assign(p.impl->criteria.size(), -1);
    score_.assign(p.impl->scores.size(), std::nullopt);
  }

  bool criteria(std::size_t i) {
    if (crit_[i] < 0) {
      crit_[i] = 0;  // (cycles are rejected by the loader)
      crit_[i] = truthy(eval(*p_.impl->criteria[i].when.root)) ? 1 : 0;
    }
    return crit_[i] == 1;
  }

  double score(std::size_t i) {
    if (!score_[i]) {
      const Score& s = p_.impl->scores[i];
      double sum = 0;
      for (const auto& r : s.rules)
        if (truthy(eval(*r.when.root))) sum += r.points;
      if (s.max && sum > *s.max) sum = *s.max;
      score_[i] = sum;
    }
    return *score_[i];
  }

  V eval(const ExprNode& n) {
    switch (n.kind) {
      case ExprNode::Kind::Literal: return from_literal(n);
      case ExprNode::Kind::Name: return name(n);
      case ExprNode::Kind::List: return Null{};  // only meaningful under `in`
      case ExprNode::Kind::Unary: {
        V a = eval(*n.children[0]);
        if (n.op == Op::Not) return !truthy(a);
        if (auto* i = std::get_if<std::int64_t>(&a))  // (-INT64_MIN overflows: on as a number)
          return *i == INT64_MIN ? V(-static_cast<double>(*i)) : V(-*i);
        if (auto* d = std::get_if<double>(&a)) return -*d;
        if (auto* u = std::get_if<Dur>(&a)) return Dur{-u->seconds};
        return Null{};
      }
      case ExprNode::Kind::Postfix: {
        V a = eval(*n.children[0]);
        bool null = is_null(a);
        if (auto* l = std::get_if<const std::vector<std::string>*>(&a)) null = (*l)->empty();
        return n.op == Op::IsNull ? null : !null;
      }
      case ExprNode::Kind::Between: {
        V a = eval(*n.children[0]), lo = eval(*n.children[1]), hi = eval(*n.children[2]);
        if (is_null(a) || is_null(lo) || is_null(hi)) return false;
        auto c1 = compare(lo, a), c2 = compare(a, hi);
        return c1 && c2 && *c1 <= 0 && *c2 <= 0;
      }
      case ExprNode::Kind::Binary: return binary(n);
    }
    return Null{};
  }

  V name(const ExprNode& n) {
    switch (n.name_kind) {
      case NameKind::Field: return from_value(values_[n.index]);
      case NameKind::Score: return score(n.index);
      case NameKind::Criteria: return criteria(n.index);
      case NameKind::Now: return now_;
      case NameKind::Unresolved: break;
    }
    return Null{};
  }

  V binary(const ExprNode& n) {
    if (n.op == Op::And) {
      for (const auto& c : n.children)
        if (!truthy(eval(*c))) return false;
      return true;
    }
    if (n.op == Op::Or) {
      for (const auto& c : n.children)
        if (truthy(eval(*c))) return true;
      return false;
    }
    const ExprNode& rhs = *n.children[1];
    V a = eval(*n.children[0]);
    if (n.op == Op::In || n.op == Op::NotIn) {
      if (is_null(a)) return false;  // a comparison with null: false either way
      if (auto set = p_.string_sets.find(&rhs); set != p_.string_sets.end()) {
        auto* s = std::get_if<std::string_view>(&a);
        bool found = s && set->second.contains(*s);
        return n.op == Op::In ? found : (s != nullptr && !found);
      }
      bool found = false;
      for (const auto& item : rhs.children)
        if (equal(a, eval(*item))) {
          found = true;
          break;
        }
      return n.op == Op::In ? found : !found;
    }
    V b = eval(rhs);
    switch (n.op) {
      case Op::Eq:
      case Op::Ne:
      case Op::Lt:
      case Op::Le:
      case Op::Gt:
      case Op::Ge: {
        if (is_null(a) || is_null(b)) return false;
        auto c = compare(a, b);
        return c && op_holds(n.op, *c);
      }
      case Op::Matches: {
        auto* s = std::get_if<std::string_view>(&a);
        if (!s) return false;
        auto it = p_.regexes.find(&rhs);
        return it != p_.regexes.end() && RE2::PartialMatch(re2::StringPiece(s->data(), s->size()), *it->second);
      }
      case Op::Contains: {
        if (is_null(a) || is_null(b)) return false;
        auto* needle = std::get_if<std::string_view>(&b);
        if (!needle) return false;
        if (auto* l = std::get_if<const std::vector<std::string>*>(&a)) {
          for (const auto& item : **l)
            if (item == *needle) return true;
          return false;
        }
        auto* s = std::get_if<std::string_view>(&a);
        return s && s->find(*needle) != std::string_view::npos;
      }
      case Op::StartsWith:
      case Op::EndsWith: {
        auto* s = std::get_if<std::string_view>(&a);
        auto* t = std::get_if<std::string_view>(&b);
        if (!s || !t) return false;
        return n.op == Op::StartsWith ? s->starts_with(*t) : s->ends_with(*t);
      }
      case Op::Add:
      case Op::Sub:
      case Op::Mul:
      case Op::Div: return arithmetic(n.op, a, b);
      default: return Null{};
    }
  }

  // ---- explanations --------------------------------------------------------------------
  Explanation explain(const ExprNode& n, std::string_view text) {
    // A criteria or score named in an expression is explained in place, by its own rules.
    if (n.kind == ExprNode::Kind::Name && n.name_kind == NameKind::Criteria)
      return explain_criteria(p_.impl->criteria_ix.find(n.name)->second);
    if (n.kind == ExprNode::Kind::Name && n.name_kind == NameKind::Score)
      return explain_score(p_.impl->score_ix.find(n.name)->second);
    Explanation e;
    e.text = std::string(text.substr(n.begin, n.end - n.begin));
    e.value = render(eval(n));
    if (n.kind == ExprNode::Kind::Name || n.kind == ExprNode::Kind::Literal || n.kind == ExprNode::Kind::List) return e;
    for (const auto& c : n.children) {
      if (c->kind == ExprNode::Kind::Literal || c->kind == ExprNode::Kind::List) continue;  // shown in the text
      e.children.push_back(explain(*c, text));
    }
    return e;
  }

  Explanation explain_criteria(std::size_t i) {
    const Criteria& c = p_.impl->criteria[i];
    Explanation e{std::string(c.id), criteria(i) ? "true" : "false", {}};
    e.children.push_back(explain(*c.when.root, c.when.text));
    return e;
  }

  Explanation explain_score(std::size_t i) {
    const Score& s = p_.impl->scores[i];
    Explanation e{std::string(s.id), render(V(score(i))), {}};
    for (const auto& r : s.rules) {
      Explanation rule = explain(*r.when.root, r.when.text);
      char pts[32];
      std::snprintf(pts, sizeof pts, "%+g", r.points);
      rule.text += std::string(" (") + pts + ")";
      e.children.push_back(std::move(rule));
    }
    if (s.max) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "capped at max %g", *s.max);
      e.children.push_back(Explanation{buf, "", {}});
    }
    return e;
  }

  const Evaluator::Program& p_;
  const std::vector<Value>& values_;
  DatetimeValue now_;
  std::vector<int>& crit_;
  std::vector<std::optional<double>>& score_;
};

void collect_sets(const ExprNode& n, std::unordered_map<const ExprNode*, detail::StrIndex>& out) {
  if (n.kind == ExprNode::Kind::Binary && (n.op == Op::In || n.op == Op::NotIn)) {
    const ExprNode& list = *n.children[1];
    detail::StrIndex set;
    bool all_strings = !list.children.empty();
    for (const auto& item : list.children) {
      auto* str = item->kind == ExprNode::Kind::Literal ? std::get_if<std::string>(&item->value) : nullptr;
      if (!str) {
        all_strings = false;
        break;
      }
      set.insert(*str, 0);
    }
    if (all_strings) out.emplace(&list, std::move(set));
  }
  for (const auto& c : n.children) collect_sets(*c, out);
}

void collect_regexes(const ExprNode& n, std::unordered_map<const ExprNode*, std::unique_ptr<RE2>>& out) {
  if (n.kind == ExprNode::Kind::Binary && n.op == Op::Matches) {
    const ExprNode& pat = *n.children[1];
    if (auto* s = std::get_if<std::string>(&pat.value)) {
      RE2::Options opt;
      opt.set_log_errors(false);
      out.emplace(&pat, std::make_unique<RE2>(*s, opt));
    }
  }
  for (const auto& c : n.children) collect_regexes(*c, out);
}

}  // namespace

// ---- Record -------------------------------------------------------------------------------

void Record::set(std::string_view field, Value value) {
  if (!impl_) throw Error("charter::Record: not made by an Evaluator");
  auto it = impl_->field_ix.find(field);
  if (it == impl_->field_ix.end()) throw Error("charter::Record::set: unknown field `" + std::string(field) + "`");
  set(it->second, std::move(value));
}

void Record::set(std::size_t field, Value value) {
  if (!impl_ || field >= values_.size()) throw Error("charter::Record::set: field index out of range");
  FieldType t = impl_->fields[field].type;
  bool ok = std::holds_alternative<std::monostate>(value);
  switch (t) {
    case FieldType::Integer: ok |= std::holds_alternative<std::int64_t>(value); break;
    case FieldType::Number:
      if (auto* i = std::get_if<std::int64_t>(&value)) value = static_cast<double>(*i);
      ok |= std::holds_alternative<double>(value);
      break;
    case FieldType::String: ok |= std::holds_alternative<std::string>(value); break;
    case FieldType::Boolean: ok |= std::holds_alternative<bool>(value); break;
    case FieldType::Date: ok |= std::holds_alternative<Date>(value); break;
    case FieldType::Datetime: ok |= std::holds_alternative<DatetimeValue>(value); break;
    case FieldType::List: ok |= std::holds_alternative<std::vector<std::string>>(value); break;
  }
  if (!ok)
    throw Error("charter::Record::set: field `" + std::string(impl_->fields[field].id) + "` is of type " +
                to_string(t) + "; the value has another type");
  values_[field] = std::move(value);
}

const Value& Record::get(std::string_view field) const {
  if (!impl_) throw Error("charter::Record: not made by an Evaluator");
  auto it = impl_->field_ix.find(field);
  if (it == impl_->field_ix.end()) throw Error("charter::Record::get: unknown field `" + std::string(field) + "`");
  return values_[it->second];
}

void Record::clear() noexcept {
  for (auto& v : values_) v = std::monostate{};
}

// ---- Evaluator ------------------------------------------------------------------------------

Evaluator::Evaluator(const Charter& charter) {
  auto p = std::make_shared<Program>();
  p->charter = charter;
  p->impl = &LoaderAccess::impl_of_charter(charter);
  auto need = [&](const Expression& e, std::string_view what) {
    if (!e.root)
      throw Error("charter::Evaluator: " + std::string(what) +
                  " did not type-check; load the charter without errors first");
    collect_regexes(*e.root, p->regexes);
    collect_sets(*e.root, p->string_sets);
  };
  for (const auto& c : p->impl->criteria) need(c.when, "criteria `" + std::string(c.id) + "`");
  for (const auto& s : p->impl->scores)
    for (const auto& r : s.rules) need(r.when, "a rule of score `" + std::string(s.id) + "`");
  for (const auto& st : p->impl->funnel.stages)
    if (st.entry) need(*st.entry, "the entry of stage `" + std::string(st.id) + "`");
  for (const auto& sla : p->impl->slas)
    if (sla.applies_to) need(*sla.applies_to, "the applies_to of SLA `" + std::string(sla.id) + "`");
  for (const auto& f : p->impl->fields) {
    p->field_types.push_back(f.type);
    p->ordinals.push_back(detail::ordinals_of(f));
  }
  // `field in [...]` on an enum field: membership by the value's position.
  auto walk = [&](auto& self, const ExprNode& n) -> void {
    if (n.kind == ExprNode::Kind::Binary && (n.op == Op::In || n.op == Op::NotIn)) {
      const ExprNode& lhs = *n.children[0];
      const ExprNode& list = *n.children[1];
      auto set = p->string_sets.find(&list);
      if (set != p->string_sets.end() && lhs.kind == ExprNode::Kind::Name && lhs.name_kind == NameKind::Field &&
          p->field_types[lhs.index] == FieldType::String && !p->impl->fields[lhs.index].values.empty()) {
        const auto& values = p->impl->fields[lhs.index].values;
        std::vector<std::uint8_t> member(values.size());
        for (std::size_t i = 0; i < values.size(); ++i) member[i] = set->second.contains(values[i]);
        p->enum_members.emplace(&list, std::move(member));
      }
    }
    for (const auto& c : n.children) self(self, *c);
  };
  for (const auto& c : p->impl->criteria) walk(walk, *c.when.root);
  for (const auto& sc : p->impl->scores)
    for (const auto& r : sc.rules) walk(walk, *r.when.root);
  for (const auto& st : p->impl->funnel.stages)
    if (st.entry) walk(walk, *st.entry->root);
  for (const auto& sla : p->impl->slas)
    if (sla.applies_to) walk(walk, *sla.applies_to->root);
  program_ = std::move(p);
}

Evaluator::~Evaluator() = default;
Evaluator::Evaluator(Evaluator&&) noexcept = default;
Evaluator& Evaluator::operator=(Evaluator&&) noexcept = default;

const Charter& Evaluator::charter() const noexcept { return program_->charter; }

Record Evaluator::record() const {
  Record r;
  r.layout_ = program_;
  r.impl_ = program_->impl;
  r.values_.assign(program_->impl->fields.size(), std::monostate{});
  return r;
}

std::optional<std::size_t> Evaluator::field_index(std::string_view id) const noexcept {
  auto it = program_->impl->field_ix.find(id);
  return it == program_->impl->field_ix.end() ? std::nullopt : std::optional<std::size_t>(it->second);
}
std::optional<std::size_t> Evaluator::score_index(std::string_view id) const noexcept {
  auto it = program_->impl->score_ix.find(id);
  return it == program_->impl->score_ix.end() ? std::nullopt : std::optional<std::size_t>(it->second);
}
std::optional<std::size_t> Evaluator::criteria_index(std::string_view id) const noexcept {
  auto it = program_->impl->criteria_ix.find(id);
  return it == program_->impl->criteria_ix.end() ? std::nullopt : std::optional<std::size_t>(it->second);
}

Evaluation Evaluator::evaluate(const Record& record, const DatetimeValue& now) const {
  Evaluation out;
  evaluate(record, now, out);
  return out;
}

void Evaluator::evaluate(const Record& record, const DatetimeValue& now, Evaluation& out) const {
  if (record.layout_ != program_) throw Error("charter::Evaluator::evaluate: the record was made by another evaluator");
  thread_local std::vector<int> crit;
  thread_local std::vector<std::optional<double>> score;
  Run run(*program_, record.values_, now, crit, score);
  const auto& m = *program_->impl;
  out.scores.resize(m.scores.size());
  for (std::size_t i = 0; i < m.scores.size(); ++i) out.scores[i] = run.score(i);
  out.criteria.resize(m.criteria.size());
  for (std::size_t i = 0; i < m.criteria.size(); ++i) out.criteria[i] = run.criteria(i);
  out.stage.reset();
  for (std::size_t i = m.funnel.stages.size(); i-- > 0;) {
    const auto& st = m.funnel.stages[i];
    if (st.entry && truthy(run.eval(*st.entry->root))) {
      out.stage = i;
      break;
    }
  }
}

bool Evaluator::holds(const Expression& expression, const Record& record, const DatetimeValue& now) const {
  if (record.layout_ != program_) throw Error("charter::Evaluator::holds: the record was made by another evaluator");
  if (!expression.root) throw Error("charter::Evaluator::holds: the expression did not type-check");
  std::vector<int> crit;
  std::vector<std::optional<double>> score;
  Run run(*program_, record.values_, now, crit, score);
  return truthy(run.eval(*expression.root));
}

std::optional<Explanation> Evaluator::explain(const Record& record, const DatetimeValue& now,
                                              std::string_view id) const {
  if (record.layout_ != program_) throw Error("charter::Evaluator::explain: the record was made by another evaluator");
  std::vector<int> crit;
  std::vector<std::optional<double>> score;
  Run run(*program_, record.values_, now, crit, score);
  const auto& m = *program_->impl;
  if (auto i = criteria_index(id)) return run.explain_criteria(*i);
  if (auto i = score_index(id)) return run.explain_score(*i);
  auto it = m.stage_ix.find(id);
  if (it == m.stage_ix.end()) return std::nullopt;
  const Stage& st = m.funnel.stages[it->second];
  if (!st.entry) return Explanation{std::string(st.id), "false", {{"no `entry`: reached only through events", "", {}}}};
  Explanation e{std::string(st.id), "", {}};
  e.children.push_back(run.explain(*st.entry->root, st.entry->text));
  e.value = e.children.back().value;
  return e;
}

std::string to_text(const Explanation& e) {
  std::string out;
  auto walk = [&](auto& self, const Explanation& n, int depth) -> void {
    out += std::string(static_cast<std::size_t>(depth) * 2, ' ') + n.text;
    if (!n.value.empty()) out += " = " + n.value;
    out += "\n";
    for (const auto& c : n.children) self(self, c, depth + 1);
  };
  walk(walk, e, 0);
  return out;
}

std::optional<DatetimeValue> parse_datetime(std::string_view text) noexcept {
  // YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM)
  auto dig = [&](std::size_t i, std::size_t n) -> int {
    int v = 0;
    for (std::size_t k = i; k < i + n; ++k) {
      if (k >= text.size() || text[k] < '0' || text[k] > '9') return -1;
      v = v * 10 + (text[k] - '0');
    }
    return v;
  };
  if (text.size() < 17 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
      text[13] != ':')
    return std::nullopt;
  int y = dig(0, 4), mo = dig(5, 2), d = dig(8, 2), h = dig(11, 2), mi = dig(14, 2), s = 0;
  std::size_t p = 16;
  if (p < text.size() && text[p] == ':') {
    s = dig(p + 1, 2);
    p += 3;
    if (p < text.size() && text[p] == '.') {
      ++p;
      while (p < text.size() && text[p] >= '0' && text[p] <= '9') ++p;
    }
  }
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60)
    return std::nullopt;
  static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > md[mo - 1] + (mo == 2 && leap ? 1 : 0)) return std::nullopt;
  int off = 0;
  if (p < text.size() && (text[p] == 'Z' || text[p] == 'z')) {
    ++p;
  } else if (p + 6 == text.size() && (text[p] == '+' || text[p] == '-') && text[p + 3] == ':') {
    int oh = dig(p + 1, 2), om = dig(p + 4, 2);
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return std::nullopt;
    off = (oh * 60 + om) * (text[p] == '-' ? -1 : 1);
    p += 6;
  } else {
    return std::nullopt;
  }
  if (p != text.size()) return std::nullopt;
  DatetimeValue v;
  v.epoch_seconds = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 +
                    mi * 60 + s - static_cast<std::int64_t>(off) * 60;
  v.offset_minutes = off;
  return v;
}

}  // namespace charter

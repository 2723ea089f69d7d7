// Expressions of the criteria language in plain language (charter/describe.hpp).
#include <charter/describe.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>

namespace charter {

namespace {

// 1234567 -> "1,234,567".
std::string grouped(std::int64_t v) {
  unsigned long long a = v < 0 ? 0ULL - static_cast<unsigned long long>(v) : static_cast<unsigned long long>(v);
  std::string digits = std::to_string(a), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

std::string number(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9e15) return grouped(static_cast<std::int64_t>(v));
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string duration(const DurationValue& d) {
  const char* unit = d.unit == 'm' ? "minute" : d.unit == 'h' ? "hour" : d.unit == 'd' ? "day" : "week";
  return grouped(d.amount) + " " + unit + (d.amount == 1 ? "" : "s");
}

std::string two(int v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", v);
  return buf;
}

std::string date_text(const Date& d) { return std::to_string(d.year) + "-" + two(d.month) + "-" + two(d.day); }

std::string datetime_text(const DatetimeValue& t) {
  std::int64_t local = t.epoch_seconds + std::int64_t{t.offset_minutes} * 60;
  std::int64_t day = local / 86400 - (local % 86400 < 0);
  std::int64_t secs = local - day * 86400;
  // civil from days (Howard Hinnant's algorithm)
  std::int64_t z = day + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
  std::int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1), m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  int y = static_cast<int>(yoe + era * 400 + (m <= 2));
  std::string out = std::to_string(y) + "-" + two(m) + "-" + two(d) + " " + two(static_cast<int>(secs / 3600)) + ":" +
                    two(static_cast<int>(secs / 60 % 60));
  if (secs % 60) out += ":" + two(static_cast<int>(secs % 60));
  if (t.offset_minutes == 0) return out + " UTC";
  int a = t.offset_minutes < 0 ? -t.offset_minutes : t.offset_minutes;
  return out + " " + (t.offset_minutes < 0 ? "-" : "+") + two(a / 60) + ":" + two(a % 60);
}

std::string literal(const ExprNode& n) {
  return std::visit(
      [&](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>)
          return "nothing";
        else if constexpr (std::is_same_v<T, bool>)
          return v ? "yes" : "no";
        else if constexpr (std::is_same_v<T, std::int64_t>)
          return grouped(v);
        else if constexpr (std::is_same_v<T, double>)
          return n.is_percent ? number(std::round(v * 1e9) / 1e7) + "%" : number(v);
        else if constexpr (std::is_same_v<T, std::string>)
          return v.empty() ? std::string("\"\"") : v;
        else if constexpr (std::is_same_v<T, Date>)
          return date_text(v);
        else if constexpr (std::is_same_v<T, DatetimeValue>)
          return datetime_text(v);
        else
          return duration(v);
      },
      n.value);
}

std::string name(const ExprNode& n) {
  if (n.name_kind == NameKind::Now) return "now";
  std::string out = n.name;
  for (auto& ch : out)
    if (ch == '_') ch = ' ';
  return out;
}

bool is_logic(const ExprNode& n, Op op) { return n.kind == ExprNode::Kind::Binary && n.op == op; }

bool is_arithmetic(const ExprNode& n) {
  return n.kind == ExprNode::Kind::Binary && (n.op == Op::Add || n.op == Op::Sub || n.op == Op::Mul || n.op == Op::Div);
}

bool is_duration(const ExprNode& n) {
  return n.kind == ExprNode::Kind::Literal && std::holds_alternative<DurationValue>(n.value);
}

// `now - 7d` / `now + 7d`: the duration, and whether it is in the past.
const DurationValue* relative(const ExprNode& n, bool& past) {
  if (!is_arithmetic(n) || (n.op != Op::Sub && n.op != Op::Add) || n.children.size() != 2) return nullptr;
  const ExprNode& l = *n.children[0];
  const ExprNode& r = *n.children[1];
  if (l.kind != ExprNode::Kind::Name || l.name_kind != NameKind::Now || !is_duration(r)) return nullptr;
  past = n.op == Op::Sub;
  return &std::get<DurationValue>(r.value);
}

std::string text(const ExprNode& n);

// An operand of `parent`: in parentheses when it would read ambiguously.
std::string operand(const ExprNode& n, const ExprNode& parent) {
  std::string t = text(n);
  bool wrap = false;
  if (parent.kind == ExprNode::Kind::Binary && (parent.op == Op::And || parent.op == Op::Or))
    wrap = (is_logic(n, Op::And) || is_logic(n, Op::Or)) && n.op != parent.op;
  else if (parent.kind == ExprNode::Kind::Unary && parent.op == Op::Not)
    wrap = n.kind != ExprNode::Kind::Name && n.kind != ExprNode::Kind::Literal;
  else if (is_arithmetic(parent) || (parent.kind == ExprNode::Kind::Unary && parent.op == Op::Neg)) {
    bool tight = parent.op == Op::Mul || parent.op == Op::Div || parent.op == Op::Neg;
    wrap = is_arithmetic(n) && (tight || ((n.op == Op::Add || n.op == Op::Sub) && &n != parent.children[0].get()));
    bool past = false;
    if (relative(n, past)) wrap = true;
  } else
    wrap = is_logic(n, Op::And) || is_logic(n, Op::Or);
  return wrap ? "(" + t + ")" : t;
}

std::string list(const ExprNode& n) {
  if (n.kind != ExprNode::Kind::List) return text(n);
  std::string out;
  for (std::size_t i = 0; i < n.children.size(); ++i) out += (i ? ", " : "") + text(*n.children[i]);
  return out.empty() ? "nothing" : out;
}

// A text operand of matches/contains/starts_with/ends_with, quoted to show where it ends.
std::string fragment(const ExprNode& n) {
  if (n.kind == ExprNode::Kind::Literal && std::holds_alternative<std::string>(n.value))
    return "\"" + std::get<std::string>(n.value) + "\"";
  return text(n);
}

std::string comparison(const ExprNode& n) {
  const ExprNode& l = *n.children[0];
  const ExprNode& r = *n.children[1];
  std::string left = operand(l, n);
  bool past = false;
  if (const DurationValue* d = relative(r, past)) {
    // last_activity >= now - 14d: "within the last 14 days"; < now - 14d: "more than 14 days ago".
    std::string span = duration(*d);
    if (past) {
      if (n.op == Op::Ge) return left + " is within the last " + span;
      if (n.op == Op::Gt) return left + " is less than " + span + " ago";
      if (n.op == Op::Le) return left + " is at least " + span + " ago";
      if (n.op == Op::Lt) return left + " is more than " + span + " ago";
    } else {
      if (n.op == Op::Le) return left + " is within the next " + span;
      if (n.op == Op::Lt) return left + " is less than " + span + " from now";
      if (n.op == Op::Ge) return left + " is at least " + span + " from now";
      if (n.op == Op::Gt) return left + " is more than " + span + " from now";
    }
  }
  std::string right = operand(r, n);
  switch (n.op) {
    case Op::Eq: return left + " is " + right;
    case Op::Ne: return left + " is not " + right;
    case Op::Lt: return left + " is less than " + right;
    case Op::Le: return left + " is at most " + right;
    case Op::Gt: return left + " is more than " + right;
    case Op::Ge: return left + " is at least " + right;
    case Op::In: return left + " is one of " + list(r);
    case Op::NotIn: return left + " is none of " + list(r);
    case Op::Matches: return left + " matches the pattern " + fragment(r);
    case Op::Contains: return left + " contains " + fragment(r);
    case Op::StartsWith: return left + " starts with " + fragment(r);
    case Op::EndsWith: return left + " ends with " + fragment(r);
    case Op::Add: return left + " + " + right;
    case Op::Sub: return left + " - " + right;
    case Op::Mul: return left + " × " + right;
    case Op::Div: return left + " ÷ " + right;
    default: return left + " ? " + right;
  }
}

std::string text(const ExprNode& n) {
  switch (n.kind) {
    case ExprNode::Kind::Literal: return literal(n);
    case ExprNode::Kind::Name: return name(n);
    case ExprNode::Kind::List: return list(n);
    case ExprNode::Kind::Unary:
      if (n.children.empty()) return "?";
      if (n.op == Op::Neg) return "-" + operand(*n.children[0], n);
      return "not " + operand(*n.children[0], n);
    case ExprNode::Kind::Between:
      if (n.children.size() != 3) return "?";
      return operand(*n.children[0], n) + " is between " + operand(*n.children[1], n) + " and " +
             operand(*n.children[2], n);
    case ExprNode::Kind::Postfix:
      if (n.children.empty()) return "?";
      return operand(*n.children[0], n) + (n.op == Op::IsNull ? " is empty" : " is set");
    case ExprNode::Kind::Binary: {
      if (n.op == Op::And || n.op == Op::Or) {
        std::string out;
        for (std::size_t i = 0; i < n.children.size(); ++i)
          out += (i ? (n.op == Op::And ? " and " : " or ") : "") + operand(*n.children[i], n);
        return out;
      }
      if (n.children.size() != 2) return "?";
      bool past = false;
      if (const DurationValue* d = relative(n, past)) return duration(*d) + (past ? " ago" : " from now");
      return comparison(n);
    }
  }
  return "?";
}

}  // namespace

std::string describe(const ExprNode& node) { return text(node); }

std::string describe(const Expression& expression) {
  if (!expression.root) return std::string(expression.text);
  return text(*expression.root);
}

}  // namespace charter

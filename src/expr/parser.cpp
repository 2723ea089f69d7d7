#include "expr/parser.hpp"

#include "util/dates.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <vector>

namespace charter::detail::expr {

namespace {

enum class Tok : std::uint8_t {
  End,
  Ident,
  Int,
  Decimal,
  Percent,
  Duration,
  Date,
  Datetime,
  String,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  Plus,
  Minus,
  Star,
  Slash,
  Error
};

struct Token {
  Tok kind = Tok::End;
  std::uint32_t begin = 0, end = 0;
  std::string text;  // identifier or decoded string
  Literal value;
};

const char* kKeywords[] = {"and",   "or",      "not",     "in",       "is",          "null",     "true",
                           "false", "between", "matches", "contains", "starts_with", "ends_with"};

bool ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9'); }
bool digit(char c) { return c >= '0' && c <= '9'; }

using detail::days_from_civil;

bool valid_date(int y, int m, int d) {
  static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= md[m - 1] + (m == 2 && leap ? 1 : 0);
}

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  Token next() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
    Token t;
    t.begin = static_cast<std::uint32_t>(i_);
    if (i_ >= s_.size()) {
      t.kind = Tok::End;
      t.end = t.begin;
      return t;
    }
    char c = s_[i_];
    auto single = [&](Tok k, std::size_t n) {
      t.kind = k;
      i_ += n;
      t.end = static_cast<std::uint32_t>(i_);
      return t;
    };
    auto two = [&](char n) { return i_ + 1 < s_.size() && s_[i_ + 1] == n; };
    switch (c) {
      case '(': return single(Tok::LParen, 1);
      case ')': return single(Tok::RParen, 1);
      case '[': return single(Tok::LBracket, 1);
      case ']': return single(Tok::RBracket, 1);
      case ',': return single(Tok::Comma, 1);
      case '+': return single(Tok::Plus, 1);
      case '-': return single(Tok::Minus, 1);
      case '*': return single(Tok::Star, 1);
      case '/': return single(Tok::Slash, 1);
      case '=':
        if (two('=')) return single(Tok::Eq, 2);
        return err(t, "`=` is not an operator", "use `==` to compare", 1);
      case '!':
        if (two('=')) return single(Tok::Ne, 2);
        return err(t, "`!` is not an operator", "use `not` or `!=`", 1);
      case '<':
        if (two('=')) return single(Tok::Le, 2);
        if (two('>')) return err(t, "`<>` is not an operator", "use `!=`", 2);
        return single(Tok::Lt, 1);
      case '>':
        if (two('=')) return single(Tok::Ge, 2);
        return single(Tok::Gt, 1);
      case '"': return string(t);
      case '\'': return err(t, "strings are written in double quotes", "use \"...\"", 1);
      case '&': return err(t, "`&` is not an operator", "use `and`", two('&') ? 2 : 1);
      case '|': return err(t, "`|` is not an operator", "use `or`", two('|') ? 2 : 1);
      default: break;
    }
    if (digit(c)) return number(t);
    if (ident_start(c)) {
      std::size_t b = i_;
      while (i_ < s_.size() && ident_char(s_[i_])) ++i_;
      t.kind = Tok::Ident;
      t.text = std::string(s_.substr(b, i_ - b));
      t.end = static_cast<std::uint32_t>(i_);
      return t;
    }
    std::size_t n = 1;
    while (i_ + n < s_.size() && (static_cast<unsigned char>(s_[i_ + n]) & 0xC0) == 0x80) ++n;
    return err(t, "unexpected character `" + std::string(s_.substr(i_, n)) + "`", "not part of the language", n);
  }

 private:
  Token err(Token& t, std::string msg, std::string label, std::size_t n) {
    t.kind = Tok::Error;
    t.text = std::move(msg);
    label_ = std::move(label);
    i_ += n;
    t.end = static_cast<std::uint32_t>(i_);
    return t;
  }

  Token string(Token& t) {
    std::size_t i = i_ + 1;
    std::string out;
    while (i < s_.size() && s_[i] != '"') {
      if (s_[i] == '\\' && i + 1 < s_.size() && (s_[i + 1] == '"' || s_[i + 1] == '\\')) {
        out += s_[i + 1];
        i += 2;
        continue;
      }
      out += s_[i++];  // every other backslash is kept (for RE2)
    }
    if (i >= s_.size()) {
      t.kind = Tok::Error;
      t.text = "unterminated string";
      label_ = "the string starts here; add a closing \"";
      t.end = t.begin + 1;
      i_ = s_.size();
      return t;
    }
    i_ = i + 1;
    t.kind = Tok::String;
    t.value = out;
    t.text = std::move(out);
    t.end = static_cast<std::uint32_t>(i_);
    return t;
  }

  Token number(Token& t) {
    std::size_t b = i_;
    // Dates and datetimes: YYYY-MM-DD[THH:MM[:SS[.fff]](Z|±HH:MM)]
    if (i_ + 10 <= s_.size() && digit(s_[i_]) && digit(s_[i_ + 1]) && digit(s_[i_ + 2]) && digit(s_[i_ + 3]) &&
        s_[i_ + 4] == '-' && digit(s_[i_ + 5]) && digit(s_[i_ + 6]) && s_[i_ + 7] == '-' && digit(s_[i_ + 8]) &&
        digit(s_[i_ + 9])) {
      int y = std::atoi(std::string(s_.substr(i_, 4)).c_str());
      int m = (s_[i_ + 5] - '0') * 10 + (s_[i_ + 6] - '0');
      int d = (s_[i_ + 8] - '0') * 10 + (s_[i_ + 9] - '0');
      i_ += 10;
      if (!valid_date(y, m, d)) {
        t.end = static_cast<std::uint32_t>(i_);
        t.kind = Tok::Error;
        t.text = "invalid date `" + std::string(s_.substr(b, 10)) + "`";
        label_ = "no such day";
        return t;
      }
      if (i_ < s_.size() && s_[i_] == 'T') {
        std::size_t tb = i_ + 1;
        auto two_digits = [&](std::size_t p) { return p + 1 < s_.size() && digit(s_[p]) && digit(s_[p + 1]); };
        auto val2 = [&](std::size_t p) { return (s_[p] - '0') * 10 + (s_[p + 1] - '0'); };
        int hh = 0, mi = 0, ss = 0, off = 0;
        bool ok = two_digits(tb) && tb + 2 < s_.size() && s_[tb + 2] == ':' && two_digits(tb + 3);
        std::size_t p = tb + 5;
        if (ok) {
          hh = val2(tb);
          mi = val2(tb + 3);
          if (p < s_.size() && s_[p] == ':') {
            ok = two_digits(p + 1);
            if (ok) ss = val2(p + 1);
            p += 3;
            if (ok && p < s_.size() && s_[p] == '.') {
              ++p;
              while (p < s_.size() && digit(s_[p])) ++p;
            }
          }
        }
        bool has_offset = false;
        if (ok && p < s_.size() && (s_[p] == 'Z' || s_[p] == 'z')) {
          ++p;
          has_offset = true;
        } else if (ok && p < s_.size() && (s_[p] == '+' || s_[p] == '-') && two_digits(p + 1) && p + 3 < s_.size() &&
                   s_[p + 3] == ':' && two_digits(p + 4)) {
          off = (val2(p + 1) * 60 + val2(p + 4)) * (s_[p] == '-' ? -1 : 1);
          p += 6;
          has_offset = true;
        }
        i_ = p;
        t.end = static_cast<std::uint32_t>(i_);
        if (!ok || hh > 23 || mi > 59 || ss > 60) {
          t.kind = Tok::Error;
          t.text = "malformed datetime `" + std::string(s_.substr(b, i_ - b)) + "`";
          label_ = "expected e.g. 2026-01-01T09:00:00Z";
          return t;
        }
        if (!has_offset) {
          t.kind = Tok::Error;
          t.text = "datetime `" + std::string(s_.substr(b, i_ - b)) + "` has no offset";
          label_ = "add Z or an offset like +01:00";
          return t;
        }
        DatetimeValue dv;
        dv.epoch_seconds = days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)) * 86400 + hh * 3600 +
                           mi * 60 + ss - off * 60;
        dv.offset_minutes = off;
        t.kind = Tok::Datetime;
        t.value = dv;
        return t;
      }
      t.kind = Tok::Date;
      t.value = Date{y, m, d};
      t.end = static_cast<std::uint32_t>(i_);
      return t;
    }
    while (i_ < s_.size() && digit(s_[i_])) ++i_;
    bool dec = false;
    if (i_ + 1 < s_.size() && s_[i_] == '.' && digit(s_[i_ + 1])) {
      dec = true;
      ++i_;
      while (i_ < s_.size() && digit(s_[i_])) ++i_;
    }
    std::string num(s_.substr(b, i_ - b));
    if (i_ < s_.size() && s_[i_] == '%') {
      ++i_;
      t.kind = Tok::Percent;
      t.value = std::strtod(num.c_str(), nullptr) / 100.0;
      t.end = static_cast<std::uint32_t>(i_);
      return t;
    }
    if (!dec && i_ < s_.size() && (s_[i_] == 'm' || s_[i_] == 'h' || s_[i_] == 'd' || s_[i_] == 'w') &&
        (i_ + 1 >= s_.size() || !ident_char(s_[i_ + 1]))) {
      DurationValue dv;
      std::from_chars(num.data(), num.data() + num.size(), dv.amount);
      dv.unit = s_[i_++];
      t.kind = Tok::Duration;
      t.value = dv;
      t.end = static_cast<std::uint32_t>(i_);
      return t;
    }
    if (i_ < s_.size() && (ident_char(s_[i_]) || s_[i_] == '.')) {
      while (i_ < s_.size() && (ident_char(s_[i_]) || s_[i_] == '.' || s_[i_] == ',')) ++i_;
      t.kind = Tok::Error;
      t.text = "malformed number `" + std::string(s_.substr(b, i_ - b)) + "`";
      label_ = "durations are 90m, 24h, 30d or 2w";
      t.end = static_cast<std::uint32_t>(i_);
      return t;
    }
    if (i_ < s_.size() && s_[i_] == ',' && i_ + 3 < s_.size() && digit(s_[i_ + 1]) && digit(s_[i_ + 2]) &&
        digit(s_[i_ + 3]) && (i_ + 4 >= s_.size() || !digit(s_[i_ + 4]))) {
      // `1,000` inside a list is ambiguous; thousands separators are not allowed.
      t.kind = Tok::Error;
      t.text = "numbers have no thousands separators";
      label_ = "write " + num + std::string(s_.substr(i_ + 1, 3)) + " or separate list items with `, `";
      i_ += 4;
      t.end = static_cast<std::uint32_t>(i_);
      return t;
    }
    t.end = static_cast<std::uint32_t>(i_);
    if (dec) {
      t.kind = Tok::Decimal;
      t.value = std::strtod(num.c_str(), nullptr);
    } else {
      std::int64_t v = 0;
      auto r = std::from_chars(num.data(), num.data() + num.size(), v);
      if (r.ec != std::errc()) {
        t.kind = Tok::Error;
        t.text = "integer `" + num + "` is too large";
        label_ = "out of range";
        return t;
      }
      t.kind = Tok::Int;
      t.value = v;
    }
    return t;
  }

 public:
  std::string label_;

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

struct Fail {};
constexpr std::size_t kMaxDepth = 256;

class Parser {
 public:
  explicit Parser(std::string_view s) : lex_(s) {}

  ParseOutcome run() {
    ParseOutcome out;
    try {
      advance();
      if (cur_.kind == Tok::End) fail(cur_, "empty expression", "write a condition, e.g. company_size >= 50");
      auto e = parse_or();
      if (cur_.kind != Tok::End) {
        if (cur_.kind == Tok::Ident && !is_keyword(cur_.text))
          fail(cur_, "unexpected name `" + cur_.text + "`", "expected an operator such as `and`, `or`, `==`");
        fail(cur_, "unexpected " + describe(cur_), "expected the end of the expression");
      }
      out.root = std::move(e);
    } catch (const Fail&) {
      out.error = err_;
    }
    return out;
  }

 private:
  [[noreturn]] void fail(const Token& t, std::string msg, std::string label, std::string help = {}) {
    err_.begin = t.begin;
    err_.end = t.end > t.begin ? t.end : t.begin + 1;
    err_.message = std::move(msg);
    err_.label = std::move(label);
    err_.help = std::move(help);
    throw Fail{};
  }

  static std::string describe(const Token& t) {
    switch (t.kind) {
      case Tok::End: return "end of expression";
      case Tok::Ident: return "`" + t.text + "`";
      case Tok::String: return "string";
      case Tok::RParen: return "`)`";
      case Tok::RBracket: return "`]`";
      case Tok::Comma: return "`,`";
      default: return "token";
    }
  }

  void advance() {
    cur_ = lex_.next();
    if (cur_.kind == Tok::Error) fail_lex();
  }
  void fail_lex() {
    err_.begin = cur_.begin;
    err_.end = cur_.end > cur_.begin ? cur_.end : cur_.begin + 1;
    err_.message = cur_.text;
    err_.label = lex_.label_;
    throw Fail{};
  }
  bool kw(std::string_view w) const { return cur_.kind == Tok::Ident && cur_.text == w; }

  std::unique_ptr<ExprNode> node(ExprNode::Kind k, std::uint32_t b, std::uint32_t e) {
    if (++count_ > 10000) fail(cur_, "expression too large", "more than 10,000 nodes");
    auto n = std::make_unique<ExprNode>();
    n->kind = k;
    n->begin = b;
    n->end = e;
    return n;
  }
  std::unique_ptr<ExprNode> binary(Op op, std::unique_ptr<ExprNode> l, std::unique_ptr<ExprNode> r) {
    auto n = node(ExprNode::Kind::Binary, l->begin, r->end);
    n->op = op;
    n->children.push_back(std::move(l));
    n->children.push_back(std::move(r));
    return n;
  }

  void enter() {
    if (++depth_ > 100) fail(cur_, "expression nested too deeply", "more than 100 levels");
  }

  // `a or b or c` is one node with three operands (and likewise `and`): long chains stay flat.
  std::unique_ptr<ExprNode> chain(Op op, std::unique_ptr<ExprNode> first, std::string_view word,
                                  std::unique_ptr<ExprNode> (Parser::*next)()) {
    if (!kw(word)) return first;
    auto n = node(ExprNode::Kind::Binary, first->begin, first->end);
    n->op = op;
    n->children.push_back(std::move(first));
    while (kw(word)) {
      advance();
      n->children.push_back((this->*next)());
    }
    n->end = n->children.back()->end;
    return n;
  }
  std::unique_ptr<ExprNode> parse_or() {
    enter();
    auto first = parse_and();
    auto l = chain(Op::Or, std::move(first), "or", &Parser::parse_and);
    --depth_;
    return l;
  }
  std::unique_ptr<ExprNode> parse_and() {
    auto first = parse_not();
    return chain(Op::And, std::move(first), "and", &Parser::parse_not);
  }
  std::unique_ptr<ExprNode> parse_not() {
    if (kw("not")) {
      std::uint32_t b = cur_.begin;
      advance();
      enter();
      auto operand = parse_not();
      --depth_;
      auto n = node(ExprNode::Kind::Unary, b, operand->end);
      n->op = Op::Not;
      n->children.push_back(std::move(operand));
      return n;
    }
    return parse_cmp();
  }
  std::unique_ptr<ExprNode> parse_cmp() {
    auto l = parse_add();
    auto cmp_op = [&]() -> std::optional<Op> {
      switch (cur_.kind) {
        case Tok::Eq: return Op::Eq;
        case Tok::Ne: return Op::Ne;
        case Tok::Lt: return Op::Lt;
        case Tok::Le: return Op::Le;
        case Tok::Gt: return Op::Gt;
        case Tok::Ge: return Op::Ge;
        default: break;
      }
      if (kw("matches")) return Op::Matches;
      if (kw("contains")) return Op::Contains;
      if (kw("starts_with")) return Op::StartsWith;
      if (kw("ends_with")) return Op::EndsWith;
      return std::nullopt;
    };
    std::unique_ptr<ExprNode> result;
    if (auto op = cmp_op()) {
      advance();
      result = binary(*op, std::move(l), parse_add());
    } else if (kw("in") || (kw("not") && peek_in())) {
      Op op = Op::In;
      if (kw("not")) {
        advance();
        op = Op::NotIn;
      }
      advance();  // `in`
      if (cur_.kind != Tok::LBracket)
        fail(cur_, "`in` takes a list", "expected `[`", "write e.g. country in [\"US\", \"CA\"]");
      result = binary(op, std::move(l), parse_primary());
    } else if (kw("between")) {
      advance();
      auto lo = parse_add();
      if (!kw("and")) fail(cur_, "`between` needs `and`", "expected `and`", "write e.g. x between 10 and 20");
      advance();
      auto hi = parse_add();
      auto n = node(ExprNode::Kind::Between, l->begin, hi->end);
      n->op = Op::Between;
      n->children.push_back(std::move(l));
      n->children.push_back(std::move(lo));
      n->children.push_back(std::move(hi));
      result = std::move(n);
    } else if (kw("is")) {
      std::uint32_t e = cur_.end;
      advance();
      Op op = Op::IsNull;
      if (kw("not")) {
        op = Op::IsNotNull;
        advance();
      }
      if (!kw("null")) fail(cur_, "`is` must be followed by `null` or `not null`", "expected `null`");
      e = cur_.end;
      advance();
      auto n = node(ExprNode::Kind::Postfix, l->begin, e);
      n->op = op;
      n->children.push_back(std::move(l));
      result = std::move(n);
    } else {
      return l;
    }
    if (cmp_op() || kw("in") || kw("between") || kw("is"))
      fail(cur_, "comparisons cannot be chained", "second comparison", "combine them with `and`");
    return result;
  }
  bool peek_in() {
    Lexer copy = lex_;
    Token t = copy.next();
    return t.kind == Tok::Ident && t.text == "in";
  }
  std::unique_ptr<ExprNode> parse_add() {
    auto l = parse_mul();
    while (cur_.kind == Tok::Plus || cur_.kind == Tok::Minus) {
      Op op = cur_.kind == Tok::Plus ? Op::Add : Op::Sub;
      advance();
      l = binary(op, std::move(l), parse_mul());
    }
    return l;
  }
  std::unique_ptr<ExprNode> parse_mul() {
    auto l = parse_unary();
    while (cur_.kind == Tok::Star || cur_.kind == Tok::Slash) {
      Op op = cur_.kind == Tok::Star ? Op::Mul : Op::Div;
      advance();
      l = binary(op, std::move(l), parse_unary());
    }
    return l;
  }
  std::unique_ptr<ExprNode> parse_unary() {
    if (cur_.kind == Tok::Minus) {
      std::uint32_t b = cur_.begin;
      advance();
      enter();
      auto operand = parse_unary();
      --depth_;
      auto n = node(ExprNode::Kind::Unary, b, operand->end);
      n->op = Op::Neg;
      n->children.push_back(std::move(operand));
      return n;
    }
    return parse_primary();
  }
  std::unique_ptr<ExprNode> parse_primary() {
    Token t = cur_;
    switch (t.kind) {
      case Tok::Int:
      case Tok::Decimal:
      case Tok::Percent:
      case Tok::Duration:
      case Tok::Date:
      case Tok::Datetime:
      case Tok::String: {
        auto n = node(ExprNode::Kind::Literal, t.begin, t.end);
        n->value = t.value;
        n->is_percent = t.kind == Tok::Percent;
        advance();
        return n;
      }
      case Tok::LParen: {
        advance();
        auto e = parse_or();
        if (cur_.kind != Tok::RParen) fail(cur_, "missing `)`", "expected `)` here");
        e->begin = t.begin;
        e->end = cur_.end;
        advance();
        return e;
      }
      case Tok::LBracket: {
        advance();
        auto n = node(ExprNode::Kind::List, t.begin, t.end);
        while (cur_.kind != Tok::RBracket) {
          n->children.push_back(parse_or());
          if (cur_.kind == Tok::Comma) {
            advance();
            continue;
          }
          if (cur_.kind != Tok::RBracket) fail(cur_, "missing `]` or `,` in list", "expected `,` or `]`");
        }
        n->end = cur_.end;
        advance();
        return n;
      }
      case Tok::Ident: {
        if (t.text == "true" || t.text == "false") {
          auto n = node(ExprNode::Kind::Literal, t.begin, t.end);
          n->value = t.text == "true";
          advance();
          return n;
        }
        if (t.text == "null") {
          auto n = node(ExprNode::Kind::Literal, t.begin, t.end);
          advance();
          return n;
        }
        if (is_keyword(t.text)) fail(t, "expected a value, found `" + t.text + "`", "a keyword cannot stand here");
        auto n = node(ExprNode::Kind::Name, t.begin, t.end);
        n->name = t.text;
        if (t.text == "now") n->name_kind = NameKind::Now;
        advance();
        return n;
      }
      case Tok::End: fail(t, "expression ends too early", "expected a value here");
      default: fail(t, "expected a value, found " + describe(t), "expected a value");
    }
  }

  Lexer lex_;
  Token cur_;
  SyntaxError err_;
  int depth_ = 0;
  int count_ = 0;
};

}  // namespace

bool is_keyword(std::string_view word) noexcept {
  for (auto* k : kKeywords)
    if (word == k) return true;
  return false;
}

namespace {

// Depth of the tree, without recursion (chains of `+` or `*` nest to the left).
std::size_t depth_of(const ExprNode& root, const ExprNode*& deepest) {
  std::vector<std::pair<const ExprNode*, std::size_t>> stack{{&root, 1}};
  std::size_t best = 0;
  while (!stack.empty()) {
    auto [n, d] = stack.back();
    stack.pop_back();
    if (d > best) {
      best = d;
      deepest = n;
    }
    for (const auto& c : n->children) stack.emplace_back(c.get(), d + 1);
  }
  return best;
}

}  // namespace

ParseOutcome parse(std::string_view text) {
  ParseOutcome out = Parser(text).run();
  if (out.root) {
    const ExprNode* deepest = out.root.get();
    if (depth_of(*out.root, deepest) > kMaxDepth) {
      out.error.begin = deepest->begin;
      out.error.end = deepest->end > deepest->begin ? deepest->end : deepest->begin + 1;
      out.error.message = "expression nested too deeply (more than " + std::to_string(kMaxDepth) + " levels)";
      out.error.label = "too deep here";
      out.error.help = "split it into several criteria";
      out.root.reset();
    }
  }
  return out;
}

}  // namespace charter::detail::expr

#include "load/reader.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "util/text.hpp"

namespace charter::detail {

using yaml::Kind;
using yaml::kNone;
using yaml::ScalarType;
using yaml::Style;

bool valid_id(std::string_view s) noexcept {
  if (s.empty() || s[0] < 'a' || s[0] > 'z') return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

static bool digits(std::string_view s, std::size_t n) {
  if (s.size() != n) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool parse_date(std::string_view s, Date& d) noexcept {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !digits(s.substr(0, 4), 4) || !digits(s.substr(5, 2), 2) ||
      !digits(s.substr(8, 2), 2))
    return false;
  d.year = std::atoi(std::string(s.substr(0, 4)).c_str());
  d.month = (s[5] - '0') * 10 + (s[6] - '0');
  d.day = (s[8] - '0') * 10 + (s[9] - '0');
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d.month < 1 || d.month > 12 || d.day < 1) return false;
  bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
  int md = mdays[d.month - 1] + (d.month == 2 && leap ? 1 : 0);
  return d.day <= md;
}

bool parse_duration(std::string_view s, Duration& d) noexcept {
  if (s.size() < 2) return false;
  char u = s.back();
  if (u != 'm' && u != 'h' && u != 'd' && u != 'w') return false;
  std::string_view num = s.substr(0, s.size() - 1);
  for (char c : num)
    if (c < '0' || c > '9') return false;
  auto r = std::from_chars(num.data(), num.data() + num.size(), d.amount);
  if (r.ec != std::errc() || num.size() > 9) return false;
  d.unit = u;
  return true;
}

std::string Ctx::describe(std::uint32_t n) const {
  const auto& nd = t.nodes[n];
  switch (nd.kind) {
    case Kind::Null: return "null";
    case Kind::Sequence: return "a list";
    case Kind::Mapping: return "a mapping";
    case Kind::Scalar:
      if (nd.style != Style::Plain) return "a string";
      switch (yaml::resolve_plain(t.value(n))) {
        case ScalarType::Bool: return "a boolean";
        case ScalarType::Int: return "an integer";
        case ScalarType::Float: return "a number";
        case ScalarType::String: return "a string";
      }
  }
  return "a value";
}

std::string Ctx::key_name(std::uint32_t value_node) const {
  std::uint32_t k = t.key_of(value_node);
  return k == kNone ? std::string() : std::string(t.value(k));
}

static std::string quote_hint(const Ctx& c, std::uint32_t n) {
  if (c.t.nodes[n].kind == Kind::Scalar) return "; write it in quotes: \"" + std::string(c.t.value(n)) + "\"";
  return {};
}

std::optional<std::string_view> Ctx::str(std::uint32_t n) {
  const auto& nd = t.nodes[n];
  if (nd.kind == Kind::Scalar && (nd.style != Style::Plain || yaml::resolve_plain(t.value(n)) == ScalarType::String))
    return t.value(n);
  auto& d = error(Code::WrongType, n, "expected a string, found " + describe(n), "not a string");
  if (nd.kind == Kind::Scalar) d.help = "YAML reads this as " + describe(n) + quote_hint(*this, n);
  return std::nullopt;
}

std::optional<std::string_view> Ctx::id(std::uint32_t n) {
  auto s = str(n);
  if (!s) return s;
  if (!valid_id(*s)) {
    auto& d = error(Code::InvalidId, n, "invalid id `" + std::string(*s) + "`", "ids match ^[a-z][a-z0-9_]*$");
    std::string fixed;
    for (char ch : *s) {
      if (ch >= 'A' && ch <= 'Z')
        fixed += static_cast<char>(ch + 32);
      else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')
        fixed += ch;
      else if (ch == '-' || ch == ' ' || ch == '.')
        fixed += '_';
    }
    if (valid_id(fixed)) {
      d.help = "write it as `" + fixed + "`";
      d.suggestion = fixed;
    }
    return s;  // keep it so that references to it resolve; the error is reported
  }
  return s;
}

std::optional<std::int64_t> Ctx::integer(std::uint32_t n) {
  const auto& nd = t.nodes[n];
  if (nd.kind == Kind::Scalar && nd.style == Style::Plain && yaml::resolve_plain(t.value(n)) == ScalarType::Int) {
    std::string_view v = t.value(n);
    std::int64_t x = 0;
    int base = 10;
    if (v.starts_with("0x")) {
      v.remove_prefix(2);
      base = 16;
    } else if (v.starts_with("0o")) {
      v.remove_prefix(2);
      base = 8;
    }
    if (!v.empty() && v[0] == '+') v.remove_prefix(1);
    auto r = std::from_chars(v.data(), v.data() + v.size(), x, base);
    if (r.ec == std::errc()) return x;
    error(Code::InvalidFormat, n, "integer out of range", "too large");
    return std::nullopt;
  }
  error(Code::WrongType, n, "expected an integer, found " + describe(n), "not an integer");
  return std::nullopt;
}

std::optional<double> Ctx::number(std::uint32_t n) {
  const auto& nd = t.nodes[n];
  if (nd.kind == Kind::Scalar && nd.style == Style::Plain) {
    auto ty = yaml::resolve_plain(t.value(n));
    if (ty == ScalarType::Int) {
      if (auto i = integer(n)) return static_cast<double>(*i);
      return std::nullopt;
    }
    if (ty == ScalarType::Float) {
      std::string v(t.value(n));
      if (v.find("inf") != std::string::npos || v.find("Inf") != std::string::npos ||
          v.find("INF") != std::string::npos || v.find("nan") != std::string::npos ||
          v.find("NaN") != std::string::npos || v.find("NAN") != std::string::npos) {
        error(Code::InvalidFormat, n, "expected a finite number, found `" + v + "`", "not finite");
        return std::nullopt;
      }
      double x = std::strtod(v.c_str(), nullptr);
      if (!std::isfinite(x)) {
        error(Code::InvalidFormat, n, "expected a finite number", "not finite");
        return std::nullopt;
      }
      return x;
    }
  }
  auto& d = error(Code::WrongType, n, "expected a number, found " + describe(n), "not a number");
  if (nd.kind == Kind::Scalar) {
    std::string v(t.value(n));
    if (v.find(',') != std::string::npos) d.help = "write numbers without thousands separators";
  }
  return std::nullopt;
}

std::optional<bool> Ctx::boolean(std::uint32_t n) {
  const auto& nd = t.nodes[n];
  if (nd.kind == Kind::Scalar && nd.style == Style::Plain && yaml::resolve_plain(t.value(n)) == ScalarType::Bool)
    return t.value(n)[0] == 't' || t.value(n)[0] == 'T';
  auto& d = error(Code::WrongType, n, "expected true or false, found " + describe(n), "not a boolean");
  if (nd.kind == Kind::Scalar) {
    std::string v = fold_case(t.value(n));
    if (v == "yes" || v == "on") d.help = "YAML 1.2 reads `yes`/`on` as strings; write `true`";
    if (v == "no" || v == "off") d.help = "YAML 1.2 reads `no`/`off` as strings; write `false`";
  }
  return std::nullopt;
}

std::optional<double> Ctx::percent(std::uint32_t n) {
  const auto& nd = t.nodes[n];
  if (nd.kind != Kind::Scalar || (nd.style == Style::Plain && yaml::resolve_plain(t.value(n)) != ScalarType::String)) {
    auto& d = error(Code::WrongType, n, "expected a percentage like `95%`, found " + describe(n), "not a percentage");
    if (nd.kind == Kind::Scalar) d.help = "write it with a percent sign, e.g. `" + std::string(t.value(n)) + "%`";
    return std::nullopt;
  }
  std::string_view v = t.value(n);
  bool ok = v.size() >= 2 && v.back() == '%';
  std::string_view num = ok ? v.substr(0, v.size() - 1) : v;
  std::size_t dots = 0;
  for (char c : num) {
    if (c == '.')
      ++dots;
    else if (c < '0' || c > '9')
      ok = false;
  }
  if (!ok || dots > 1 || num.empty() || num.front() == '.' || num.back() == '.') {
    error(Code::InvalidFormat, n, "malformed percentage `" + std::string(v) + "`", "expected e.g. 95% or 12.5%");
    return std::nullopt;
  }
  double x = std::strtod(std::string(num).c_str(), nullptr);
  if (x > 100.0) {
    error(Code::PercentOutOfRange, n, "percentage `" + std::string(v) + "` is over 100%", "between 0% and 100%");
    return std::nullopt;
  }
  return x / 100.0;
}

std::optional<Duration> Ctx::duration(std::uint32_t n) {
  auto sv = str(n);
  std::optional<std::string> s;
  if (sv) s = std::string(*sv);
  if (!s) return std::nullopt;
  Duration d;
  if (!parse_duration(*s, d)) {
    auto& dg =
        error(Code::InvalidFormat, n, "malformed duration `" + *s + "`", "expected a number and a unit: m, h, d or w");
    std::string f = fold_case(*s);
    std::string num;
    std::size_t i = 0;
    while (i < f.size() && f[i] >= '0' && f[i] <= '9') num += f[i++];
    while (i < f.size() && f[i] == ' ') ++i;
    std::string_view unit = std::string_view(f).substr(i);
    char u = unit.starts_with("min")                            ? 'm'
             : unit.starts_with("h")                            ? 'h'
             : unit.starts_with("d")                            ? 'd'
             : unit.starts_with("w")                            ? 'w'
             : unit.starts_with("m") && !unit.starts_with("mo") ? 'm'
                                                                : 0;
    if (!num.empty() && u) {
      dg.help = "write `" + num + u + "`";
      dg.suggestion = num + u;
    }
    return std::nullopt;
  }
  if (d.amount == 0) {
    error(Code::InvalidFormat, n, "duration must be greater than zero", "zero");
    return std::nullopt;
  }
  return d;
}

std::optional<Date> Ctx::date(std::uint32_t n) {
  auto sv = str(n);
  std::optional<std::string> s;
  if (sv) s = std::string(*sv);
  if (!s) return std::nullopt;
  Date d;
  if (!parse_date(*s, d)) {
    error(Code::InvalidFormat, n, "invalid date `" + *s + "`", "expected an existing date as YYYY-MM-DD");
    return std::nullopt;
  }
  return d;
}

std::optional<std::string_view> Ctx::locale(std::uint32_t n) {
  auto s = str(n);
  if (!s) return std::nullopt;
  // BCP 47 subset: language (2-3 lower-case letters), then subtags of 2-8 alphanumerics.
  std::string_view v = *s;
  std::size_t i = 0;
  while (i < v.size() && v[i] >= 'a' && v[i] <= 'z') ++i;
  bool ok = i >= 2 && i <= 3;
  while (ok && i < v.size()) {
    if (v[i] != '-') {
      ok = false;
      break;
    }
    std::size_t b = ++i;
    while (i < v.size() && std::isalnum(static_cast<unsigned char>(v[i]))) ++i;
    if (i - b < 2 || i - b > 8) ok = false;
  }
  if (!ok) {
    error(Code::InvalidFormat, n, "malformed locale `" + std::string(*s) + "`", "expected e.g. en, zh, pt-BR");
    return std::nullopt;
  }
  return s;
}

bool Ctx::is_map(std::uint32_t n, const char* what) {
  if (t.nodes[n].kind == Kind::Mapping) return true;
  error(Code::WrongType, n, std::string("expected ") + what + " (a mapping), found " + describe(n), "not a mapping");
  return false;
}

std::vector<std::uint32_t> Ctx::seq(std::uint32_t n) {
  std::vector<std::uint32_t> out;
  if (t.nodes[n].kind != Kind::Sequence) {
    auto& d = error(Code::WrongType, n, "expected a list, found " + describe(n), "not a list");
    if (t.nodes[n].kind == Kind::Scalar) d.help = "write a list: [" + std::string(t.value(n)) + "]";
    return out;
  }
  for (std::uint32_t c = t.nodes[n].first; c != kNone; c = t.nodes[c].next) out.push_back(c);
  return out;
}

std::vector<std::string_view> Ctx::str_list(std::uint32_t n) {
  std::vector<std::string_view> out;
  for (auto c : seq(n))
    if (auto s = str(c)) out.push_back(*s);
  return out;
}

std::vector<std::string_view> Ctx::id_list(std::uint32_t n) {
  std::vector<std::string_view> out;
  for (auto c : seq(n))
    if (auto s = id(c)) out.push_back(*s);
  return out;
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> Ctx::pairs(std::uint32_t n) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  if (t.nodes[n].kind != Kind::Mapping) {
    error(Code::WrongType, n, "expected a mapping, found " + describe(n), "not a mapping");
    return out;
  }
  for (std::uint32_t k = t.nodes[n].first; k != kNone;) {
    std::uint32_t v = t.nodes[k].next;
    if (v == kNone) break;
    if (t.nodes[k].kind != Kind::Scalar) {
      error(Code::WrongType, k, "mapping keys must be strings, found " + describe(k), "not a string key");
    } else {
      out.emplace_back(k, v);
    }
    k = t.nodes[v].next;
  }
  return out;
}

std::string Ctx::to_json(std::uint32_t n) const {
  std::string out;
  const auto& nd = t.nodes[n];
  switch (nd.kind) {
    case Kind::Null: return "null";
    case Kind::Scalar: {
      std::string_view v = t.value(n);
      if (nd.style == Style::Plain) {
        auto ty = yaml::resolve_plain(v);
        if (ty == ScalarType::Bool) return (v[0] == 't' || v[0] == 'T') ? "true" : "false";
        if (ty == ScalarType::Int && !v.starts_with("0x") && !v.starts_with("0o")) {
          std::string s(v);
          if (s[0] == '+') s.erase(0, 1);
          return s;
        }
        if (ty == ScalarType::Float && v.find_first_of("in") == std::string_view::npos) {
          std::string s(v);
          if (s[0] == '+') s.erase(0, 1);
          if (s[0] == '.') s.insert(0, "0");
          if (s[0] == '-' && s.size() > 1 && s[1] == '.') s.insert(1, "0");
          if (s.back() == '.') s += '0';
          return s;
        }
      }
      out = "\"";
      json_escape(out, v);
      return out + "\"";
    }
    case Kind::Sequence: {
      out = "[";
      bool first = true;
      for (std::uint32_t c = nd.first; c != kNone; c = t.nodes[c].next) {
        if (!first) out += ',';
        first = false;
        out += to_json(c);
      }
      return out + "]";
    }
    case Kind::Mapping: {
      out = "{";
      bool first = true;
      for (std::uint32_t k = nd.first; k != kNone;) {
        std::uint32_t v = t.nodes[k].next;
        if (v == kNone) break;
        if (!first) out += ',';
        first = false;
        out += '"';
        json_escape(out, t.nodes[k].kind == Kind::Scalar ? t.value(k) : std::string_view("?"));
        out += "\":";
        out += to_json(v);
        k = t.nodes[v].next;
      }
      return out + "}";
    }
  }
  return "null";
}

Obj::Obj(Ctx& c, std::uint32_t node, std::initializer_list<std::string_view> allowed, Extensions* ext)
    : c_(c), node_(node) {
  for (auto [k, v] : c.pairs(node)) {
    std::string_view key = c.val(k);
    if (key.starts_with("x-")) {
      if (ext) ext->emplace(key, c.impl.own(c.to_json(v)));
      continue;
    }
    bool known = false;
    for (auto a : allowed)
      if (a == key) known = true;
    if (!known) {
      auto& d = c.error(Code::UnknownKey, k, "unknown key `" + std::string(key) + "`", "not part of the format here");
      std::vector<std::string_view> cands(allowed.begin(), allowed.end());
      if (auto s = closest(key, std::span<const std::string_view>(cands))) {
        d.help = "did you mean `" + *s + "`?";
        d.suggestion = *s;
      } else {
        std::string list;
        for (auto a : allowed) list += (list.empty() ? "`" : ", `") + std::string(a) + "`";
        d.help = "expected one of " + list + ", or an `x-` extension";
      }
      continue;
    }
    entries_.emplace_back(key, v);
  }
}

std::uint32_t Obj::get(std::string_view key) const {
  for (auto& [k, v] : entries_)
    if (k == key) return v;
  return kNone;
}

std::uint32_t Obj::need(std::string_view key, std::string_view what) {
  std::uint32_t v = get(key);
  if (v == kNone)
    c_.error(Code::MissingKey, node_, std::string(what) + " needs `" + std::string(key) + "`",
             "`" + std::string(key) + "` missing");
  return v;
}

}  // namespace charter::detail

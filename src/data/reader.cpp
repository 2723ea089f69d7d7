// CRM exports -> typed records: an RFC 4180 CSV parser and a JSON Lines parser that turn a
// chunk of a file into a charter::Batch, with every bad cell reported at file:line:column;
// and RecordReader, which reads a file chunk by chunk.
#include <date/tz.h>
#include <charter/records.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <type_traits>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "data/chunks.hpp"
#include "load/files.hpp"
#include "load/reader.hpp"
#include "util/dates.hpp"
#include "util/text.hpp"

namespace charter {

namespace data {

namespace {

[[gnu::always_inline]] inline std::string_view trim(std::string_view s) {
  if (s.empty() || ((s.front() != ' ' && s.front() != '\t') && (s.back() != ' ' && s.back() != '\t'))) return s;
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// ASCII case-insensitive equality with a lower-case word.
bool iequals(std::string_view a, std::string_view lower_b) {
  if (a.size() != lower_b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
    if (c != lower_b[i]) return false;
  }
  return true;
}

using ValueSet = detail::Ordinals;  // the allowed values of a field, with their positions

// Parses one cell of a field of type T into row `r` of column `c`. Strings are kept as
// views: `text` must live as long as the batch (it points into the chunk or the batch's
// arena). Returns an error message, or "" on success.
template <FieldType T>
std::string parse_as(const Field& f, const ValueSet& allowed, std::string_view text, const std::string& tz,
                     detail::Column& c, std::size_t r, std::vector<std::string_view>& items) {
  text = trim(text);
  if (text.empty()) {
    c.null[r] = 1;
    return {};
  }
  c.null[r] = 0;
  (void)tz;
  (void)items;
  [[maybe_unused]] auto in_values = [&](std::string_view v) { return f.values.empty() || allowed.contains(v); };
  [[maybe_unused]] auto not_value = [&](std::string_view v) {
    std::string msg = "\"" + std::string(v) + "\" is not one of the values of field " + f.id;
    if (auto cl = detail::closest(v, std::span<const std::string_view>(f.values)))
      msg += " (did you mean \"" + *cl + "\"?)";
    return msg;
  };
  {
    if constexpr (T == FieldType::Integer) {
      std::string_view t = text;
      if (!t.empty() && t[0] == '+') t.remove_prefix(1);
      std::int64_t v = 0;
      auto res = std::from_chars(t.data(), t.data() + t.size(), v);
      if (res.ec == std::errc() && res.ptr == t.data() + t.size()) {
        c.i[r] = v;
        return {};
      }
      if (res.ec == std::errc::result_out_of_range) return "`" + std::string(text) + "` is too large for an integer";
      if (text.find(',') != std::string_view::npos)
        return "`" + std::string(text) + "` is not an integer (write it without thousands separators)";
      return "`" + std::string(text) + "` is not an integer";
    }
    if constexpr (T == FieldType::Number) {
      // A decimal number: [-+]digits[.digits][e[-+]digits]; never `1,234.5`.
      std::size_t i = 0;
      if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
      std::size_t d0 = i;
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
      std::size_t digits = i - d0;
      if (i < text.size() && text[i] == '.') {
        ++i;
        std::size_t f0 = i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
        digits += i - f0;
      }
      if (digits && i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        std::size_t e = i + 1;
        if (e < text.size() && (text[e] == '-' || text[e] == '+')) ++e;
        std::size_t e0 = e;
        while (e < text.size() && std::isdigit(static_cast<unsigned char>(text[e]))) ++e;
        if (e > e0) i = e;
      }
      if (!digits || i != text.size()) {
        if (text.find(',') != std::string_view::npos)
          return "`" + std::string(text) +
                 "` is not a number (write it without thousands separators, with `.` for decimals)";
        return "`" + std::string(text) + "` is not a number";
      }
      std::string_view t = text[0] == '+' ? text.substr(1) : text;
      double v = 0;
      auto res = std::from_chars(t.data(), t.data() + t.size(), v);
      if (res.ec != std::errc() || !std::isfinite(v)) {
        // from_chars reports underflow as out of range: a tiny number is 0 (as strtod has it)
        if (res.ec == std::errc::result_out_of_range && std::fabs(std::strtod(std::string(t).c_str(), nullptr)) < 1)
          v = 0;
        else
          return "`" + std::string(text) + "` is out of range";
      }
      c.d[r] = v;
      return {};
    }
    if constexpr (T == FieldType::Boolean) {
      if (iequals(text, "true") || iequals(text, "yes") || text == "1")
        c.i[r] = 1;
      else if (iequals(text, "false") || iequals(text, "no") || text == "0")
        c.i[r] = 0;
      else
        return "`" + std::string(text) + "` is not a boolean (true/false, yes/no, 1/0)";
      return {};
    }
    if constexpr (T == FieldType::Date) {
      Date d;
      if (!detail::parse_date(text, d)) return "`" + std::string(text) + "` is not a date (YYYY-MM-DD)";
      c.i[r] = detail::day_number(d);
      return {};
    }
    if constexpr (T == FieldType::Datetime) {
      if (auto v = parse_datetime(text)) {
        c.i[r] = v->epoch_seconds;
        c.off[r] = v->offset_minutes;
        return {};
      }
      // Without an offset: local time in --timezone.
      auto as_utc = parse_datetime(std::string(text) + "Z");
      if (!as_utc) return "`" + std::string(text) + "` is not an RFC 3339 datetime (e.g. 2026-01-31T09:30:00Z)";
      if (tz.empty()) return "datetime `" + std::string(text) + "` has no offset (add Z or +01:00, or give --timezone)";
      try {
        const date::time_zone* zone = date::locate_zone(tz);
        date::local_seconds local{std::chrono::seconds(as_utc->epoch_seconds)};
        auto sys = zone->to_sys(local, date::choose::earliest);  // a gap or an overlap: the earlier instant
        std::int64_t epoch = std::chrono::duration_cast<std::chrono::seconds>(sys.time_since_epoch()).count();
        c.i[r] = epoch;
        c.off[r] = static_cast<int>((as_utc->epoch_seconds - epoch) / 60);
        return {};
      } catch (const std::exception&) {
        return "unknown time zone `" + tz + "`";
      }
    }
    if constexpr (T == FieldType::String) {
      std::int32_t ord = -1;
      if (!f.values.empty()) {
        ord = allowed.find(text);
        if (ord < 0) return not_value(text);
      }
      c.s[r] = text;
      c.i[r] = ord;
      return {};
    }
    if constexpr (T == FieldType::List) {
      std::size_t first = items.size();
      std::size_t b = 0;
      while (b <= text.size()) {
        std::size_t e = text.find(';', b);
        if (e == std::string_view::npos) e = text.size();
        std::string_view item = trim(text.substr(b, e - b));
        b = e + 1;
        if (item.empty()) continue;
        if (!in_values(item)) {
          items.resize(first);
          return not_value(item);
        }
        items.push_back(item);
      }
      c.lb[r] = static_cast<std::uint32_t>(first);
      c.ln[r] = static_cast<std::uint32_t>(items.size() - first);
      return {};
    }
  }
  return "unsupported field type";
}

// Calls f(std::integral_constant<FieldType, T>{}) for the T of `t`: one instance per type.
template <class F>
decltype(auto) with_type(FieldType t, F&& f) {
  using T = FieldType;
  switch (t) {
    case T::Integer: return f(std::integral_constant<T, T::Integer>{});
    case T::Number: return f(std::integral_constant<T, T::Number>{});
    case T::Boolean: return f(std::integral_constant<T, T::Boolean>{});
    case T::Date: return f(std::integral_constant<T, T::Date>{});
    case T::Datetime: return f(std::integral_constant<T, T::Datetime>{});
    case T::String: return f(std::integral_constant<T, T::String>{});
    case T::List: break;
  }
  return f(std::integral_constant<T, T::List>{});
}

std::string parse_cell(const Field& f, const ValueSet& allowed, std::string_view text, const std::string& tz,
                       detail::Column& c, std::size_t r, std::vector<std::string_view>& items) {
  return with_type(f.type, [&](auto t) { return parse_as<decltype(t)::value>(f, allowed, text, tz, c, r, items); });
}

// The common spellings of a cell of type T, typed without parse_as's general rules: true
// when done (with the value parse_as gives), false to leave the cell to parse_as.
template <FieldType T>
[[gnu::always_inline]] inline bool quick_cell(const Field& f, const ValueSet& allowed, std::string_view text,
                                              detail::Column& c, std::size_t r) {
  text = trim(text);
  if (text.empty()) {
    c.null[r] = 1;
    return true;
  }
  const char* p = text.data();
  const std::size_t n = text.size();
  if constexpr (T == FieldType::Integer) {  // -?[0-9]{1,18}
    std::size_t i = p[0] == '-';
    if (n - i == 0 || n - i > 18) return false;
    std::int64_t v = 0;
    for (; i < n; ++i) {
      unsigned d = static_cast<unsigned char>(p[i]) - '0';
      if (d > 9) return false;
      v = v * 10 + d;
    }
    c.null[r] = 0;
    c.i[r] = p[0] == '-' ? -v : v;
    return true;
  } else if constexpr (T == FieldType::Number) {
    // -?digits(.digits)? with at most 15 digits in all: the digits as an integer divided by
    // a power of ten, both exact in a double, is the correctly rounded value (as from_chars).
    static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    std::size_t i = p[0] == '-';
    std::uint64_t m = 0;
    std::size_t digits = 0, frac = 0;
    for (; i < n && static_cast<unsigned>(static_cast<unsigned char>(p[i]) - '0') < 10; ++i, ++digits)
      m = m * 10 + static_cast<unsigned>(p[i] - '0');
    if (digits == 0) return false;
    if (i < n && p[i] == '.') {
      for (++i; i < n && static_cast<unsigned>(static_cast<unsigned char>(p[i]) - '0') < 10; ++i, ++frac)
        m = m * 10 + static_cast<unsigned>(p[i] - '0');
      if (frac == 0) return false;
    }
    if (i != n || digits + frac > 15) return false;
    double v = static_cast<double>(m) / kPow10[frac];
    c.null[r] = 0;
    c.d[r] = p[0] == '-' ? -v : v;
    return true;
  } else if constexpr (T == FieldType::Boolean) {
    auto is = [&](const char* word) {  // ASCII case-insensitive (only letters are compared)
      for (std::size_t i = 0; i < n; ++i)
        if ((p[i] | 0x20) != word[i]) return false;
      return true;
    };
    int v = -1;
    switch (n) {
      case 1: v = p[0] == '1' ? 1 : p[0] == '0' ? 0 : -1; break;
      case 2: v = is("no") ? 0 : -1; break;
      case 3: v = is("yes") ? 1 : -1; break;
      case 4: v = is("true") ? 1 : -1; break;
      case 5: v = is("false") ? 0 : -1; break;
      default: break;
    }
    if (v < 0) return false;
    c.null[r] = 0;
    c.i[r] = v;
    return true;
  } else if constexpr (T == FieldType::String) {
    std::int32_t ord = -1;
    if (!f.values.empty()) {
      ord = allowed.find(text);
      if (ord < 0) return false;
    }
    c.null[r] = 0;
    c.s[r] = text;
    c.i[r] = ord;
    return true;
  } else {
    return false;
  }
}

// A bad cell found while typing a chunk column by column.
struct BadCell {
  std::size_t row;    // row of the chunk's grid
  std::size_t field;  // field index (the order of the messages within a record)
  std::string message;
};

// Types column `col` of every row of `grid` (row-major, `ncols` cells a row) as field `f`.
template <FieldType T>
void parse_column(const Field& f, std::size_t fi, const ValueSet& allowed, const std::vector<std::string_view>& grid,
                  std::size_t ncols, std::size_t col, std::size_t base, std::size_t rows, const std::string& tz,
                  detail::Column& c, std::vector<BadCell>& bad) {
  [[maybe_unused]] detail::QuickDatetime quick;
  for (std::size_t g = 0; g < rows; ++g) {
    const std::size_t r = base + g;
    if constexpr (T == FieldType::Datetime) {  // (the common spelling, fast)
      std::int64_t epoch = 0;
      int offset = 0;
      if (quick.parse(grid[g * ncols + col], epoch, offset)) {
        c.null[r] = 0;
        c.i[r] = epoch;
        c.off[r] = offset;
        continue;
      }
    }
    if constexpr (T == FieldType::Integer || T == FieldType::Number || T == FieldType::Boolean ||
                  T == FieldType::String) {
      if (quick_cell<T>(f, allowed, grid[g * ncols + col], c, r)) continue;
    }
    std::string err = parse_as<T>(f, allowed, grid[g * ncols + col], tz, c, r, c.items);
    if (!err.empty()) bad.push_back({r, fi, std::move(err)});
  }
}

// Bytes that end an unquoted CSV cell or need a look.
struct CsvTable {
  bool stop[256] = {};
  constexpr CsvTable() {
    stop[static_cast<unsigned char>(',')] = stop[static_cast<unsigned char>('\n')] =
        stop[static_cast<unsigned char>('\r')] = stop[static_cast<unsigned char>('"')] = true;
  }
};
constexpr CsvTable kCsv;

}  // namespace

bool unquoted_row(std::string_view text, std::size_t& p, std::vector<std::string_view>& cells) {
  const char* s = text.data();
  const std::size_t n = text.size();
  cells.clear();
  std::size_t b = p, e = p;
  const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'), quote = _mm_set1_epi8('"');
  while (true) {
    if (e + 16 <= n) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + e));
      auto m = static_cast<unsigned>(_mm_movemask_epi8(
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, lf)), _mm_cmpeq_epi8(v, quote))));
      bool stop = false;
      while (m) {
        std::size_t k = e + static_cast<std::size_t>(__builtin_ctz(m));
        m &= m - 1;
        if (s[k] == ',') {
          cells.emplace_back(s + b, k - b);
          b = k + 1;
        } else if (s[k] == '"') {
          return false;
        } else {
          e = k;
          stop = true;
          break;
        }
      }
      if (stop) break;
      e += 16;
      continue;
    }
    for (; e < n && s[e] != '\n'; ++e) {
      if (s[e] == '"') return false;
      if (s[e] == ',') {
        cells.emplace_back(s + b, e - b);
        b = e + 1;
      }
    }
    break;
  }
  // (a \r before the \n is not data, as in csv_row)
  std::size_t stop = e < n && e > b && s[e - 1] == '\r' ? e - 1 : e;
  cells.emplace_back(s + b, stop - b);
  p = e;
  return true;
}

namespace {

// Splits rows without quotes like unquoted_row, 64 bytes at a time: the positions of
// the commas, line breaks and quotes of a block of the text are found once as bit masks,
// shared by the rows that start in it.
class UnquotedRows {
 public:
  explicit UnquotedRows(std::string_view text) : s_(text.data()), n_(text.size()) {}

  // Splits the row at `p` into out[0, room): the number of cells, with `p` left at its line
  // break (or the end of the text); kNeedRoom when it has more cells than `room`, kQuoted when
  // it has a quote (`p` unchanged for both).
  static constexpr long kQuoted = -1, kNeedRoom = -2;
  long next(std::size_t& p, std::string_view* out, std::size_t room) {
    std::string_view* o = out;
    std::string_view* const end = out + room;
    std::size_t b = p;
    std::size_t base = p & ~std::size_t{63};
    if (base != base_) load(base);
    std::uint64_t m = (comma_ | lf_ | quote_) & (~std::uint64_t{0} << (p - base));
    while (true) {
      while (m) {
        const unsigned bit = static_cast<unsigned>(__builtin_ctzll(m));
        m &= m - 1;
        const std::size_t k = base + bit;
        const std::uint64_t one = std::uint64_t{1} << bit;
        if (quote_ & one) return kQuoted;
        if (o == end) return kNeedRoom;
        if (lf_ & one) {
          // (a \r before the \n is not data, as in csv_row)
          std::size_t stop = k > b && s_[k - 1] == '\r' ? k - 1 : k;
          *o++ = std::string_view(s_ + b, stop - b);
          p = k;
          return o - out;
        }
        *o++ = std::string_view(s_ + b, k - b);
        b = k + 1;
      }
      base += 64;
      if (base >= n_) break;
      load(base);
      m = comma_ | lf_ | quote_;
    }
    if (o == end) return kNeedRoom;
    *o++ = std::string_view(s_ + b, n_ - b);  // the text ends without a line break
    p = n_;
    return o - out;
  }

 private:
  void load(std::size_t base) {
    base_ = base;
    if (base + 64 <= n_) {
#if defined(__SSE2__)
      const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'), quote = _mm_set1_epi8('"');
      std::uint64_t c = 0, l = 0, q = 0;
      for (int i = 0; i < 4; ++i) {
        __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s_ + base + 16 * i));
        c |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)))) << (16 * i);
        l |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, lf)))) << (16 * i);
        q |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)))) << (16 * i);
      }
      comma_ = c;
      lf_ = l;
      quote_ = q;
      return;
#endif
    }
    comma_ = lf_ = quote_ = 0;
    for (std::size_t i = base; i < n_ && i < base + 64; ++i) {
      const std::uint64_t one = std::uint64_t{1} << (i - base);
      if (s_[i] == ',') comma_ |= one;
      if (s_[i] == '\n') lf_ |= one;
      if (s_[i] == '"') quote_ |= one;
    }
  }

  const char* s_;
  std::size_t n_;
  std::size_t base_ = ~std::size_t{0};
  std::uint64_t comma_ = 0, lf_ = 0, quote_ = 0;
};

// The first byte of s[p, n) that is `,`, `\n`, `\r` or `"`; n when there is none.
inline std::size_t find_stop(const char* s, std::size_t p, std::size_t n) {
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'),
                quote = _mm_set1_epi8('"');
  for (; p + 16 <= n; p += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + p));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, lf)),
                               _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, quote)));
    if (int mask = _mm_movemask_epi8(hit)) return p + static_cast<std::size_t>(__builtin_ctz(mask));
  }
#endif
  while (p < n && !kCsv.stop[static_cast<unsigned char>(s[p])]) ++p;
  return p;
}

}  // namespace

// Splits one CSV row of `text` starting at `p` (not a blank line) into `cells`, with the
// relative line of each cell's start in `lines`; `line` counts the line breaks passed.
// Cells are views into `text`, or into `arena` when unescaping changed them. Returns the
// position after the row, or npos when `text` ends inside a quoted field and is not `final`
// (when it is, the field ends at the end of the text).
std::size_t csv_row(std::string_view text, std::size_t p, bool final, detail::Arena& arena,
                    std::vector<std::string_view>& cells, std::vector<std::uint64_t>& lines, std::uint64_t& line) {
  cells.clear();
  lines.clear();
  const char* s = text.data();
  const std::size_t n = text.size();
  std::string buf;  // a cell being unescaped
  while (true) {
    lines.push_back(line);
    std::size_t begin = p;
    if (p < n && s[p] == '"') {
      // Quoted: up to the closing quote; `""` is a quote.
      ++p;
      bool copied = false;
      std::size_t seg = p;
      while (true) {
        const void* q = p < n ? std::memchr(s + p, '"', n - p) : nullptr;
        std::size_t e = q ? static_cast<std::size_t>(static_cast<const char*>(q) - s) : n;
        line += static_cast<std::uint64_t>(std::count(s + p, s + e, '\n'));
        if (!q) {  // the text ends inside the quotes
          if (!final) return std::string_view::npos;
          if (copied) buf.append(s + seg, n - seg);
          cells.push_back(copied ? arena.store(buf) : std::string_view(s + seg, n - seg));
          return n;
        }
        if (e + 1 < n && s[e + 1] == '"') {  // "" inside quotes
          if (!copied) buf.clear();
          copied = true;
          buf.append(s + seg, e + 1 - seg);
          p = seg = e + 2;
          continue;
        }
        // The closing quote. Anything up to the next delimiter is kept as written.
        if (copied) buf.append(s + seg, e - seg);
        std::size_t after = e + 1;
        if (after < n && s[after] != ',' && s[after] != '\n' &&
            !(s[after] == '\r' && after + 1 < n && s[after + 1] == '\n')) {
          if (!copied) buf.assign(s + seg, e - seg);
          copied = true;
          p = after;
          while (p < n && s[p] != ',' && s[p] != '\n' && !(s[p] == '\r' && p + 1 < n && s[p + 1] == '\n')) ++p;
          buf.append(s + after, p - after);
        } else {
          p = after;
        }
        cells.push_back(copied ? arena.store(buf) : std::string_view(s + seg, e - seg));
        break;
      }
    } else {
      // Unquoted: up to `,`, a line break or the end; a lone `\r` and a `"` are kept.
      while (true) {
        p = find_stop(s, p, n);
        if (p < n && (s[p] == '"' || (s[p] == '\r' && !(p + 1 < n && s[p + 1] == '\n')))) {
          ++p;
          continue;
        }
        break;
      }
      cells.push_back(std::string_view(s + begin, p - begin));
    }
    // After a cell: `,` starts the next one; a line break or the end ends the row.
    if (p >= n) return n;
    if (s[p] == ',') {
      ++p;
      continue;
    }
    if (s[p] == '\r') ++p;  // \r\n
    ++line;
    return p + 1;
  }
}

namespace {}  // namespace

// ---- ChunkSource ------------------------------------------------------------------------------

std::shared_ptr<std::string> ChunkSource::next(std::size_t target) {
  // A chunk is at least `target` bytes, up to and including the next line break (or the rest
  // of the file).
  auto out = std::make_shared<std::string>(std::move(carry_));
  carry_.clear();
  target = std::max<std::size_t>(target, 1);
  std::size_t from = target - 1;  // where to look for the line break (nothing before is looked at twice)
  while (true) {
    if (out->size() > from) {
      std::size_t cut = out->find('\n', from);
      if (cut != std::string::npos) {
        carry_.assign(*out, cut + 1);
        out->resize(cut + 1);
        break;
      }
      from = out->size();
    }
    if (eof_) break;
    std::size_t old = out->size();
    out->resize(old + target);
    in_.read(out->data() + old, static_cast<std::streamsize>(target));
    std::size_t got = static_cast<std::size_t>(in_.gcount());
    out->resize(old + got);
    if (got < target) eof_ = true;
    if (!started_) {
      started_ = true;
      if (out->starts_with("\xEF\xBB\xBF")) {  // a UTF-8 BOM
        out->erase(0, 3);
        consumed_ += 3;
      }
    }
  }
  consumed_ += out->size();
  return out;
}

// ---- Parser ----------------------------------------------------------------------------------

Parser::Parser(const Evaluator& ev, const ReadOptions& opt, std::string file, bool jsonl)
    : m_(LoaderAccess::impl_of_charter(ev.charter())), opt_(opt), file_(std::move(file)), jsonl_(jsonl) {
  for (const auto& f : m_.fields) allowed_.push_back(detail::ordinals_of(f));
  auto column_name = [&](const Field& f) {
    if (!opt_.crm.empty()) {
      auto it = f.source.find(opt_.crm);
      if (it != f.source.end()) return std::string(it->second);
    }
    return std::string(f.id);
  };
  for (const auto& f : m_.fields) names_.push_back(column_name(f));
  wanted_.assign(m_.fields.size(), opt_.fields.empty());
  for (const auto& id : opt_.fields)
    for (std::size_t f = 0; f < m_.fields.size(); ++f)
      if (m_.fields[f].id == id) wanted_[f] = true;
  if (jsonl_)
    for (std::size_t f = 0; f < names_.size(); ++f)
      if (wanted_[f]) json_field_of_key_.emplace(names_[f], f);
}

Diagnostic data_diagnostic(detail::Code code, const std::string& file, std::uint64_t line, int column,
                           std::string message) {
  const CodeInfo& ci = detail::info(code);
  Diagnostic d;
  d.code = std::string(ci.code);
  d.severity = ci.severity;
  d.message = std::move(message);
  d.span.file = file;
  d.span.line = static_cast<int>(line);
  d.span.column = column;
  d.span.end_line = static_cast<int>(line);
  d.span.end_column = column + 1;
  return d;
}

Diagnostic Parser::make(detail::Code code, std::uint64_t line, int column, std::string message) const {
  return data_diagnostic(code, file_, line, column, std::move(message));
}

Diagnostic Parser::finish(const Pending& p, std::uint64_t base_line, std::size_t base_record) const {
  return make(p.code, base_line + p.line, p.column, "record " + std::to_string(base_record + p.record + 1) + p.tail);
}

bool read_csv_header(ChunkSource& src, std::vector<std::string>& header, std::uint64_t& lines_taken,
                     std::uint64_t& header_line) {
  // The header is the first row; it may run over more than one chunk (quoted line breaks).
  std::string text;
  std::vector<std::string_view> cells;
  std::vector<std::uint64_t> lines;
  detail::Arena arena;
  std::size_t p = 0, end = std::string::npos;
  std::uint64_t line = 0, blank = 0;
  while (true) {
    bool final = src.at_end();
    if (!final) {
      text += *src.next(text.size() + 64 * 1024);  // (doubling: a huge header costs linear time)
      final = src.at_end();
    }
    p = 0;
    blank = 0;
    while (p < text.size() && (text[p] == '\n' || text[p] == '\r')) blank += text[p++] == '\n';
    if (p == text.size()) {
      if (!final) continue;
      return false;
    }
    line = blank;
    end = csv_row(text, p, final, arena, cells, lines, line);
    if (end != std::string::npos) break;
  }
  src.unread(std::string_view(text).substr(end));
  lines_taken = line;
  header_line = blank + 1;
  header.assign(cells.begin(), cells.end());
  return true;
}

bool Parser::read_header(ChunkSource& src, std::vector<Diagnostic>& diags) {
  if (jsonl_) return true;
  std::uint64_t header_line = 1;
  if (!read_csv_header(src, header_, header_lines_, header_line)) {
    diags.push_back(make(detail::Code::UnreadableData, 1, 1, "empty data file: no header row"));
    return false;
  }
  std::map<std::string, int, std::less<>> col;
  for (std::size_t i = 0; i < header_.size(); ++i) col.emplace(std::string(trim(header_[i])), static_cast<int>(i));
  auto id = col.find(opt_.id_column);
  if (id == col.end()) {
    diags.push_back(make(detail::Code::UnreadableData, header_line, 1,
                         "no id column `" + opt_.id_column + "` in the header (use --id to name it)"));
    return false;
  }
  id_column_ = id->second;
  column_of_field_.assign(m_.fields.size(), -1);
  for (std::size_t f = 0; f < m_.fields.size(); ++f) {
    if (!wanted_[f]) continue;  // (not asked for: null, no warning)
    auto it = col.find(names_[f]);
    if (it != col.end())
      column_of_field_[f] = it->second;
    else
      diags.push_back(make(
          detail::Code::MissingColumn, header_line, 1,
          "no column `" + names_[f] + "` for field " + std::string(m_.fields[f].id) + ": it is null in every record"));
  }
  return true;
}

void Parser::parse(std::shared_ptr<const std::string> text, bool final, Parsed& out) const {
  out.batch.clear();
  out.pending.clear();
  out.records = out.rejected = 0;
  out.lines = 0;
  out.runs_on.reset();
  BatchAccess::impl(out.batch).source = text;
  if (jsonl_)
    parse_jsonl(*text, out);
  else
    parse_csv(*text, final, out);
}

void Parser::parse_csv(std::string_view text, bool final, Parsed& out) const {
  Batch::Impl& b = BatchAccess::impl(out.batch);
  const std::size_t ncols = header_.size(), nfields = m_.fields.size();
  // 1. Split the rows. A row with the header's number of cells goes to the grid; a ragged
  //    one is reported.
  std::vector<std::string_view>& grid = out.grid;
  std::vector<std::uint64_t>& row_lines = out.row_lines;
  std::vector<std::size_t>& row_record = out.row_record;
  row_lines.clear();
  row_record.clear();
  out.multiline.clear();
  out.cell_lines.clear();
  // 2. Type the cells column by column (one loop per field type), a block of rows at a time
  //    while its cells and text are still in the cache.
  std::vector<BadCell> bad;
  std::size_t typed = 0;  // rows of the batch typed
  // The grid is a buffer of cells; its first `used` are the rows not typed yet.
  std::size_t used = 0;
  auto room = [&](std::size_t need) {
    if (grid.size() < used + need) grid.resize(std::max(2 * grid.size(), used + need));
  };
  auto flush = [&] {
    const std::size_t k = used / ncols;
    if (k == 0) return;
    b.reserve(typed + k);
    for (std::size_t f = 0; f < nfields; ++f) {
      detail::Column& c = b.cols[f];
      int ci = column_of_field_[f];
      if (ci < 0) {
        std::fill(c.null.begin() + static_cast<std::ptrdiff_t>(typed),
                  c.null.begin() + static_cast<std::ptrdiff_t>(typed + k), 1);
        continue;
      }
      auto col = static_cast<std::size_t>(ci);
      const Field& fd = m_.fields[f];
      const auto& tz = opt_.timezone;
      const auto& al = allowed_[f];
      with_type(fd.type,
                [&](auto t) { parse_column<decltype(t)::value>(fd, f, al, grid, ncols, col, typed, k, tz, c, bad); });
    }
    const auto id_col = static_cast<std::size_t>(id_column_);
    for (std::size_t g = 0; g < k; ++g) b.ids[typed + g] = grid[g * ncols + id_col];
    typed += k;
    used = 0;
  };
  const std::size_t block = std::max<std::size_t>(1, 8192 / std::max<std::size_t>(ncols, 1));  // cells a block
  std::vector<std::string_view> cells;
  std::vector<std::uint64_t> lines;
  std::uint64_t line = 0;
  std::size_t p = 0;
  UnquotedRows rows(text);
  while (true) {
    while (p < text.size() && (text[p] == '\n' || text[p] == '\r')) line += text[p++] == '\n';  // blank lines
    if (p >= text.size()) break;
    std::uint64_t row_line = line;
    std::size_t row_start = p;
    // A row without quotes (most): its cells are the pieces between commas, found 16 bytes
    // at a time, straight into the grid; a quote anywhere sends the row to csv_row.
    room(ncols + 16);
    long got;
    while ((got = rows.next(p, grid.data() + used, grid.size() - used)) == UnquotedRows::kNeedRoom)
      room(2 * (grid.size() - used));
    if (got >= 0) {
      std::size_t record = out.records++;
      if (static_cast<std::size_t>(got) != ncols) {
        out.pending.push_back({detail::Code::RaggedRow, row_line, 1, record,
                               " has " + std::to_string(got) + " fields; the header has " + std::to_string(ncols), 0});
        ++out.rejected;
        continue;
      }
      used += ncols;
      row_lines.push_back(row_line);
      row_record.push_back(record);
      if (used >= block * ncols) flush();
      continue;
    }
    std::size_t end = csv_row(text, p, final, b.arena, cells, lines, line);
    if (end == std::string::npos) {
      out.runs_on = row_start;
      line = row_line;
      break;
    }
    p = end;
    std::size_t record = out.records++;
    if (cells.size() != ncols) {
      out.pending.push_back(
          {detail::Code::RaggedRow, row_line, 1, record,
           " has " + std::to_string(cells.size()) + " fields; the header has " + std::to_string(ncols), 0});
      ++out.rejected;
      continue;
    }
    if (lines.back() != row_line) {
      out.multiline.emplace_back(row_record.size(), out.cell_lines.size());
      out.cell_lines.insert(out.cell_lines.end(), lines.begin(), lines.end());
    }
    room(ncols);
    std::copy(cells.begin(), cells.end(), grid.begin() + static_cast<std::ptrdiff_t>(used));
    used += ncols;
    row_lines.push_back(row_line);
    row_record.push_back(record);
    if (used >= block * ncols) flush();
  }
  out.lines = line;
  flush();
  const std::size_t n = typed;
  b.rows = n;
  if (bad.empty() && out.pending.empty()) return;

  // 3. Rows with a bad cell out; every diagnostic in input order (by record, then field),
  //    with the number of valid rows before it.
  std::vector<char> rejected(n, 0);
  for (const auto& x : bad) {
    if (!rejected[x.row]) ++out.rejected;
    rejected[x.row] = 1;
    auto col = static_cast<std::size_t>(column_of_field_[x.field]);
    std::uint64_t cell_line = row_lines[x.row];
    auto ml = std::lower_bound(out.multiline.begin(), out.multiline.end(), std::make_pair(x.row, std::size_t{0}));
    if (ml != out.multiline.end() && ml->first == x.row) cell_line = out.cell_lines[ml->second + col];
    out.pending.push_back({detail::Code::BadCell, cell_line, static_cast<int>(col) + 1, row_record[x.row],
                           ", column \"" + header_[col] + "\": " + x.message, 0});
  }
  std::stable_sort(out.pending.begin(), out.pending.end(),
                   [](const Pending& a, const Pending& b) { return a.record < b.record; });
  std::size_t kept = 0, r = 0;
  for (auto& pend : out.pending) {
    for (; r < n && row_record[r] < pend.record; ++r) kept += !rejected[r];
    pend.rows_before = kept;
  }
  if (bad.empty()) return;
  std::size_t w = 0;
  for (std::size_t k = 0; k < n; ++k) {
    if (rejected[k]) continue;
    if (w != k) {
      b.ids[w] = b.ids[k];
      for (auto& c : b.cols) c.move_row(k, w);
    }
    ++w;
  }
  b.rows = w;
}

void Parser::parse_jsonl(std::string_view text, Parsed& out) const {
  Batch::Impl& b = BatchAccess::impl(out.batch);
  std::string joined, str;
  out.lines = data::for_each_line(text, [&](std::string_view t, std::uint64_t row_line) {
    std::size_t record = out.records++;
    auto j = nlohmann::json::parse(t, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      out.pending.push_back({detail::Code::UnreadableData, row_line, 1, record, ": not a JSON object", b.rows});
      ++out.rejected;
      return;
    }
    std::size_t r = b.rows;
    b.reserve(r + 1);
    b.null_row(r);
    bool bad = false;
    std::size_t key_no = 0;
    for (auto it = j.begin(); it != j.end(); ++it) {
      ++key_no;
      auto fit = json_field_of_key_.find(it.key());
      if (fit == json_field_of_key_.end()) continue;
      std::size_t fi = fit->second;
      const Field& f = m_.fields[fi];
      detail::Column& c = b.cols[fi];
      const auto& v = it.value();
      std::string err;
      if (v.is_null()) {
        c.null[r] = 1;
      } else if (v.is_boolean() && f.type == FieldType::Boolean) {
        c.null[r] = 0;
        c.i[r] = v.get<bool>();
      } else if (v.is_number_integer() && f.type == FieldType::Integer) {
        c.null[r] = 0;
        c.i[r] = v.get<std::int64_t>();
      } else if (v.is_number() && f.type == FieldType::Number) {
        c.null[r] = 0;
        c.d[r] = v.get<double>();
      } else if (v.is_array() && f.type == FieldType::List) {
        joined.clear();
        for (const auto& item : v) {
          if (!item.is_string()) {
            err = "list items must be strings";
            break;
          }
          joined += item.get<std::string>() + ";";
        }
        if (err.empty()) err = parse_cell(f, allowed_[fi], b.arena.store(joined), opt_.timezone, c, r, c.items);
      } else if (v.is_string()) {
        err = parse_cell(f, allowed_[fi], b.arena.store(v.get_ref<const std::string&>()), opt_.timezone, c, r, c.items);
      } else {
        err = std::string("a JSON ") + v.type_name() + " is not a " + to_string(f.type);
      }
      if (!err.empty()) {
        out.pending.push_back({detail::Code::BadCell, row_line, static_cast<int>(key_no), record,
                               ", key \"" + it.key() + "\": " + err, b.rows});
        bad = true;
      }
    }
    if (bad) {
      ++out.rejected;
      return;
    }
    auto idv = j.find(opt_.id_column);
    if (idv == j.end() || idv->is_null()) {
      out.pending.push_back(
          {detail::Code::UnreadableData, row_line, 1, record, ": no `" + opt_.id_column + "` key", b.rows});
      ++out.rejected;
      return;
    }
    b.ids[r] = b.arena.store(idv->is_string() ? idv->get_ref<const std::string&>() : idv->dump());
    ++b.rows;
  });
}

// ---- Cursor ----------------------------------------------------------------------------------

bool Cursor::take(const std::shared_ptr<const std::string>& text, bool final, Parsed& p, std::vector<Diagnostic>& diags,
                  std::vector<std::size_t>& rows, std::vector<std::size_t>& records) {
  diags.clear();
  rows.clear();
  records.clear();
  std::shared_ptr<const std::string> parsed = text;
  if (!run_on_.empty()) {
    // The previous chunk's last record runs on into this one: parse them again together
    // (once the text has doubled since the last try, so a huge field is not parsed again
    // for every chunk).
    run_on_ += *text;
    if (!final && run_on_.size() < 2 * last_attempt_) {
      p.batch.clear();
      p.pending.clear();
      p.result = {};
      return false;
    }
    parsed = std::make_shared<const std::string>(std::move(run_on_));
    run_on_.clear();
    parser_.parse(parsed, final, p);
    if (now_) ev_.evaluate(p.batch, *now_, p.result);
  }
  if (p.runs_on) {
    run_on_.assign(*parsed, *p.runs_on);
    last_attempt_ = run_on_.size();
  }
  for (const auto& pend : p.pending) {
    diags.push_back(parser_.finish(pend, line_, record_));
    rows.push_back(pend.rows_before);
    records.push_back(record_ + pend.record + 1);
  }
  line_ += p.lines;
  record_ += p.records;
  return true;
}

}  // namespace data

namespace fs = std::filesystem;

// ---- RecordReader ------------------------------------------------------------------------------

struct RecordReader::Impl {
  Impl(const Evaluator& e, const fs::path& path, ReadOptions o)
      : ev(e), file(detail::display_path(path)), src(path), parsed(e) {
    std::string ext = path.extension().string();
    for (auto& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    bool jsonl = o.format == ReadOptions::Format::Jsonl ||
                 (o.format == ReadOptions::Format::Auto && (ext == ".jsonl" || ext == ".ndjson"));
    parser = std::make_unique<data::Parser>(e, o, file, jsonl);
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      diags.push_back(parser->make(detail::Code::UnreadableData, 0, 0, "`" + file + "` is a directory"));
      failed = true;
      return;
    }
    if (!src.is_open()) {
      diags.push_back(parser->make(detail::Code::UnreadableData, 0, 0, "`" + file + "` cannot be opened"));
      failed = true;
      return;
    }
    if (!parser->read_header(src, diags)) {
      failed = true;
      return;
    }
    cursor = std::make_unique<data::Cursor>(*parser, e, nullptr);
  }

  // The next record; its chunk's diagnostics are handed out in step with the records.
  bool next(Record& record, std::string& id) {
    while (true) {
      while (k < chunk_diags.size() && chunk_rows[k] <= row) diags.push_back(std::move(chunk_diags[k++]));
      if (row < parsed.batch.size()) {
        parsed.batch.get(row, record);
        id.assign(parsed.batch.id(row));
        ++row;
        ++read;
        return true;
      }
      if (done) return false;
      auto text = src.next(1 << 20);
      bool final = src.at_end();
      parser->parse(text, final, parsed);
      k = 0;
      if (cursor->take(text, final, parsed, chunk_diags, chunk_rows, chunk_records)) rejected += parsed.rejected;
      row = 0;
      if (final) done = true;
    }
  }

  const Evaluator& ev;
  std::string file;
  data::ChunkSource src;
  std::unique_ptr<data::Parser> parser;
  std::unique_ptr<data::Cursor> cursor;
  data::Parsed parsed;
  std::size_t row = 0;
  std::vector<Diagnostic> diags;
  std::vector<Diagnostic> chunk_diags;  // of the current chunk, from index k on not yet handed out
  std::vector<std::size_t> chunk_rows, chunk_records;
  std::size_t k = 0;
  std::size_t read = 0, rejected = 0;
  bool failed = false, done = false;
};

RecordReader::RecordReader(const Evaluator& evaluator, const fs::path& path, ReadOptions options)
    : impl_(std::make_unique<Impl>(evaluator, path, std::move(options))) {}

RecordReader::~RecordReader() = default;

bool RecordReader::next(Record& record, std::string& id) { return !impl_->failed && impl_->next(record, id); }

const std::vector<Diagnostic>& RecordReader::diagnostics() const noexcept { return impl_->diags; }
std::vector<Diagnostic> RecordReader::take_diagnostics() { return std::exchange(impl_->diags, {}); }
std::size_t RecordReader::records_read() const noexcept { return impl_->read; }
std::size_t RecordReader::records_rejected() const noexcept { return impl_->rejected; }
bool RecordReader::failed() const noexcept { return impl_->failed; }
std::uint64_t RecordReader::bytes_read() const noexcept { return impl_->src.consumed(); }

}  // namespace charter

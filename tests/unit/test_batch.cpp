// Batches and parallel scans. Evaluator::evaluate(Batch) must give exactly what the
// per-record evaluator gives, on thousands of generated records and a charter that uses every
// operator of the criteria language; the Batch API must round-trip every type and reject
// misuse; scan_records must give exactly the records, diagnostics and counts of RecordReader
// on CSV and JSON Lines edge cases, whatever the chunk size and the number of threads.
#define BOOST_TEST_MODULE charter_batch
#include <charter/evaluate.hpp>
#include <charter/records.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <limits>
#include <set>
#include <span>
#include <thread>

#include "common.hpp"

using namespace charter;
namespace fs = std::filesystem;

namespace {

using I64 = std::int64_t;
using Strings = std::vector<std::string>;
constexpr I64 kMax = std::numeric_limits<I64>::max();
constexpr I64 kMin = std::numeric_limits<I64>::min();

DatetimeValue dt(std::string_view text) {
  auto v = parse_datetime(text);
  if (!v) throw std::runtime_error("bad datetime in the test: " + std::string(text));
  return *v;
}

// A value as text, with its type (`i:5` is an integer, `d:5` a number); strings escaped.
// Two values are the same exactly when their texts are (doubles are printed exactly).
std::string show(const Value& v) {
  struct S {
    std::string operator()(std::monostate) const { return "null"; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(I64 i) const { return "i:" + std::to_string(i); }
    std::string operator()(double d) const {
      char buf[64];
      std::snprintf(buf, sizeof buf, "d:%.17g", d);
      return buf;
    }
    std::string operator()(const std::string& s) const {
      std::string out = "\"";
      out.reserve(s.size() + 2);
      std::size_t b = 0;
      for (std::size_t e; (e = s.find_first_of("\n\r\"\\", b)) != std::string::npos; b = e + 1) {
        out.append(s, b, e - b);
        out += s[e] == '\n' ? "\\n" : s[e] == '\r' ? "\\r" : s[e] == '"' ? "\\\"" : "\\\\";
      }
      out.append(s, b);
      return out + "\"";
    }
    std::string operator()(const Date& d) const {
      char buf[48];
      std::snprintf(buf, sizeof buf, "date:%04d-%02d-%02d", d.year, d.month, d.day);
      return buf;
    }
    std::string operator()(const DatetimeValue& t) const {
      return "datetime:" + std::to_string(t.epoch_seconds) + "@" + std::to_string(t.offset_minutes);
    }
    std::string operator()(const Strings& l) const {
      std::string out = "list[";
      for (std::size_t i = 0; i < l.size(); ++i) out += (i ? "," : "") + (*this)(l[i]);
      return out + "]";
    }
  };
  return std::visit(S{}, v);
}

std::string clip(const std::string& s, std::size_t n = 300) {
  return s.size() <= n ? s : s.substr(0, n) + "... (" + std::to_string(s.size()) + " chars)";
}

std::string describe(const Diagnostic& d) {
  std::ostringstream os;
  os << d.span.file << ":" << d.span.line << ":" << d.span.column << "-" << d.span.end_line << ":" << d.span.end_column
     << " " << to_string(d.severity) << "[" << d.code << "] " << d.message;
  return os.str();
}

// Fails the current test with the first difference between two sequences (and the sizes).
void same_sequence(const std::vector<std::string>& want, const std::vector<std::string>& got, const std::string& what) {
  if (want == got) return;
  std::size_t i = 0;
  while (i < want.size() && i < got.size() && want[i] == got[i]) ++i;
  BOOST_ERROR(what << ": " << got.size() << " items, expected " << want.size() << "; first difference at index " << i
                   << "\n  expected: " << (i < want.size() ? clip(want[i]) : "(nothing)")
                   << "\n  got:      " << (i < got.size() ? clip(got[i]) : "(nothing)"));
}

// A deterministic generator (raw mt19937_64 output: the same on every standard library).
class Gen {
 public:
  explicit Gen(std::uint64_t seed) : rng_(seed) {}
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(rng_() % n); }
  bool chance(unsigned percent) { return below(100) < percent; }
  I64 any_i64() { return static_cast<I64>(rng_()); }
  I64 range(I64 lo, I64 hi) { return lo + static_cast<I64>(below(static_cast<std::size_t>(hi - lo + 1))); }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }

 private:
  std::mt19937_64 rng_;
};

// ---- part 1: batch vs per-record evaluation ---------------------------------------------------

// Fields of every type; scores and criteria that, together, use every operator of the
// criteria language; stages whose entries are criteria and expressions.
const char* kAllOperators = R"(charter: 1
fields:
  - { id: size, type: integer }
  - { id: opens, type: integer }
  - { id: revenue, type: number }
  - { id: country, type: string, values: [US, CA, DE, CN, FR] }
  - { id: title, type: string }
  - { id: email, type: string }
  - { id: demo, type: boolean }
  - { id: unsubscribed, type: boolean }
  - { id: trial, type: date }
  - { id: seen, type: datetime }
  - { id: created, type: datetime }
  - { id: products, type: list, values: [analytics, crm, cms] }
scores:
  - id: fit
    max: 50
    rules:
      - { when: size between 200 and 5000, points: 25 }
      - { when: 'title matches "(?i)\b(vp|director|head of|chief)\b"', points: 30 }
      - { when: 'country in ["US", "CA", "DE"]', points: 12.5 }
      - { when: free_email, points: -20 }
      - { when: revenue >= 1000000, points: 0.25 }
  - id: engagement
    rules:
      - { when: demo, points: 40 }
      - { when: trial is not null, points: 20 }
      - { when: opens >= 5, points: 10 }
      - { when: 'products contains "analytics"', points: 5.5 }
      - { when: seen >= now - 7d, points: 10 }
      - { when: seen < now - 90d, points: -30 }
      - { when: recent_trial, points: 7.75 }
criteria:
  - id: free_email
    when: 'email matches "(?i)@(gmail|yahoo|hotmail)\.(com|de)$"'
  - id: any_signal
    when: demo or size > 1000 or revenue >= 1000000.5 or opens > 20
  - id: icp
    when: 'size >= 50 and country in ["US", "CA", "DE"] and not free_email and revenue > 0'
  - { id: not_demo, when: not demo }
  - { id: double_not, when: not not unsubscribed }
  - { id: neg_opens, when: -opens < -10 }
  - { id: neg_revenue, when: -revenue >= 2.5 }
  - { id: neg_literal, when: size > -5 }
  - { id: eq_string, when: country == "DE" }
  - { id: ne_string, when: country != "US" }
  - { id: eq_names, when: title == email }
  - { id: ne_title, when: title != "CEO" }
  - { id: eq_empty, when: title == "" }
  - { id: eq_bool, when: demo == true }
  - { id: ne_bool, when: demo != unsubscribed }
  - { id: eq_mixed, when: size == revenue }
  - { id: ne_mixed, when: opens != revenue }
  - { id: eq_date, when: trial == 2026-02-28 }
  - { id: ne_datetime, when: seen != created }
  - { id: eq_datetime_literal, when: seen == 2026-11-28T13:00:00+01:00 }
  - { id: lt_number, when: revenue < 0 }
  - { id: le_integer, when: size <= 50 }
  - { id: gt_date, when: trial > 2026-06-01 }
  - { id: ge_datetime, when: seen >= 2026-11-01T00:00:00+01:00 }
  - { id: in_strings, when: 'country in ["US", "CA"]' }
  - { id: not_in_strings, when: 'country not in ["DE", "CN"]' }
  - { id: in_free_strings, when: 'title in ["CEO", "CTO", ""]' }
  - { id: in_with_name, when: 'title in ["CEO", email]' }
  - { id: in_numbers, when: 'size in [1, 2, 100, 2.5, -1]' }
  - { id: not_in_numbers, when: 'revenue not in [0, 1.5, 1000, -3]' }
  - { id: not_in_integers, when: 'opens not in [0, 1]' }
  - { id: in_dates, when: 'trial in [2026-02-28, 2024-02-29]' }
  - { id: in_empty, when: 'size in []' }
  - { id: not_in_empty, when: 'country not in []' }
  - { id: btw_integer, when: size between 10 and 200 }
  - { id: btw_number, when: revenue between -100 and 100.5 }
  - { id: btw_mixed, when: opens between 0.5 and size }
  - { id: btw_datetime, when: seen between now - 7d and now }
  - { id: btw_date, when: trial between 2026-01-01 and 2026-12-31 }
  - { id: products_null, when: products is null }
  - { id: products_set, when: products is not null }
  - { id: title_null, when: title is null }
  - { id: revenue_set, when: revenue is not null }
  - { id: null_literal, when: null is null and not (null is not null) }
  - { id: senior, when: 'title matches "(?i)\b(vp|director|head)\b"' }
  - { id: starts_c, when: 'title matches "^C"' }
  - { id: empty_pattern, when: 'email matches ""' }
  - { id: has_crm, when: 'products contains "crm"' }
  - { id: title_sales, when: 'title contains "Sales"' }
  - { id: title_has_email, when: title contains email }
  - { id: head, when: 'title starts_with "Head"' }
  - { id: de_mail, when: 'email ends_with ".de"' }
  - { id: sum_big, when: size + opens > 100 }
  - { id: diff_neg, when: size - opens < 0 }
  - { id: overflow_mul, when: size * 10 > 9000000000000000000.0 }
  - { id: overflow_square, when: size * size >= 0 }
  - { id: overflow_add, when: size + opens < -9000000000000000000.0 or size + opens > 9000000000000000000.0 }
  - { id: overflow_sub, when: size - opens > 9000000000000000000.0 }
  - { id: ratio, when: revenue / size > 1000 }
  - { id: real_div, when: size / 4 == 2.5 }
  - { id: div_zero_literal, when: (revenue / 0) is null }
  - { id: div_zero_field, when: (size / opens) is null }
  - { id: div_chain, when: size / opens * 2 >= 1 }
  - { id: null_arith, when: (size + revenue) is null }
  - { id: pct, when: revenue * 10% >= 100 }
  - { id: pct_int, when: opens >= 50% * size }
  - { id: recent, when: seen >= now - 30d }
  - { id: trial_window, when: trial + 14d >= 2026-11-20 }
  - { id: trial_weeks, when: trial - 2w < 2026-01-01 }
  - { id: dur_plus_date, when: 14d + trial <= 2026-12-01 }
  - { id: dt_minus_hours, when: seen - 12h > 2026-11-01T00:00Z }
  - { id: dt_diff, when: now - seen < 7d }
  - { id: dur_plus_dt, when: 90m + seen > now }
  - { id: dur_sum, when: 8h + 30m < now - seen }
  - { id: neg_dur, when: -(now - seen) > -1d }
  - { id: date_diff, when: trial - 2026-01-01 > 30d }
  - { id: date_plus_var, when: trial + (seen - now) >= 2026-11-01 }
  - { id: created_first, when: seen - created >= 1h }
  - { id: fit_high, when: fit >= 40 }
  - { id: engagement_low, when: engagement < 0 }
  - { id: score_sum, when: fit + engagement > 60.5 }
  - { id: recent_trial, when: trial is not null and trial >= 2026-10-01 }
  - { id: mql, when: icp and fit >= 30 and recent and not unsubscribed }
  - { id: hot, when: mql and (demo or has_crm) or any_signal and senior }
funnel:
  stages:
    - { id: subscriber }
    - { id: lead, entry: email is not null }
    - { id: marketing, entry: mql }
    - { id: sales, entry: mql and (demo or overflow_mul) }
    - { id: opportunity }
    - { id: customer, entry: 'country == "CN" and unsubscribed and fit > 10' }
)";

const DatetimeValue kNow = dt("2026-11-28T12:00:00Z");

// Random values for a field, with many nulls and edge values. Only `size` gets INT64_MIN: the
// charter negates `opens`, and -INT64_MIN overflows.
Value random_value(Gen& g, std::string_view id, FieldType type) {
  if (g.chance(25)) return std::monostate{};
  switch (type) {
    case FieldType::Integer: {
      // Around the comparisons of the charter, and where `* 10`, `* size` and `+` overflow.
      // clang-format off
      static const std::vector<I64> edges{
          0, 1, -1, 2, 4, 5, 10, 11, 20, 21, 49, 50, 51, 100, 199, 200, 1000, 1001, 5000,
          kMax, kMax - 1, kMin + 1, kMax / 10, kMax / 10 + 1,
          900000000000000000, 900000000000000001, 1000000000000000000, -1000000000000000000,
          3037000499, 3037000500, -3037000500, 4611686018427387904, -4611686018427387904};
      // clang-format on
      switch (g.below(4)) {
        case 0: return g.pick(edges);
        case 1: return id == "size" && g.chance(20) ? kMin : g.range(-50, 300);
        case 2: return g.range(-5, 30);
        default: {
          I64 v = g.any_i64();
          return v == kMin ? I64{0} : v;
        }
      }
    }
    case FieldType::Number: {
      // clang-format off
      static const std::vector<double> edges{
          0.0, -0.0, 0.5, 1.5, 2.5, -2.5, -3, 100.5, 100.50000000000001, -100, 1000, 1000.5, 1000000, 1000000.5,
          1e300, -1e300, 5e-324, std::numeric_limits<double>::max(), -std::numeric_limits<double>::max(),
          9223372036854775807.0, 50, 200, 10};
      // clang-format on
      switch (g.below(4)) {
        case 0: return g.pick(edges);
        case 1: return static_cast<double>(g.range(-200, 20000)) / 4;
        case 2: return g.range(-10, 300);  // an integer for a number field: stored as a number
        default: return static_cast<double>(g.any_i64()) / 1024;
      }
    }
    case FieldType::String: {
      static const Strings countries{"US", "CA", "DE", "CN", "FR", "de", "", "XX", "US "};
      static const Strings titles{"",
                                  "CEO",
                                  "CTO",
                                  "VP Sales",
                                  "SVP of Sales",
                                  "vp",
                                  "Head of Marketing",
                                  "head of sales",
                                  "Director, EMEA",
                                  "Sales Director",
                                  "Chief Revenue Officer",
                                  "C",
                                  "intern",
                                  "a@gmail.com",
                                  "Grüße VP, \"Ünïcödé\"",
                                  "two\nlines Head",
                                  "Sales\r\nDirector",
                                  std::string(300, 'x') + " director"};
      static const Strings emails{
          "",    "a@gmail.com", "b@YAHOO.de",    "c@acme.de", "d@acme.example", "e@hotmail.com.evil",
          "CEO", "@",           "x@gmail.com\n", "Sales"};
      if (id == "country") return g.pick(countries);
      if (id == "email") return g.pick(emails);
      return g.pick(titles);
    }
    case FieldType::Boolean: return g.chance(50);
    case FieldType::Date: {
      static const std::vector<Date> edges{{2026, 2, 28},  {2024, 2, 29}, {2026, 1, 1},   {2025, 12, 31},
                                           {2026, 11, 6},  {2026, 11, 5}, {2026, 12, 31}, {2026, 10, 1},
                                           {2026, 9, 30},  {2026, 1, 15}, {2026, 1, 31},  {2026, 2, 1},
                                           {2026, 11, 17}, {1970, 1, 1},  {1, 1, 1},      {9999, 12, 31}};
      if (g.chance(40)) return g.pick(edges);
      static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
      int m = static_cast<int>(g.range(1, 12));
      return Date{static_cast<int>(g.range(2024, 2027)), m, static_cast<int>(g.range(1, mdays[m - 1]))};
    }
    case FieldType::Datetime: {
      const I64 now = kNow.epoch_seconds;
      // Now, and one second either side of the windows of the charter (30d, 7d, 90d, 90m, 1d, 8h30m).
      // clang-format off
      static const std::vector<I64> deltas{
          0, -1, 1, -30 * 86400, -30 * 86400 - 1, -7 * 86400, -7 * 86400 + 1, -90 * 86400, -90 * 86400 - 1,
          -5400, -5401, -5399, -86400, -86400 - 1, -30600, -30601, -3600, 1000000000, -10000000000};
      // clang-format on
      DatetimeValue v;
      v.epoch_seconds = g.chance(40) ? now + g.pick(deltas) : now + g.range(-200 * 86400, 30 * 86400);
      static const std::vector<int> offsets{0, 0, 60, -330, 120, 345};
      v.offset_minutes = g.pick(offsets);
      if (g.chance(5)) v = dt("2026-11-28T13:00:00+01:00");
      if (g.chance(3)) v = dt("2026-11-01T00:00:00+01:00");
      return v;
    }
    case FieldType::List: {
      static const std::vector<Strings> lists{
          {}, {"crm"}, {"analytics", "crm"}, {"cms", "cms"}, {"CRM"}, {"analytics", "crm", "cms"}, {"other"}, {""}};
      return g.pick(lists);
    }
  }
  return std::monostate{};
}

struct Differential {
  Differential() : loaded(test::load(kAllOperators)) {
    BOOST_TEST_REQUIRE(loaded.ok(), test::dump(loaded));
    ev = std::make_unique<Evaluator>(loaded.charter());
    for (const auto& f : loaded.charter().fields()) {
      ids.emplace_back(f.id);
      types.push_back(f.type);
      BOOST_TEST_REQUIRE(ev->field_index(f.id).value() == ids.size() - 1);
    }
  }

  // `n` generated rows: the values of every field.
  std::vector<std::vector<Value>> generate(std::size_t n, std::uint64_t seed) const {
    Gen g(seed);
    std::vector<std::vector<Value>> rows(n);
    for (auto& row : rows)
      for (std::size_t f = 0; f < ids.size(); ++f) row.push_back(random_value(g, ids[f], types[f]));
    return rows;
  }

  std::string describe_row(const std::vector<Value>& row) const {
    std::string out;
    for (std::size_t f = 0; f < ids.size(); ++f) out += "\n    " + ids[f] + " = " + clip(show(row[f]), 120);
    return out;
  }

  // Compares `res` (a batch evaluation of `rows`) with the per-record evaluator, row by row;
  // reports the first few differences and returns how many rows differ.
  std::size_t compare(const std::vector<std::vector<Value>>& rows, const BatchResult& res, const DatetimeValue& now,
                      const std::string& what) const {
    const Charter& c = ev->charter();
    BOOST_TEST_REQUIRE(res.size == rows.size(), what);
    BOOST_TEST_REQUIRE(res.scores.size() == c.scores().size(), what);
    BOOST_TEST_REQUIRE(res.criteria.size() == c.criteria().size(), what);
    BOOST_TEST_REQUIRE(res.stage.size() == rows.size(), what);
    for (const auto& s : res.scores) BOOST_TEST_REQUIRE(s.size() == rows.size(), what);
    for (const auto& k : res.criteria) BOOST_TEST_REQUIRE(k.size() == rows.size(), what);
    std::size_t bad_rows = 0;
    Record rec = ev->record();
    Evaluation e;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      rec.clear();
      for (std::size_t f = 0; f < ids.size(); ++f) rec.set(f, rows[r][f]);
      ev->evaluate(rec, now, e);
      std::string diff;
      for (std::size_t i = 0; i < e.scores.size(); ++i)
        if (!(e.scores[i] == res.scores[i][r]))
          diff += "\n  score " + std::string(c.scores()[i].id) + ": batch " + show(res.scores[i][r]) + ", record " +
                  show(e.scores[i]);
      for (std::size_t i = 0; i < e.criteria.size(); ++i)
        if (res.criteria[i][r] != (e.criteria[i] ? 1 : 0))
          diff += "\n  criteria " + std::string(c.criteria()[i].id) + ": batch " +
                  std::to_string(int{res.criteria[i][r]}) + ", record " + (e.criteria[i] ? "1" : "0");
      std::int32_t stage = e.stage ? static_cast<std::int32_t>(*e.stage) : -1;
      if (res.stage[r] != stage)
        diff += "\n  stage: batch " + std::to_string(res.stage[r]) + ", record " + std::to_string(stage);
      if (!diff.empty()) {
        if (++bad_rows <= 8)
          BOOST_ERROR(what << ": row " << r << " differs:" << diff << "\n  values:" << describe_row(rows[r]));
      }
    }
    BOOST_TEST(bad_rows == 0u, what << ": " << bad_rows << " of " << rows.size() << " rows differ");
    return bad_rows;
  }

  // A batch filled cell by cell with Batch::set.
  Batch by_cells(const std::vector<std::vector<Value>>& rows) const {
    Batch b(*ev);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      BOOST_TEST_REQUIRE(b.add_row("row" + std::to_string(r)) == r);
      for (std::size_t f = 0; f < ids.size(); ++f) b.set(r, f, rows[r][f]);
    }
    return b;
  }

  // The same batch filled a column at a time (lists cell by cell: there is no list setter).
  // Null cells hold garbage under the mask, which must be ignored.
  Batch by_columns(const std::vector<std::vector<Value>>& rows) const {
    Batch b(*ev);
    for (std::size_t r = 0; r < rows.size(); ++r) b.add_row("row" + std::to_string(r));
    const std::size_t n = rows.size();
    for (std::size_t f = 0; f < ids.size(); ++f) {
      std::vector<std::uint8_t> null(n, 0);
      for (std::size_t r = 0; r < n; ++r) null[r] = std::holds_alternative<std::monostate>(rows[r][f]) ? 1 : 0;
      // Null marks are any non-zero byte.
      for (std::size_t r = 0; r < n; ++r)
        if (null[r] && r % 3 == 1) null[r] = static_cast<std::uint8_t>(r % 2 ? 0xFF : 7);
      switch (types[f]) {
        case FieldType::Integer: {
          std::vector<I64> v(n, 424242);
          for (std::size_t r = 0; r < n; ++r)
            if (auto* x = std::get_if<I64>(&rows[r][f])) v[r] = *x;
          b.set_integers(f, v, null);
          break;
        }
        case FieldType::Number: {
          std::vector<double> v(n, 777.25);
          for (std::size_t r = 0; r < n; ++r) {
            if (auto* x = std::get_if<double>(&rows[r][f])) v[r] = *x;
            if (auto* x = std::get_if<I64>(&rows[r][f])) v[r] = static_cast<double>(*x);
          }
          b.set_numbers(f, v, null);
          break;
        }
        case FieldType::Boolean: {
          std::vector<std::uint8_t> v(n, 1);
          for (std::size_t r = 0; r < n; ++r)
            if (auto* x = std::get_if<bool>(&rows[r][f])) v[r] = *x ? static_cast<std::uint8_t>(1 + r % 255) : 0;
          b.set_booleans(f, v, null);
          break;
        }
        case FieldType::String: {
          // The views point into a buffer that is overwritten after the call: the batch copies.
          std::vector<std::string> text(n, "garbage");
          for (std::size_t r = 0; r < n; ++r)
            if (auto* x = std::get_if<std::string>(&rows[r][f])) text[r] = *x;
          std::vector<std::string_view> v(text.begin(), text.end());
          b.set_strings(f, v, null);
          for (auto& t : text) std::fill(t.begin(), t.end(), '#');
          break;
        }
        case FieldType::Date: {
          std::vector<Date> v(n, Date{2000, 1, 1});
          for (std::size_t r = 0; r < n; ++r)
            if (auto* x = std::get_if<Date>(&rows[r][f])) v[r] = *x;
          b.set_dates(f, v, null);
          break;
        }
        case FieldType::Datetime: {
          std::vector<DatetimeValue> v(n, dt("2000-01-01T00:00:00Z"));
          for (std::size_t r = 0; r < n; ++r)
            if (auto* x = std::get_if<DatetimeValue>(&rows[r][f])) v[r] = *x;
          b.set_datetimes(f, v, null);
          break;
        }
        case FieldType::List:
          for (std::size_t r = 0; r < n; ++r) b.set(r, f, rows[r][f]);
          break;
      }
    }
    return b;
  }

  // Every cell of `b` as text (for comparing two batches, or a batch with the rows).
  std::vector<std::string> cells(const Batch& b) const {
    std::vector<std::string> out;
    for (std::size_t r = 0; r < b.size(); ++r)
      for (std::size_t f = 0; f < ids.size(); ++f)
        out.push_back("row " + std::to_string(r) + " " + ids[f] + " = " + show(b.get(r, f)));
    return out;
  }
  // The values the rows should read back as (integers in number fields become numbers).
  std::vector<std::string> cells(const std::vector<std::vector<Value>>& rows) const {
    std::vector<std::string> out;
    for (std::size_t r = 0; r < rows.size(); ++r)
      for (std::size_t f = 0; f < ids.size(); ++f) {
        Value v = rows[r][f];
        if (types[f] == FieldType::Number)
          if (auto* x = std::get_if<I64>(&v)) v = static_cast<double>(*x);
        out.push_back("row " + std::to_string(r) + " " + ids[f] + " = " + show(v));
      }
    return out;
  }

  LoadResult loaded;
  std::unique_ptr<Evaluator> ev;
  std::vector<std::string> ids;
  std::vector<FieldType> types;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(batch_vs_record)

BOOST_AUTO_TEST_CASE(every_operator_gives_the_same_scores_criteria_and_stage_row_by_row) {
  Differential d;
  auto rows = d.generate(4000, 20261128);
  Batch b = d.by_cells(rows);
  BOOST_TEST_REQUIRE(b.size() == rows.size());
  same_sequence(d.cells(rows), d.cells(b), "cells read back with Batch::get");
  BatchResult res;
  d.ev->evaluate(b, kNow, res);
  d.compare(rows, res, kNow, "batch set cell by cell, now = 2026-11-28T12:00:00Z");
  // Another time: `now` is an argument, never the clock.
  auto later = dt("2027-03-01T08:30:00+01:00");
  d.ev->evaluate(b, later, res);
  d.compare(rows, res, later, "the same batch, now = 2027-03-01T08:30:00+01:00");
}

BOOST_AUTO_TEST_CASE(holds_over_a_batch_agrees_with_holds_on_each_record) {
  Differential d;
  auto rows = d.generate(2000, 20261203);
  Batch b = d.by_cells(rows);
  const Charter& c = d.loaded.charter();
  std::vector<std::uint8_t> out;
  Record rec = d.ev->record();
  std::size_t held = 0;
  for (const auto& cr : c.criteria()) {
    d.ev->holds(cr.when, b, kNow, out);
    BOOST_TEST_REQUIRE(out.size() == rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
      b.get(r, rec);
      const bool want = d.ev->holds(cr.when, rec, kNow);
      held += want;
      BOOST_TEST((out[r] != 0) == want, "criteria " << cr.id << ", row " << r);
    }
  }
  BOOST_TEST(held > 0u);
}

BOOST_AUTO_TEST_CASE(the_generated_rows_exercise_every_criteria_both_ways) {
  // A differential test is only as good as its data: every criteria (but the constant ones)
  // holds on some rows and fails on others, every score takes several values, and rows land
  // in several stages.
  Differential d;
  auto rows = d.generate(4000, 20261128);
  Record rec = d.ev->record();
  const Charter& c = d.ev->charter();
  std::vector<std::size_t> holds(c.criteria().size(), 0);
  std::vector<std::set<double>> score_values(c.scores().size());
  std::set<int> stages;
  for (const auto& row : rows) {
    rec.clear();
    for (std::size_t f = 0; f < d.ids.size(); ++f) rec.set(f, row[f]);
    auto e = d.ev->evaluate(rec, kNow);
    for (std::size_t i = 0; i < holds.size(); ++i) holds[i] += e.criteria[i];
    for (std::size_t i = 0; i < score_values.size(); ++i) score_values[i].insert(e.scores[i]);
    stages.insert(e.stage ? static_cast<int>(*e.stage) : -1);
  }
  // `null is null`, `x in []` and `(revenue / 0) is null` hold, or fail, on every row.
  const std::set<std::string_view> constant{"null_literal", "in_empty", "div_zero_literal"};
  for (std::size_t i = 0; i < holds.size(); ++i) {
    std::string_view id = c.criteria()[i].id;
    if (constant.count(id)) continue;
    BOOST_TEST(holds[i] > 0u, "criteria " << id << " never holds");
    BOOST_TEST(holds[i] < rows.size(), "criteria " << id << " always holds");
  }
  for (std::size_t i = 0; i < score_values.size(); ++i)
    BOOST_TEST(score_values[i].size() >= 5u, "score " << c.scores()[i].id << " takes few values");
  BOOST_TEST(score_values[0].count(50.0) == 1u);  // capped at max
  BOOST_TEST(stages.size() >= 4u);
}

BOOST_AUTO_TEST_CASE(column_setters_give_the_same_batch_as_cell_by_cell) {
  Differential d;
  auto rows = d.generate(3000, 77);
  Batch cells = d.by_cells(rows);
  Batch columns = d.by_columns(rows);
  BOOST_TEST_REQUIRE(columns.size() == rows.size());
  same_sequence(d.cells(cells), d.cells(columns), "column setters vs Batch::set");
  BatchResult res;
  d.ev->evaluate(columns, kNow, res);
  d.compare(rows, res, kNow, "batch set by columns");
}

BOOST_AUTO_TEST_CASE(non_finite_numbers_set_through_the_api) {
  // CSV cannot hold them, but a program can: NaN compares false with everything, inf orders.
  Differential d;
  auto rows = d.generate(600, 5);
  const std::size_t revenue = d.ev->field_index("revenue").value();
  const double specials[] = {std::nan(""), std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity()};
  for (std::size_t r = 0; r < rows.size(); ++r)
    if (r % 2) rows[r][revenue] = specials[r % 3];
  Batch b = d.by_cells(rows);
  BatchResult res;
  d.ev->evaluate(b, kNow, res);
  d.compare(rows, res, kNow, "NaN and infinite revenue");
}

BOOST_AUTO_TEST_CASE(a_result_is_resized_when_reused_for_a_smaller_batch) {
  Differential d;
  auto rows = d.generate(1500, 9);
  BatchResult res;
  d.ev->evaluate(d.by_cells(rows), kNow, res);
  d.compare(rows, res, kNow, "1500 rows");
  rows.resize(37);
  d.ev->evaluate(d.by_cells(rows), kNow, res);
  d.compare(rows, res, kNow, "37 rows into the same result");
  rows.clear();
  d.ev->evaluate(d.by_cells(rows), kNow, res);
  d.compare(rows, res, kNow, "an empty batch into the same result");
}

BOOST_AUTO_TEST_CASE(one_evaluator_evaluates_batches_on_several_threads) {
  Differential d;
  auto rows = d.generate(2000, 31);
  Batch b = d.by_cells(rows);
  BatchResult want;
  d.ev->evaluate(b, kNow, want);
  std::vector<BatchResult> got(4);
  std::vector<std::thread> threads;
  for (auto& g : got)
    threads.emplace_back([&] {
      for (int i = 0; i < 3; ++i) d.ev->evaluate(b, kNow, g);
    });
  for (auto& t : threads) t.join();
  for (std::size_t t = 0; t < got.size(); ++t) {
    BOOST_TEST((got[t].scores == want.scores), "thread " << t);
    BOOST_TEST((got[t].criteria == want.criteria), "thread " << t);
    BOOST_TEST((got[t].stage == want.stage), "thread " << t);
  }
}

// -INT64_MIN is a signed overflow: like `+`, `-` and `*`, negation goes on in floating point
// (`-n` is `n * -1`), in both evaluators.
BOOST_AUTO_TEST_CASE(negating_the_smallest_integer_goes_on_as_a_number) {
  auto loaded = test::load(R"(charter: 1
fields:
  - { id: n, type: integer }
criteria:
  - { id: neg, when: -n > 0 }
  - { id: times_minus_one, when: n * -1 > 0 }
)");
  BOOST_TEST_REQUIRE(loaded.ok(), test::dump(loaded));
  Evaluator ev(loaded.charter());
  Record r = ev.record();
  r.set("n", kMin);
  auto e = ev.evaluate(r, kNow);
  BOOST_TEST(e.criteria[1]);
  BOOST_TEST(e.criteria[0]);
  Batch b(ev);
  b.add_row("min");
  b.set(0, "n", kMin);
  BatchResult res;
  ev.evaluate(b, kNow, res);
  BOOST_TEST(res.criteria[1][0] == 1);
  BOOST_TEST(res.criteria[0][0] == 1);
}

BOOST_AUTO_TEST_CASE(comparisons_with_the_null_literal_do_not_load) {
  // `x != null` is always false, so it is an error; `null is null` is the only use of it.
  auto loaded = test::load(
      "charter: 1\nfields:\n  - { id: country, type: string }\ncriteria:\n  - { id: a, when: country != null }\n");
  BOOST_TEST(test::has_code(loaded, "CH0510"), test::dump(loaded));
  BOOST_TEST(!loaded.ok());
}

BOOST_AUTO_TEST_SUITE_END()

// ---- part 2: the Batch API ---------------------------------------------------------------------

namespace {

const char* kSmall = R"(charter: 1
fields:
  - { id: size, type: integer }
  - { id: revenue, type: number }
  - { id: country, type: string, values: [US, DE] }
  - { id: title, type: string }
  - { id: demo, type: boolean }
  - { id: trial, type: date }
  - { id: seen, type: datetime }
  - { id: products, type: list, values: [crm, cms] }
scores:
  - id: fit
    max: 30
    rules:
      - { when: size >= 100, points: 20 }
      - { when: 'title contains "VP"', points: 15 }
criteria:
  - { id: big, when: size >= 100 }
  - { id: engaged, when: 'demo or products contains "crm" or seen >= now - 30d' }
  - { id: mql, when: big and engaged and trial is not null }
funnel:
  stages:
    - { id: lead }
    - { id: mql, entry: mql }
    - { id: sql, entry: mql and country == "DE" }
)";

struct Small {
  Small() : loaded(test::load(kSmall)) {
    BOOST_TEST_REQUIRE(loaded.ok(), test::dump(loaded));
    ev = std::make_unique<Evaluator>(loaded.charter());
  }
  std::size_t field(std::string_view id) const { return ev->field_index(id).value(); }
  std::size_t fields() const { return ev->charter().fields().size(); }
  LoadResult loaded;
  std::unique_ptr<Evaluator> ev;
};

bool is_null(const Value& v) { return std::holds_alternative<std::monostate>(v); }

}  // namespace

BOOST_AUTO_TEST_SUITE(batch_api)

BOOST_AUTO_TEST_CASE(rows_ids_and_cells_round_trip_for_every_type) {
  Small s;
  Batch b(*s.ev);
  BOOST_TEST(b.size() == 0u);
  std::string long_id(5000, 'x');
  BOOST_TEST(b.add_row("a") == 0u);
  BOOST_TEST(b.add_row("") == 1u);
  BOOST_TEST(b.add_row(long_id) == 2u);
  BOOST_TEST(b.add_row("Grüße, \"quoted\"\nid") == 3u);
  BOOST_TEST(b.size() == 4u);
  BOOST_TEST(b.id(0) == "a");
  BOOST_TEST(b.id(1) == "");
  BOOST_TEST(b.id(2) == long_id);
  BOOST_TEST(b.id(3) == "Grüße, \"quoted\"\nid");
  for (std::size_t r = 0; r < b.size(); ++r)
    for (std::size_t f = 0; f < s.fields(); ++f) BOOST_TEST(is_null(b.get(r, f)), "row " << r << " field " << f);

  // Every type, by id and by index; edge values stay exactly what was set.
  const std::vector<std::pair<std::string, Value>> cases{
      {"size", I64{kMin}},
      {"size", I64{kMax}},
      {"size", I64{0}},
      {"revenue", -0.5},
      {"revenue", 1e300},
      {"revenue", 5e-324},
      {"country", std::string("DE")},
      {"country", std::string("not a value: Record::set does not check values")},
      {"title", std::string("Grüße, \"VP\"\r\nline")},
      {"title", std::string()},  // an empty string is a string, not null
      {"title", std::string(100000, 'v')},
      {"demo", true},
      {"demo", false},  // false is a value, not null
      {"trial", Date{2024, 2, 29}},
      {"trial", Date{1, 1, 1}},
      {"seen", dt("2026-03-29T01:30:00.250+05:45")},
      {"seen", dt("1969-12-31T23:59:59Z")},
      {"products", Strings{"crm", "cms"}},
      {"products", Strings{"cms", "cms", "other"}},
  };
  for (const auto& [id, v] : cases) {
    b.set(1, id, v);
    BOOST_TEST(show(b.get(1, s.field(id))) == show(v), id);
    b.set(2, s.field(id), v);
    BOOST_TEST(show(b.get(2, s.field(id))) == show(v), id);
  }
  // Integers are accepted for number fields, and read back as numbers.
  b.set(0, "revenue", I64{42});
  BOOST_TEST(show(b.get(0, s.field("revenue"))) == "d:42");
  // Null over a value.
  b.set(2, "title", std::monostate{});
  BOOST_TEST(is_null(b.get(2, s.field("title"))));
  // Other rows are untouched.
  BOOST_TEST(is_null(b.get(3, s.field("revenue"))));
  BOOST_TEST(is_null(b.get(0, s.field("title"))));
}

BOOST_AUTO_TEST_CASE(an_empty_list_reads_back_as_set) {
  // Record keeps an empty list (as CSV `;` gives it) apart from null; so does a batch.
  Small s;
  Batch b(*s.ev);
  b.add_row("a");
  b.set(0, "products", Strings{});
  BOOST_TEST(show(b.get(0, s.field("products"))) == "list[]");
  Record r = s.ev->record();
  b.get(0, r);
  BOOST_TEST(show(r.get("products")) == "list[]");
}

BOOST_AUTO_TEST_CASE(clear_removes_rows_and_new_rows_start_null) {
  Small s;
  Batch b(*s.ev);
  for (int i = 0; i < 50; ++i) {
    b.add_row("r" + std::to_string(i));
    b.set(static_cast<std::size_t>(i), "size", I64{i});
    b.set(static_cast<std::size_t>(i), "title", std::string("VP ") + std::to_string(i));
    b.set(static_cast<std::size_t>(i), "products", Strings{"crm"});
    b.set(static_cast<std::size_t>(i), "demo", true);
  }
  std::vector<I64> sizes(50, 7);
  b.set_integers(s.field("size"), sizes);
  b.clear();
  BOOST_TEST(b.size() == 0u);
  BOOST_CHECK_THROW(b.id(0), Error);
  BOOST_TEST(b.add_row("fresh") == 0u);
  BOOST_TEST(b.add_row("fresh2") == 1u);
  BOOST_TEST(b.id(0) == "fresh");
  for (std::size_t r = 0; r < 2; ++r)
    for (std::size_t f = 0; f < s.fields(); ++f)
      BOOST_TEST(is_null(b.get(r, f)), "row " << r << " field " << f << " = " << show(b.get(r, f)));
  BatchResult res;
  s.ev->evaluate(b, kNow, res);
  BOOST_TEST(res.size == 2u);
  BOOST_TEST(res.scores[0][0] == 0.0);
  BOOST_TEST(res.criteria[s.ev->criteria_index("engaged").value()][1] == 0);
}

BOOST_AUTO_TEST_CASE(column_setters_without_a_mask_and_with_fewer_values) {
  Small s;
  Batch b(*s.ev);
  for (int i = 0; i < 5; ++i) b.add_row(std::to_string(i));
  b.set(4, "size", I64{99});
  std::vector<I64> sizes{10, 200, -3};
  b.set_integers(s.field("size"), sizes);  // rows 0..2; no mask: nothing null
  BOOST_TEST(show(b.get(0, s.field("size"))) == "i:10");
  BOOST_TEST(show(b.get(1, s.field("size"))) == "i:200");
  BOOST_TEST(show(b.get(2, s.field("size"))) == "i:-3");
  BOOST_TEST(is_null(b.get(3, s.field("size"))));  // past the values: untouched
  BOOST_TEST(show(b.get(4, s.field("size"))) == "i:99");
  // A mask nulls cells that held a value.
  std::vector<std::uint8_t> null{0, 1, 0};
  b.set_integers(s.field("size"), sizes, null);
  BOOST_TEST(is_null(b.get(1, s.field("size"))));
  BOOST_TEST(show(b.get(2, s.field("size"))) == "i:-3");
  std::vector<std::uint8_t> flags{0, 1, 2, 255, 0};
  b.set_booleans(s.field("demo"), flags);
  BOOST_TEST(show(b.get(0, s.field("demo"))) == "false");
  BOOST_TEST(show(b.get(2, s.field("demo"))) == "true");
  BOOST_TEST(show(b.get(3, s.field("demo"))) == "true");
  BOOST_TEST(show(b.get(4, s.field("demo"))) == "false");
  std::vector<double> revenue{1.5, -0.25, 0, 1e300, 3};
  b.set_numbers(s.field("revenue"), revenue);
  BOOST_TEST(show(b.get(3, s.field("revenue"))) == "d:1.0000000000000001e+300");
  std::vector<std::string_view> titles{"VP", "", "x"};
  b.set_strings(s.field("title"), titles);
  BOOST_TEST(show(b.get(1, s.field("title"))) == "\"\"");  // empty, not null
  std::vector<Date> days{{2026, 1, 2}};
  b.set_dates(s.field("trial"), days);
  BOOST_TEST(show(b.get(0, s.field("trial"))) == "date:2026-01-02");
  std::vector<DatetimeValue> times{dt("2026-11-01T09:00:00+01:00"), dt("2026-11-01T08:00:00Z")};
  b.set_datetimes(s.field("seen"), times);
  BOOST_TEST(show(b.get(0, s.field("seen"))) == show(times[0]));
  BOOST_TEST(show(b.get(1, s.field("seen"))) == show(times[1]));
  // An empty span sets nothing.
  b.set_integers(s.field("size"), std::span<const I64>{});
  BOOST_TEST(show(b.get(0, s.field("size"))) == "i:10");
}

BOOST_AUTO_TEST_CASE(a_row_copied_into_a_record_evaluates_like_the_batch) {
  Differential d;
  auto rows = d.generate(500, 11);
  Batch b = d.by_cells(rows);
  BatchResult res;
  d.ev->evaluate(b, kNow, res);
  Record rec = d.ev->record();
  rec.set("title", std::string("stale value that get(row, record) must overwrite"));
  std::size_t bad = 0;
  for (std::size_t r = 0; r < b.size(); ++r) {
    b.get(r, rec);
    for (std::size_t f = 0; f < d.ids.size(); ++f)
      if (show(rec.get(d.ids[f])) != show(b.get(r, f)) && ++bad < 5)
        BOOST_ERROR("row " << r << " field " << d.ids[f] << ": record " << clip(show(rec.get(d.ids[f]))) << ", batch "
                           << clip(show(b.get(r, f))));
    auto e = d.ev->evaluate(rec, kNow);
    for (std::size_t i = 0; i < e.criteria.size(); ++i)
      if ((res.criteria[i][r] != 0) != e.criteria[i] && ++bad < 5) BOOST_ERROR("row " << r << " criteria " << i);
    for (std::size_t i = 0; i < e.scores.size(); ++i)
      if (res.scores[i][r] != e.scores[i] && ++bad < 5) BOOST_ERROR("row " << r << " score " << i);
    if (res.stage[r] != (e.stage ? static_cast<std::int32_t>(*e.stage) : -1) && ++bad < 5)
      BOOST_ERROR("row " << r << " stage");
  }
  BOOST_TEST(bad == 0u);
  // explain works on the copy
  b.get(0, rec);
  BOOST_TEST(d.ev->explain(rec, kNow, "mql").has_value());
}

BOOST_AUTO_TEST_CASE(misuse_throws_charter_error) {
  Small s;
  Batch b(*s.ev);
  b.add_row("a");
  b.add_row("b");
  b.set(0, "size", I64{5});
  // Wrong types.
  BOOST_CHECK_THROW(b.set(0, "size", std::string("12")), Error);
  BOOST_CHECK_THROW(b.set(0, "size", 1.5), Error);
  BOOST_CHECK_THROW(b.set(0, "size", true), Error);
  BOOST_CHECK_THROW(b.set(0, "revenue", std::string("1.5")), Error);
  BOOST_CHECK_THROW(b.set(0, "title", true), Error);
  BOOST_CHECK_THROW(b.set(0, "title", Strings{"a"}), Error);
  BOOST_CHECK_THROW(b.set(0, "demo", I64{1}), Error);
  BOOST_CHECK_THROW(b.set(0, "trial", dt("2026-01-01T00:00:00Z")), Error);
  BOOST_CHECK_THROW(b.set(0, "seen", Date{2026, 1, 1}), Error);
  BOOST_CHECK_THROW(b.set(0, "products", std::string("crm")), Error);
  BOOST_CHECK_THROW(b.set(0, s.field("size"), std::string("12")), Error);
  BOOST_TEST(show(b.get(0, s.field("size"))) == "i:5");  // a rejected value changes nothing
  // Unknown fields, rows out of range.
  BOOST_CHECK_THROW(b.set(0, "no_such_field", I64{1}), Error);
  BOOST_CHECK_THROW(b.set(0, s.fields(), I64{1}), Error);
  BOOST_CHECK_THROW(b.set(2, "size", I64{1}), Error);
  BOOST_CHECK_THROW(b.set(2, s.field("size"), I64{1}), Error);
  BOOST_CHECK_THROW(b.set(std::numeric_limits<std::size_t>::max(), "size", I64{1}), Error);
  BOOST_CHECK_THROW(b.get(2, 0), Error);
  BOOST_CHECK_THROW(b.get(0, s.fields()), Error);
  BOOST_CHECK_THROW(b.id(2), Error);
  Record r = s.ev->record();
  BOOST_CHECK_THROW(b.get(2, r), Error);
  // Column setters: wrong type, too many values, a mask of another length, unknown field.
  std::vector<I64> two{1, 2}, three{1, 2, 3};
  std::vector<double> numbers{1, 2};
  std::vector<std::uint8_t> mask1{0}, mask2{0, 1}, mask3{0, 0, 0};
  std::vector<std::string_view> strs{"a", "b"};
  std::vector<Date> dates{{2026, 1, 1}, {2026, 1, 2}};
  std::vector<DatetimeValue> times{dt("2026-01-01T00:00:00Z"), dt("2026-01-02T00:00:00Z")};
  BOOST_CHECK_THROW(b.set_integers(s.field("size"), three), Error);
  BOOST_CHECK_THROW(b.set_integers(s.field("size"), two, mask1), Error);
  BOOST_CHECK_THROW(b.set_integers(s.field("size"), two, mask3), Error);
  BOOST_CHECK_THROW(b.set_integers(s.field("title"), two), Error);
  BOOST_CHECK_THROW(b.set_integers(s.fields(), two), Error);
  BOOST_CHECK_THROW(b.set_numbers(s.field("size"), numbers), Error);
  BOOST_CHECK_THROW(b.set_numbers(s.field("revenue"), numbers, mask1), Error);
  BOOST_CHECK_THROW(b.set_booleans(s.field("trial"), mask2), Error);
  BOOST_CHECK_THROW(b.set_booleans(s.field("demo"), mask3), Error);
  BOOST_CHECK_THROW(b.set_booleans(s.field("demo"), mask2, mask3), Error);
  BOOST_CHECK_THROW(b.set_strings(s.field("size"), strs), Error);
  BOOST_CHECK_THROW(b.set_strings(s.field("products"), strs), Error);
  BOOST_CHECK_THROW(b.set_strings(s.field("title"), strs, mask3), Error);
  BOOST_CHECK_THROW(b.set_dates(s.field("seen"), dates), Error);
  BOOST_CHECK_THROW(b.set_dates(s.field("trial"), dates, mask1), Error);
  BOOST_CHECK_THROW(b.set_datetimes(s.field("trial"), times), Error);
  BOOST_CHECK_THROW(b.set_datetimes(s.field("seen"), times, mask3), Error);
  // The right calls work.
  BOOST_CHECK_NO_THROW(b.set_integers(s.field("size"), two, mask2));
  BOOST_CHECK_NO_THROW(b.set_strings(s.field("country"), strs));  // values are not checked (as Record::set)
  // A batch, or a record, of another evaluator.
  Small other;
  BatchResult res;
  BOOST_CHECK_THROW(other.ev->evaluate(b, kNow, res), Error);
  Record foreign = other.ev->record();
  BOOST_CHECK_THROW(b.get(0, foreign), Error);
  BOOST_CHECK_NO_THROW(s.ev->evaluate(b, kNow, res));
  BOOST_TEST(res.size == 2u);
}

BOOST_AUTO_TEST_CASE(an_empty_batch_and_a_moved_batch) {
  Small s;
  Batch b(*s.ev);
  BatchResult res;
  res.size = 99;
  res.stage.assign(99, 3);
  s.ev->evaluate(b, kNow, res);
  BOOST_TEST(res.size == 0u);
  BOOST_TEST(res.stage.empty());
  BOOST_TEST(res.scores.size() == 1u);
  BOOST_TEST(res.criteria.size() == 3u);
  for (const auto& c : res.criteria) BOOST_TEST(c.empty());
  b.add_row("big-de");
  b.set(0, "size", I64{150});
  b.set(0, "demo", true);
  b.set(0, "trial", Date{2026, 11, 1});
  b.set(0, "country", std::string("DE"));
  Batch moved(std::move(b));
  BOOST_TEST(moved.size() == 1u);
  BOOST_TEST(moved.id(0) == "big-de");
  s.ev->evaluate(moved, kNow, res);
  BOOST_TEST(res.size == 1u);
  BOOST_TEST(res.scores[0][0] == 20.0);
  BOOST_TEST(res.criteria[s.ev->criteria_index("mql").value()][0] == 1);
  BOOST_TEST(res.stage[0] == 2);
  Batch assigned(*s.ev);
  assigned = std::move(moved);
  BOOST_TEST(assigned.size() == 1u);
  BOOST_TEST(show(assigned.get(0, s.field("country"))) == "\"DE\"");
}

BOOST_AUTO_TEST_SUITE_END()

// ---- part 3: scan_records vs RecordReader ------------------------------------------------------

namespace {

const char* kData = R"(charter: 1
fields:
  - { id: company_size, type: integer, source: { hubspot: numberofemployees } }
  - { id: revenue, type: number }
  - { id: country, type: string, values: [US, DE, CN], source: { hubspot: Country } }
  - { id: title, type: string, source: { hubspot: Job Title } }
  - { id: demo, type: boolean }
  - { id: trial, type: date }
  - { id: seen, type: datetime }
  - { id: products, type: list, values: [crm, cms, analytics] }
scores:
  - id: fit
    max: 40
    rules:
      - { when: company_size >= 100, points: 25 }
      - { when: 'title matches "(?i)\bvp\b"', points: 20 }
      - { when: revenue > 1000.5, points: 5 }
criteria:
  - { id: big, when: company_size >= 100 }
  - { id: engaged, when: 'demo or seen >= now - 30d or products contains "crm"' }
  - { id: mql, when: 'big and fit >= 30 and country in ["US", "DE"] and trial is not null' }
funnel:
  stages:
    - { id: lead }
    - { id: mql, entry: mql }
    - { id: sql, entry: mql and engaged }
)";

// What RecordReader gives for one file.
struct Expected {
  std::vector<std::string> rows;          // id and every value, as text
  std::vector<Record> records;            // to evaluate one at a time
  std::vector<std::string> diags;         // describe(), in order
  std::vector<std::size_t> diag_rows;     // valid records before each diagnostic
  std::vector<std::size_t> diag_records;  // the record number of each (0: about the file)
  std::size_t rejected = 0;
  bool failed = false;
  std::uint64_t bytes = 0;  // the file's size when it was read to the end
};

std::string row_text(std::string_view id, const std::vector<Value>& values) {
  std::string out = "id " + show(std::string(id));
  for (const auto& v : values) out += " | " + show(v);
  return out;
}

struct Scan {
  Scan() : loaded(test::load(kData)) {
    BOOST_TEST_REQUIRE(loaded.ok(), test::dump(loaded));
    ev = std::make_unique<Evaluator>(loaded.charter());
    for (const auto& f : loaded.charter().fields()) ids.emplace_back(f.id);
  }

  Expected expect(const fs::path& p, const ReadOptions& opt = {}) const {
    Expected e;
    RecordReader reader(*ev, p, opt);
    Record r = ev->record();
    std::string id;
    while (reader.next(r, id)) {
      std::vector<Value> values;
      for (const auto& f : ids) values.push_back(r.get(f));
      e.rows.push_back(row_text(id, values));
      e.records.push_back(r);
    }
    std::vector<std::string> messages;
    for (const auto& d : reader.diagnostics()) {
      e.diags.push_back(describe(d));
      messages.push_back(d.message);
    }
    e.diag_rows = records_before(messages);
    for (const auto& m : messages) e.diag_records.push_back(record_number(m).value_or(0));
    e.rejected = reader.records_rejected();
    e.failed = reader.failed();
    e.bytes = e.failed ? reader.bytes_read() : fs::file_size(p);
    std::set<std::size_t> numbers;
    for (const auto& m : messages)
      if (auto n = record_number(m)) numbers.insert(*n);
    BOOST_TEST(numbers.size() == e.rejected, p.filename() << ": every rejected record has a diagnostic");
    return e;
  }

  // "record 12, column ...": 12. The reader numbers every record, valid or rejected, from 1.
  static std::optional<std::size_t> record_number(std::string_view message) {
    if (!message.starts_with("record ")) return std::nullopt;
    std::size_t n = 0, i = 7;
    for (; i < message.size() && message[i] >= '0' && message[i] <= '9'; ++i) n = n * 10 + (message[i] - '0');
    return i > 7 ? std::optional<std::size_t>(n) : std::nullopt;
  }

  // For each diagnostic, the number of valid records before it in the input: a diagnostic of
  // record N comes after N - 1 records, less the rejected ones (those that have diagnostics);
  // a diagnostic without a record number (an absent column, a file that cannot be read) comes
  // before every record.
  static std::vector<std::size_t> records_before(const std::vector<std::string>& messages) {
    std::set<std::size_t> rejected;
    for (const auto& m : messages)
      if (auto n = record_number(m)) rejected.insert(*n);
    std::vector<std::size_t> out;
    for (const auto& m : messages) {
      auto n = record_number(m);
      if (!n) {
        out.push_back(0);
        continue;
      }
      auto rank = static_cast<std::size_t>(std::distance(rejected.begin(), rejected.find(*n)));
      out.push_back(*n - 1 - rank);
    }
    return out;
  }

  // Scans `files` with `opt` and checks everything against RecordReader (`want`, one per file).
  // Returns the stats. `check_bytes`: the byte counts are compared too (files read to the end).
  ScanStats check(const std::vector<fs::path>& files, const std::vector<Expected>& want, ScanOptions opt,
                  const std::string& label, bool check_bytes = true,
                  std::vector<std::string>* byte_errors = nullptr) const {
    struct Got {
      std::vector<std::string> rows, diags;
      std::vector<std::size_t> diag_rows, diag_records;
      std::size_t rejected = 0;
      bool failed = false;
      std::size_t batches = 0;
    };
    std::vector<Got> got(files.size());
    std::size_t current = 0, bad_batches = 0, bad_rows = 0;
    std::uint64_t last_bytes = 0;
    bool bytes_monotone = true;
    Evaluation e;
    // Batches come in file order: a batch names the current file or a later one.
    auto file_of = [&](std::string_view name) -> std::optional<std::size_t> {
      for (std::size_t i = current; i < files.size(); ++i)
        if (fs::path(name).filename() == files[i].filename()) return i;
      return std::nullopt;
    };
    ScanStats stats = scan_records(*ev, files, kNow, opt, [&](const ScanBatch& b) {
      auto which = file_of(b.file);
      if (!which) {
        if (++bad_batches < 5) BOOST_ERROR(label << ": a batch of file `" << b.file << "` out of order or unknown");
        return true;
      }
      current = *which;
      Got& g = got[current];
      ++g.batches;
      if (b.bytes_done < last_bytes) bytes_monotone = false;
      last_bytes = b.bytes_done;
      g.failed = g.failed || b.file_failed;
      g.rejected += b.rejected;
      const std::size_t base = g.rows.size();
      if ((b.diagnostic_rows.size() != b.diagnostics.size() || b.diagnostic_records.size() != b.diagnostics.size()) &&
          ++bad_batches < 5)
        BOOST_ERROR(label << ": " << b.diagnostics.size() << " diagnostics but " << b.diagnostic_rows.size()
                          << " diagnostic_rows and " << b.diagnostic_records.size() << " diagnostic_records");
      for (std::size_t i = 0; i < b.diagnostics.size(); ++i) {
        g.diags.push_back(describe(b.diagnostics[i]));
        std::size_t at = i < b.diagnostic_rows.size() ? b.diagnostic_rows[i] : 0;
        if (at > b.records.size() && ++bad_batches < 5)
          BOOST_ERROR(label << ": diagnostic_rows[" << i << "] = " << at << " but the batch has " << b.records.size()
                            << " records");
        g.diag_rows.push_back(base + at);
        g.diag_records.push_back(i < b.diagnostic_records.size() ? b.diagnostic_records[i] : 0);
      }
      if (opt.evaluate) {
        if (b.result.size != b.records.size() && ++bad_batches < 5)
          BOOST_ERROR(label << ": result.size " << b.result.size << " for " << b.records.size() << " records");
      } else if (b.result.size != 0 && ++bad_batches < 5) {
        BOOST_ERROR(label << ": evaluate = false but result.size is " << b.result.size);
      }
      std::vector<Value> values(ids.size());
      for (std::size_t r = 0; r < b.records.size(); ++r) {
        const std::size_t row_in_file = base + r;
        for (std::size_t f = 0; f < ids.size(); ++f) values[f] = b.records.get(r, f);
        g.rows.push_back(row_text(b.records.id(r), values));
        if (!opt.evaluate || b.result.size != b.records.size()) continue;
        // The batch's evaluation must be the per-record evaluation of the same record.
        if (row_in_file >= want[current].records.size()) continue;  // reported below as a row difference
        ev->evaluate(want[current].records[row_in_file], kNow, e);
        bool same = b.result.stage[r] == (e.stage ? static_cast<std::int32_t>(*e.stage) : -1);
        for (std::size_t i = 0; i < e.scores.size(); ++i) same = same && b.result.scores[i][r] == e.scores[i];
        for (std::size_t i = 0; i < e.criteria.size(); ++i)
          same = same && (b.result.criteria[i][r] != 0) == e.criteria[i];
        if (!same && ++bad_rows < 5)
          BOOST_ERROR(label << ": the evaluation of row " << row_in_file << " of " << files[current].filename()
                            << " differs from Evaluator::evaluate(record)");
      }
      return true;
    });
    BOOST_TEST(bad_batches == 0u, label);
    BOOST_TEST(bad_rows == 0u, label);
    BOOST_TEST(bytes_monotone, label << ": bytes_done goes backwards");
    std::size_t records = 0, rejected = 0, failed = 0;
    std::uint64_t bytes = 0;
    for (std::size_t i = 0; i < files.size(); ++i) {
      const std::string what = label + ", " + files[i].filename().string();
      same_sequence(want[i].rows, got[i].rows, what + ": records");
      same_sequence(want[i].diags, got[i].diags, what + ": diagnostics");
      if (want[i].diags == got[i].diags && want[i].diag_rows != got[i].diag_rows) {
        std::size_t k = 0;
        while (want[i].diag_rows[k] == got[i].diag_rows[k]) ++k;
        BOOST_ERROR(what << ": diagnostic " << k << " (" << want[i].diags[k] << ") comes after " << got[i].diag_rows[k]
                         << " records, expected " << want[i].diag_rows[k]);
      }
      if (want[i].diags == got[i].diags && want[i].diag_records != got[i].diag_records) {
        std::size_t k = 0;
        while (want[i].diag_records[k] == got[i].diag_records[k]) ++k;
        BOOST_ERROR(what << ": diagnostic " << k << " (" << want[i].diags[k] << ") has diagnostic_records "
                         << got[i].diag_records[k] << ", expected " << want[i].diag_records[k]);
      }
      BOOST_TEST(got[i].rejected == want[i].rejected, what);
      BOOST_TEST(got[i].failed == want[i].failed, what);
      records += want[i].records.size();
      rejected += want[i].rejected;
      failed += want[i].failed;
      bytes += want[i].bytes;
    }
    BOOST_TEST(stats.records == records, label << ": stats.records " << stats.records << ", expected " << records);
    BOOST_TEST(stats.rejected == rejected, label << ": stats.rejected " << stats.rejected << ", expected " << rejected);
    BOOST_TEST(stats.failed_files == failed,
               label << ": stats.failed_files " << stats.failed_files << ", expected " << failed);
    BOOST_TEST(!stats.stopped, label);
    if (check_bytes && (stats.bytes != bytes || last_bytes != bytes)) {
      std::string msg = label + ": stats.bytes " + std::to_string(stats.bytes) + " and bytes_done of the last batch " +
                        std::to_string(last_bytes) + ", but the files have " + std::to_string(bytes) + " bytes";
      if (byte_errors)
        byte_errors->push_back(msg);
      else
        BOOST_ERROR(msg);
    }
    return stats;
  }

  // Small chunk sizes (the first below a CSV record), 1, 2 and 4 threads, and the defaults.
  void check_all(const std::vector<fs::path>& files, const ReadOptions& read = {}, bool check_bytes = true) const {
    std::vector<Expected> want;
    for (const auto& f : files) want.push_back(expect(f, read));
    std::vector<std::string> byte_errors;  // reported once: the same cause in every configuration
    for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{64}, std::size_t{4096}})
      for (unsigned threads : {1u, 2u, 4u}) {
        ScanOptions opt;
        opt.read = read;
        opt.chunk_bytes = chunk;
        opt.threads = threads;
        check(files, want, opt, "chunk_bytes=" + std::to_string(chunk) + " threads=" + std::to_string(threads),
              check_bytes, &byte_errors);
      }
    ScanOptions defaults;
    defaults.read = read;
    check(files, want, defaults, "default options", check_bytes, &byte_errors);
    if (!byte_errors.empty())
      BOOST_ERROR("byte counts wrong in " << byte_errors.size() << " of 13 scans; the first: " << byte_errors[0]);
  }

  test::TempDir dir;
  LoadResult loaded;
  std::unique_ptr<Evaluator> ev;
  std::vector<std::string> ids;
};

// ---- CSV generation

std::string csv_cell(Gen& g, const std::string& text) {
  bool must = text.find_first_of(",\"\n\r") != std::string::npos;
  if (!must && !g.chance(20)) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// A cell for column `col`: mostly valid, sometimes bad.
std::string cell_text(Gen& g, const std::string& col, std::size_t n) {
  auto pick = [&](const Strings& good, const Strings& bad) {
    return !bad.empty() && g.chance(2) ? g.pick(bad) : g.pick(good);
  };
  if (col == "id") {
    if (g.chance(2)) return g.pick(Strings{"", "id, with comma", "id \"quoted\"", "multi\nline id"});
    return "r" + std::to_string(n);
  }
  if (col == "company_size")
    return pick({"", "12", "+7", "-3", " 250 ", "100", "99", "0", "9223372036854775807", "-9223372036854775808",
                 std::to_string(g.range(0, 5000))},
                {"1x", "1,000", "9223372036854775808", "12.0", "twelve"});
  if (col == "revenue")
    return pick({"", "1234.5", "1e3", "-0.5", ".5", "5.", "1000.5", "1000.50001", "  42  ", "+3.25E2",
                 std::to_string(g.range(-100, 100000))},
                {"1,234.5", "abc", "1e999", "-", "1.2.3"});
  if (col == "country") return pick({"", "US", "DE", "CN", " DE "}, {"Germany", "us", "USA"});
  if (col == "title")
    return pick({"", "VP Sales", "Head, EMEA", "She said \"hi\"", "two\nlines", "crlf\r\ninside", "  padded  ",
                 "Grüße 你好", "vp", "\"\"", ",", "trailing\n", "\n\nleading blank lines", std::string(200, 'w')},
                {});
  if (col == "demo") return pick({"", "true", "FALSE", "Yes", "no", "1", "0", " true "}, {"maybe", "y", "2"});
  if (col == "trial")
    return pick({"", "2026-02-28", "2024-02-29", "2026-11-01", "2025-12-31"},
                {"2026-02-30", "2026-1-5", "not a date", "2026/01/05"});
  if (col == "seen")
    return pick(
        {"", "2026-11-01T09:00:00Z", "2026-11-27T09:00:00+01:00", "2026-11-20T23:59:59.250-05:30", "2025-01-01T00:00Z"},
        {"2026-01-01T09:00:00", "yesterday", "2026-13-01T00:00:00Z"});
  if (col == "products")
    return pick({"", "crm", "crm; cms", "crm;;analytics", ";", " cms ;crm "}, {"CRM", "erp", "crm; erp"});
  // extra columns that no field reads
  return g.pick(Strings{"", "note, with comma", "note \"q\"", "multi\r\nline\nnote", "plain"});
}

// `n` records with the header `cols` (shuffled by the caller), quoted cells, CRLF and LF line
// ends, blank lines, ragged rows and bad cells; a BOM when `bom`; no final line break when
// `open_end`.
std::string make_csv(Gen& g, const Strings& cols, std::size_t n, bool bom, bool open_end) {
  std::string out = bom ? "\xEF\xBB\xBF" : "";
  for (std::size_t c = 0; c < cols.size(); ++c) out += (c ? "," : "") + cols[c];
  out += "\r\n";
  for (std::size_t i = 0; i < n; ++i) {
    if (g.chance(3)) out += g.pick(Strings{"\n", "\r\n", "\n\n", "\r\n\r\n\n"});
    std::size_t ncols = cols.size();
    if (g.chance(1)) ncols = g.chance(50) ? ncols - 1 : ncols + 1;  // ragged
    for (std::size_t c = 0; c < ncols; ++c) {
      const std::string& col = c < cols.size() ? cols[c] : cols.back();
      out += (c ? "," : "") + csv_cell(g, cell_text(g, col, i));
    }
    if (i + 1 < n || !open_end) out += g.chance(50) ? "\r\n" : "\n";
  }
  return out;
}

Strings shuffled(Gen& g, Strings v) {
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[g.below(i)]);
  return v;
}

// Valid filler records ("f12,filler...,,") for a header of `ncols` columns (id, title, ...).
std::string filler(std::size_t n, std::size_t ncols, std::size_t& counter) {
  std::string out;
  const std::string title(150, 'x');
  for (std::size_t i = 0; i < n; ++i) {
    out += "f" + std::to_string(counter++) + ",filler " + title;
    for (std::size_t c = 2; c < ncols; ++c) out += ",";
    out += "\n";
  }
  return out;
}

// About 70 KiB of filler (more than a reader may take in one go with the header), then `times`
// copies of `block` (records without a final line break), each after a run of filler of
// another length: the copies start at many offsets, so their records straddle chunk
// boundaries whatever the chunk size.
std::string with_filler(const std::string& block, std::size_t ncols, std::size_t times) {
  std::size_t counter = 0;
  std::string out = filler(450, ncols, counter);
  for (std::size_t t = 0; t < times; ++t) out += block + "\n" + filler(t * 7 % 23, ncols, counter);
  return out;
}

std::size_t count_code(const Expected& e, std::string_view code) {
  std::size_t n = 0;
  for (const auto& d : e.diags) n += d.find("[" + std::string(code) + "]") != std::string::npos;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(scan_vs_reader)

BOOST_AUTO_TEST_CASE(generated_csv_files_give_the_same_records_diagnostics_and_counts) {
  Scan s;
  Gen g(4181);
  const Strings all{"id", "company_size", "revenue", "country", "title", "demo", "trial", "seen", "products", "notes"};
  auto main = s.dir.write("leads.csv", make_csv(g, shuffled(g, all), 1500, true, true));
  // A second file without the `seen` and `products` columns: one warning each, before any record.
  const Strings fewer{"id", "title", "company_size", "demo", "country", "revenue", "trial"};
  auto second = s.dir.write("fewer.csv", make_csv(g, fewer, 400, false, false));
  // The data is what it should be: the reference has records, rejections and each diagnostic.
  Expected e = s.expect(main);
  BOOST_TEST(e.records.size() > 1000u);
  BOOST_TEST(e.rejected > 50u);
  BOOST_TEST(count_code(e, "CH1001") > 50u);
  BOOST_TEST(count_code(e, "CH1003") > 5u);
  Expected e2 = s.expect(second);
  BOOST_TEST(count_code(e2, "CH1002") == 2u);
  s.check_all({main, second});
}

BOOST_AUTO_TEST_CASE(quoting_edge_cases_in_csv) {
  Scan s;
  // Every RFC 4180 corner RecordReader handles, with a BOM and CRLF; the block is repeated
  // after filler so that its records straddle chunk boundaries.
  const std::string block =
      "a,\"Head of Sales, EMEA\",10,crm\r\n"
      "\r\n"
      "\n"
      "b,\"She said \"\"hi\"\"\nand left\",20,\"crm;\ncms\"\r\n"
      "c,,30,\r\n"
      "d,\"\"\"\",40,\";\"\r\n"               // a cell that is one quote; a list of nothing
      "e,\"a\r\nb\r\n\",50,cms\n"             // CRLF inside quotes is kept
      "f,\"x\"\",\"\"y\",60,\n"               // `""` next to a comma inside quotes
      "g,\"\",\"70\",\"\"\n"                  // empty quoted cells; a quoted number
      "h,\"ragged\",1\n"                      // 3 fields
      "i,\"bad\nsize\",1x,crm\n"              // a bad cell on the line after a quoted newline
      "j,\"one,two,three\",80,\"crm,cms\"\n"  // a bad list value with a comma
      "k,\"\n\n\n\",90,\n"                    // a cell of newlines only
      "l,last,100,cms";                       // no line break: added between copies
  auto p = s.dir.write("quotes.csv", "\xEF\xBB\xBFid,title,company_size,products\r\n" + with_filler(block, 4, 25));
  Expected e = s.expect(p);
  BOOST_TEST(e.rejected == 4u * 25);  // b (a list value "\ncms"), h, i, j
  s.check_all({p});
}

BOOST_AUTO_TEST_CASE(stray_quotes_in_unquoted_cells) {
  // A quote inside an unquoted cell is a literal character (RecordReader does not start a
  // quoted section there), so a newline after it ends the record. A chunk splitter that counts
  // quotes to find record boundaries gets this wrong.
  Scan s;
  const std::string block =
      "a,5\" screen,1\n"
      "b,ok,2\n"
      "c,ab\"c\"d,3\n"
      "d,\"closed\"tail,4\n"
      "e,x\"\"\"y,5\n"
      "f,\"multi\nline\",6\n"
      "g,7\",7\n"
      "h,plain,8";
  auto p = s.dir.write("stray.csv", "id,title,company_size\n" + with_filler(block, 3, 25));
  Expected e = s.expect(p);
  BOOST_TEST(e.rejected == 0u);
  std::size_t stray = 0;
  for (const auto& row : e.rows) stray += row.find("\"5\\\" screen\"") != std::string::npos;
  BOOST_TEST(stray == 25u);
  s.check_all({p});
}

BOOST_AUTO_TEST_CASE(an_unterminated_quote_runs_to_the_end_of_the_file) {
  Scan s;
  std::string csv = "id,title,company_size\n" + with_filler("", 3, 1) + "a,x,1\nb,\"never closed,2\nc,y,3\nd,z,4\n";
  auto p = s.dir.write("open.csv", csv);
  Expected e = s.expect(p);
  BOOST_TEST(e.rejected == 1u);
  s.check_all({p});
}

BOOST_AUTO_TEST_CASE(a_3_mb_quoted_field_with_newlines) {
  Scan s;
  Gen g(3);
  std::string big;
  const std::string filler(400, 'b');
  while (big.size() < 3u << 20) {
    big += "line " + std::to_string(big.size()) + ", with \"quotes\" and, commas " + filler;
    big += g.chance(10) ? "\r\n" : "\n";
  }
  std::string csv = "id,title,company_size,revenue\n";
  for (int i = 0; i < 40; ++i)
    csv += "a" + std::to_string(i) + ",VP " + std::to_string(i) + "," + std::to_string(i) + ",1.5\n";
  std::string quoted;
  for (char c : big) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  csv += "big,\"" + quoted + "\",500,2.5\r\n";
  // After it: a bad cell, a ragged row and valid records, whose lines must still be right.
  csv += "after1,x,1x,1\nafter2,y\nafter3,\"z\nz\",3,3\n";
  for (int i = 0; i < 40; ++i) csv += "b" + std::to_string(i) + ",t,\"" + std::to_string(i) + "\",\n";
  auto p = s.dir.write("big.csv", csv);
  Expected e = s.expect(p);
  BOOST_TEST_REQUIRE(e.records.size() == 82u);
  BOOST_TEST(count_code(e, "CH1001") == 1u);
  BOOST_TEST(count_code(e, "CH1003") == 1u);
  BOOST_TEST(std::get<std::string>(e.records[40].get("title")).size() == big.size());
  s.check_all({p});
}

BOOST_AUTO_TEST_CASE(json_lines_give_the_same_records_diagnostics_and_counts) {
  Scan s;
  Gen g(99);
  std::string text = "\xEF\xBB\xBF";
  for (int i = 0; i < 1200; ++i) {
    if (g.chance(3)) text += g.pick(Strings{"\n", "\r\n", "   \n", "\t\r\n"});
    if (g.chance(2)) {
      text +=
          g.pick(Strings{"[1, 2]", "{", "not json", "\"a string\"", "{\"company_size\": 5}", "{\"id\": null}", "42"});
    } else {
      nlohmann::json j;
      switch (g.below(5)) {
        case 0: j["id"] = i; break;
        case 1: j["id"] = "j" + std::to_string(i) + ", \"q\"\n"; break;
        default: j["id"] = "j" + std::to_string(i);
      }
      auto maybe = [&](const char* key, nlohmann::json v) {
        if (g.chance(70)) j[key] = std::move(v);
      };
      maybe("company_size",
            g.chance(90) ? nlohmann::json(g.range(-5, 400))
                         : g.pick(std::vector<nlohmann::json>{"12", "1x", 1.5, true, nullptr, 9223372036854775807LL}));
      maybe("revenue", g.chance(90) ? nlohmann::json(static_cast<double>(g.range(0, 8000)) / 4)
                                    : g.pick(std::vector<nlohmann::json>{"1,5", 7, "3.25", nullptr, "x"}));
      maybe("country", g.pick(std::vector<nlohmann::json>{"US", "DE", "CN", nullptr, "Germany", 5}));
      maybe("title", g.pick(std::vector<nlohmann::json>{"VP Sales", "a\nb \"q\"", "Grüße", "", nullptr, "x\r\ny",
                                                        std::string(1000, 'v'), nlohmann::json::array()}));
      maybe("demo", g.pick(std::vector<nlohmann::json>{true, false, "yes", "0", nullptr, 1, "maybe"}));
      maybe("trial", g.pick(std::vector<nlohmann::json>{"2026-02-28", "2026-11-01", "2026-02-30", nullptr, 20260101}));
      maybe("seen", g.pick(std::vector<nlohmann::json>{"2026-11-01T09:00:00Z", "2026-11-27T09:00:00+01:00",
                                                       "2026-11-01T09:00:00", nullptr}));
      maybe("products", g.pick(std::vector<nlohmann::json>{
                            nlohmann::json::array({"crm", "cms"}), nlohmann::json::array(), "crm;analytics",
                            nlohmann::json::array({"erp"}), nlohmann::json::array({1}), nullptr}));
      if (g.chance(10)) j["unknown_key"] = {{"nested", {1, 2, 3}}};
      text += j.dump();
    }
    text += g.chance(30) ? "\r\n" : "\n";
  }
  text += "{\"id\": \"last\", \"company_size\": 150}";  // no final line break
  auto p = s.dir.write("leads.jsonl", text);
  Expected e = s.expect(p);
  BOOST_TEST(e.records.size() > 200u);
  BOOST_TEST(e.rejected > 100u);
  BOOST_TEST(count_code(e, "CH1001") > 50u);
  BOOST_TEST(count_code(e, "CH1004") > 10u);
  s.check_all({p});
}

BOOST_AUTO_TEST_CASE(several_files_with_a_missing_one_in_the_middle) {
  Scan s;
  Gen g(7);
  const Strings cols{"id", "company_size", "revenue", "country", "title", "demo", "trial", "seen", "products"};
  auto a = s.dir.write("a.csv", make_csv(g, cols, 300, false, false));
  auto missing = s.dir / "missing.csv";
  auto b = s.dir.write("b.jsonl", "{\"id\": \"x\", \"company_size\": 120}\n{\"id\": \"y\", \"demo\": \"maybe\"}\n");
  auto header_only = s.dir.write("header_only.csv", "id,company_size\r\n");
  auto c = s.dir.write("c.csv", make_csv(g, cols, 200, true, true));
  std::vector<fs::path> files{a, missing, b, header_only, c};
  std::vector<Expected> want;
  for (const auto& f : files) want.push_back(s.expect(f));
  BOOST_TEST_REQUIRE(want[1].failed);
  BOOST_TEST_REQUIRE(want[1].diags.size() == 1u);
  s.check_all(files);
  // The failed file is reported by a batch of its own, and the scan goes on.
  ScanOptions opt;
  opt.chunk_bytes = 100;
  opt.threads = 2;
  bool saw_failed = false;
  std::size_t after = 0;
  auto stats = scan_records(*s.ev, files, kNow, opt, [&](const ScanBatch& batch) {
    if (batch.file_failed) {
      saw_failed = true;
      BOOST_TEST(std::string(batch.file).ends_with("missing.csv"));
      BOOST_TEST(batch.records.size() == 0u);
      BOOST_TEST(batch.diagnostics.size() == 1u);
      if (!batch.diagnostics.empty()) BOOST_TEST(batch.diagnostics[0].code == "CH1004");
    } else if (saw_failed) {
      after += batch.records.size();
    }
    return true;
  });
  BOOST_TEST(saw_failed);
  BOOST_TEST(after == want[2].records.size() + want[4].records.size());
  BOOST_TEST(stats.failed_files == 1u);
}

BOOST_AUTO_TEST_CASE(files_without_an_id_column_or_a_header_fail_like_the_reader) {
  Scan s;
  auto noid = s.dir.write("noid.csv", "name,company_size\nx,1\ny,2\n");
  auto empty = s.dir.write("empty.csv", "");
  auto blank = s.dir.write("blank.csv", "\r\n\n\n");
  auto dir = s.dir / "folder.csv";
  fs::create_directory(dir);
  auto ok = s.dir.write("ok.csv", "id,company_size\nx,150\n");
  std::vector<fs::path> files{noid, empty, blank, dir, ok};
  std::vector<Expected> want;
  for (const auto& f : files) want.push_back(s.expect(f));
  for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(want[i].failed, files[i]);
  // A failed file's bytes are not well defined (the reader stops after the header): not compared.
  for (unsigned threads : {1u, 3u}) {
    ScanOptions opt;
    opt.threads = threads;
    opt.chunk_bytes = 4;
    auto stats = s.check(files, want, opt, "threads=" + std::to_string(threads), false);
    BOOST_TEST(stats.failed_files == 4u);
    BOOST_TEST(stats.records == 1u);
  }
}

BOOST_AUTO_TEST_CASE(read_options_reach_the_parser) {
  // CRM columns, another id column, a time zone, and the JSON Lines format forced on a .txt file.
  Scan s;
  ReadOptions hubspot;
  hubspot.crm = "hubspot";
  hubspot.id_column = "Record ID";
  hubspot.timezone = "Europe/Berlin";
  std::string csv = "Record ID,Job Title,numberofemployees,Country,seen\n";
  for (int i = 0; i < 200; ++i)
    csv += std::to_string(i) + ",\"VP, " + std::to_string(i) + "\"," + std::to_string(i * 3) + "," +
           (i % 7 ? "DE" : "Germany") + ",2026-0" + std::to_string(1 + i % 9) + "-15T12:00:00\n";
  auto p = s.dir.write("hubspot.csv", csv);
  Expected e = s.expect(p, hubspot);
  BOOST_TEST(e.records.size() > 150u);
  BOOST_TEST(count_code(e, "CH1002") == 4u);  // revenue, demo, trial, products
  s.check_all({p}, hubspot);

  ReadOptions jsonl;
  jsonl.format = ReadOptions::Format::Jsonl;
  auto t = s.dir.write("export.txt",
                       "{\"id\": \"a\", \"company_size\": 5}\n{\"id\": \"b\", \"seen\": \"2026-01-01T00:00:00\"}\n");
  Expected ej = s.expect(t, jsonl);
  BOOST_TEST(ej.records.size() == 1u);
  s.check_all({t}, jsonl);
}

BOOST_AUTO_TEST_CASE(evaluate_false_still_gives_the_records) {
  Scan s;
  Gen g(12);
  const Strings cols{"id", "company_size", "revenue", "country", "title", "demo", "trial", "seen", "products"};
  auto p = s.dir.write("noeval.csv", make_csv(g, cols, 500, false, false));
  std::vector<Expected> want{s.expect(p)};
  for (unsigned threads : {1u, 4u}) {
    ScanOptions opt;
    opt.evaluate = false;
    opt.threads = threads;
    opt.chunk_bytes = 512;
    auto stats = s.check({p}, want, opt, "evaluate=false threads=" + std::to_string(threads));
    BOOST_TEST(stats.records == want[0].records.size());
  }
}

BOOST_AUTO_TEST_CASE(the_sink_stops_the_scan) {
  Scan s;
  Gen g(13);
  const Strings cols{"id", "company_size", "revenue", "country", "title", "demo", "trial", "seen", "products"};
  auto p = s.dir.write("stop.csv", make_csv(g, cols, 2000, false, false));
  auto q = s.dir.write("stop2.csv", make_csv(g, cols, 100, false, false));
  std::vector<fs::path> files{p, q};
  for (unsigned threads : {1u, 4u})
    for (std::size_t stop_after : {std::size_t{1}, std::size_t{3}}) {
      ScanOptions opt;
      opt.threads = threads;
      opt.chunk_bytes = 256;
      std::size_t calls = 0, delivered = 0;
      auto stats = scan_records(*s.ev, files, kNow, opt, [&](const ScanBatch& b) {
        ++calls;
        delivered += b.records.size();
        return calls < stop_after;
      });
      BOOST_TEST(calls == stop_after, "threads=" << threads);
      BOOST_TEST(stats.stopped, "threads=" << threads);
      BOOST_TEST(delivered < 2000u, "threads=" << threads);
    }
  // Returning true throughout: not stopped.
  ScanOptions opt;
  opt.chunk_bytes = 256;
  auto stats = scan_records(*s.ev, files, kNow, opt, [](const ScanBatch&) { return true; });
  BOOST_TEST(!stats.stopped);
  BOOST_TEST(stats.bytes == fs::file_size(p) + fs::file_size(q),
             "stats.bytes " << stats.bytes << " for files of " << fs::file_size(p) + fs::file_size(q) << " bytes");
}

BOOST_AUTO_TEST_CASE(record_reader_hands_out_diagnostics_in_step_with_the_records) {
  // RecordReader streams: after next() returns a record, take_diagnostics() holds the
  // diagnostics of the input before that record, not those of records it has yet to return.
  Scan s;
  Gen g(21);
  const Strings cols{"id", "company_size", "revenue", "country", "title", "demo", "trial", "seen", "products"};
  auto p = s.dir.write("stream.csv", make_csv(g, cols, 400, false, false));
  RecordReader reader(*s.ev, p);
  std::vector<std::string> messages;
  std::vector<std::size_t> taken_after;  // records returned before the one that came with it
  std::size_t returned = 0;
  auto take = [&] {
    for (const auto& d : reader.take_diagnostics()) {
      messages.push_back(d.message);
      taken_after.push_back(returned);
    }
  };
  take();
  Record r = s.ev->record();
  std::string id;
  while (reader.next(r, id)) {
    take();
    ++returned;
  }
  take();
  auto want = Scan::records_before(messages);
  BOOST_TEST_REQUIRE(want.size() > 10u);
  std::size_t early = 0;
  for (std::size_t i = 0; i < want.size(); ++i)
    if (taken_after[i] != want[i] && ++early <= 3)
      BOOST_ERROR("`" << messages[i] << "` taken with record " << taken_after[i] << ", but it comes after record "
                      << want[i]);
  BOOST_TEST(early == 0u);
}

BOOST_AUTO_TEST_CASE(record_reader_counts_each_byte_once) {
  // bytes_read() at the end of a file is the file's size (a progress bar ends at 100%).
  Scan s;
  for (std::size_t n : {std::size_t{3}, std::size_t{10000}}) {
    std::string csv = "id,company_size\n";
    for (std::size_t i = 0; i < n; ++i) csv += "r" + std::to_string(i) + "," + std::to_string(i) + "\n";
    auto p = s.dir.write("count" + std::to_string(n) + ".csv", csv);
    RecordReader reader(*s.ev, p);
    Record r = s.ev->record();
    std::string id;
    std::size_t records = 0;
    while (reader.next(r, id)) ++records;
    BOOST_TEST(records == n);
    BOOST_TEST(reader.bytes_read() == csv.size(), "bytes_read " << reader.bytes_read() << " for " << csv.size());
  }
}

BOOST_AUTO_TEST_CASE(batches_are_about_chunk_bytes_of_input) {
  // Memory stays bounded and progress is reported as the scan goes: a file is handed out in
  // many batches when chunk_bytes is small, each about chunk_bytes of input.
  Scan s;
  std::string csv = "id,company_size\n";
  for (int i = 0; i < 2000; ++i) csv += "r" + std::to_string(i) + "," + std::to_string(i) + "\n";
  auto p = s.dir.write("small_lines.csv", csv);
  for (std::size_t chunk : {std::size_t{64}, std::size_t{1024}})
    for (unsigned threads : {1u, 2u}) {
      ScanOptions opt;
      opt.chunk_bytes = chunk;
      opt.threads = threads;
      std::size_t batches = 0, largest = 0;
      std::uint64_t last = 0, widest = 0;
      auto stats = scan_records(*s.ev, std::vector<fs::path>{p}, kNow, opt, [&](const ScanBatch& b) {
        ++batches;
        largest = std::max(largest, b.records.size());
        widest = std::max(widest, b.bytes_done - last);
        last = b.bytes_done;
        return true;
      });
      const std::string what = "chunk_bytes=" + std::to_string(chunk) + " threads=" + std::to_string(threads);
      BOOST_TEST(stats.records == 2000u, what);
      BOOST_TEST(stats.bytes == csv.size(), what << ": stats.bytes " << stats.bytes << " for " << csv.size());
      BOOST_TEST(batches >= csv.size() / (4 * chunk),
                 what << ": " << batches << " batches for " << csv.size() << " bytes");
      BOOST_TEST(widest <= 4 * chunk, what << ": a batch of " << widest << " bytes, " << largest << " records");
    }
}

BOOST_AUTO_TEST_CASE(no_files_and_empty_data) {
  Scan s;
  std::size_t calls = 0;
  auto stats = scan_records(*s.ev, std::span<const fs::path>{}, kNow, {}, [&](const ScanBatch&) {
    ++calls;
    return true;
  });
  BOOST_TEST(stats.records == 0u);
  BOOST_TEST(stats.bytes == 0u);
  BOOST_TEST(!stats.stopped);
  BOOST_TEST(calls == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

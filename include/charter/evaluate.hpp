// charter — evaluate criteria, scores and funnel stages on lead records.
//
//   auto loaded = charter::load_charter({"charter"});
//   if (!loaded.ok()) return 1;
//   charter::Evaluator ev(loaded.charter());                     // compiles every expression once
//   charter::Record lead = ev.record();
//   lead.set("company_size", std::int64_t{250});
//   lead.set("country", std::string("DE"));
//   auto result = ev.evaluate(lead, charter::parse_datetime("2026-11-28T12:00:00Z").value());
//   bool mql = result.criteria[ev.criteria_index("mql").value()];
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <charter/charter.hpp>

namespace charter {

/// The value of one field of a record: null (absent), or a value of the field's type.
/// Integers are `std::int64_t`, numbers `double`, lists `std::vector<std::string>`.
using Value = std::variant<std::monostate, bool, std::int64_t, double, std::string, Date, DatetimeValue,
                           std::vector<std::string>>;

/// An RFC 3339 datetime with an offset (`2026-11-28T12:00:00Z`), or nullopt.
std::optional<DatetimeValue> parse_datetime(std::string_view text) noexcept;

class Evaluator;

/// One lead: a value per field of the charter, all null to start with. Made by
/// `Evaluator::record()`; cheap to copy and to reuse (`clear()`).
class Record {
 public:
  /// Sets a field by id. Throws `charter::Error` for an unknown field id or a value whose
  /// type is not the field's type (integers are accepted for `number` fields).
  void set(std::string_view field, Value value);
  /// Sets a field by index (`Evaluator::field_index`), same checks.
  void set(std::size_t field, Value value);
  /// The value of a field (null when unset). Throws `charter::Error` for an unknown id.
  const Value& get(std::string_view field) const;
  /// Makes every field null again.
  void clear() noexcept;

 private:
  friend class Evaluator;
  friend class RecordReader;
  std::shared_ptr<const void> layout_;  // the evaluator's compiled program (identity check)
  const Charter::Impl* impl_ = nullptr;
  std::vector<Value> values_;
};

/// What a record evaluates to.
struct Evaluation {
  std::vector<double> scores;  ///< per score, in charter order (capped at `max`)
  std::vector<bool> criteria;  ///< per criteria, in charter order
  /// Index of the furthest funnel stage whose `entry` holds, or nullopt when none does.
  /// Every earlier stage counts as passed.
  std::optional<std::size_t> stage;
};

/// One node of an explanation: a sub-expression, its value, and how it was reached.
struct Explanation {
  std::string text;   ///< the sub-expression as written (or `id` for a criteria/score)
  std::string value;  ///< its value: `true`, `false`, `null`, `35`, `"DE"`, ...
  std::vector<Explanation> children;
};

/// Evaluates a charter's criteria, scores and stages. Build one per charter and reuse it;
/// it is immutable after construction and safe to use from several threads at once.
/// Semantics (docs/format.md): every comparison with null is false (`!=` included); a null
/// boolean counts as false; `matches` is an RE2 search; `/` is real division and division
/// by zero gives null; arithmetic with null gives null; string operators are case-sensitive.
class Evaluator {
 public:
  /// Compiles every expression of `charter`. Throws `charter::Error` when the charter has
  /// expressions that did not type-check (evaluate only a charter whose load was ok()).
  explicit Evaluator(const Charter& charter);
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;
  Evaluator(Evaluator&&) noexcept;
  Evaluator& operator=(Evaluator&&) noexcept;

  /// The charter this evaluator was built from.
  const Charter& charter() const noexcept;
  /// A record with every field null.
  Record record() const;
  std::optional<std::size_t> field_index(std::string_view id) const noexcept;
  std::optional<std::size_t> score_index(std::string_view id) const noexcept;
  std::optional<std::size_t> criteria_index(std::string_view id) const noexcept;

  /// Scores, criteria and the stage of `record` at time `now` (never the clock).
  /// Throws `charter::Error` for a record made by another evaluator.
  Evaluation evaluate(const Record& record, const DatetimeValue& now) const;
  /// The same into `out`, reusing its storage (no allocation per record in a loop).
  void evaluate(const Record& record, const DatetimeValue& now, Evaluation& out) const;

  /// Why criteria, score or stage `id` has its value for `record` (criteria are looked up
  /// first, then scores, then stages). nullopt for an unknown id.
  std::optional<Explanation> explain(const Record& record, const DatetimeValue& now, std::string_view id) const;

  struct Program;

 private:
  std::shared_ptr<const Program> program_;
};

/// Renders an explanation as an indented tree, one node per line:
/// `mql = false` / `  fit_score >= 40 = false` / `    fit_score = 35` ...
std::string to_text(const Explanation& e);

}  // namespace charter

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
#include <span>
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
class Batch;
struct BatchResult;

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
  friend class Batch;
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

  /// Scores, criteria and stages of every row of `batch` at time `now`, column by column
  /// (much faster than one record at a time). `out` is resized to the batch and its storage
  /// reused. Throws `charter::Error` for a batch made by another evaluator.
  void evaluate(const Batch& batch, const DatetimeValue& now, BatchResult& out) const;

  /// Whether a boolean expression of this charter holds for `record` (e.g. an SLA's
  /// `applies_to`). Throws `charter::Error` for an expression that did not type-check or a
  /// record made by another evaluator.
  bool holds(const Expression& expression, const Record& record, const DatetimeValue& now) const;
  /// The same for every row of `batch`, column by column: `out[row]` is 1 where it holds
  /// (`out` is resized to the batch).
  void holds(const Expression& expression, const Batch& batch, const DatetimeValue& now,
             std::vector<std::uint8_t>& out) const;

  /// Why criteria, score or stage `id` has its value for `record` (criteria are looked up
  /// first, then scores, then stages). nullopt for an unknown id.
  std::optional<Explanation> explain(const Record& record, const DatetimeValue& now, std::string_view id) const;

  struct Program;

 private:
  friend class Batch;
  std::shared_ptr<const Program> program_;
};

/// Records stored by column: an id per row and, for every field of the charter, a column of
/// typed values (null allowed). `scan_records` fills batches from CRM exports; a program can
/// fill one from its own data, cell by cell or a column at a time, and evaluate it with
/// `Evaluator::evaluate(batch, now, result)`:
///
///   charter::Batch batch(ev);
///   for (const auto& lead : leads) batch.add_row(lead.id);
///   batch.set_integers(*ev.field_index("company_size"), sizes);   // one value per row
///   charter::BatchResult result;
///   ev.evaluate(batch, now, result);
///   bool mql = result.criteria[*ev.criteria_index("mql")][0];
class Batch {
 public:
  /// An empty batch for `evaluator`'s charter.
  explicit Batch(const Evaluator& evaluator);
  ~Batch();
  Batch(Batch&&) noexcept;
  Batch& operator=(Batch&&) noexcept;
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;

  /// Number of rows.
  std::size_t size() const noexcept;
  /// Removes every row, keeping the storage.
  void clear() noexcept;
  /// Appends a row with id `id` and every field null; returns its index.
  std::size_t add_row(std::string_view id);

  /// Sets one cell. The same type rules as `Record::set` (integers are accepted for `number`
  /// fields); throws `charter::Error` for an unknown field, a row out of range or a value of
  /// another type.
  void set(std::size_t row, std::size_t field, const Value& value);
  void set(std::size_t row, std::string_view field, const Value& value);

  /// Sets rows [0, values.size()) of one column at once; `null`, when not empty, has the same
  /// length and marks null cells with a non-zero byte. Throws `charter::Error` when the field
  /// has another type, when the batch has fewer rows, or when `null` has another length.
  void set_integers(std::size_t field, std::span<const std::int64_t> values, std::span<const std::uint8_t> null = {});
  void set_numbers(std::size_t field, std::span<const double> values, std::span<const std::uint8_t> null = {});
  /// Booleans as bytes: zero is false, anything else true.
  void set_booleans(std::size_t field, std::span<const std::uint8_t> values, std::span<const std::uint8_t> null = {});
  /// Strings are copied into the batch.
  void set_strings(std::size_t field, std::span<const std::string_view> values,
                   std::span<const std::uint8_t> null = {});
  void set_dates(std::size_t field, std::span<const Date> values, std::span<const std::uint8_t> null = {});
  void set_datetimes(std::size_t field, std::span<const DatetimeValue> values, std::span<const std::uint8_t> null = {});

  /// The id of a row. Throws `charter::Error` for a row out of range.
  std::string_view id(std::size_t row) const;
  /// The value of one cell (null when unset). Throws `charter::Error` when out of range.
  Value get(std::size_t row, std::size_t field) const;
  /// Copies row `row` into `out` (a record made by the same evaluator), e.g. to `explain` it.
  void get(std::size_t row, Record& out) const;

  struct Impl;

 private:
  friend class Evaluator;
  friend struct BatchAccess;
  std::unique_ptr<Impl> impl_;
};

/// What every row of a batch evaluates to, stored by column.
struct BatchResult {
  std::size_t size = 0;                             ///< rows
  std::vector<std::vector<double>> scores;          ///< [score][row], capped at `max`
  std::vector<std::vector<std::uint8_t>> criteria;  ///< [criteria][row]: 1 holds, 0 does not
  /// [row]: index of the furthest funnel stage whose `entry` holds, or -1 when none does.
  std::vector<std::int32_t> stage;
};

/// Renders an explanation as an indented tree, one node per line:
/// `mql = false` / `  fit_score >= 40 = false` / `    fit_score = 35` ...
std::string to_text(const Explanation& e);

}  // namespace charter

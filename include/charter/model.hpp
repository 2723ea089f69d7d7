// charter — the model: plain data that a loaded charter hands out.
//
// Lifetime: every object here is owned by the `Charter` it came from; references, pointers
// and the `std::string_view`s in these structs (they point into the loaded source text, with
// no copy) stay valid as long as that `Charter` (or a copy of its handle) lives.
// Thread-safety: a loaded `Charter` is immutable; share it freely between threads.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <charter/expr.hpp>

namespace charter {

/// Where a model object was defined. Resolve it with `Charter::span()`.
struct SourceRef {
  std::uint32_t file = UINT32_MAX;  ///< index into `Charter::files()`
  std::uint32_t node = 0;           ///< node of the file's source map
  bool valid() const noexcept { return file != UINT32_MAX; }
};

/// `x-` extension keys of an object, with their values as JSON text. Kept, never flagged.
using Extensions = std::map<std::string_view, std::string_view>;

/// A parsed expression of the criteria language (`when`, `entry`, `applies_to`).
struct Expression {
  std::string_view text;                 ///< the expression as written
  std::shared_ptr<const ExprNode> root;  ///< null when the expression has errors
  SourceRef where;
  bool ok() const noexcept { return root != nullptr; }
};

/// Business time or wall-clock duration as written: `90m`, `8h`, `10d`, `2w`.
using Duration = DurationValue;

struct Organization {
  std::string_view name;
  std::string_view locale = "en";         ///< default locale
  std::vector<std::string_view> locales;  ///< every locale used (includes `locale`)
  std::string_view timezone = "UTC";      ///< default IANA time zone
  int fiscal_year_start = 1;              ///< first month of the fiscal year, 1..12
  Duration max_meeting_interval{6, 'w'};  ///< longest allowed meeting cadence (CH0803)
  Extensions extensions;
  SourceRef where;
};

struct Team {
  std::string_view id, name, contact, description;
  Extensions extensions;
  SourceRef where;
};

enum class TermStatus : std::uint8_t { Draft, Approved, Deprecated };
const char* to_string(TermStatus s) noexcept;

struct Translation {
  std::string_view locale;
  std::string_view term, definition;
  std::vector<std::string_view> aliases, avoid;
  SourceRef where;
};

/// A glossary term.
struct Term {
  std::string_view id;
  std::string_view term;  ///< preferred label in the default locale
  std::string_view abbreviation;
  std::string_view definition;  ///< Markdown
  TermStatus status = TermStatus::Draft;
  std::string_view owner;  ///< team id, may be empty
  std::vector<std::string_view> aliases, avoid;
  std::string_view broader;  ///< term id, may be empty
  std::vector<std::string_view> related;
  std::string_view replaced_by;
  std::vector<std::string_view> examples;
  std::vector<Translation> translations;  ///< in file order
  Extensions extensions;
  SourceRef where;
  /// The translation for `locale`, or nullptr.
  const Translation* translation(std::string_view locale) const noexcept;
};

enum class FieldType : std::uint8_t { Integer, Number, String, Boolean, Date, Datetime, List };
const char* to_string(FieldType t) noexcept;

/// A field of the lead record that criteria and scores read.
struct Field {
  std::string_view id;
  FieldType type = FieldType::String;
  std::string_view term, description;
  std::vector<std::string_view> values;                 ///< allowed values (enum / picklist), may be empty
  std::map<std::string_view, std::string_view> source;  ///< CRM name -> column header
  Extensions extensions;
  SourceRef where;
};

struct ScoreRule {
  Expression when;
  double points = 0;
  SourceRef where;
};

/// A lead score: the sum of the points of the rules that hold, capped at `max`.
struct Score {
  std::string_view id, term, description;
  std::vector<ScoreRule> rules;
  std::optional<double> max;
  Extensions extensions;
  SourceRef where;
};

/// A named boolean condition over a record.
struct Criteria {
  std::string_view id, term, description;
  Expression when;
  Extensions extensions;
  SourceRef where;
};

struct Stage {
  std::string_view id, name, owner, term, description;
  std::optional<Expression> entry;                      ///< criteria id or inline expression
  std::map<std::string_view, std::string_view> source;  ///< CRM name -> "date entered stage" column
  Extensions extensions;
  SourceRef where;
};

struct Exit {
  std::string_view id, name, description;
  std::vector<std::string_view> reasons;
  Extensions extensions;
  SourceRef where;
};

struct Funnel {
  std::vector<Stage> stages;  ///< in order, top to bottom
  std::vector<Exit> exits;
  std::string_view recycle_to;  ///< stage id, may be empty
  Extensions extensions;
  SourceRef where;
};

/// Open interval of a day in minutes since local midnight; `end` may be 1440 (24:00).
struct OpenInterval {
  int start = 0, end = 0;
};

struct Holiday {
  enum class Kind : std::uint8_t { Day, Range, EveryYear };
  Kind kind = Kind::Day;
  Date from, to;          ///< Day: from == to; EveryYear: year is 0
  std::string_view name;  ///< may be empty
  SourceRef where;
};

struct Calendar {
  std::string_view id, name, timezone;
  std::array<std::vector<OpenInterval>, 7> hours;  ///< index 0 = Monday ... 6 = Sunday, sorted
  std::vector<Holiday> holidays;
  Extensions extensions;
  SourceRef where;
};

enum class SlaType : std::uint8_t { Response, Attempts, Volume, Conversion };
const char* to_string(SlaType t) noexcept;
enum class Period : std::uint8_t { Week, Month, Quarter, Year };
const char* to_string(Period p) noexcept;

/// Which events an SLA clock reacts to: entering a stage, or an activity of some kinds.
struct EventMatch {
  std::string_view stage;                  ///< stage id, or empty
  std::vector<std::string_view> activity;  ///< activity kinds, or empty
  SourceRef where;
  bool empty() const noexcept { return stage.empty() && activity.empty(); }
};

/// A service-level agreement between two teams.
struct Sla {
  std::string_view id, name, description;
  std::string_view provider, customer;  ///< team ids
  SlaType type = SlaType::Response;
  EventMatch start, stop, count;           ///< response/attempts: start, stop; volume: count
  std::vector<std::string_view> activity;  ///< attempts: the activity kinds that count
  std::optional<double> at_least;          ///< attempts/volume: a count; conversion: a fraction
  std::string_view from, to;               ///< conversion: stage ids
  std::optional<Duration> within;
  std::string_view calendar;        ///< calendar id, may be empty (wall-clock)
  std::optional<double> warn_at;    ///< fraction of `within`
  std::optional<double> objective;  ///< fraction of items that must meet it per period
  std::optional<Period> period;
  std::optional<Expression> applies_to;
  Extensions extensions;
  SourceRef where;
};

struct Goal {
  std::string_view id, name;
  Date from, to;
  std::optional<double> revenue;
  std::string_view currency;
  std::optional<double> marketing_share;  ///< fraction
  std::optional<double> average_deal;
  std::optional<Duration> sales_cycle;
  std::vector<std::pair<std::string_view, double>> conversion;  ///< stage id -> rate to the next stage
  Extensions extensions;
  SourceRef where;
};

struct Meeting {
  std::string_view id, name;
  std::optional<Duration> every;
  std::vector<std::string_view> attendees;  ///< team ids
  std::vector<std::string_view> agenda;
  Extensions extensions;
  SourceRef where;
};

struct LintConfig {
  std::vector<std::string_view> paths, exclude;
  std::vector<std::pair<std::string_view, std::string_view>> languages;  ///< glob -> locale
  Extensions extensions;
  SourceRef where;
};

}  // namespace charter

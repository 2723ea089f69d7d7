// Internal: what a Charter holds, and the diagnostics reporter shared by load and check.
#pragma once

#include <charter/charter.hpp>

#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "diag/catalog.hpp"
#include "yaml/tree.hpp"

namespace charter {

/// One wording of a term in the lookup index: sorted by hash, verified on lookup, so the
/// index costs 24 bytes per wording instead of a copy of every folded string.
struct TermIndexEntry {
  std::uint64_t hash;
  std::uint32_t term;
  std::int32_t tr;     ///< translation index, -1 for the default locale
  std::uint32_t item;  ///< alias/avoid index
  MatchKind kind;
};

struct Charter::Impl {
  Organization organization;
  bool has_organization = false;
  std::vector<Team> teams;
  std::vector<Term> glossary;
  std::vector<Field> fields;
  std::vector<Score> scores;
  std::vector<Criteria> criteria;
  Funnel funnel;
  bool has_funnel = false;
  std::vector<Calendar> calendars;
  std::vector<Sla> slas;
  std::vector<Goal> goals;
  std::vector<Meeting> meetings;
  LintConfig lint;
  bool has_lint = false;
  Extensions extensions;

  std::vector<std::string> files;  // display names
  std::deque<std::string> owned;   // text not in any source (x- values as JSON)
  std::string_view own(std::string s) { return owned.emplace_back(std::move(s)); }
  std::vector<std::shared_ptr<detail::yaml::Tree>> trees;  // source maps, one per file

  // id -> index (first definition wins)
  std::unordered_map<std::string_view, std::size_t> team_ix, term_ix, field_ix, score_ix, criteria_ix, stage_ix,
      exit_ix, calendar_ix, sla_ix, goal_ix, meeting_ix;
  std::vector<TermIndexEntry> lookup;  // sorted by hash, stable
  const std::string_view* wording(const TermIndexEntry& e) const;

  Span span(SourceRef ref) const;
  Span span_of_node(std::uint32_t file, std::uint32_t node) const;
  /// Span of the value of `key` in the mapping at ref (or the mapping itself when absent).
  Span span_key(SourceRef ref, std::string_view key) const;
  /// Span of item `i` of the sequence under `key`.
  Span span_item(SourceRef ref, std::string_view key, std::size_t i) const;
  /// Node of the value of key (kNone if absent).
  std::uint32_t node_of(SourceRef ref, std::string_view key) const;
  void build_indexes();
};

/// The library's access to the private parts of Charter and LoadResult.
struct LoaderAccess {
  static Charter::Impl& impl(LoadResult& r, std::shared_ptr<Charter::Impl>& keep) {
    r.charter_.impl_ = keep;
    return *keep;
  }
  static std::vector<Diagnostic>& diags(LoadResult& r) { return r.diagnostics_; }
  static std::vector<std::string>& skipped(LoadResult& r) { return r.skipped_; }
  static const Charter::Impl& impl_of(const LoadResult& r) { return *r.charter_.impl_; }
  static const Charter::Impl& impl_of_charter(const Charter& c) { return *c.impl_; }
};

namespace detail {

/// Collects diagnostics with positions resolved from the source maps.
class Reporter {
 public:
  explicit Reporter(const Charter::Impl& impl) : impl_(impl) {}
  Diagnostic& add(Code code, Span span, std::string message, std::string label = {});
  Diagnostic& add_at(Code code, std::uint32_t file, std::uint32_t node, std::string message, std::string label = {});
  std::vector<Diagnostic>& all() { return diags_; }
  const Charter::Impl& impl() const { return impl_; }

 private:
  const Charter::Impl& impl_;
  std::vector<Diagnostic> diags_;
};

/// Sets help/suggestion to the closest candidate, if any.
void suggest(Diagnostic& d, std::string_view word, const std::vector<std::string>& candidates,
             const std::string& what = {});

/// Semantic checks over a merged model (src/check).
void run_checks(Charter::Impl& impl, Reporter& rep, const LoadOptions& options);

/// Parses and type-checks every expression of the model (src/expr).
void check_expressions(Charter::Impl& impl, Reporter& rep);

}  // namespace detail
}  // namespace charter

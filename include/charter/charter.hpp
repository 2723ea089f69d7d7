// charter — load a charter and query it.
//
//   auto loaded = charter::load_charter({"charter.yaml"});        // never throws on bad input
//   charter::render(std::cerr, charter::OutputFormat::Text, loaded, {.color = charter::stderr_wants_color()});
//   if (!loaded.ok()) return 1;
//   const charter::Charter& c = loaded.charter();
//   if (auto hit = c.lookup_term("hot lead"))                    // label, alias or avoid-word, any locale
//     std::cout << hit->term->term << (hit->kind == charter::MatchKind::Avoid ? " (say this instead)" : "");
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <charter/diagnostics.hpp>
#include <charter/model.hpp>

namespace charter {

/// Thrown only for misuse of the API (an index out of range, a default-constructed handle).
/// Problems in the input are never exceptions: they are `Diagnostic`s.
class Error : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

/// How a lookup string matched a term.
enum class MatchKind : std::uint8_t { Id, Label, Abbreviation, Alias, Avoid };
const char* to_string(MatchKind k) noexcept;

/// The result of `Charter::lookup_term`.
struct TermMatch {
  const Term* term = nullptr;  ///< the canonical term (owned by the Charter)
  MatchKind kind = MatchKind::Label;
  std::string locale;  ///< locale of the matched wording ("" for id)
};

/// A loaded, merged charter. Immutable, cheap to copy (a shared handle), safe to share
/// between threads. Everything it hands out lives as long as any copy of it.
class Charter {
 public:
  Charter();  ///< an empty charter

  const Organization& organization() const noexcept;
  std::span<const Team> teams() const noexcept;
  std::span<const Term> glossary() const noexcept;
  std::span<const Field> fields() const noexcept;
  std::span<const Score> scores() const noexcept;
  std::span<const Criteria> criteria() const noexcept;
  const Funnel& funnel() const noexcept;
  std::span<const Calendar> calendars() const noexcept;
  std::span<const Sla> slas() const noexcept;
  std::span<const Goal> goals() const noexcept;
  std::span<const Meeting> meetings() const noexcept;
  const LintConfig& lint() const noexcept;
  /// Top-level `x-` keys of all files.
  const Extensions& extensions() const noexcept;

  /// By id; nullptr when absent.
  const Team* team(std::string_view id) const noexcept;
  const Term* term(std::string_view id) const noexcept;
  const Field* field(std::string_view id) const noexcept;
  const Score* score(std::string_view id) const noexcept;
  const Criteria* find_criteria(std::string_view id) const noexcept;
  const Stage* stage(std::string_view id) const noexcept;
  const Exit* exit(std::string_view id) const noexcept;
  const Calendar* calendar(std::string_view id) const noexcept;
  const Sla* sla(std::string_view id) const noexcept;
  const Goal* goal(std::string_view id) const noexcept;
  const Meeting* meeting(std::string_view id) const noexcept;

  /// Finds a term by id, preferred label, abbreviation, alias or avoid-word in any
  /// locale, case-insensitively (Unicode simple case folding for Latin, Greek and
  /// Cyrillic; other scripts compare exactly). Leading/trailing spaces are ignored.
  std::optional<TermMatch> lookup_term(std::string_view text) const;

  /// Position of a funnel stage (0 = top) or nullopt for exits and unknown ids.
  std::optional<std::size_t> stage_index(std::string_view id) const noexcept;

  /// Whether a record may move from stage/exit `from` to stage/exit `to`: forward to any
  /// later stage (skipping allowed), any stage to an exit, an exit to `recycle_to`.
  /// Nothing else (not backwards, not to itself). Unknown ids give false.
  bool transition_allowed(std::string_view from, std::string_view to) const noexcept;

  /// Files that form this charter, in load order, as given/relative paths.
  std::span<const std::string> files() const noexcept;

  /// The span of the node `ref`, or of its child `key` (a mapping key) when given (the
  /// node's own span when the key is absent). An invalid (default) ref gives an empty span;
  /// a ref that does not belong to this charter throws `charter::Error`.
  Span span(SourceRef ref, std::string_view key = {}) const;

  struct Impl;  ///< implementation detail

 private:
  friend class LoadResult;
  friend struct LoaderAccess;
  std::shared_ptr<const Impl> impl_;
};

/// Options of `load_charter`.
struct LoadOptions {
  bool strict = false;                     ///< turn on rules that are off by default (CH0407)
  std::vector<std::string> disable;        ///< codes to drop
  std::vector<std::string> warn;           ///< codes to downgrade to warnings
  std::size_t max_file_bytes = 64u << 20;  ///< larger files get CH0005
  unsigned threads = 0;  ///< parser threads; 0 = one per core the process may run on (files in parallel; a file of 1
                         ///< MiB or more in two halves)
};

/// The outcome of loading: the merged charter (partial when there are errors) and every
/// diagnostic of every file, sorted by file, line and column.
class LoadResult {
 public:
  /// True when no diagnostic is an error.
  bool ok() const noexcept;
  const Charter& charter() const noexcept { return charter_; }
  const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }
  /// The text of line `line` (1-based) of `file` as loaded, without its line break; empty
  /// when unknown. Used by the text renderer to show source lines.
  std::string_view source_line(std::string_view file, int line) const;
  /// Files that were visited but are not part of the charter (CH0007 notes).
  const std::vector<std::string>& skipped_files() const noexcept { return skipped_; }

 private:
  friend struct LoaderAccess;
  Charter charter_;
  std::vector<Diagnostic> diagnostics_;
  std::vector<std::string> skipped_;
};

/// Loads the charter formed by `paths` (files and directories). A directory is walked
/// for `*.yaml`/`*.yml` (dot-folders skipped; YAML without a `charter` key skipped with a
/// CH0007 note); a file brings what it includes. Never throws on bad input: unreadable
/// paths become CH0001 diagnostics.
[[nodiscard]] LoadResult load_charter(const std::vector<std::filesystem::path>& paths, const LoadOptions& options = {});

/// Loads a one-file charter held in memory. `name` is used as the file name in
/// diagnostics; `include` is not allowed (reported as CH0212) since there is no folder.
[[nodiscard]] LoadResult load_charter_from_string(std::string_view yaml, std::string_view name = "<string>",
                                                  const LoadOptions& options = {});

/// The library version, "MAJOR.MINOR.PATCH".
std::string_view version() noexcept;

}  // namespace charter

// charter — the prose linter: documents held to the glossary's wording.
//
//   auto loaded = charter::load_charter({"charter"});
//   auto result = charter::lint_paths(loaded.charter(), {"docs"});
//   charter::render(std::cout, charter::OutputFormat::Text, result);
//   return result.ok() ? 0 : 1;
#pragma once

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <charter/charter.hpp>
#include <charter/render.hpp>

namespace charter {

struct LintOptions {
  std::vector<std::string> disable;     ///< codes to drop
  std::vector<std::string> warn;        ///< codes to report as warnings
  bool report_unused_disables = false;  ///< report suppression comments that suppressed nothing (CH1104)
  unsigned threads = 0;                 ///< 0 = one per core the process may run on
};

/// One document's text after `--fix`: only unambiguous replacements applied.
struct LintFix {
  std::string file;    ///< as in the diagnostics
  std::string path;    ///< where it was read from
  std::string before;  ///< the original bytes
  std::string after;   ///< with the fixes applied
  std::size_t fixes = 0;
};

/// The findings of a lint run, sorted by file (in the order given) and position.
class LintResult {
 public:
  LintResult();
  /// True when no diagnostic is an error.
  bool ok() const noexcept;
  const std::vector<Diagnostic>& diagnostics() const noexcept;
  /// The documents linted, in order, as shown in diagnostics.
  const std::vector<std::string>& files() const noexcept;
  /// Line `line` (1-based) of `file` without its line break; empty when unknown.
  std::string_view source_line(std::string_view file, int line) const;
  /// The documents that unambiguous fixes would change, with their new text.
  std::vector<LintFix> fixes() const;

  struct Impl;  ///< implementation detail

 private:
  std::shared_ptr<Impl> impl_;
  friend struct LintAccess;
};

/// Lints documents (Markdown, HTML, anything else as plain text). `paths` are files and
/// folders (walked for *.md, *.markdown, *.mdx, *.html, *.htm, *.txt; dot-folders skipped);
/// when empty, the charter's `lint.paths` globs (relative to the folder of the file that
/// defines `lint`) minus `lint.exclude`. A path that does not exist or cannot be read is a
/// CH1106 error; the other documents are still linted.
[[nodiscard]] LintResult lint_paths(const Charter& charter, const std::vector<std::string>& paths,
                                    const LintOptions& options = {});

/// A charter loaded and, when it has no errors, the documents linted against it.
struct LoadedAndLinted {
  LoadResult loaded;
  std::optional<LintResult> linted;  ///< empty when `loaded` has errors
};

/// `load_charter(charter_paths, load_options)`, then `lint_paths` when it has no errors; with
/// `paths` given, the documents are read and scanned on the other cores while the charter
/// loads (what `charter lint` does).
[[nodiscard]] LoadedAndLinted load_and_lint(const std::vector<std::filesystem::path>& charter_paths,
                                            const std::vector<std::string>& paths, const LintOptions& options = {},
                                            const LoadOptions& load_options = {});

/// Lints one document held in memory; `name` picks its kind by extension and is the file name
/// in diagnostics.
[[nodiscard]] LintResult lint_text(const Charter& charter, std::string_view text, std::string_view name,
                                   const LintOptions& options = {});

/// Writes the findings like `charter validate --format ...` does.
void render(std::ostream& out, OutputFormat format, const LintResult& result, const RenderOptions& options = {});

/// Appends the Markdown table of findings to `path` (GitHub's step summary); false on failure.
[[nodiscard]] bool append_markdown_summary(const std::string& path, const LintResult& result);

/// A unified diff (`--- a/FILE`, `+++ b/FILE`, hunks with 3 lines of context) of each fix.
std::string unified_diff(const std::vector<LintFix>& fixes);

}  // namespace charter

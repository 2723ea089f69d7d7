// charter — the charter as documentation people read: a static HTML site or Markdown.
//
//   auto loaded = charter::load_charter({"examples/acme"});
//   if (!loaded.ok()) return 1;                        // render only a charter without errors
//   auto files = charter::render_docs(loaded.charter(), {.format = charter::DocsFormat::Html});
//   auto written = charter::write_docs(files, "site", {.force = false});
//   if (!written) std::cerr << written.error << '\n';
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <charter/charter.hpp>

namespace charter {

/// Output formats of `render_docs`.
enum class DocsFormat : std::uint8_t { Html, Markdown };

/// Parses "html" or "markdown" (also "md").
std::optional<DocsFormat> parse_docs_format(std::string_view name) noexcept;

struct DocsOptions {
  DocsFormat format = DocsFormat::Html;
  /// Locale of labels and definitions (e.g. "zh"); empty = the charter's default locale.
  /// A term without a translation in this locale falls back to the default locale, marked.
  std::string locale;
  /// Site title; empty = the organization's name.
  std::string title;
  /// HTML: a glossary with more terms than this is split into pages by initial letter, at most
  /// this many terms each (glossary/c.html, c-2.html, ...), with the search index in a shared
  /// file. 0 = the default (1,000).
  std::size_t terms_per_page = 0;
};

/// One output file: a path relative to the output folder ('/'-separated) and its bytes.
struct DocsFile {
  std::string path;
  std::string content;
};

/// Renders the whole site (or Markdown set) in memory, sorted by path. Deterministic: the same
/// charter and options give byte-identical files (no timestamps, stable order). Every value of
/// the charter is escaped; raw HTML in Markdown definitions is never passed through (it shows
/// as text) and links other than http(s), mailto, tel and relative ones keep only their text. Works on a charter with
/// errors too, but callers should refuse to publish one.
std::vector<DocsFile> render_docs(const Charter& charter, const DocsOptions& options = {});

/// The funnel as a standalone SVG image: one shape per stage, in order, coloured by owner team,
/// with the exits. `locale` picks stage labels (stage names are not translated: the term's
/// translation is used when the stage refers to a term).
std::string funnel_svg(const Charter& charter, std::string_view locale = {});

struct WriteDocsOptions {
  /// Write into an existing non-empty folder that `write_docs` did not create. Even then only
  /// the files being written are replaced; nothing else is deleted.
  bool force = false;
};

/// The outcome of `write_docs`: `ok()` or an error message for people.
struct [[nodiscard]] WriteDocsResult {
  std::string error;        ///< empty on success
  std::size_t written = 0;  ///< files written
  std::size_t removed = 0;  ///< stale files of an earlier run removed (only files it wrote)
  bool ok() const noexcept { return error.empty(); }
  explicit operator bool() const noexcept { return ok(); }
};

/// The name of the manifest that `write_docs` leaves in the folder: the files it wrote.
inline constexpr std::string_view kDocsManifest = ".charter-docs";

/// Writes `files` into folder `dir` safely:
/// - everything is written to a temporary folder next to `dir` first and moved into place at
///   the end, so a failure never leaves a half-written site;
/// - an existing non-empty `dir` without the manifest of an earlier run is refused unless
///   `options.force`; with a manifest, files of the earlier run that are no longer produced are
///   removed (and only those);
/// - paths that would leave `dir` (absolute, `..`) are refused.
WriteDocsResult write_docs(const std::vector<DocsFile>& files, const std::string& dir,
                           const WriteDocsOptions& options = {});

}  // namespace charter

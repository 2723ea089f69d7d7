// charter — render diagnostics for people and machines.
#pragma once

#include <iosfwd>
#include <string>

#include <charter/charter.hpp>

namespace charter {

/// Output formats of `render`.
enum class OutputFormat : std::uint8_t { Text, Json, Sarif, Github, Junit };

/// Parses "text", "json", "sarif", "github", "junit".
std::optional<OutputFormat> parse_output_format(std::string_view name) noexcept;

struct RenderOptions {
  bool color = false;        ///< ANSI colour in text output
  std::string tool_version;  ///< for SARIF's tool.driver.version (defaults to `version()`)
};

/// Writes the diagnostics of `result` to `out` in `format`:
/// - Text: rustc-style, with the source line and a caret aligned by display width;
/// - Json: `{"version":1,"diagnostics":[...]}`;
/// - Sarif: SARIF 2.1.0 with relative URIs and partialFingerprints from code+file+pointer;
/// - Github: workflow commands (`::error file=...::message`);
/// - Junit: one testsuite, one testcase per file.
void render(std::ostream& out, OutputFormat format, const LoadResult& result, const RenderOptions& options = {});

/// Appends a Markdown table of all findings to `path` (GitHub's step summary).
/// Returns false when the file cannot be written.
[[nodiscard]] bool append_markdown_summary(const std::string& path, const LoadResult& result);

/// Whether stdout / stderr is a terminal and `NO_COLOR` is unset.
bool stdout_wants_color() noexcept;
bool stderr_wants_color() noexcept;

/// The resolved, merged model as JSON (`charter export --format json`).
void export_json(std::ostream& out, const Charter& charter);

}  // namespace charter

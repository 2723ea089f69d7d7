// The renderers of diagnostics, for any command that reports them (validate, lint).
#pragma once

#include <charter/render.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace charter::detail {

/// What the renderers need of a run: its diagnostics, the files it looked at, their lines.
struct Report {
  const std::vector<Diagnostic>& diags;
  std::vector<std::string> files;
  std::function<std::string_view(std::string_view, int)> line;  ///< (file, 1-based line) -> text
  std::string ok_text;                                          ///< after "ok: " when nothing was found
  std::string command = "validate";                             ///< the subcommand, in JUnit names and the step summary
  const std::vector<Diagnostic>& diagnostics() const { return diags; }
  std::string_view source_line(std::string_view file, int l) const { return line ? line(file, l) : std::string_view(); }
};

/// Writes `report` like `charter validate --format ...`.
void render_report(std::ostream& out, OutputFormat format, const Report& report, const RenderOptions& options);
/// Appends the Markdown table of `--format github` to `path` (the step summary).
bool append_summary(const std::string& path, const Report& report);

}  // namespace charter::detail

// charter — diagnostics: the values that problems in the input become.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace charter {

/// How serious a diagnostic is. Ordered: `Note < Warning < Error`.
enum class Severity : std::uint8_t { Note, Warning, Error };

/// "note", "warning" or "error".
std::string_view to_string(Severity s) noexcept;

/// A range in a source file. Lines and columns are 1-based; columns count Unicode
/// code points. `end_line`/`end_column` point one past the last character. A span
/// with `line == 0` names a whole file (or nothing when `file` is empty too).
struct Span {
  std::string file;     ///< path as given (relative to the working directory when below it)
  int line = 0;         ///< 1-based line, 0 when the span covers the whole file
  int column = 0;       ///< 1-based column in code points
  int end_line = 0;     ///< 1-based line of the end
  int end_column = 0;   ///< 1-based column one past the end, in code points
  std::string pointer;  ///< RFC 6901 JSON pointer of the YAML node ("" for the document)
};

/// A secondary place that explains a diagnostic ("first defined here").
struct Related {
  Span span;
  std::string message;
};

/// One problem found in the input. Produced by the loader and the checks, never thrown.
struct Diagnostic {
  std::string code;  ///< stable code, `CH` + four digits (see `describe_code`)
  Severity severity = Severity::Error;
  std::string message;  ///< one line, no trailing period
  Span span;            ///< where the problem is
  std::string label;    ///< short text shown under the primary span's caret
  std::vector<Related> related;
  std::vector<std::string> notes;         ///< extra explanations ("= note: ...")
  std::string help;                       ///< "did you mean `sales`?" (empty when none)
  std::optional<std::string> suggestion;  ///< replacement text for the primary span
};

/// Documentation of one diagnostic code, as printed by `charter explain`.
struct CodeInfo {
  std::string_view code;         ///< "CH0301"
  Severity severity;             ///< default severity
  bool enabled_by_default;       ///< false for rules only `--strict` turns on
  std::string_view title;        ///< short name, e.g. "unknown team"
  std::string_view explanation;  ///< what it means and how to fix it (Markdown)
  std::string_view example;      ///< a YAML fragment that triggers it
};

/// Every diagnostic code the library can produce, in code order.
std::span<const CodeInfo> all_codes() noexcept;

/// The documentation of `code`, or nullptr when there is no such code.
const CodeInfo* describe_code(std::string_view code) noexcept;

/// Count of diagnostics at or above `at_least`.
std::size_t count_at_least(std::span<const Diagnostic> diags, Severity at_least) noexcept;

}  // namespace charter

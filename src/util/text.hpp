// Small text utilities: UTF-8, display width, edit distance, case folding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace charter {

// Concatenation of strings with the string_views of the model (std::string has no such
// operator+ before C++26). Found by ordinary lookup from code in namespace charter.
inline std::string operator+(std::string a, std::string_view b) { return a.append(b); }
inline std::string operator+(std::string_view a, const std::string& b) { return std::string(a).append(b); }
inline std::string operator+(const char* a, std::string_view b) { return std::string(a).append(b); }
inline std::string operator+(std::string_view a, const char* b) { return std::string(a).append(b); }
inline std::string operator+(std::string_view a, char b) { return std::string(a) + b; }

}  // namespace charter

namespace charter::detail {

/// Offset of the first invalid UTF-8 byte, or nullopt when `s` is valid UTF-8.
std::optional<std::size_t> find_invalid_utf8(std::string_view s) noexcept;

/// Decodes one code point at `i` (valid UTF-8 assumed; invalid bytes give U+FFFD and
/// advance by one). Advances `i`.
char32_t decode_utf8(std::string_view s, std::size_t& i) noexcept;
void append_utf8(std::string& out, char32_t cp);

/// Number of code points in `s`.
std::size_t count_code_points(std::string_view s) noexcept;

/// Terminal columns `cp` occupies (0, 1 or 2; East Asian wide and fullwidth are 2).
int display_width(char32_t cp) noexcept;
int display_width(std::string_view s) noexcept;

/// Simple Unicode case folding for ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic;
/// other code points are kept. Also trims and collapses runs of spaces.
std::string fold_case(std::string_view s);

/// Damerau-Levenshtein (optimal string alignment) distance, over code points.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word`, if it is close enough to be a likely typo.
std::optional<std::string> closest(std::string_view word, std::span<const std::string> candidates);
std::optional<std::string> closest(std::string_view word, std::span<const std::string_view> candidates);

/// Escapes a string for JSON output (without quotes).
/// With `script_safe`, also `<`, `>`, `&`, DEL and U+2028/U+2029 as \u escapes, so the string
/// is safe inside a <script> element or a script file.
void json_escape(std::string& out, std::string_view s, bool script_safe = false);

}  // namespace charter::detail

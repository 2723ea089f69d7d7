// Internal: directory walks and glob matching for charter files and includes.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace charter::detail {

/// Every `*.yaml` / `*.yml` file below `dir`, skipping dot-folders, sorted by path.
std::vector<std::filesystem::path> walk_yaml(const std::filesystem::path& dir);

/// Whether `pattern` has glob characters (`*`, `?`, `[`).
bool has_glob(std::string_view pattern) noexcept;

/// Matches a relative path (with `/` separators) against a glob: `*` and `?` within a
/// segment, `[abc]` classes, `**` for any number of segments.
bool glob_match(std::string_view pattern, std::string_view path) noexcept;

/// Files below `base` matching `pattern` (relative to base), sorted.
std::vector<std::filesystem::path> glob_files(const std::filesystem::path& base, std::string_view pattern);

/// Whether `p` is `root` or below it (both lexically normalized absolute paths).
bool is_within(const std::filesystem::path& root, const std::filesystem::path& p);

/// `p` relative to the current directory when it is below it, else `p` as given.
std::string display_path(const std::filesystem::path& p);

}  // namespace charter::detail

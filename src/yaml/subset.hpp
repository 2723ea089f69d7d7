// A fast reader for the YAML subset charters are usually written in (subset.cpp).
#pragma once

#include <cstdint>

#include "yaml/tree.hpp"

namespace charter::detail::yaml {

/// Reads `t.source` from `base` (past a byte-order mark) into `t` when the whole file is
/// in the subset and reads cleanly, giving the tree yaml-cpp's parse gives; otherwise
/// returns false and leaves `t` without nodes, for yaml-cpp to parse (and word any error).
bool parse_subset(Tree& t, std::uint32_t base, const Limits& limits);

}  // namespace charter::detail::yaml

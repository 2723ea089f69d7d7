// charter lint: test hooks of the phrase matcher (not part of its contract).
#pragma once

#include <cstddef>

namespace charter::lint::detail {

/// Sets how many dense transition entries a Matcher built from now on may use (the states
/// beyond them use sparse edges and failure links) and returns the previous budget. For tests
/// of the sparse path; 0 leaves only the root dense.
std::size_t set_dense_entries_for_testing(std::size_t entries);

}  // namespace charter::lint::detail

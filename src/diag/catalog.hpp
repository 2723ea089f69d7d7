// Internal: symbolic names for the diagnostic codes of catalog.inc.
#pragma once

#include <charter/diagnostics.hpp>

namespace charter::detail {

enum class Code : unsigned {
#define CHARTER_CODE(Name, Code, Sev, Enabled, Title, Explanation, Example) Name,
#include "diag/catalog.inc"
#undef CHARTER_CODE
};

const CodeInfo& info(Code c) noexcept;

}  // namespace charter::detail

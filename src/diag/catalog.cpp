#include "diag/catalog.hpp"

#include <algorithm>

namespace charter {

namespace {
constexpr CodeInfo kCodes[] = {
#define CHARTER_CODE(Name, Code, Sev, Enabled, Title, Explanation, Example) \
  CodeInfo{Code, Severity::Sev, Enabled, Title, Explanation, Example},
#include "diag/catalog.inc"
#undef CHARTER_CODE
};
}  // namespace

std::string_view to_string(Severity s) noexcept {
  switch (s) {
    case Severity::Note: return "note";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "error";
}

std::span<const CodeInfo> all_codes() noexcept { return kCodes; }

const CodeInfo* describe_code(std::string_view code) noexcept {
  for (const auto& c : kCodes)
    if (c.code == code) return &c;
  return nullptr;
}

std::size_t count_at_least(std::span<const Diagnostic> diags, Severity at_least) noexcept {
  return static_cast<std::size_t>(
      std::count_if(diags.begin(), diags.end(), [&](const Diagnostic& d) { return d.severity >= at_least; }));
}

namespace detail {
const CodeInfo& info(Code c) noexcept { return kCodes[static_cast<std::size_t>(c)]; }
}  // namespace detail

}  // namespace charter

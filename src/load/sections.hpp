#pragma once
#include "load/reader.hpp"
namespace charter::detail {
void read_organization(Ctx& c, std::uint32_t n);
void read_teams(Ctx& c, std::uint32_t n);
void read_glossary(Ctx& c, std::uint32_t n);
void read_fields(Ctx& c, std::uint32_t n);
void read_scores(Ctx& c, std::uint32_t n);
void read_criteria(Ctx& c, std::uint32_t n);
void read_funnel(Ctx& c, std::uint32_t n);
void read_calendars(Ctx& c, std::uint32_t n);
void read_slas(Ctx& c, std::uint32_t n);
void read_goals(Ctx& c, std::uint32_t n);
void read_meetings(Ctx& c, std::uint32_t n);
void read_lint(Ctx& c, std::uint32_t n);
}  // namespace charter::detail

// The funnel a revenue goal implies: revenue x marketing share / average deal = deals, then up
// the funnel through each stage's conversion rate. Shared by the goal check (CH0802) and docs.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include <charter/model.hpp>

#include "util/dates.hpp"

namespace charter::detail {

struct GoalPlan {
  double share = 1;   ///< marketing share (1 when not given)
  double deals = 0;   ///< revenue x share / average deal
  double months = 0;  ///< length of the period in months
  /// Stage id -> how many must reach it over the period, in funnel order: the stage after the
  /// last one with a rate receives `deals`; each stage above divides by its rate, up to the first
  /// stage without one.
  std::vector<std::pair<std::string_view, double>> needed;
  std::map<std::string_view, double> rate;  ///< stage id -> conversion rate to the next stage
};

/// The plan of `goal`, or nullopt when it lacks revenue, average deal, conversion rates or a
/// period.
inline std::optional<GoalPlan> goal_plan(const Goal& goal, std::span<const Stage> stages) {
  if (!goal.revenue || !goal.average_deal || *goal.average_deal <= 0 || goal.conversion.empty() ||
      goal.from.year == 0 || goal.to.year == 0)
    return std::nullopt;
  GoalPlan p;
  p.share = goal.marketing_share.value_or(1.0);
  p.deals = *goal.revenue * p.share / *goal.average_deal;
  double period_days = static_cast<double>(day_number(goal.to) - day_number(goal.from) + 1);
  if (period_days <= 0) return std::nullopt;
  // Whole calendar months when the period starts on a 1st and ends on a month's last day
  // (2027-01-01..2027-12-31 is 12 months), otherwise days / the average month.
  p.months = period_days / (365.2425 / 12.0);
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (goal.to.year % 4 == 0 && goal.to.year % 100 != 0) || goal.to.year % 400 == 0;
  int month_end = mdays[goal.to.month - 1] + (goal.to.month == 2 && leap ? 1 : 0);
  if (goal.from.day == 1 && goal.to.day == month_end)
    p.months = (goal.to.year - goal.from.year) * 12.0 + (goal.to.month - goal.from.month) + 1.0;
  for (auto& [st, r] : goal.conversion) p.rate[st] = r;
  int last = -1;
  for (int i = 0; i < static_cast<int>(stages.size()); ++i)
    if (p.rate.count(stages[static_cast<std::size_t>(i)].id)) last = i;
  if (last < 0) return std::nullopt;
  std::vector<std::pair<std::string_view, double>> up;  // bottom first
  if (static_cast<std::size_t>(last + 1) < stages.size())
    up.emplace_back(stages[static_cast<std::size_t>(last + 1)].id, p.deals);
  double cur = p.deals;
  for (int i = last; i >= 0; --i) {
    const auto& st = stages[static_cast<std::size_t>(i)];
    auto it = p.rate.find(st.id);
    if (it == p.rate.end() || it->second <= 0) break;
    cur /= it->second;
    up.emplace_back(st.id, cur);
  }
  p.needed.assign(up.rbegin(), up.rend());
  return p;
}

}  // namespace charter::detail

// The funnel as an SVG image: one trapezoid per stage, top to bottom, coloured by the owner
// team; the exits in a column beside it; a legend of the teams. No script, no external file.
#include <algorithm>
#include <cstdio>
#include <string>

#include "docs/docs.hpp"
#include "util/text.hpp"

namespace charter::docs {

namespace {

// Colours with white text at AA contrast, in the order of the charter's teams.
constexpr const char* kPalette[] = {"#1d4ed8", "#047857", "#b45309", "#7c3aed",
                                    "#be123c", "#0e7490", "#4d7c0f", "#a21caf"};
constexpr const char* kNoOwner = "#4b5563";

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  std::string s = buf;
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

// Font size that fits `text` into `width` pixels (about 0.58 em per Latin character, 1 em per
// wide character), between 9 and `max`.
double fit(std::string_view text, double width, double max) {
  double ems = 0;
  for (std::size_t i = 0; i < text.size();)
    ems += detail::display_width(detail::decode_utf8(text, i)) == 2 ? 1.0 : 0.58;
  if (ems <= 0) return max;
  return std::clamp(width / ems, 9.0, max);
}

}  // namespace

std::string render_funnel_svg(const Site& site, bool links) {
  const Charter& c = site.charter();
  const auto& stages = c.funnel().stages;
  const auto& exits = c.funnel().exits;
  auto teams = c.teams();
  auto colour_of = [&](std::string_view owner) -> const char* {
    for (std::size_t i = 0; i < teams.size(); ++i)
      if (teams[i].id == owner) return kPalette[i % std::size(kPalette)];
    return kNoOwner;
  };

  const double row = 54, gap = 6, top = 16, left = 16, wide = 480, narrow = 170, cx = left + wide / 2;
  const double exit_x = left + wide + 40, exit_w = 200;
  const std::size_t n = stages.size();
  const double step = n ? (wide - narrow) / static_cast<double>(n) : 0;
  double funnel_h = static_cast<double>(n) * (row + gap);

  // Legend: the owner teams in use, in team order.
  std::vector<std::string_view> owners;
  for (const auto& t : teams)
    if (std::any_of(stages.begin(), stages.end(), [&](const Stage& s) { return s.owner == t.id; }))
      owners.push_back(t.id);
  bool unowned = std::any_of(stages.begin(), stages.end(), [&](const Stage& s) { return !c.team(s.owner); });
  double exits_h =
      exits.empty() ? 0 : 28 + static_cast<double>(exits.size()) * 48 + (c.funnel().recycle_to.empty() ? 0 : 24);
  double legend_y = top + std::max(funnel_h, exits_h) + 12;
  std::size_t legend_items = owners.size() + (unowned ? 1 : 0);
  double height = legend_y + (legend_items ? 22.0 * static_cast<double>((legend_items + 2) / 3) : 0) + 8;
  double width = exits.empty() ? left * 2 + wide : exit_x + exit_w + left;

  std::string title = site.t("Funnel") + std::string(": ");
  for (std::size_t i = 0; i < n; ++i) title += (i ? " → " : "") + std::string(site.stage_name(stages[i].id));

  std::string out;
  out.reserve(1024 + n * 512 + exits.size() * 256);
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"funnel\" viewBox=\"0 0 " + num(width) + " " + num(height) +
         "\" width=\"" + num(width) + "\" height=\"" + num(height) +
         "\" role=\"img\" aria-labelledby=\"funnel-title\" "
         "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'WenQuanYi Micro Hei', "
         "sans-serif\">\n";
  out += "<title id=\"funnel-title\">" + xml_escape(title) + "</title>\n";

  for (std::size_t i = 0; i < n; ++i) {
    const Stage& s = stages[i];
    double y = top + static_cast<double>(i) * (row + gap);
    double w0 = wide - step * static_cast<double>(i), w1 = wide - step * static_cast<double>(i + 1);
    std::string name(site.stage_name(s.id));
    std::string owner = c.team(s.owner) ? std::string(site.team_name(s.owner)) : std::string();
    out += "<g class=\"stage\" data-stage=\"" + xml_escape(s.id) + "\">";
    if (links) out += "<a href=\"#stage-" + xml_escape(s.id) + "\">";
    out += "<title>" + xml_escape(name + (owner.empty() ? "" : " (" + owner + ")")) + "</title>";
    out += "<path d=\"M" + num(cx - w0 / 2) + " " + num(y) + "H" + num(cx + w0 / 2) + "L" + num(cx + w1 / 2) + " " +
           num(y + row) + "H" + num(cx - w1 / 2) + "Z\" fill=\"" + colour_of(s.owner) + "\"/>";
    double fs = fit(name, w1 - 24, 15);
    double name_y = owner.empty() ? y + row / 2 + fs / 3 : y + row / 2 - 2;
    out += "<text x=\"" + num(cx) + "\" y=\"" + num(name_y) + "\" text-anchor=\"middle\" fill=\"#fff\" font-size=\"" +
           num(fs) + "\" font-weight=\"600\">" + xml_escape(name) + "</text>";
    if (!owner.empty())
      out += "<text x=\"" + num(cx) + "\" y=\"" + num(y + row / 2 + 14) +
             "\" text-anchor=\"middle\" fill=\"#fff\" fill-opacity=\"0.88\" font-size=\"" +
             num(fit(owner, w1 - 24, 12)) + "\">" + xml_escape(owner) + "</text>";
    if (links) out += "</a>";
    out += "</g>\n";
  }

  if (!exits.empty()) {
    out += "<text x=\"" + num(exit_x) + "\" y=\"" + num(top + 14) + "\" font-size=\"13\" fill=\"currentColor\">" +
           xml_escape(site.t("Exits")) + "</text>\n";
    for (std::size_t i = 0; i < exits.size(); ++i) {
      const Exit& e = exits[i];
      double y = top + 28 + static_cast<double>(i) * 48;
      std::string name(site.stage_name(e.id));
      out += "<g class=\"exit\" data-exit=\"" + xml_escape(e.id) + "\">";
      if (links) out += "<a href=\"#exit-" + xml_escape(e.id) + "\">";
      out += "<rect x=\"" + num(exit_x) + "\" y=\"" + num(y) + "\" width=\"" + num(exit_w) +
             "\" height=\"38\" rx=\"6\" fill=\"none\" stroke=\"#6b7280\" stroke-width=\"1.5\" "
             "stroke-dasharray=\"5 4\"/>";
      out += "<text x=\"" + num(exit_x + exit_w / 2) + "\" y=\"" + num(y + 24) +
             "\" text-anchor=\"middle\" font-size=\"" + num(fit(name, exit_w - 20, 14)) + "\" fill=\"currentColor\">" +
             xml_escape(name) + "</text>";
      if (links) out += "</a>";
      out += "</g>\n";
    }
    if (!c.funnel().recycle_to.empty()) {
      double y = top + 28 + static_cast<double>(exits.size()) * 48 + 12;
      out +=
          "<text x=\"" + num(exit_x) + "\" y=\"" + num(y) + "\" font-size=\"12\" fill=\"currentColor\">↺ " +
          xml_escape(std::string(site.t("recycled to")) + " " + std::string(site.stage_name(c.funnel().recycle_to))) +
          "</text>\n";
    }
  }

  // Legend.
  std::size_t k = 0;
  auto legend = [&](const char* colour, std::string_view label) {
    double x = left + static_cast<double>(k % 3) * 200, y = legend_y + static_cast<double>(k / 3) * 22;
    out += "<g class=\"legend\"><rect x=\"" + num(x) + "\" y=\"" + num(y) +
           "\" width=\"14\" height=\"14\" rx=\"3\" fill=\"" + colour + "\"/><text x=\"" + num(x + 20) + "\" y=\"" +
           num(y + 12) + "\" font-size=\"12\" fill=\"currentColor\">" + xml_escape(label) + "</text></g>\n";
    ++k;
  };
  for (auto id : owners) legend(colour_of(id), site.team_name(id));
  if (unowned) legend(kNoOwner, site.t("No owner"));
  out += "</svg>\n";
  return out;
}

}  // namespace charter::docs

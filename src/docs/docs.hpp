// charter — internals of `charter docs`: what the HTML and Markdown renderers share.
//
// `Site` is computed once per render: the terms in A–Z order of the requested locale, the
// labels and definitions in that locale (with a fallback marker), team roles, SLA sentences
// and the reverse funnel of each goal. The renderers (html.cpp, markdown.cpp) only lay it out;
// svg.cpp draws the funnel. Nothing here escapes: each renderer escapes for its own format.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <charter/docs.hpp>

namespace charter::docs {

/// A text in the requested locale, or in the default locale when it has no translation.
struct Localized {
  std::string_view text;
  bool fallback = false;  ///< the requested locale had no translation: show a marker
};

/// What a team owns, commits to and receives.
struct TeamRole {
  std::vector<const Term*> terms;        ///< terms it owns, A–Z
  std::vector<const Stage*> stages;      ///< funnel stages it owns, in funnel order
  std::vector<const Sla*> provides;      ///< SLAs where it is the provider
  std::vector<const Sla*> receives;      ///< SLAs where it is the customer
  std::vector<const Meeting*> meetings;  ///< meetings it attends
};

/// One row of a goal's reverse funnel: how many records must reach `stage`.
struct FunnelNeed {
  std::string_view stage;  ///< stage id
  double total = 0;        ///< over the goal's period
  double per_month = 0;
  std::optional<double> rate;  ///< conversion rate from this stage to the next, when given
};

/// Revenue → customers → ... → the top stage with a rate, per goal.
struct ReverseFunnel {
  double months = 0;             ///< length of the goal's period in months
  double revenue = 0;            ///< revenue x marketing share
  double deals = 0;              ///< revenue / average deal
  std::vector<FunnelNeed> rows;  ///< in funnel order, top first; empty when not computable
};

class Site {
 public:
  Site(const Charter& charter, const DocsOptions& options);

  const Charter& charter() const noexcept { return *charter_; }
  const DocsOptions& options() const noexcept { return options_; }
  const std::string& locale() const noexcept { return locale_; }  ///< requested, never empty
  const std::string& default_locale() const noexcept { return default_locale_; }
  const std::string& title() const noexcept { return title_; }
  /// Whether the HTML glossary is split into pages by initial letter.
  bool split_glossary() const noexcept { return split_; }
  /// Most terms on one glossary page when split (DocsOptions::terms_per_page, default 1,000).
  std::size_t terms_per_page() const noexcept { return options_.terms_per_page ? options_.terms_per_page : 1000; }

  /// Every term, A–Z by its label in the requested locale (case- and accent-insensitive),
  /// then by id.
  const std::vector<const Term*>& terms() const noexcept { return terms_; }
  /// The letter a term is filed under: "A".."Z", or "#" for anything else.
  const std::string& letter(const Term& term) const;
  /// The letters in use, in order ("#" last).
  const std::vector<std::string>& letters() const noexcept { return letters_; }

  Localized label(const Term& term) const;
  Localized definition(const Term& term) const;
  /// Aliases and avoid-words in the requested locale (the translation's when there is one,
  /// else the default locale's).
  const std::vector<std::string_view>& aliases(const Term& term) const;
  const std::vector<std::string_view>& avoid(const Term& term) const;

  /// A team's name, or the id when the team is unknown.
  std::string_view team_name(std::string_view team_id) const;
  /// A stage's (or exit's) name (in another locale, its term's translation when there is one);
  /// the id when it has none.
  std::string_view stage_name(std::string_view stage_id) const;
  /// A calendar's name; the id when it has none.
  std::string_view calendar_name(std::string_view calendar_id) const;
  /// Fixed interface text ("Glossary", "Owner") in the requested locale; English otherwise.
  std::string_view t(std::string_view english) const;

  /// "Sales Development commits to Marketing: respond to every MQL with a call, email or
  /// meeting within 8 business hours (Berlin office calendar), for 95% of items each month."
  std::string sla_commitment(const Sla& sla) const;
  /// "within 8 business hours" / "at least 200 per month" — the target alone.
  std::string sla_target(const Sla& sla) const;

  ReverseFunnel reverse_funnel(const Goal& goal) const;
  TeamRole team_role(std::string_view team_id) const;

 private:
  const Charter* charter_;
  DocsOptions options_;
  std::string locale_, default_locale_, title_;
  bool split_ = false;
  std::vector<const Term*> terms_;
  std::vector<std::string> term_letter_;  // by index into charter.glossary()
  std::vector<std::string> letters_;
  std::vector<const Translation*> translation_;  // by glossary index; null = none
  std::size_t index_of(const Term& term) const;
};

// ---- text helpers (common.cpp) ---------------------------------------------------------------

/// Lowercase and without Latin accents ("Équipe" -> "equipe"), for sorting and search.
std::string fold(std::string_view text);
/// "8 business hours", "1 business day", "30 days", "2 weeks" (business when a calendar applies).
std::string duration_text(const Duration& d, bool business);
/// "95%", "12.5%".
std::string percent_text(double fraction);
/// "9,600,000", "1,920", "2.5" (at most 2 decimals, trailing zeros dropped).
std::string number_text(double x);
/// "EUR 9,600,000" (the amount alone without a currency).
std::string money_text(double amount, std::string_view currency);
/// "Mon–Fri 09:00–17:30", "Sat 10:00–14:00", one line per distinct set of hours.
std::vector<std::string> hours_text(const Calendar& calendar);
/// "2026-04-03", "2026-12-28 to 2026-12-31", "every year on 12-25".
std::string holiday_text(const Holiday& holiday);
/// `&`, `<`, `>`, `"` and `'` as entities: safe in XML/HTML text and quoted attributes.
std::string xml_escape(std::string_view text);
/// Names an expression refers to, in order of first use, without repeats.
std::vector<std::pair<NameKind, std::string_view>> referenced_names(const Expression& expression);

// ---- renderers ------------------------------------------------------------------------------

/// The funnel diagram (svg.cpp). With `links`, each stage links to `#stage-ID` on the page that
/// inlines it.
std::string render_funnel_svg(const Site& site, bool links = false);
/// The Markdown set (markdown.cpp): index.md, glossary.md, funnel.md, qualification.md,
/// agreements.md, teams.md, funnel.svg.
std::vector<DocsFile> render_markdown(const Site& site);
/// The HTML site (html.cpp).
std::vector<DocsFile> render_html(const Site& site);

}  // namespace charter::docs

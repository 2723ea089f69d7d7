#include <algorithm>

#include "load/impl.hpp"
#include "util/text.hpp"

namespace charter {

using detail::yaml::kNone;

namespace {
const Charter::Impl& empty_impl() {
  static const Charter::Impl impl;
  return impl;
}
template <class T>
const T* find_in(const std::unordered_map<std::string_view, std::size_t>& ix, const std::vector<T>& v,
                 std::string_view id) {
  auto it = ix.find(id);
  return it == ix.end() ? nullptr : &v[it->second];
}
}  // namespace

Charter::Charter() : impl_(std::shared_ptr<const Impl>(&empty_impl(), [](const Impl*) {})) {}

const Organization& Charter::organization() const noexcept { return impl_->organization; }
std::span<const Team> Charter::teams() const noexcept { return impl_->teams; }
std::span<const Term> Charter::glossary() const noexcept { return impl_->glossary; }
std::span<const Field> Charter::fields() const noexcept { return impl_->fields; }
std::span<const Score> Charter::scores() const noexcept { return impl_->scores; }
std::span<const Criteria> Charter::criteria() const noexcept { return impl_->criteria; }
const Funnel& Charter::funnel() const noexcept { return impl_->funnel; }
std::span<const Calendar> Charter::calendars() const noexcept { return impl_->calendars; }
std::span<const Sla> Charter::slas() const noexcept { return impl_->slas; }
std::span<const Goal> Charter::goals() const noexcept { return impl_->goals; }
std::span<const Meeting> Charter::meetings() const noexcept { return impl_->meetings; }
const LintConfig& Charter::lint() const noexcept { return impl_->lint; }
const Extensions& Charter::extensions() const noexcept { return impl_->extensions; }

const Team* Charter::team(std::string_view id) const noexcept { return find_in(impl_->team_ix, impl_->teams, id); }
const Term* Charter::term(std::string_view id) const noexcept { return find_in(impl_->term_ix, impl_->glossary, id); }
const Field* Charter::field(std::string_view id) const noexcept { return find_in(impl_->field_ix, impl_->fields, id); }
const Score* Charter::score(std::string_view id) const noexcept { return find_in(impl_->score_ix, impl_->scores, id); }
const Criteria* Charter::find_criteria(std::string_view id) const noexcept {
  return find_in(impl_->criteria_ix, impl_->criteria, id);
}
const Stage* Charter::stage(std::string_view id) const noexcept {
  return find_in(impl_->stage_ix, impl_->funnel.stages, id);
}
const Exit* Charter::exit(std::string_view id) const noexcept {
  return find_in(impl_->exit_ix, impl_->funnel.exits, id);
}
const Calendar* Charter::calendar(std::string_view id) const noexcept {
  return find_in(impl_->calendar_ix, impl_->calendars, id);
}
const Sla* Charter::sla(std::string_view id) const noexcept { return find_in(impl_->sla_ix, impl_->slas, id); }
const Goal* Charter::goal(std::string_view id) const noexcept { return find_in(impl_->goal_ix, impl_->goals, id); }
const Meeting* Charter::meeting(std::string_view id) const noexcept {
  return find_in(impl_->meeting_ix, impl_->meetings, id);
}

std::optional<TermMatch> Charter::lookup_term(std::string_view text) const {
  std::string_view trimmed = text;
  while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t')) trimmed.remove_prefix(1);
  while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\t')) trimmed.remove_suffix(1);
  if (auto* t = term(trimmed)) return TermMatch{t, MatchKind::Id, ""};
  std::string folded = detail::fold_case(trimmed);
  std::uint64_t h = std::hash<std::string_view>{}(folded);
  const auto& ix = impl_->lookup;
  auto it =
      std::lower_bound(ix.begin(), ix.end(), h, [](const TermIndexEntry& e, std::uint64_t v) { return e.hash < v; });
  for (; it != ix.end() && it->hash == h; ++it) {
    const std::string_view* w = impl_->wording(*it);
    if (!w || detail::fold_case(*w) != folded) continue;
    const Term& t = impl_->glossary[it->term];
    std::string loc(it->tr < 0 ? impl_->organization.locale : t.translations[static_cast<std::size_t>(it->tr)].locale);
    return TermMatch{&t, it->kind, loc};
  }
  return std::nullopt;
}

std::optional<std::size_t> Charter::stage_index(std::string_view id) const noexcept {
  auto it = impl_->stage_ix.find(id);
  if (it == impl_->stage_ix.end()) return std::nullopt;
  return it->second;
}

bool Charter::transition_allowed(std::string_view from, std::string_view to) const noexcept {
  auto fs = stage_index(from), ts = stage_index(to);
  bool fe = exit(from) != nullptr, te = exit(to) != nullptr;
  if (fs && ts) return *ts > *fs;
  if (fs && te) return true;
  if (fe && ts) return !impl_->funnel.recycle_to.empty() && to == impl_->funnel.recycle_to;
  return false;
}

std::span<const std::string> Charter::files() const noexcept { return impl_->files; }

Span Charter::span(SourceRef ref, std::string_view key) const {
  if (ref.valid() && (ref.file >= impl_->trees.size() || ref.node >= impl_->trees[ref.file]->nodes.size()))
    throw Error("charter::Charter::span: the SourceRef does not belong to this charter");
  return key.empty() ? impl_->span(ref) : impl_->span_key(ref, key);
}

// ---- Impl --------------------------------------------------------------------------

Span Charter::Impl::span_of_node(std::uint32_t file, std::uint32_t node) const {
  Span s;
  if (file >= trees.size()) return s;
  s.file = files[file];
  const auto& t = *trees[file];
  if (node >= t.nodes.size()) return s;
  std::uint32_t b = t.nodes[node].offset;
  std::uint32_t e = t.end_offset(node);
  // A mapping's span is its first line only: the whole block would be noise.
  if (t.nodes[node].kind == detail::yaml::Kind::Mapping || t.nodes[node].kind == detail::yaml::Kind::Sequence) {
    std::uint32_t nl = static_cast<std::uint32_t>(t.source.find('\n', b));
    if (nl < e) e = nl;
    if (t.nodes[node].kind == detail::yaml::Kind::Mapping && t.nodes[node].style == detail::yaml::Style::Block &&
        t.nodes[node].first != kNone)
      e = t.end_offset(t.nodes[node].first);  // the first key
  }
  if (e < b) e = b;
  t.position(b, s.line, s.column);
  t.position(e, s.end_line, s.end_column);
  s.pointer = t.pointer(node);
  return s;
}

Span Charter::Impl::span(SourceRef ref) const {
  if (!ref.valid()) return {};
  return span_of_node(ref.file, ref.node);
}

std::uint32_t Charter::Impl::node_of(SourceRef ref, std::string_view key) const {
  if (!ref.valid() || ref.file >= trees.size()) return kNone;
  return trees[ref.file]->get(ref.node, key);
}

Span Charter::Impl::span_key(SourceRef ref, std::string_view key) const {
  std::uint32_t n = node_of(ref, key);
  return n == kNone ? span(ref) : span_of_node(ref.file, n);
}

Span Charter::Impl::span_item(SourceRef ref, std::string_view key, std::size_t i) const {
  std::uint32_t n = node_of(ref, key);
  if (n == kNone) return span(ref);
  const auto& t = *trees[ref.file];
  if (t.nodes[n].kind != detail::yaml::Kind::Sequence) return span_of_node(ref.file, n);
  std::uint32_t c = t.nodes[n].first;
  for (std::size_t k = 0; c != kNone && k < i; ++k) c = t.nodes[c].next;
  return c == kNone ? span_of_node(ref.file, n) : span_of_node(ref.file, c);
}

void Charter::Impl::build_indexes() {
  auto index = [](auto& ix, const auto& v) {
    ix.clear();
    for (std::size_t i = 0; i < v.size(); ++i) ix.emplace(v[i].id, i);
  };
  index(team_ix, teams);
  index(term_ix, glossary);
  index(field_ix, fields);
  index(score_ix, scores);
  index(criteria_ix, criteria);
  index(stage_ix, funnel.stages);
  index(exit_ix, funnel.exits);
  index(calendar_ix, calendars);
  index(sla_ix, slas);
  index(goal_ix, goals);
  index(meeting_ix, meetings);
  lookup.clear();
  // Preferred labels first, then abbreviations, aliases, avoid-words: on equal wordings the
  // first entry wins (the sort below is stable).
  auto put = [&](std::string_view text, std::uint32_t t, std::int32_t tr, std::uint32_t item, MatchKind k) {
    if (text.empty()) return;
    lookup.push_back({std::hash<std::string_view>{}(detail::fold_case(text)), t, tr, item, k});
  };
  for (std::uint32_t i = 0; i < glossary.size(); ++i) {
    const Term& t = glossary[i];
    put(t.term, i, -1, 0, MatchKind::Label);
    for (std::int32_t k = 0; k < static_cast<std::int32_t>(t.translations.size()); ++k)
      put(t.translations[static_cast<std::size_t>(k)].term, i, k, 0, MatchKind::Label);
  }
  for (std::uint32_t i = 0; i < glossary.size(); ++i) put(glossary[i].abbreviation, i, -1, 0, MatchKind::Abbreviation);
  for (MatchKind kind : {MatchKind::Alias, MatchKind::Avoid}) {
    for (std::uint32_t i = 0; i < glossary.size(); ++i) {
      const Term& t = glossary[i];
      const auto& own = kind == MatchKind::Alias ? t.aliases : t.avoid;
      for (std::uint32_t a = 0; a < own.size(); ++a) put(own[a], i, -1, a, kind);
      for (std::int32_t k = 0; k < static_cast<std::int32_t>(t.translations.size()); ++k) {
        const auto& tr = t.translations[static_cast<std::size_t>(k)];
        const auto& list = kind == MatchKind::Alias ? tr.aliases : tr.avoid;
        for (std::uint32_t a = 0; a < list.size(); ++a) put(list[a], i, k, a, kind);
      }
    }
  }
  std::stable_sort(lookup.begin(), lookup.end(),
                   [](const TermIndexEntry& a, const TermIndexEntry& b) { return a.hash < b.hash; });
  lookup.shrink_to_fit();
}

const std::string_view* Charter::Impl::wording(const TermIndexEntry& e) const {
  const Term& t = glossary[e.term];
  if (e.kind == MatchKind::Abbreviation) return &t.abbreviation;
  if (e.tr < 0) {
    if (e.kind == MatchKind::Label) return &t.term;
    const auto& v = e.kind == MatchKind::Alias ? t.aliases : t.avoid;
    return e.item < v.size() ? &v[e.item] : nullptr;
  }
  const Translation& tr = t.translations[static_cast<std::size_t>(e.tr)];
  if (e.kind == MatchKind::Label) return &tr.term;
  const auto& v = e.kind == MatchKind::Alias ? tr.aliases : tr.avoid;
  return e.item < v.size() ? &v[e.item] : nullptr;
}

// ---- small model helpers -------------------------------------------------------------

const Translation* Term::translation(std::string_view locale) const noexcept {
  for (const auto& t : translations)
    if (t.locale == locale) return &t;
  return nullptr;
}

const char* to_string(TermStatus s) noexcept {
  switch (s) {
    case TermStatus::Draft: return "draft";
    case TermStatus::Approved: return "approved";
    case TermStatus::Deprecated: return "deprecated";
  }
  return "draft";
}
const char* to_string(FieldType t) noexcept {
  static const char* n[] = {"integer", "number", "string", "boolean", "date", "datetime", "list"};
  return n[static_cast<int>(t)];
}
const char* to_string(SlaType t) noexcept {
  static const char* n[] = {"response", "attempts", "volume", "conversion"};
  return n[static_cast<int>(t)];
}
const char* to_string(Period p) noexcept {
  static const char* n[] = {"week", "month", "quarter", "year"};
  return n[static_cast<int>(p)];
}
const char* to_string(MatchKind k) noexcept {
  static const char* n[] = {"id", "label", "abbreviation", "alias", "avoid"};
  return n[static_cast<int>(k)];
}
const char* to_string(ValueType t) noexcept {
  static const char* n[] = {"unknown", "null", "boolean",  "integer",  "number",
                            "string",  "date", "datetime", "duration", "list"};
  return n[static_cast<int>(t)];
}
std::int64_t DurationValue::seconds() const noexcept {
  switch (unit) {
    case 'm': return amount * 60;
    case 'h': return amount * 3600;
    case 'd': return amount * 86400;
    case 'w': return amount * 604800;
  }
  return amount;
}

std::string_view version() noexcept { return CHARTER_VERSION; }

// ---- Reporter ----------------------------------------------------------------------

namespace detail {

Diagnostic& Reporter::add(Code code, Span span, std::string message, std::string label) {
  const CodeInfo& ci = info(code);
  Diagnostic d;
  d.code = std::string(ci.code);
  d.severity = ci.severity;
  d.message = std::move(message);
  d.span = std::move(span);
  d.label = std::move(label);
  diags_.push_back(std::move(d));
  return diags_.back();
}

Diagnostic& Reporter::add_at(Code code, std::uint32_t file, std::uint32_t node, std::string message,
                             std::string label) {
  return add(code, impl_.span_of_node(file, node), std::move(message), std::move(label));
}

void suggest(Diagnostic& d, std::string_view word, const std::vector<std::string>& candidates,
             const std::string& what) {
  if (auto c = closest(word, candidates)) {
    d.help = "did you mean `" + *c + "`?" + (what.empty() ? "" : " " + what);
    d.suggestion = *c;
  }
}

}  // namespace detail
}  // namespace charter

// load_charter: files -> source trees (in parallel) -> model -> checks -> diagnostics.
#include <algorithm>
#include <atomic>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <thread>

#include "load/files.hpp"
#include "load/impl.hpp"
#include "load/reader.hpp"
#include "load/sections.hpp"
#include "util/cores.hpp"
#include "util/text.hpp"

namespace fs = std::filesystem;

namespace charter {

namespace detail {
namespace {

using yaml::Kind;
using yaml::kNone;

struct Entry {
  fs::path abs;         // lexically normal absolute path
  std::string display;  // as shown in diagnostics
  fs::path root;        // includes must stay below it
  bool walked = false;  // found by a directory walk (may be skipped)
  bool from_string = false;
  std::shared_ptr<yaml::Tree> tree;
  bool read_failed = false;
  std::string read_error;
  bool too_large = false;
  std::uintmax_t size = 0;
  bool skipped = false;
  int file = -1;  // index in impl.files once accepted
};

// The identity of a file: its canonical path, so that a link and its target load once.
fs::path identity(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(p, ec);
  return ec ? p : c;
}

struct Edge {
  std::size_t from, to;
  std::uint32_t node;  // the include item in `from`
};

// `threads`: how many the parse of this one file may use.
void read_and_parse(Entry& e, const LoadOptions& opt, unsigned threads) {
  std::error_code ec;
  if (fs::is_directory(e.abs, ec)) {
    e.read_failed = true;
    e.read_error = "is a directory";
    return;
  }
  e.size = fs::file_size(e.abs, ec);
  if (!ec && e.size > opt.max_file_bytes) {
    e.too_large = true;
    return;
  }
  std::ifstream in(e.abs, std::ios::binary);
  if (!in) {
    e.read_failed = true;
    e.read_error = "cannot be opened";
    return;
  }
  std::string bytes;
  if (!ec) bytes.reserve(static_cast<std::size_t>(e.size));
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    bytes.append(buf, static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > opt.max_file_bytes) {
      e.too_large = true;
      return;
    }
  }
  if (in.bad()) {
    e.read_failed = true;
    e.read_error = "cannot be read";
    return;
  }
  yaml::Limits limits;
  limits.threads = threads;
  e.tree = std::make_shared<yaml::Tree>(yaml::parse(std::move(bytes), limits));
}

void parse_all(std::vector<Entry>& entries, std::size_t from, const LoadOptions& opt) {
  std::size_t n = entries.size() - from;
  if (n == 0) return;
  unsigned hw = opt.threads ? opt.threads : detail::usable_cores();
  unsigned threads = static_cast<unsigned>(std::min<std::size_t>(hw, n));
  if (threads <= 1) {
    for (std::size_t i = from; i < entries.size(); ++i) read_and_parse(entries[i], opt, hw);
    return;
  }
  // Largest files first so that the cores finish together.
  std::vector<std::size_t> order;
  for (std::size_t i = from; i < entries.size(); ++i) order.push_back(i);
  std::vector<std::uintmax_t> sizes(entries.size(), 0);
  for (auto i : order) {
    std::error_code ec;
    sizes[i] = fs::file_size(entries[i].abs, ec);
  }
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return sizes[a] > sizes[b]; });
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      for (std::size_t k; (k = next.fetch_add(1)) < order.size();)
        read_and_parse(entries[order[k]], opt, std::max(1u, hw / threads));
    });
  for (auto& th : pool) th.join();
}

// A walked file belongs to the charter when its top-level mapping has a `charter` key.
bool is_charter_file(const Entry& e) {
  if (!e.tree) return !e.too_large ? false : true;
  const auto& t = *e.tree;
  if (!t.nodes.empty()) {
    if (t.nodes[0].kind != Kind::Mapping) return false;
    return t.get(0, "charter") != kNone;
  }
  // Unparsable: treat it as a charter file if it looks like one, so its errors are shown.
  if (!t.problems.empty() && (t.problems[0].code == Code::InvalidUtf8 || t.problems[0].code == Code::BinaryFile ||
                              t.problems[0].code == Code::NotUtf8Encoding))
    return true;
  std::string_view s = t.source;
  return s.starts_with("charter:") ||
         s.starts_with(
             "\xEF\xBB\xBF"
             "charter:") ||
         s.find("\ncharter:") != std::string_view::npos;
}

const char* kSections[] = {"charter",  "organization", "include",   "teams", "glossary", "fields",   "scores",
                           "criteria", "funnel",       "calendars", "slas",  "goals",    "meetings", "lint"};

void read_file(Ctx& c, std::string_view& top_ext_owner) {
  (void)top_ext_owner;
  const auto& t = c.t;
  if (t.nodes.empty()) return;
  std::uint32_t root = 0;
  if (t.nodes[0].kind != Kind::Mapping) {
    if (t.nodes[0].kind == Kind::Null && t.nodes[0].implicit)
      c.rep.add(Code::EmptyFile, Span{c.impl.files[c.file], 1, 1, 1, 2, ""}, "empty file: no YAML content");
    else
      c.error(Code::MissingCharterKey, 0,
              "a charter file is a mapping whose first key is `charter: 1`, found " + c.describe(0),
              "expected `charter: 1`");
    return;
  }
  std::uint32_t first_key = t.nodes[0].first;
  std::uint32_t ch = t.get(root, "charter");
  if (ch == kNone) {
    auto& d = c.error(Code::MissingCharterKey, first_key == kNone ? 0 : first_key,
                      "the file does not start with `charter: 1`", "expected `charter: 1` before this");
    d.help = "add `charter: 1` as the first line";
    d.suggestion = "charter: 1";
  } else {
    if (first_key != t.key_of(ch)) {
      auto& d = c.error(Code::MissingCharterKey, t.key_of(ch), "`charter` must be the first key of the file",
                        "move this to the top");
      d.related.push_back({c.impl.span_of_node(c.file, first_key), "the file starts here"});
    }
    const auto& cn = t.nodes[ch];
    if (cn.kind == Kind::Scalar && cn.style == yaml::Style::Plain &&
        yaml::resolve_plain(t.value(ch)) == yaml::ScalarType::Int) {
      if (t.value(ch) != "1")
        c.error(Code::UnsupportedVersion, ch,
                "unsupported format version `" + std::string(t.value(ch)) + "`; this charter reads version 1",
                "expected 1");
    } else {
      auto& d = c.error(Code::UnsupportedVersion, ch,
                        "the format version must be the integer 1, found " + c.describe(ch), "expected 1");
      d.suggestion = "1";
    }
  }
  using Reader = void (*)(Ctx&, std::uint32_t);
  static const std::map<std::string_view, Reader> readers = {{"organization", read_organization},
                                                             {"teams", read_teams},
                                                             {"glossary", read_glossary},
                                                             {"fields", read_fields},
                                                             {"scores", read_scores},
                                                             {"criteria", read_criteria},
                                                             {"funnel", read_funnel},
                                                             {"calendars", read_calendars},
                                                             {"slas", read_slas},
                                                             {"goals", read_goals},
                                                             {"meetings", read_meetings},
                                                             {"lint", read_lint}};
  for (auto [k, v] : c.pairs(root)) {
    std::string_view key = c.val(k);
    if (key == "charter" || key == "include") continue;
    if (key.starts_with("x-")) {
      c.impl.extensions.emplace(key, c.impl.own(c.to_json(v)));
      continue;
    }
    auto it = readers.find(key);
    if (it != readers.end()) {
      if (t.nodes[v].kind == Kind::Null) continue;  // an empty section
      it->second(c, v);
      continue;
    }
    auto& d =
        c.error(Code::UnknownKey, k, "unknown top-level key `" + std::string(key) + "`", "not a section of the format");
    std::vector<std::string_view> cands(std::begin(kSections), std::end(kSections));
    if (auto s = closest(key, std::span<const std::string_view>(cands))) {
      d.help = "did you mean `" + *s + "`?";
      d.suggestion = *s;
    }
  }
}

}  // namespace
}  // namespace detail

namespace {

using namespace detail;

LoadResult load_entries(std::vector<Entry> entries, const LoadOptions& opt, std::vector<Diagnostic> pre,
                        const std::vector<fs::path>& walked_dirs) {
  LoadResult result;
  auto keep = std::make_shared<Charter::Impl>();
  Charter::Impl& impl = LoaderAccess::impl(result, keep);
  Reporter rep(impl);
  for (auto& d : pre) rep.all().push_back(std::move(d));

  std::map<fs::path, std::size_t> by_path;  // by identity (symlinks resolved)
  for (std::size_t i = 0; i < entries.size(); ++i) by_path.emplace(identity(entries[i].abs), i);
  std::vector<Edge> edges;
  std::vector<std::string> skipped;
  struct IncludeProblem {
    std::size_t entry;
    std::uint32_t node;
    Code code;
    std::string message, label;
  };
  std::vector<IncludeProblem> include_problems;

  // Files given or found by walks are parsed now (in parallel); included files as found.
  if (entries.empty() || !entries[0].from_string) parse_all(entries, 0, opt);
  std::size_t parsed = entries.size();
  // Follow includes to a fixpoint. A walked file without a `charter` key is not part of the
  // charter unless a charter file includes it (then it must be one), whatever the file order.
  // `entries` grows while it is walked: index it, never hold references across push_back.
  std::vector<bool> processed(entries.size(), false);
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (processed[i] || i >= parsed) continue;                        // done, or not parsed yet (next round)
      if (entries[i].walked && !is_charter_file(entries[i])) continue;  // skipped unless included later
      processed[i] = true;
      changed = true;
      const std::shared_ptr<yaml::Tree> tree = entries[i].tree;
      const fs::path abs = entries[i].abs, root = entries[i].root;
      const bool from_string = entries[i].from_string;
      if (!tree || tree->nodes.empty() || tree->nodes[0].kind != Kind::Mapping) continue;
      const auto& t = *tree;
      std::uint32_t inc = t.get(0, "include");
      if (inc == kNone || t.nodes[inc].kind == Kind::Null) continue;
      std::vector<std::uint32_t> items;
      if (t.nodes[inc].kind == Kind::Sequence) {
        for (std::uint32_t c = t.nodes[inc].first; c != kNone; c = t.nodes[c].next) items.push_back(c);
      } else {
        include_problems.push_back({i, inc, Code::WrongType, "`include` is a list of paths", "not a list"});
        continue;
      }
      for (auto item : items) {
        if (t.nodes[item].kind != Kind::Scalar) {
          include_problems.push_back(
              {i, item, Code::WrongType, "an include is a path or glob (a string)", "not a string"});
          continue;
        }
        std::string pat(t.value(item));
        if (from_string) {
          include_problems.push_back({i, item, Code::IncludeNotFound,
                                      "`include` cannot be resolved for a charter loaded from a string", "no folder"});
          continue;
        }
        fs::path base = abs.parent_path();
        std::vector<fs::path> targets;
        if (pat.empty() || fs::path(pat).is_absolute()) {
          include_problems.push_back({i, item, Code::IncludeOutsideRoot,
                                      "include `" + pat + "` must be a path relative to this file", "absolute path"});
          continue;
        }
        if (has_glob(pat)) {
          fs::path lexical = (base / pat).lexically_normal();
          if (!is_within(root, lexical.parent_path()) && pat.find("**") == std::string::npos &&
              !is_within(root, (base / fs::path(pat).parent_path()).lexically_normal())) {
            include_problems.push_back(
                {i, item, Code::IncludeOutsideRoot,
                 "include `" + pat + "` reaches outside the charter's root `" + display_path(root) + "`",
                 "outside the root"});
            continue;
          }
          for (auto& p : glob_files(base, pat)) {
            auto ext = p.extension().string();
            // A glob such as `*.yaml` in the root does not include the file itself.
            if ((ext == ".yaml" || ext == ".yml") && p.lexically_normal() != abs)
              targets.push_back(p.lexically_normal());
          }
          if (targets.empty()) {
            include_problems.push_back(
                {i, item, Code::IncludeNotFound, "include `" + pat + "` matches no YAML file", "no match"});
            continue;
          }
        } else {
          fs::path p = (base / pat).lexically_normal();
          if (!is_within(root, p)) {
            include_problems.push_back(
                {i, item, Code::IncludeOutsideRoot,
                 "include `" + pat + "` is outside the charter's root `" + display_path(root) + "`",
                 "outside the root"});
            continue;
          }
          std::error_code ec;
          if (!fs::exists(p, ec)) {
            include_problems.push_back(
                {i, item, Code::IncludeNotFound, "included file `" + pat + "` does not exist", "not found"});
            continue;
          }
          targets.push_back(p);
        }
        for (auto& p : targets) {
          // Symlinks must not lead out of the root either.
          std::error_code ec;
          fs::path canon = fs::weakly_canonical(p, ec);
          fs::path canon_root = fs::weakly_canonical(root, ec);
          if (!ec && !is_within(canon_root, canon)) {
            include_problems.push_back({i, item, Code::IncludeOutsideRoot,
                                        "include `" + pat + "` resolves (through a link) outside the charter's root",
                                        "outside the root"});
            continue;
          }
          auto [it, inserted] = by_path.emplace(identity(p), entries.size());
          if (inserted) {
            Entry ne;
            ne.abs = p;
            ne.display = display_path(p);
            ne.root = root;
            entries.push_back(std::move(ne));
            processed.push_back(false);
          } else if (entries[it->second].walked) {
            entries[it->second].walked = false;  // included explicitly: it is a charter file
          }
          edges.push_back({i, it->second, item});
        }
      }
    }
    if (entries.size() > parsed) {
      parse_all(entries, parsed, opt);
      parsed = entries.size();
    }
  }
  for (std::size_t i = 0; i < entries.size(); ++i)
    if (!processed[i]) {
      entries[i].skipped = true;
      skipped.push_back(entries[i].display);
    }

  // Accept the files that form the charter.
  for (auto& e : entries) {
    if (e.skipped) continue;
    e.file = static_cast<int>(impl.files.size());
    impl.files.push_back(e.display);
    impl.trees.push_back(e.tree ? e.tree : std::make_shared<yaml::Tree>());
  }
  for (auto& e : entries) {
    if (e.skipped) continue;
    Span whole{e.display, 0, 0, 0, 0, ""};
    if (e.read_failed) {
      rep.add(Code::CannotRead, whole, "`" + e.display + "` " + e.read_error);
      continue;
    }
    if (e.too_large) {
      rep.add(Code::FileTooLarge, whole,
              "`" + e.display + "` is larger than the limit of " + std::to_string(opt.max_file_bytes) + " bytes");
      continue;
    }
    const auto& t = *e.tree;
    auto fi = static_cast<std::uint32_t>(e.file);
    for (const auto& p : t.problems) {
      Span s;
      s.file = e.display;
      t.position(p.offset, s.line, s.column);
      t.position(std::max(p.end, p.offset), s.end_line, s.end_column);
      if (p.end == p.offset) {
        // A point: underline one character.
        s.end_line = s.line;
        s.end_column = s.column + 1;
      }
      auto& d = rep.add(p.code, s, p.message, p.label);
      if (p.related_offset != kNone) {
        Span r;
        r.file = e.display;
        t.position(p.related_offset, r.line, r.column);
        r.end_line = r.line;
        // The related place is the same text (a duplicate key): as wide as the primary span.
        r.end_column = r.column + (s.end_line == s.line ? std::max(1, s.end_column - s.column) : 1);
        d.related.push_back({r, p.related_message});
      }
    }
    if (!t.has_document && t.problems.empty()) {
      rep.add(Code::EmptyFile, Span{e.display, 1, 1, 1, 2, ""},
              "empty file: `" + e.display + "` holds no YAML document");
      continue;
    }
    Ctx c{impl, rep, fi, t};
    std::string_view unused;
    read_file(c, unused);
  }
  for (auto& ip : include_problems) {
    const Entry& e = entries[ip.entry];
    rep.add_at(ip.code, static_cast<std::uint32_t>(e.file), ip.node, ip.message, ip.label);
  }
  // Include cycles: depth-first search over the include edges.
  {
    std::vector<std::vector<const Edge*>> out(entries.size());
    for (auto& ed : edges) out[ed.from].push_back(&ed);
    std::vector<int> color(entries.size(), 0);
    std::vector<std::size_t> stack;
    std::set<std::pair<std::size_t, std::uint32_t>> reported;
    std::function<void(std::size_t)> dfs = [&](std::size_t u) {
      color[u] = 1;
      stack.push_back(u);
      for (const Edge* ed : out[u]) {
        if (color[ed->to] == 1) {
          if (!reported.insert({ed->from, ed->node}).second) continue;
          std::string chain;
          auto pos = std::find(stack.begin(), stack.end(), ed->to);
          for (auto it = pos; it != stack.end(); ++it) chain += entries[*it].display + " -> ";
          chain += entries[ed->to].display;
          auto& d = rep.add_at(Code::IncludeCycle, static_cast<std::uint32_t>(entries[ed->from].file), ed->node,
                               "include cycle: " + chain, "closes the cycle");
          (void)d;
        } else if (color[ed->to] == 0) {
          dfs(ed->to);
        }
      }
      stack.pop_back();
      color[u] = 2;
    };
    for (std::size_t i = 0; i < entries.size(); ++i)
      if (color[i] == 0) dfs(i);
  }
  // A directory given on the command line must hold charter files.
  for (auto& dir : walked_dirs) {
    bool any = false;
    for (auto& e : entries)
      if (!e.skipped && is_within(dir, e.abs)) any = true;
    if (!any)
      rep.add(Code::NoCharterFiles, Span{display_path(dir), 0, 0, 0, 0, ""},
              "no charter files in `" + display_path(dir) + "` (no YAML file with a `charter` key)");
  }
  if (!skipped.empty()) {
    auto& d = rep.add(Code::SkippedFile, Span{},
                      "skipped " + std::to_string(skipped.size()) + " YAML file" + (skipped.size() == 1 ? "" : "s") +
                          " without a `charter` key");
    for (std::size_t i = 0; i < skipped.size() && i < 20; ++i) d.notes.push_back("skipped " + skipped[i]);
    if (skipped.size() > 20) d.notes.push_back("and " + std::to_string(skipped.size() - 20) + " more");
  }
  LoaderAccess::skipped(result) = skipped;

  impl.build_indexes();
  check_expressions(impl, rep);
  run_checks(impl, rep, opt);

  // Severity adjustments, then a stable order: file load order, line, column.
  std::vector<Diagnostic> out;
  for (auto& d : rep.all()) {
    const CodeInfo* ci = describe_code(d.code);
    if (ci && !ci->enabled_by_default && !opt.strict &&
        std::find(opt.warn.begin(), opt.warn.end(), d.code) == opt.warn.end())
      continue;
    if (std::find(opt.disable.begin(), opt.disable.end(), d.code) != opt.disable.end()) continue;
    if (std::find(opt.warn.begin(), opt.warn.end(), d.code) != opt.warn.end() && d.severity == Severity::Error)
      d.severity = Severity::Warning;
    out.push_back(std::move(d));
  }
  std::map<std::string, std::size_t> order;
  for (std::size_t i = 0; i < impl.files.size(); ++i) order.emplace(impl.files[i], i);
  auto file_rank = [&](const Diagnostic& d) {
    if (d.span.file.empty()) return SIZE_MAX;
    auto it = order.find(d.span.file);
    return it == order.end() ? SIZE_MAX - 1 : it->second;
  };
  std::stable_sort(out.begin(), out.end(), [&](const Diagnostic& a, const Diagnostic& b) {
    return std::make_tuple(file_rank(a), a.span.line, a.span.column) <
           std::make_tuple(file_rank(b), b.span.line, b.span.column);
  });
  LoaderAccess::diags(result) = std::move(out);
  return result;
}

}  // namespace

bool LoadResult::ok() const noexcept { return count_at_least(diagnostics_, Severity::Error) == 0; }

std::string_view LoadResult::source_line(std::string_view file, int line) const {
  const auto& impl = LoaderAccess::impl_of(*this);
  for (std::size_t i = 0; i < impl.files.size(); ++i)
    if (impl.files[i] == file && impl.trees[i]) return impl.trees[i]->line_text(line);
  return {};
}

LoadResult load_charter(const std::vector<fs::path>& paths, const LoadOptions& options) {
  std::vector<Entry> entries;
  std::vector<Diagnostic> pre;
  std::vector<fs::path> walked_dirs;
  std::set<fs::path> seen;
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  for (const auto& p : paths) {
    fs::path abs = (p.is_absolute() ? p : cwd / p).lexically_normal();
    if (abs.has_filename() == false && abs.has_parent_path()) abs = abs.parent_path();
    if (!fs::exists(abs, ec)) {
      Diagnostic d;
      d.code = "CH0001";
      d.severity = Severity::Error;
      d.message = "`" + p.generic_string() + "` does not exist";
      d.span.file = p.generic_string();
      pre.push_back(std::move(d));
      continue;
    }
    if (fs::is_directory(abs, ec)) {
      walked_dirs.push_back(abs);
      for (auto& f : walk_yaml(abs)) {
        fs::path fa = f.lexically_normal();
        if (!seen.insert(identity(fa)).second) continue;
        Entry e;
        e.abs = fa;
        e.display = display_path(fa);
        e.root = abs;
        e.walked = true;
        entries.push_back(std::move(e));
      }
    } else {
      if (!seen.insert(identity(abs)).second) {
        for (auto& e : entries)
          if (identity(e.abs) == identity(abs)) e.walked = false;
        continue;
      }
      Entry e;
      e.abs = abs;
      e.display = display_path(abs);
      e.root = abs.parent_path();
      entries.push_back(std::move(e));
    }
  }
  return load_entries(std::move(entries), options, std::move(pre), walked_dirs);
}

LoadResult load_charter_from_string(std::string_view yaml, std::string_view name, const LoadOptions& options) {
  std::vector<Entry> entries(1);
  Entry& e = entries[0];
  e.display = std::string(name);
  e.abs = fs::path("/<string>") / std::string(name);
  e.from_string = true;
  if (yaml.size() > options.max_file_bytes)
    e.too_large = true;
  else {
    yaml::Limits limits;
    limits.threads = options.threads ? options.threads : detail::usable_cores();
    e.tree = std::make_shared<yaml::Tree>(yaml::parse(std::string(yaml), limits));
  }
  return load_entries(std::move(entries), options, {}, {});
}

}  // namespace charter

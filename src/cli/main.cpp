// The charter command-line tool: argument parsing and exit codes only. Uses the public
// library API like any outside user.
#include <charter/calendar.hpp>
#include <charter/charter.hpp>
#include <charter/docs.hpp>
#include <charter/evaluate.hpp>
#include <charter/lint.hpp>
#include <charter/records.hpp>
#include <charter/render.hpp>
#include <charter/sla.hpp>

#include <CLI/CLI.hpp>

#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <thread>

namespace fs = std::filesystem;

namespace {

constexpr int kOk = 0, kFindings = 1, kUsage = 2;

struct Common {
  std::vector<std::string> paths;
  bool strict = false;
  std::vector<std::string> disable, warn;
  std::string color = "auto";
};

int usage_error(const std::string& msg) {
  std::cerr << "charter: " << msg << "\n";
  return kUsage;
}

// Paths that do not exist or cannot be opened are usage errors (exit 2).
int check_paths(const std::vector<std::string>& paths) {
  for (const auto& p : paths) {
    std::error_code ec;
    auto st = fs::status(p, ec);
    if (ec || !fs::exists(st)) return usage_error("`" + p + "`: no such file or directory");
    if (fs::is_directory(st)) {
      fs::directory_iterator it(p, ec);
      if (ec) return usage_error("`" + p + "`: cannot open directory: " + ec.message());
    } else {
      std::ifstream f(p, std::ios::binary);
      if (!f) return usage_error("`" + p + "`: cannot open file");
    }
  }
  return kOk;
}

int check_codes(const std::vector<std::string>& codes, const char* flag) {
  for (const auto& c : codes)
    if (!charter::describe_code(c))
      return usage_error(std::string(flag) + ": unknown diagnostic code `" + c + "` (see `charter explain --list`)");
  return kOk;
}

charter::LoadOptions options_of(const Common& c) {
  charter::LoadOptions o;
  o.strict = c.strict;
  o.disable = c.disable;
  o.warn = c.warn;
  return o;
}

void add_common(CLI::App* cmd, Common& c) {
  cmd->add_option("path", c.paths, "Charter files or directories (default: .)");
  cmd->add_flag("--strict", c.strict, "Turn on rules that are off by default (missing translations)");
  // One code per flag (repeat the flag for more), so that paths after it stay paths.
  cmd->add_option("--disable", c.disable, "Drop diagnostics with this code (repeatable)")
      ->type_name("CODE")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--warn", c.warn, "Report this code as a warning (repeatable)")
      ->type_name("CODE")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

std::vector<fs::path> as_paths(const std::vector<std::string>& v) {
  std::vector<fs::path> out;
  for (auto& s : v) out.emplace_back(s);
  if (out.empty()) out.emplace_back(".");
  return out;
}

struct Qualify {
  std::string charter;
  std::vector<std::string> data;
  std::string as_of, format = "csv", crm, id = "id", timezone, explain;
  std::vector<std::string> criteria;
  bool stage_only = false, summary = false, progress = false;
  long max_errors = -1;
  unsigned threads = 0;
};

std::string csv_cell(std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string json_string(std::string_view v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\')
      out += '\\', out += c;
    else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else
      out += c;
  }
  return out + "\"";
}

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

void print_data_diagnostics(std::vector<charter::Diagnostic> ds) {
  for (const auto& d : ds) {
    std::cerr << d.span.file;
    if (d.span.line > 0) std::cerr << ":" << d.span.line << ":" << d.span.column;
    std::cerr << ": " << charter::to_string(d.severity) << "[" << d.code << "]: " << d.message << "\n";
  }
}

// Loads a charter; when it has errors, prints them and returns nullopt.
std::optional<charter::LoadResult> load_or_report(const std::string& path) {
  auto loaded = charter::load_charter({path});
  if (loaded.ok()) return loaded;
  charter::RenderOptions opts;
  opts.color = charter::stderr_wants_color();
  charter::render(std::cerr, charter::OutputFormat::Text, loaded, opts);
  return std::nullopt;
}

// The evaluation time of --as-of (now when empty); false when it is not a datetime.
bool as_of_time(const std::string& text, charter::DatetimeValue& now) {
  if (text.empty()) {
    now.epoch_seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    return true;
  }
  auto t = charter::parse_datetime(text);
  if (t) now = *t;
  return t.has_value();
}

// The id of `ids` nearest to `word` (by edit distance), when it is close.
std::optional<std::string> closest_id(const std::string& word, const std::vector<std::string>& ids) {
  std::optional<std::string> best;
  std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& id : ids) {
    std::vector<std::size_t> row(id.size() + 1);
    for (std::size_t j = 0; j <= id.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= word.size(); ++i) {
      std::size_t diag = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= id.size(); ++j) {
        std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (word[i - 1] == id[j - 1] ? 0 : 1)});
        diag = up;
      }
    }
    if (row[id.size()] < best_d) {
      best_d = row[id.size()];
      best = id;
    }
  }
  return best;
}

// Progress on a terminal (or when asked): bytes and items read, rate, time left; never in a
// pipe or a CI log unless asked.
class Progress {
 public:
  Progress(const std::vector<std::string>& paths, bool forced, const char* what) : what_(what) {
    for (const auto& path : paths) {
      std::error_code ec;
      auto size = std::filesystem::file_size(path, ec);
      total_ += ec ? 0 : size;
    }
    const char* ci = std::getenv("CI");
    on_ = forced || (::isatty(2) == 1 && !(ci && *ci));
    started_ = last_ = std::chrono::steady_clock::now();
  }
  void show(std::uint64_t bytes, std::size_t items, bool final) {
    auto t = std::chrono::steady_clock::now();
    if (!on_ || (!final && t - last_ < std::chrono::milliseconds(250)) || (final && !shown_)) return;
    last_ = t;
    shown_ = true;
    double secs = std::chrono::duration<double>(t - started_).count();
    double rate = secs > 0 ? bytes / secs : 0;
    double left = rate > 0 && total_ > bytes ? (total_ - bytes) / rate : 0;
    char buf[200];
    std::snprintf(buf, sizeof buf, "\r%.1f of %.1f MB (%.0f%%), %zu %s, %.0f MB/s, %02d:%02d left   ", bytes / 1e6,
                  total_ / 1e6, total_ ? 100.0 * bytes / total_ : 100.0, items, what_, rate / 1e6,
                  static_cast<int>(left) / 60, static_cast<int>(left) % 60);
    std::cerr << buf << (final ? "\n" : "") << std::flush;
  }

 private:
  const char* what_;
  std::uint64_t total_ = 0;
  bool on_ = false, shown_ = false;
  std::chrono::steady_clock::time_point started_, last_;
};

// ---- charter due ----------------------------------------------------------------------------

struct Due {
  std::string charter, sla, start, format = "text";
};

int run_due(const Due& d) {
  if (int rc = check_paths({d.charter})) return rc;
  auto start = charter::parse_datetime(d.start);
  if (!start)
    return usage_error("--start: `" + d.start +
                       "` is not an RFC 3339 datetime with an offset (e.g. 2026-11-27T17:00:00+01:00)");
  auto loaded_or = load_or_report(d.charter);
  if (!loaded_or) return kFindings;
  charter::LoadResult& loaded = *loaded_or;
  const charter::Charter& c = loaded.charter();
  const charter::Sla* sla = c.sla(d.sla);
  if (!sla) {
    std::string msg = "--sla: no SLA `" + d.sla + "` in the charter";
    std::vector<std::string> ids;
    for (const auto& s : c.slas()) ids.emplace_back(s.id);
    if (auto near = closest_id(d.sla, ids)) msg += " (did you mean `" + *near + "`?)";
    return usage_error(msg);
  }
  if (!sla->within)
    return usage_error("--sla: `" + d.sla + "` is a " + charter::to_string(sla->type) +
                       " SLA: it has no `within`, so no deadline");
  charter::BusinessCalendar cal;
  if (!sla->calendar.empty()) cal = *charter::BusinessCalendar::find(c, sla->calendar);
  charter::Instant t0 = charter::to_instant(*start);
  auto clock = cal.next_open(t0);
  auto deadline = cal.add(t0, *sla->within);
  if (!clock || !deadline) {
    std::cerr << "charter: calendar `" << cal.id() << "` does not open again after " << charter::utc_time(t0) << "\n";
    return kFindings;
  }
  std::optional<charter::Instant> warning;
  if (sla->warn_at) {
    auto open = cal.elapsed(*clock, *deadline);
    auto part = std::chrono::seconds(static_cast<std::int64_t>(static_cast<double>(open.count()) * *sla->warn_at));
    warning = cal.add(*clock, part);
  }
  auto within = std::to_string(sla->within->amount) + sla->within->unit;
  std::string how = cal.is_wall_clock() ? "wall-clock time"
                                        : "business time on calendar " + std::string(cal.id()) + " (" +
                                              std::string(cal.time_zone()) + ")";
  if (d.format == "json") {
    auto at = [&](charter::Instant t) {
      return "{\"local\":" + json_string(cal.local_time(t)) + ",\"utc\":" + json_string(charter::utc_time(t)) + "}";
    };
    std::cout << "{\"sla\":" << json_string(sla->id) << ",\"type\":" << json_string(charter::to_string(sla->type))
              << ",\"within\":" << json_string(within)
              << ",\"calendar\":" << (cal.is_wall_clock() ? "null" : json_string(cal.id()))
              << ",\"time_zone\":" << json_string(cal.time_zone()) << ",\"start\":" << at(t0)
              << ",\"clock_starts\":" << at(*clock) << ",\"warning\":" << (warning ? at(*warning) : "null")
              << ",\"deadline\":" << at(*deadline) << "}\n";
    return kOk;
  }
  std::cout << sla->id << ": " << charter::to_string(sla->type) << " within " << within << ", " << how << "\n";
  auto line = [&](const char* label, charter::Instant t, const std::string& note) {
    std::cout << "  " << std::left << std::setw(10) << label << cal.local_time(t) << "   " << charter::utc_time(t)
              << (note.empty() ? "" : "   " + note) << "\n";
  };
  line("start", t0, "");
  if (*clock != t0) line("clock", *clock, "(closed at the start: the clock starts when it opens)");
  if (warning) {
    char pct[64];
    std::snprintf(pct, sizeof pct, "(%g%% of the time used)", *sla->warn_at * 100);
    line("warning", *warning, pct);
  }
  line("deadline", *deadline, "");
  return kOk;
}

// ---- charter sla ----------------------------------------------------------------------------

// Lead ids -> numbers 0, 1, 2...: open addressing over one buffer of ids (a million leads
// are looked up often while events stream by; a node per id would cost a cache miss more).
class IdIndex {
 public:
  // The id's number; `added` says whether it is new.
  std::size_t add(std::string_view id, bool& added) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    std::size_t i = find_slot(id, hash(id));
    added = slots_[i].number == kEmpty;
    if (added) {
      slots_[i] = {hash(id), static_cast<std::uint32_t>(offsets_.size()), static_cast<std::uint32_t>(id.size())};
      offsets_.push_back(text_.size());
      text_.append(id);
      ++size_;
    }
    return slots_[i].number;
  }
  std::optional<std::size_t> find(std::string_view id) const {
    if (slots_.empty()) return std::nullopt;
    std::size_t i = find_slot(id, hash(id));
    if (slots_[i].number == kEmpty) return std::nullopt;
    return slots_[i].number;
  }

 private:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFF;
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t number = kEmpty, size = 0;
  };
  static std::uint64_t hash(std::string_view s) { return std::hash<std::string_view>{}(s); }
  std::size_t find_slot(std::string_view id, std::uint64_t h) const {
    std::size_t mask = slots_.size() - 1, i = h & mask;
    while (slots_[i].number != kEmpty && !(slots_[i].hash == h && slots_[i].size == id.size() &&
                                           std::string_view(text_).substr(offsets_[slots_[i].number], id.size()) == id))
      i = (i + 1) & mask;
    return i;
  }
  void grow() {
    std::vector<Slot> old(std::max<std::size_t>(1024, slots_.size() * 2));
    old.swap(slots_);
    std::size_t mask = slots_.size() - 1;
    for (const Slot& x : old) {
      if (x.number == kEmpty) continue;
      std::size_t i = x.hash & mask;
      while (slots_[i].number != kEmpty) i = (i + 1) & mask;
      slots_[i] = x;
    }
  }
  std::vector<Slot> slots_;
  std::vector<std::size_t> offsets_;
  std::string text_;
  std::size_t size_ = 0;
};

struct SlaCmd {
  std::string charter;
  std::vector<std::string> events;
  std::string leads, crm, id = "id", timezone, as_of, period, from, to, format = "table", window = "7d";
  bool breaches = false, progress = false;
};

std::optional<charter::Date> date_arg(const std::string& text) {
  auto dt = charter::parse_datetime(text + "T00:00:00Z");
  if (!dt || text.size() != 10) return std::nullopt;
  return charter::Date{std::stoi(text.substr(0, 4)), std::stoi(text.substr(5, 2)), std::stoi(text.substr(8, 2))};
}

std::string percent(std::optional<double> v) {
  if (!v) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", *v * 100);
  return buf;
}

int run_sla(const SlaCmd& a) {
  if (int rc = check_paths({a.charter})) return rc;
  if (int rc = check_paths(a.events)) return rc;
  charter::SlaReportOptions opt;
  charter::DatetimeValue now;
  if (!as_of_time(a.as_of, now))
    return usage_error("--as-of: `" + a.as_of +
                       "` is not an RFC 3339 datetime with an offset (e.g. 2026-11-28T12:00:00Z)");
  opt.as_of = charter::to_instant(now);
  if (!a.period.empty())
    opt.period = a.period == "week"      ? charter::Period::Week
                 : a.period == "quarter" ? charter::Period::Quarter
                 : a.period == "year"    ? charter::Period::Year
                                         : charter::Period::Month;
  if (!a.from.empty() && !(opt.from = date_arg(a.from)))
    return usage_error("--from: `" + a.from + "` is not a date (YYYY-MM-DD)");
  if (!a.to.empty() && !(opt.to = date_arg(a.to)))
    return usage_error("--to: `" + a.to + "` is not a date (YYYY-MM-DD)");
  // --window: a whole number of days (d), hours (h) or minutes (m).
  std::int64_t window = -1;
  {
    std::int64_t n = 0;
    const char* b = a.window.data();
    const char* e = b + a.window.size();
    auto r = std::from_chars(b, e, n);
    if (r.ec == std::errc() && r.ptr + 1 == e && n >= 0 && n <= 36500 * 24 * 60) {
      char u = *r.ptr;
      window = u == 'd' ? n * 86400 : u == 'h' ? n * 3600 : u == 'm' ? n * 60 : -1;
    }
  }
  if (window < 0)
    return usage_error("--window: `" + a.window + "` is not a duration in days, hours or minutes (e.g. 7d, 36h)");
  auto loaded_or = load_or_report(a.charter);
  if (!loaded_or) return kFindings;
  charter::LoadResult& loaded = *loaded_or;
  const charter::Charter& c = loaded.charter();
  charter::Evaluator ev(c);
  bool bad_data = false;

  // Lead data for `applies_to` (whether each such SLA applies to each lead, decided as the
  // leads are read), stage events from "date entered stage" columns, owners.
  std::vector<std::size_t> applies_bit(c.slas().size(), 0);  // SLA -> its bit (applies_to only)
  std::size_t applies_count = 0;
  for (std::size_t k = 0; k < c.slas().size(); ++k)
    if (c.slas()[k].applies_to) applies_bit[k] = applies_count++;
  std::size_t words = (applies_count + 63) / 64;
  IdIndex lead_index;  // lead id -> its number n: its bits are lead_bits[n * words ...]
  std::vector<std::uint64_t> lead_bits;
  std::vector<charter::Event> lead_events;
  std::unordered_map<std::string, std::string> owners;
  if (!a.leads.empty()) {
    if (int rc = check_paths({a.leads})) return rc;
    charter::ReadOptions ro;
    ro.crm = a.crm;
    ro.id_column = a.id;
    ro.timezone = a.timezone;
    charter::ScanOptions so;
    so.read = ro;
    so.evaluate = false;
    // The fields the applies_to expressions read: only those are read from the leads file
    // (all of them when an expression reads a score or a criteria).
    std::vector<std::size_t> fields;
    bool all_fields = false;
    auto walk = [&](auto& self, const charter::ExprNode& n) -> void {
      if (n.kind == charter::ExprNode::Kind::Name) {
        if (n.name_kind == charter::NameKind::Field)
          fields.push_back(n.index);
        else if (n.name_kind != charter::NameKind::Now)
          all_fields = true;
      }
      for (const auto& ch : n.children) self(self, *ch);
    };
    for (const auto& s : c.slas())
      if (s.applies_to && s.applies_to->root) walk(walk, *s.applies_to->root);
    std::sort(fields.begin(), fields.end());
    fields.erase(std::unique(fields.begin(), fields.end()), fields.end());
    // Only what applies_to reads is read (and checked) in the leads file.
    if (!all_fields)
      for (std::size_t f : fields) so.read.fields.emplace_back(c.fields()[f].id);
    std::vector<std::filesystem::path> files{a.leads};
    // Each applies_to over a whole batch of leads (column by column), then a bit per lead.
    const auto& slas = c.slas();
    std::vector<std::vector<std::uint8_t>> holds(slas.size());
    std::vector<std::size_t> numbers;
    charter::scan_records(ev, files, now, so, [&](const charter::ScanBatch& b) {
      print_data_diagnostics({b.diagnostics.begin(), b.diagnostics.end()});
      bad_data |= b.file_failed || b.rejected > 0;
      if (!applies_count) return true;
      const std::size_t rows = b.records.size();
      for (std::size_t k = 0; k < slas.size(); ++k)
        if (slas[k].applies_to) ev.holds(*slas[k].applies_to, b.records, now, holds[k]);
      numbers.resize(rows);
      for (std::size_t row = 0; row < rows; ++row) {
        bool added = false;
        numbers[row] = lead_index.add(b.records.id(row), added);
        if (added) lead_bits.resize(lead_bits.size() + words);
      }
      for (std::size_t k = 0; k < slas.size(); ++k) {
        if (!slas[k].applies_to) continue;
        const std::uint64_t bit = std::uint64_t{1} << (applies_bit[k] % 64);
        const std::size_t word = applies_bit[k] / 64;
        const std::uint8_t* h = holds[k].data();
        for (std::size_t row = 0; row < rows; ++row) {
          std::uint64_t& w = lead_bits[numbers[row] * words + word];
          w = h[row] ? (w | bit) : (w & ~bit);
        }
      }
      return true;
    });
    // "Date entered stage" columns (with --crm) become stage events; an owner column groups
    // the breaches.
    bool stage_columns = false;
    for (const auto& st : c.funnel().stages) stage_columns |= !a.crm.empty() && st.source.count(a.crm) > 0;
    if (stage_columns || a.breaches) {
      auto log = charter::read_lead_log(c, a.leads, ro);
      for (auto& d : log.diagnostics)  // (ragged rows and an unusable file were reported above)
        if (d.code == "CH1001") {
          print_data_diagnostics({d});
          bad_data = true;
        }
      lead_events = std::move(log.events);
      for (auto& [rec, owner] : log.owners) owners.insert_or_assign(rec, owner);
    }
  } else {
    for (const auto& s : c.slas())
      if (s.applies_to)
        return usage_error("SLA `" + std::string(s.id) +
                           "` applies only to some records (applies_to): give the leads with --leads FILE");
  }
  // A record missing from the leads: applies_to on a record of nulls.
  charter::Record no_data = ev.record();
  opt.applies = [&](const charter::Sla& s, std::string_view record) {
    std::size_t k = static_cast<std::size_t>(&s - c.slas().data());
    auto n = lead_index.find(record);
    if (!n) return ev.holds(*s.applies_to, no_data, now);
    return ((lead_bits[*n * words + applies_bit[k] / 64] >> (applies_bit[k] % 64)) & 1) != 0;
  };

  Progress progress(a.events, a.progress, "events");
  using Item = std::pair<const charter::Sla*, charter::SlaItem>;
  std::vector<Item> items;
  charter::SlaStreamOptions so;
  so.report = opt;
  so.window = std::chrono::seconds(window);
  so.extra = std::move(lead_events);
  so.on_diagnostic = [&](charter::Diagnostic&& d) {
    if (d.severity == charter::Severity::Error) bad_data = true;
    print_data_diagnostics({std::move(d)});
  };
  std::uint64_t bytes_read = 0, events_read = 0;
  so.on_progress = [&](std::uint64_t bytes, std::uint64_t events) {
    bytes_read = bytes;
    events_read = events;
    progress.show(bytes, events, false);
  };
  if (a.breaches)  // (only the breached and warned items are listed)
    so.on_item = [&](const charter::Sla& s, charter::SlaItem&& it) {
      if (it.status == charter::SlaStatus::Breached || it.warned) items.emplace_back(&s, std::move(it));
    };
  so.on_restart = [&] { items.clear(); };
  std::vector<std::filesystem::path> paths(a.events.begin(), a.events.end());
  auto result = charter::sla_report_files(c, paths, so);
  progress.show(bytes_read, events_read, true);
  bad_data |= result.failed || result.rejected > 0;
  auto& rows = result.periods;

  // Exit 1 when an SLA missed in its most recent closed period (or in any closed period
  // inside --from/--to).
  bool missed = false;
  std::map<const charter::Sla*, const charter::SlaPeriod*> last_closed;
  for (const auto& r : rows) {
    if (!r.closed) continue;
    if (opt.from || opt.to) missed |= r.status == charter::PeriodStatus::Breached;
    last_closed[r.sla] = &r;
  }
  if (!opt.from && !opt.to)
    for (const auto& [s, r] : last_closed) missed |= r->status == charter::PeriodStatus::Breached;

  std::vector<std::string> head{"sla",   "period", "items",  "met",        "breached",  "in flight", "compliance",
                                "value", "target", "pacing", "projection", "objective", "status"};
  std::vector<std::vector<std::string>> table;
  for (const auto& r : rows) {
    bool volume = r.sla->type == charter::SlaType::Volume, conversion = r.sla->type == charter::SlaType::Conversion;
    auto num = [](std::optional<double> v) {
      if (!v) return std::string();
      char buf[32];
      std::snprintf(buf, sizeof buf, *v == static_cast<double>(static_cast<long long>(*v)) ? "%.0f" : "%.1f", *v);
      return std::string(buf);
    };
    table.push_back({std::string(r.sla->id), r.period.label, volume ? "" : std::to_string(r.items),
                     volume ? "" : std::to_string(r.met), volume ? "" : std::to_string(r.breached),
                     volume ? "" : std::to_string(r.in_flight), volume ? "" : percent(r.compliance),
                     volume       ? num(r.value)
                     : conversion ? percent(r.value)
                                  : "",
                     volume       ? num(r.target)
                     : conversion ? percent(r.target)
                                  : "",
                     volume ? num(r.pacing) : "", volume ? num(r.projection) : percent(r.projection),
                     percent(r.objective), charter::to_string(r.status)});
  }
  if (a.format == "json") {
    std::cout << "{\"as_of\":" << json_string(charter::utc_time(opt.as_of)) << ",\"periods\":[";
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto& r = rows[i];
      auto opt_num = [](std::optional<double> v) { return v ? number_text(*v) : std::string("null"); };
      std::cout << (i ? "," : "") << "{\"sla\":" << json_string(r.sla->id)
                << ",\"type\":" << json_string(charter::to_string(r.sla->type))
                << ",\"period\":" << json_string(r.period.label)
                << ",\"begin\":" << json_string(charter::utc_time(r.period.begin))
                << ",\"end\":" << json_string(charter::utc_time(r.period.end))
                << ",\"closed\":" << (r.closed ? "true" : "false") << ",\"items\":" << r.items << ",\"met\":" << r.met
                << ",\"breached\":" << r.breached << ",\"in_flight\":" << r.in_flight << ",\"warned\":" << r.warned
                << ",\"compliance\":" << opt_num(r.compliance) << ",\"value\":" << opt_num(r.value)
                << ",\"target\":" << opt_num(r.target) << ",\"pacing\":" << opt_num(r.pacing)
                << ",\"projection\":" << opt_num(r.projection) << ",\"objective\":" << opt_num(r.objective)
                << ",\"status\":" << json_string(charter::to_string(r.status)) << "}";
    }
    std::cout << "]}\n";
  } else if (a.format == "csv") {
    for (std::size_t i = 0; i < head.size(); ++i) std::cout << (i ? "," : "") << csv_cell(head[i]);
    std::cout << "\n";
    for (const auto& row : table) {
      for (std::size_t i = 0; i < row.size(); ++i) std::cout << (i ? "," : "") << csv_cell(row[i]);
      std::cout << "\n";
    }
  } else if (a.format == "markdown") {
    auto line = [&](const std::vector<std::string>& cells) {
      std::cout << "|";
      for (const auto& x : cells) {
        std::string esc;
        for (char ch : x) esc += ch == '|' ? std::string("\\|") : std::string(1, ch);
        std::cout << " " << esc << " |";
      }
      std::cout << "\n";
    };
    line(head);
    std::cout << "|";
    for (std::size_t i = 0; i < head.size(); ++i) std::cout << (i < 2 || i + 1 == head.size() ? " --- |" : " ---: |");
    std::cout << "\n";
    for (const auto& row : table) line(row);
  } else {
    std::vector<std::size_t> w(head.size());
    for (std::size_t i = 0; i < head.size(); ++i) w[i] = head[i].size();
    for (const auto& row : table)
      for (std::size_t i = 0; i < row.size(); ++i) w[i] = std::max(w[i], row[i].size());
    auto line = [&](const std::vector<std::string>& cells) {
      std::string out;
      for (std::size_t i = 0; i < cells.size(); ++i) {
        std::string pad(w[i] - cells[i].size(), ' ');
        out += (i ? "  " : "") + (i < 2 || i + 1 == cells.size() ? cells[i] + pad : pad + cells[i]);
      }
      while (!out.empty() && out.back() == ' ') out.pop_back();
      std::cout << out << "\n";
    };
    line(head);
    for (const auto& row : table) line(row);
  }

  if (a.breaches) {
    // Every breached or warned item, by the team that provides the SLA, then by the record's
    // owner (the leads file's `owner` column).
    std::map<std::string, std::map<std::string, std::vector<const Item*>>> by_team;
    // In charter order (the SLAs are one array), then by record and start.
    std::sort(items.begin(), items.end(), [](const Item& x, const Item& y) {
      return std::tie(x.first, x.second.record, x.second.start) < std::tie(y.first, y.second.record, y.second.start);
    });
    for (const auto& it : items)
      if (it.second.status == charter::SlaStatus::Breached || it.second.warned) {
        auto o = owners.find(it.second.record);
        by_team[std::string(it.first->provider)][o == owners.end() ? std::string() : o->second].push_back(&it);
      }
    std::cout << "\n";
    if (by_team.empty()) std::cout << "no breached or warned items\n";
    for (const auto& [team, by_owner] : by_team) {
      const charter::Team* t = c.team(team);
      std::cout << (t && !t->name.empty() ? std::string(t->name) : team) << " (" << team << ")\n";
      for (const auto& [owner, list] : by_owner) {
        std::string indent = "  ";
        if (!owners.empty()) {
          std::cout << "  " << (owner.empty() ? std::string("(no owner)") : owner) << "\n";
          indent = "    ";
        }
        for (const auto* p : list) {
          const charter::SlaItem& it = p->second;
          std::cout << indent << p->first->id << "  " << it.record << "  " << charter::to_string(it.status)
                    << (it.warned && it.status != charter::SlaStatus::Breached ? " (warned)" : "") << "  start "
                    << charter::utc_time(it.start) << "  deadline "
                    << (it.deadline == charter::Instant::max() ? std::string("-") : charter::utc_time(it.deadline))
                    << "  done " << (it.done ? charter::utc_time(*it.done) : std::string("-")) << "\n";
        }
      }
    }
  }
  return missed || bad_data ? kFindings : kOk;
}

int run_qualify(const Qualify& q) {
  if (int rc = check_paths({q.charter})) return rc;
  if (int rc = check_paths(q.data)) return rc;
  charter::DatetimeValue now;
  if (!as_of_time(q.as_of, now))
    return usage_error("--as-of: `" + q.as_of +
                       "` is not an RFC 3339 datetime with an offset (e.g. 2026-11-28T12:00:00Z)");
  auto loaded_or = load_or_report(q.charter);
  if (!loaded_or) return kFindings;
  charter::LoadResult& loaded = *loaded_or;
  charter::Evaluator ev(loaded.charter());
  const charter::Charter& c = loaded.charter();
  std::vector<std::size_t> crit;
  if (q.criteria.empty()) {
    for (std::size_t i = 0; i < c.criteria().size(); ++i) crit.push_back(i);
  } else {
    for (const auto& id : q.criteria) {
      auto i = ev.criteria_index(id);
      if (!i) return usage_error("--criteria: no criteria `" + id + "` in the charter");
      crit.push_back(*i);
    }
  }
  bool with_scores = q.criteria.empty() && !q.stage_only;
  bool print_rows = !q.summary && q.explain.empty();
  std::vector<std::string> columns{"id"};
  if (!q.stage_only) {
    for (auto i : crit) columns.emplace_back(c.criteria()[i].id);
    if (with_scores)
      for (const auto& s : c.scores()) columns.emplace_back(s.id);
  }
  columns.emplace_back("stage");
  std::vector<std::vector<std::string>> table_rows;
  auto emit = [&](const std::vector<std::string>& cells) {
    if (q.format == "csv") {
      for (std::size_t i = 0; i < cells.size(); ++i) std::cout << (i ? "," : "") << csv_cell(cells[i]);
      std::cout << "\n";
    } else if (q.format == "jsonl") {
      // id and stage are strings (a record without a stage has null), criteria booleans,
      // scores numbers.
      std::cout << "{";
      for (std::size_t i = 0; i < cells.size(); ++i) {
        std::cout << (i ? "," : "") << json_string(columns[i]) << ":";
        bool last = i + 1 == cells.size();
        if (i == 0 || last)
          std::cout << (last && cells[i].empty() ? "null" : json_string(cells[i]));
        else
          std::cout << cells[i];
      }
      std::cout << "}\n";
    } else {
      table_rows.push_back(cells);
    }
  };
  if (print_rows && q.format == "csv") emit(columns);

  std::vector<std::size_t> reached(c.funnel().stages.size(), 0), stopped(c.funnel().stages.size(), 0);
  std::vector<std::size_t> holds(c.criteria().size(), 0);
  std::size_t total = 0, rejected = 0, errors = 0, no_stage = 0;
  bool explained = false;
  charter::ScanOptions so;
  so.read.crm = q.crm;
  so.read.id_column = q.id;
  so.read.timezone = q.timezone;
  so.evaluate = q.explain.empty();
  so.threads = q.threads;

  // Handles valid record `r` of a batch (in input order).
  charter::Record rec = ev.record();
  std::string row_text;
  auto process = [&](const charter::ScanBatch& b, std::size_t r) {
    ++total;
    if (!q.explain.empty()) {
      if (b.records.id(r) != q.explain) return;
      explained = true;
      b.records.get(r, rec);
      std::cout << "record " << q.explain << "\n\n";
      for (auto i : crit) std::cout << charter::to_text(*ev.explain(rec, now, c.criteria()[i].id)) << "\n";
      for (const auto& s : c.scores()) std::cout << charter::to_text(*ev.explain(rec, now, s.id)) << "\n";
      auto result = ev.evaluate(rec, now);
      std::cout << "stage = " << (result.stage ? std::string(c.funnel().stages[*result.stage].id) : "(none)") << "\n";
      for (const auto& st : c.funnel().stages)
        if (st.entry) std::cout << "  " << charter::to_text(*ev.explain(rec, now, st.id));
      return;
    }
    const charter::BatchResult& res = b.result;
    for (std::size_t i = 0; i < res.criteria.size(); ++i) holds[i] += res.criteria[i][r];
    std::int32_t stage = res.stage[r];
    if (stage >= 0) {
      ++stopped[static_cast<std::size_t>(stage)];
      for (std::int32_t s = 0; s <= stage; ++s) ++reached[static_cast<std::size_t>(s)];
    } else {
      ++no_stage;
    }
    if (!print_rows) return;
    std::vector<std::string> cells{std::string(b.records.id(r))};
    if (!q.stage_only) {
      for (auto i : crit) cells.emplace_back(res.criteria[i][r] ? "true" : "false");
      if (with_scores)
        for (const auto& sc : res.scores) cells.push_back(number_text(sc[r]));
    }
    cells.emplace_back(stage >= 0 ? std::string(c.funnel().stages[static_cast<std::size_t>(stage)].id) : std::string());
    emit(cells);
  };

  Progress progress(q.data, q.progress, "records");

  // The files are split into chunks that are parsed and evaluated on every core; batches
  // come back in input order. Records and diagnostics are interleaved as in the input, so
  // that --max-errors stops right after the record with the Nth error.
  std::uint64_t last_bytes = 0;
  std::vector<std::filesystem::path> files(q.data.begin(), q.data.end());
  charter::scan_records(ev, files, now, so, [&](const charter::ScanBatch& b) {
    std::size_t r = 0;
    bool stopping = false;        // --max-errors reached: finish the record with the Nth error
    std::size_t stop_record = 0;  // (0: the error was about a whole file)
    for (std::size_t k = 0; k < b.diagnostics.size(); ++k) {
      const charter::Diagnostic& d = b.diagnostics[k];
      if (stopping && (stop_record == 0 || b.diagnostic_records[k] != stop_record)) return false;
      for (; r < b.diagnostic_rows[k]; ++r) process(b, r);
      print_data_diagnostics({d});
      if (d.severity != charter::Severity::Error) continue;
      ++errors;
      // A rejected record counts once, however many of its cells are bad.
      if (k == 0 || b.diagnostic_records[k - 1] != b.diagnostic_records[k] || b.diagnostic_records[k] == 0) ++rejected;
      if (q.max_errors >= 0 && errors >= static_cast<std::size_t>(q.max_errors)) {
        stopping = true;
        stop_record = b.diagnostic_records[k];
      }
    }
    if (stopping) return false;
    for (; r < b.records.size(); ++r) process(b, r);
    last_bytes = b.bytes_done;
    progress.show(last_bytes, total, false);
    return true;
  });
  progress.show(last_bytes, total, true);
  if (q.format == "table" && print_rows) {
    std::vector<std::size_t> w(columns.size());
    for (std::size_t i = 0; i < columns.size(); ++i) w[i] = columns[i].size();
    for (auto& r : table_rows)
      for (std::size_t i = 0; i < r.size(); ++i) w[i] = std::max(w[i], r[i].size());
    auto line = [&](const std::vector<std::string>& cells) {
      for (std::size_t i = 0; i < cells.size(); ++i)
        std::cout << (i ? "  " : "") << std::left << std::setw(static_cast<int>(w[i])) << cells[i];
      std::cout << "\n";
    };
    line(columns);
    for (auto& r : table_rows) line(r);
  }
  if (q.summary) {
    std::cout << "records: " << total << " qualified, " << rejected << " rejected\n\n";
    std::cout << std::left << std::setw(16) << "stage" << std::right << std::setw(12) << "reached" << std::setw(12)
              << "stopped"
              << "\n";
    for (std::size_t s = 0; s < c.funnel().stages.size(); ++s)
      std::cout << std::left << std::setw(16) << c.funnel().stages[s].id << std::right << std::setw(12) << reached[s]
                << std::setw(12) << stopped[s] << "\n";
    std::cout << std::left << std::setw(16) << "(no stage)" << std::right << std::setw(12) << "" << std::setw(12)
              << no_stage << "\n\n";
    std::cout << std::left << std::setw(16) << "criteria" << std::right << std::setw(12) << "holds"
              << "\n";
    for (auto i : crit)
      std::cout << std::left << std::setw(16) << c.criteria()[i].id << std::right << std::setw(12) << holds[i] << "\n";
  }
  if (!q.explain.empty() && !explained) {
    std::cerr << "charter: no valid record with id `" << q.explain << "`\n";
    return kFindings;
  }
  return (rejected > 0 || errors > 0) ? kFindings : kOk;
}

struct DocsCmd {
  Common common;
  std::string out, format = "html", locale, title;
  bool force = false;
};

int run_docs(const DocsCmd& d) {
  if (int rc = check_paths(d.common.paths)) return rc;
  if (int rc = check_codes(d.common.disable, "--disable")) return rc;
  if (int rc = check_codes(d.common.warn, "--warn")) return rc;
  auto result = charter::load_charter(as_paths(d.common.paths), options_of(d.common));
  charter::RenderOptions ro;
  ro.color = d.common.color == "always" || (d.common.color == "auto" && charter::stderr_wants_color());
  if (!result.diagnostics().empty()) charter::render(std::cerr, charter::OutputFormat::Text, result, ro);
  if (!result.ok()) {
    std::cerr << "charter: docs not written: the charter has errors\n";
    return kFindings;
  }
  const auto& c = result.charter();
  charter::DocsOptions o;
  o.format = *charter::parse_docs_format(d.format);
  o.locale = d.locale;
  o.title = d.title;
  if (!d.locale.empty()) {
    const auto& known = c.organization().locales;
    if (d.locale != c.organization().locale && std::find(known.begin(), known.end(), d.locale) == known.end())
      std::cerr << "charter: warning: no translation uses locale `" << d.locale << "`; every term falls back to `"
                << c.organization().locale << "`\n";
  }
  auto files = charter::render_docs(c, o);
  charter::WriteDocsOptions wo;
  wo.force = d.force;
  auto written = charter::write_docs(files, d.out, wo);
  if (!written) {
    std::cerr << "charter: " << written.error << "\n";
    return kUsage;
  }
  std::size_t bytes = 0;
  for (const auto& f : files) bytes += f.content.size();
  std::cerr << "charter: wrote " << written.written << " files (" << (bytes + 1023) / 1024 << " KiB) to " << d.out;
  if (written.removed) std::cerr << ", removed " << written.removed << " stale files of the previous run";
  std::cerr << "\n";
  return kOk;
}

struct LintCmd {
  std::string charter;
  std::vector<std::string> paths;
  Common common;
  std::string format = "text", fail_on = "error";
  bool fix = false, diff = false, unused = false;
  unsigned threads = 0;
};

// Replaces `path` with `content` atomically: a temporary file beside it, then a rename.
bool replace_file(const std::string& path, const std::string& content, std::string& why) {
  fs::path target(path);
  fs::path tmp = target;
  tmp += ".charter-fix-" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      why = "cannot write " + tmp.string();
      return false;
    }
  }
  std::error_code ec;
  fs::permissions(tmp, fs::status(target, ec).permissions(), ec);
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    why = "cannot replace " + path + ": " + ec.message();
    return false;
  }
  return true;
}

int run_lint(const LintCmd& a) {
  if (a.fix && a.diff) return usage_error("lint: --fix and --diff exclude each other");
  if (int rc = check_paths({a.charter})) return rc;
  if (int rc = check_codes(a.common.disable, "--disable")) return rc;
  if (int rc = check_codes(a.common.warn, "--warn")) return rc;
  charter::LintOptions o;
  o.disable = a.common.disable;
  o.warn = a.common.warn;
  o.report_unused_disables = a.unused;
  o.threads = a.threads;
  // The documents are read and scanned while the charter loads.
  auto both = charter::load_and_lint({fs::path(a.charter)}, a.paths, o);
  const auto& loaded = both.loaded;
  charter::RenderOptions ro;
  ro.color = a.common.color == "always" || (a.common.color == "auto" && charter::stderr_wants_color());
  if (!loaded.ok() || !both.linted) {
    charter::render(std::cerr, charter::OutputFormat::Text, loaded, ro);
    std::cerr << "charter: lint not run: the charter has errors\n";
    return kFindings;
  }
  const auto& c = loaded.charter();
  if (a.paths.empty() && c.lint().paths.empty())
    return usage_error("lint: give the documents to check, or list them in the charter's `lint.paths`");
  auto result = std::move(*both.linted);
  auto threshold = a.fail_on == "warning" ? charter::Severity::Warning : charter::Severity::Error;
  if (a.diff) {
    std::cout << charter::unified_diff(result.fixes());
    return charter::count_at_least(result.diagnostics(), threshold) > 0 ? kFindings : kOk;
  }
  if (a.fix) {
    std::size_t n = 0, files = 0;
    for (const auto& f : result.fixes()) {
      std::string why;
      if (!replace_file(f.path, f.after, why)) {
        std::cerr << "charter: " << why << "\n";
        return kUsage;
      }
      n += f.fixes;
      ++files;
    }
    if (n)
      std::cerr << "charter: fixed " << n << (n == 1 ? " finding" : " findings") << " in " << files
                << (files == 1 ? " file" : " files") << "\n";
    result = charter::lint_paths(c, a.paths, o);  // what is left
  }
  auto fmt = *charter::parse_output_format(a.format);
  charter::RenderOptions out_opts;
  out_opts.color = a.common.color == "always" || (a.common.color == "auto" && charter::stdout_wants_color());
  charter::render(std::cout, fmt, result, out_opts);
  if (fmt == charter::OutputFormat::Github)
    if (const char* summary = std::getenv("GITHUB_STEP_SUMMARY"); summary && *summary)
      if (!charter::append_markdown_summary(summary, result))
        std::cerr << "charter: cannot append to $GITHUB_STEP_SUMMARY (" << summary << ")\n";
  return charter::count_at_least(result.diagnostics(), threshold) > 0 ? kFindings : kOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"charter: one shared, machine-checked vocabulary for sales and marketing"};
  app.name("charter");
  app.require_subcommand(0, 1);
  bool show_version = false;
  app.add_flag("--version", show_version, "Print the version and exit");

  // validate
  Common v;
  std::string format = "text", fail_on = "error";
  auto* validate = app.add_subcommand("validate", "Check a charter and report every problem");
  add_common(validate, v);
  validate->add_option("--format", format, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif", "github", "junit"}));
  validate->add_option("--fail-on", fail_on, "Lowest severity that makes the exit code 1")
      ->check(CLI::IsMember({"error", "warning"}));
  validate->add_option("--color", v.color, "Colour in text output")->check(CLI::IsMember({"auto", "always", "never"}));

  // explain
  std::string code;
  bool list = false;
  auto* explain = app.add_subcommand("explain", "Print the documentation of a diagnostic code");
  explain->add_option("code", code, "A code such as CH0301");
  explain->add_flag("--list", list, "List every code");

  // export
  Common ex;
  std::string export_format = "json";
  auto* exp = app.add_subcommand("export", "Print the resolved, merged model");
  add_common(exp, ex);
  exp->add_option("--format", export_format, "Output format")->check(CLI::IsMember({"json"}));

  // docs
  DocsCmd dc;
  auto* docscmd = app.add_subcommand("docs", "Render the charter as a static HTML site or Markdown files");
  add_common(docscmd, dc.common);
  docscmd->add_option("--out", dc.out, "Output folder (written safely; see --force)")->type_name("DIR")->required();
  docscmd->add_option("--format", dc.format, "Output format")->check(CLI::IsMember({"html", "markdown"}));
  docscmd->add_option("--locale", dc.locale, "Labels and definitions in this locale where translated")
      ->type_name("LOCALE");
  docscmd->add_option("--title", dc.title, "Site title (default: the organization's name)")->type_name("TEXT");
  docscmd->add_flag("--force", dc.force,
                    "Write into a non-empty folder that charter docs did not create (replaces only its own files)");
  docscmd->add_option("--color", dc.common.color, "Colour of diagnostics")
      ->check(CLI::IsMember({"auto", "always", "never"}));

  // lint
  LintCmd lc;
  auto* lintcmd = app.add_subcommand("lint", "Check documents (Markdown, HTML, text) against the glossary's wording");
  lintcmd->add_option("charter", lc.charter, "The charter (file or directory)")->required();
  lintcmd->add_option("paths", lc.paths, "Documents and folders (default: the charter's lint.paths)");
  lintcmd->add_option("--format", lc.format, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif", "github", "junit"}));
  lintcmd->add_option("--fail-on", lc.fail_on, "Lowest severity that makes the exit code 1")
      ->check(CLI::IsMember({"error", "warning"}));
  lintcmd->add_flag("--fix", lc.fix, "Rewrite the files with the unambiguous replacements (atomically)");
  lintcmd->add_flag("--diff", lc.diff, "Print the fixes as a unified diff instead of writing them");
  lintcmd->add_flag("--report-unused-disables", lc.unused, "Report suppression comments that suppress nothing");
  lintcmd->add_option("--disable", lc.common.disable, "Drop findings with this code (repeatable)")
      ->type_name("CODE")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  lintcmd->add_option("--warn", lc.common.warn, "Report this code as a warning (repeatable)")
      ->type_name("CODE")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  lintcmd->add_option("--color", lc.common.color, "Colour in text output")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  lintcmd->add_option("--threads", lc.threads, "Threads that read and check files (default: one per core)")
      ->type_name("N")
      ->check(CLI::Range(1u, 1024u));

  // sla
  SlaCmd sc;
  auto* slacmd = app.add_subcommand("sla", "Measure every SLA per period on CRM event logs");
  slacmd->add_option("charter", sc.charter, "The charter (file or directory)")->required();
  slacmd->add_option("events", sc.events, "Event logs: CSV or JSON Lines (record, at, type, name, value)")->required();
  slacmd->add_option("--leads", sc.leads, "Lead data for applies_to (CSV or JSON Lines, as for qualify)")
      ->type_name("FILE");
  slacmd->add_option("--crm", sc.crm, "Map lead columns through fields[].source.NAME")->type_name("NAME");
  slacmd->add_option("--id", sc.id, "Column of the leads file holding the record id (default: id)")
      ->type_name("COLUMN");
  slacmd->add_option("--timezone", sc.timezone, "IANA zone for lead datetimes and dates without an offset")
      ->type_name("TZ");
  slacmd->add_option("--as-of", sc.as_of, "Measure as of this time, RFC 3339 with offset (default: now)");
  slacmd->add_option("--period", sc.period, "Report by this period instead of each SLA's own")
      ->check(CLI::IsMember({"week", "month", "quarter", "year"}));
  slacmd->add_option("--from", sc.from, "Only periods that end after this date")->type_name("DATE");
  slacmd->add_option("--to", sc.to, "Only periods that begin before this date")->type_name("DATE");
  slacmd->add_option("--format", sc.format, "Output format")
      ->check(CLI::IsMember({"table", "json", "csv", "markdown"}));
  slacmd
      ->add_option("--window", sc.window,
                   "How far (e.g. 7d, 36h) an event may lag behind a later one and still stream (default: 7d)")
      ->type_name("DURATION");
  slacmd->add_flag("--breaches", sc.breaches, "List every breached or warned item by providing team");
  slacmd->add_flag("--progress", sc.progress, "Show progress on stderr even when it is not a terminal");

  // due
  Due dd;
  auto* due = app.add_subcommand("due", "Print the deadline (and warning time) of an SLA clock started at a time");
  due->add_option("charter", dd.charter, "The charter (file or directory)")->required();
  due->add_option("--sla", dd.sla, "The SLA")->type_name("ID")->required();
  due->add_option("--start", dd.start, "When the clock starts, RFC 3339 with an offset")->type_name("TIME")->required();
  due->add_option("--format", dd.format, "Output format")->check(CLI::IsMember({"text", "json"}));

  // qualify
  Qualify q;
  auto* qualify = app.add_subcommand("qualify", "Evaluate criteria, scores and stages on CRM data (CSV or JSON Lines)");
  qualify->add_option("charter", q.charter, "The charter (file or directory)")->required();
  qualify->add_option("data", q.data, "Data files: CSV (RFC 4180) or JSON Lines (.jsonl)")->required();
  qualify->add_option("--as-of", q.as_of, "Evaluation time, RFC 3339 with offset (default: now)");
  qualify->add_option("--criteria", q.criteria, "Only this criteria (repeatable)")
      ->type_name("ID")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  qualify->add_flag("--stage", q.stage_only, "Print only id and stage");
  qualify->add_option("--explain", q.explain, "Explain every criteria, score and stage of record ID")->type_name("ID");
  qualify->add_flag("--summary", q.summary, "Print counts per stage and per criteria instead of rows");
  qualify->add_option("--format", q.format, "Output format of rows")->check(CLI::IsMember({"csv", "jsonl", "table"}));
  qualify->add_option("--crm", q.crm, "Map columns through fields[].source.NAME")->type_name("NAME");
  qualify->add_option("--id", q.id, "Column holding the record id (default: id)")->type_name("COLUMN");
  qualify->add_option("--timezone", q.timezone, "IANA zone for datetimes without an offset")->type_name("TZ");
  qualify->add_option("--max-errors", q.max_errors, "Stop after the record with the Nth bad cell")->type_name("N");
  qualify->add_option("--threads", q.threads, "Threads that parse and evaluate (default: one per core)")
      ->type_name("N")
      ->check(CLI::Range(1u, 1024u));
  qualify->add_flag("--progress", q.progress, "Show progress on stderr even when it is not a terminal");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kOk : kUsage;
  }

  if (show_version) {
    std::cout << "charter " << charter::version() << "\n";
    return kOk;
  }

  if (*validate) {
    if (int rc = check_paths(v.paths)) return rc;
    if (int rc = check_codes(v.disable, "--disable")) return rc;
    if (int rc = check_codes(v.warn, "--warn")) return rc;
    auto result = charter::load_charter(as_paths(v.paths), options_of(v));
    auto fmt = *charter::parse_output_format(format);
    charter::RenderOptions ro;
    ro.color = v.color == "always" || (v.color == "auto" && charter::stdout_wants_color());
    charter::render(std::cout, fmt, result, ro);
    if (fmt == charter::OutputFormat::Github) {
      if (const char* summary = std::getenv("GITHUB_STEP_SUMMARY"); summary && *summary)
        if (!charter::append_markdown_summary(summary, result))
          std::cerr << "charter: cannot append to $GITHUB_STEP_SUMMARY (" << summary << ")\n";
    }
    auto threshold = fail_on == "warning" ? charter::Severity::Warning : charter::Severity::Error;
    int rc = charter::count_at_least(result.diagnostics(), threshold) > 0 ? kFindings : kOk;
    // A large charter takes a while to free; the process is ending, so skip that.
    std::cout.flush();
    std::cerr.flush();
    std::_Exit(std::cout.good() ? rc : kUsage);
  }

  if (*docscmd) return run_docs(dc);
  if (*lintcmd) return run_lint(lc);

  if (*explain) {
    if (list || code.empty()) {
      if (!list) return usage_error("explain: give a code such as CH0301, or --list");
      for (const auto& c : charter::all_codes())
        std::cout << c.code << "  " << charter::to_string(c.severity) << "  " << c.title << "\n";
      return kOk;
    }
    std::string up = code;
    for (auto& ch : up) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    const auto* info = charter::describe_code(up);
    if (!info) return usage_error("explain: unknown code `" + code + "` (see `charter explain --list`)");
    std::cout << info->code << ": " << info->title << "\n\n";
    std::cout << "Default severity: " << charter::to_string(info->severity)
              << (info->enabled_by_default ? "" : " (off by default; on with --strict)") << "\n\n";
    std::cout << info->explanation << "\n";
    if (!info->example.empty()) {
      std::cout << "\nExample:\n\n";
      std::string ex_text(info->example);
      std::size_t b = 0;
      while (b < ex_text.size()) {
        auto e = ex_text.find('\n', b);
        if (e == std::string::npos) e = ex_text.size();
        std::cout << "    " << ex_text.substr(b, e - b) << "\n";
        b = e + 1;
      }
      auto result = charter::load_charter_from_string(info->example, "example.yaml");
      bool shows_code = false;
      for (const auto& d : result.diagnostics()) shows_code |= d.code == info->code;
      if (shows_code) {  // multi-file examples (includes) cannot be shown from one string
        std::cout << "\n";
        charter::render(std::cout, charter::OutputFormat::Text, result, {});
      }
    }
    return kOk;
  }

  if (*exp) {
    if (int rc = check_paths(ex.paths)) return rc;
    if (int rc = check_codes(ex.disable, "--disable")) return rc;
    if (int rc = check_codes(ex.warn, "--warn")) return rc;
    auto result = charter::load_charter(as_paths(ex.paths), options_of(ex));
    if (!result.ok()) {
      charter::RenderOptions ro;
      ro.color = charter::stderr_wants_color();
      charter::render(std::cerr, charter::OutputFormat::Text, result, ro);
      return kFindings;
    }
    charter::export_json(std::cout, result.charter());
    return kOk;
  }

  if (*slacmd) {
    int rc = run_sla(sc);
    std::cout.flush();
    return rc;
  }

  if (*due) {
    int rc = run_due(dd);
    std::cout.flush();
    return rc;
  }

  if (*qualify) {
    int rc = run_qualify(q);
    std::cout.flush();
    return rc;
  }

  std::cout << app.help();
  return kOk;
}

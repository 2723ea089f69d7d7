// CRM event logs: CSV or JSON Lines rows -> charter::Event, every bad row reported at
// file:line:column. Reads a chunk of whole lines at a time (data::ChunkSource) with the CSV
// row splitter of the data readers.
#include <charter/evaluate.hpp>
#include <charter/sla.hpp>

#include <charconv>
#include <cmath>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>

#include "data/chunks.hpp"
#include "diag/catalog.hpp"
#include "load/files.hpp"
#include "sla/event_chunk.hpp"
#include "util/dates.hpp"
#include "util/text.hpp"

namespace charter {

namespace {

namespace fs = std::filesystem;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

constexpr std::string_view kColumns[] = {"record", "at", "type", "name", "value"};
enum class Col { Record, At, Type, Name, Value };

bool same_lower(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i)
    if ((text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] + 32) : text[i]) != lower[i]) return false;
  return true;
}

// Types one cell of an event; returns an error message, or "" when `e` was set. Texts are
// kept as views: `text` must outlive `e`.
std::string set_cell(Col col, std::string_view text, detail::RawEvent& e) {
  text = trim(text);
  switch (col) {
    case Col::Record:
      if (text.empty()) return "empty record id";
      e.record = text;
      return {};
    case Col::At: {
      auto t = parse_datetime(text);
      if (!t) {
        if (text.empty()) return "empty time";
        if (parse_datetime(std::string(text) + "Z"))
          return "`" + std::string(text) + "` has no offset (add Z or +01:00)";
        return "`" + std::string(text) + "` is not an RFC 3339 datetime (e.g. 2026-11-27T17:00:00+01:00)";
      }
      e.at = t->epoch_seconds;
      e.nanos = 0;
      // A fraction of a second (YYYY-MM-DDTHH:MM:SS.fff...): kept to the nanosecond.
      if (text.size() > 20 && text[16] == ':' && text[19] == '.') {
        std::uint32_t scale = 100000000;
        for (std::size_t i = 20; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, scale /= 10)
          e.nanos += static_cast<std::uint32_t>(text[i] - '0') * scale;
      }
      return {};
    }
    case Col::Type: {
      static constexpr std::pair<std::string_view, EventType> kTypes[] = {{"stage", EventType::Stage},
                                                                          {"activity", EventType::Activity},
                                                                          {"touch", EventType::Touch},
                                                                          {"deal", EventType::Deal}};
      for (auto [name, type] : kTypes)
        if (same_lower(text, name)) {
          e.type = type;
          return {};
        }
      std::string lower(text);
      for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      std::string msg = "`" + std::string(text) + "` is not an event type (stage, activity, touch, deal)";
      std::vector<std::string> names{"stage", "activity", "touch", "deal"};
      if (auto c = detail::closest(lower, std::span<const std::string>(names))) msg += "; did you mean `" + *c + "`?";
      return msg;
    }
    case Col::Name:
      if (text.empty()) return "empty name";
      e.name = text;
      return {};
    case Col::Value: {
      if (text.empty()) {
        e.has_value = false;
        return {};
      }
      std::string_view t = text[0] == '+' ? text.substr(1) : text;
      double v = 0;
      auto r = std::from_chars(t.data(), t.data() + t.size(), v);
      bool digits = t.find_first_of("0123456789") != std::string_view::npos;
      if (r.ec != std::errc() || r.ptr != t.data() + t.size() || !digits || !std::isfinite(v) ||
          t.find_first_of("xXpP") != std::string_view::npos) {
        if (text.find(',') != std::string_view::npos)
          return "`" + std::string(text) + "` is not a number (write it without thousands separators)";
        return "`" + std::string(text) + "` is not a number";
      }
      e.value = v;
      e.has_value = true;
      return {};
    }
  }
  return "unknown column";
}

// The common case of a row, without a word of error: every cell as `set_cell` would take
// it. False sends the row to set_cell (which says what is wrong, or takes what this does not).
struct Quick {
  detail::QuickDatetime datetime;

  static bool bare(std::string_view t) {
    return !t.empty() && t.front() != ' ' && t.front() != '\t' && t.back() != ' ' && t.back() != '\t';
  }
  // YYYY-MM-DDTHH:MM:SS followed by Z or ±HH:MM.
  bool at(std::string_view t, std::int64_t& out) {
    int offset = 0;
    return datetime.parse(t, out, offset);
  }
  static bool type(std::string_view t, EventType& out) {
    switch (t.size()) {
      case 5:
        if (t == "stage") return out = EventType::Stage, true;
        if (t == "touch") return out = EventType::Touch, true;
        return false;
      case 8:
        if (t == "activity") return out = EventType::Activity, true;
        return false;
      case 4:
        if (t == "deal") return out = EventType::Deal, true;
        return false;
    }
    return false;
  }
  static bool value(std::string_view t, detail::RawEvent& e) {
    if (t.empty()) return e.has_value = false, true;
    bool digit = false;
    for (char ch : t) {
      if (ch >= '0' && ch <= '9')
        digit = true;
      else if (ch != '.' && ch != '-' && ch != 'e' && ch != 'E')
        return false;
    }
    double v = 0;
    auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    if (!digit || r.ec != std::errc() || r.ptr != t.data() + t.size() || !std::isfinite(v)) return false;
    e.value = v;
    e.has_value = true;
    return true;
  }
};

}  // namespace

namespace detail {

EventFile::EventFile(const fs::path& path, ReadOptions::Format format) : file_(detail::display_path(path)), src_(path) {
  std::string ext = path.extension().string();
  for (auto& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  jsonl_ = format == ReadOptions::Format::Jsonl ||
           (format == ReadOptions::Format::Auto && (ext == ".jsonl" || ext == ".ndjson"));
  auto fail = [&](std::uint64_t ln, std::string msg) {
    diags_.push_back(data::data_diagnostic(Code::UnreadableData, file_, ln, ln ? 1 : 0, std::move(msg)));
    ok_ = false;
  };
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    fail(0, "`" + file_ + "` is a directory");
  } else if (!src_.is_open()) {
    fail(0, "`" + file_ + "` cannot be opened");
  } else if (!jsonl_) {
    std::uint64_t taken = 0, header_line = 1;
    if (!data::read_csv_header(src_, header_, taken, header_line)) {
      fail(1, "empty event file: no header row");
      return;
    }
    first_line_ = taken + 1;
    ncols_ = header_.size();
    std::string missing;
    for (int c = 0; c < 5; ++c) {
      for (std::size_t i = 0; i < header_.size(); ++i)
        if (trim(header_[i]) == kColumns[c]) cols_[c] = static_cast<int>(i);
      if (cols_[c] < 0 && c != static_cast<int>(Col::Value))
        missing += (missing.empty() ? "`" : ", `") + std::string(kColumns[c]) + "`";
    }
    if (!missing.empty())
      fail(header_line,
           "no column " + missing + " in the header (an event log has record, at, type, name and optionally value)");
  }
}

Diagnostic EventFile::finish(const EventProblem& p, std::uint64_t line, std::size_t rows) const {
  return data::data_diagnostic(p.code, file_, line + p.line, p.column,
                               "event " + std::to_string(rows + p.row + 1) + p.tail);
}

bool EventFile::next(EventChunk& out, std::size_t target) {
  out.events.clear();
  out.problems.clear();
  out.arena.clear();
  out.rows = out.rejected = out.ignored = 0;
  out.lines = 0;
  out.runs_on = std::string::npos;
  if (!ok_) return false;
  auto text = src_.next(target);
  bool final = src_.at_end();
  if (text->empty() && carry_.empty()) return false;
  if (!carry_.empty()) {
    carry_ += *text;
    text = std::make_shared<std::string>(std::move(carry_));
    carry_.clear();
  }
  out.text = text;
  out.bytes = src_.consumed();
  if (jsonl_)
    parse_jsonl(*text, out);
  else
    parse_csv(*text, final, out);
  if (out.runs_on != std::string::npos) carry_.assign(std::string_view(*text).substr(out.runs_on));
  return true;
}

void EventFile::keep(bool ok, RawEvent& ev, EventChunk& out) const {
  if (!ok) {
    ++out.rejected;
    return;
  }
  name(ev);
  if (names_ && ev.code == Names::kIgnored)
    ++out.ignored;  // (valid, but nothing to measure)
  else
    out.events.push_back(ev);
}

void EventFile::name(RawEvent& ev) const {
  if (!names_) return;
  ev.code = names_->code(ev.type, ev.name);
  if (ev.code >= 0) ev.hash = id_hash(ev.record);
}

void EventFile::parse_csv(std::string_view text, bool final, EventChunk& out) const {
  std::vector<std::string_view> cells;
  std::vector<std::uint64_t> lines;
  Quick quick;
  const char* s = text.data();
  const std::size_t n = text.size();
  std::uint64_t line = 0;
  std::size_t p = 0;
  while (true) {
    while (p < n && (s[p] == '\n' || s[p] == '\r')) line += s[p++] == '\n';
    if (p >= n) break;
    std::uint64_t row_line = line;
    std::size_t start = p;
    // A row without quotes is split in one pass; a quote sends it to csv_row.
    if (data::unquoted_row(text, p, cells)) {
      lines.clear();  // (all on row_line: filled when a cell is bad)
    } else {
      std::size_t end = data::csv_row(text, p, final, out.arena, cells, lines, line);
      if (end == std::string::npos) {  // runs on into the next chunk
        out.runs_on = start;
        line = row_line;
        break;
      }
      p = end;
    }
    std::size_t row = out.rows++;
    auto problem = [&](detail::Code code, std::uint64_t ln, int col, std::string tail) {
      out.problems.push_back({code, ln, col, row, std::move(tail), out.events.size()});
    };
    if (cells.size() != ncols_) {
      problem(detail::Code::RaggedRow, row_line, 1,
              " has " + std::to_string(cells.size()) + " fields; the header has " + std::to_string(ncols_));
      ++out.rejected;
      continue;
    }
    RawEvent ev;
    ev.line = row_line;
    {
      std::string_view rec = cells[static_cast<std::size_t>(cols_[0])], at = cells[static_cast<std::size_t>(cols_[1])],
                       type = cells[static_cast<std::size_t>(cols_[2])], nm = cells[static_cast<std::size_t>(cols_[3])];
      if (Quick::bare(rec) && Quick::bare(nm) && quick.at(at, ev.at) && Quick::type(type, ev.type) &&
          (cols_[4] < 0 || Quick::value(cells[static_cast<std::size_t>(cols_[4])], ev))) {
        ev.record = rec;
        ev.name = nm;
        keep(true, ev, out);
        continue;
      }
    }
    if (lines.size() != cells.size()) lines.assign(cells.size(), row_line);
    bool ok = true;
    for (int c = 0; c < 5; ++c) {
      if (cols_[c] < 0) continue;
      auto ci = static_cast<std::size_t>(cols_[c]);
      std::string err = set_cell(static_cast<Col>(c), cells[ci], ev);
      if (!err.empty()) {
        problem(detail::Code::BadCell, lines[ci], cols_[c] + 1, ", column \"" + header_[ci] + "\": " + err);
        ok = false;
      }
    }
    keep(ok, ev, out);
  }
  out.lines = line;
}

void EventFile::parse_jsonl(std::string_view text, EventChunk& out) const {
  out.lines = data::for_each_line(text, [&](std::string_view t, std::uint64_t row_line) {
    std::size_t row = out.rows++;
    auto problem = [&](detail::Code code, int col, std::string tail) {
      out.problems.push_back({code, row_line, col, row, std::move(tail), out.events.size()});
    };
    auto j = nlohmann::json::parse(t, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      problem(detail::Code::UnreadableData, 1, ": not a JSON object");
      ++out.rejected;
      return;
    }
    RawEvent ev;
    ev.line = row_line;
    bool ok = true;
    bool seen[5] = {};
    std::size_t key_no = 0;
    for (auto it = j.begin(); it != j.end(); ++it) {
      ++key_no;
      int c = 0;
      while (c < 5 && it.key() != kColumns[c]) ++c;
      if (c == 5) continue;
      seen[c] = true;
      const auto& v = it.value();
      std::string err;
      if (v.is_string())
        err = set_cell(static_cast<Col>(c), out.arena.store(v.get_ref<const std::string&>()), ev);
      else if (c == static_cast<int>(Col::Value) && v.is_number()) {
        ev.value = v.get<double>();
        ev.has_value = true;
      } else if (c == static_cast<int>(Col::Value) && v.is_null())
        ev.has_value = false;
      else if (c == static_cast<int>(Col::Record) && v.is_number())
        ev.record = out.arena.store(v.dump());
      else
        err = std::string("a JSON ") + v.type_name() + " is not a " +
              (c == static_cast<int>(Col::Value) ? "number" : "string");
      if (!err.empty()) {
        problem(detail::Code::BadCell, static_cast<int>(key_no), ", key \"" + it.key() + "\": " + err);
        ok = false;
      }
    }
    for (int c = 0; c < 4 && ok; ++c)
      if (!seen[c]) {
        problem(detail::Code::BadCell, 1, ": no `" + std::string(kColumns[c]) + "` key");
        ok = false;
      }
    keep(ok, ev, out);
  });
}

}  // namespace detail

struct EventReader::Impl {
  detail::EventFile file;
  detail::EventChunk chunk;
  std::vector<Diagnostic> diags;
  std::size_t pos = 0, k = 0, read = 0, rejected = 0;
  std::uint64_t line = 0;  // the line of the current chunk
  std::size_t rows = 0;    // rows before the current chunk
  bool done = false;

  Impl(const fs::path& path, ReadOptions::Format format) : file(path, format) {
    diags = std::move(file.diags());
    line = file.first_line();
    done = !file.ok();
  }
  // The next chunk; false at the end.
  bool load() {
    line += chunk.lines;
    rows += chunk.rows;
    pos = k = 0;
    if (!file.next(chunk)) {
      chunk.events.clear();
      chunk.problems.clear();
      chunk.rows = 0;
      chunk.lines = 0;
      return false;
    }
    rejected += chunk.rejected;
    return true;
  }
};

EventReader::EventReader(const fs::path& path, ReadOptions::Format format)
    : impl_(std::make_unique<Impl>(path, format)) {}
EventReader::~EventReader() = default;

bool EventReader::next(Event& event) {
  Impl& i = *impl_;
  while (true) {
    while (i.k < i.chunk.problems.size() && i.chunk.problems[i.k].before <= i.pos)
      i.diags.push_back(i.file.finish(i.chunk.problems[i.k++], i.line, i.rows));
    if (i.pos < i.chunk.events.size()) {
      const detail::RawEvent& r = i.chunk.events[i.pos++];
      event.record.assign(r.record);
      event.at = Instant(std::chrono::seconds(r.at));
      event.type = r.type;
      event.name.assign(r.name);
      event.value = r.has_value ? std::optional<double>(r.value) : std::nullopt;
      event.nanos = r.nanos;
      ++i.read;
      return true;
    }
    if (i.done || !i.load()) {
      i.done = true;
      return false;
    }
  }
}

const std::vector<Diagnostic>& EventReader::diagnostics() const noexcept { return impl_->diags; }
std::vector<Diagnostic> EventReader::take_diagnostics() { return std::exchange(impl_->diags, {}); }
std::size_t EventReader::events_read() const noexcept { return impl_->read; }
std::size_t EventReader::events_rejected() const noexcept { return impl_->rejected; }
bool EventReader::failed() const noexcept { return !impl_->file.ok(); }
std::uint64_t EventReader::bytes_read() const noexcept { return impl_->file.bytes_read(); }

}  // namespace charter

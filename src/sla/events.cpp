// CRM event logs: CSV or JSON Lines rows -> charter::Event, every bad row reported at
// file:line:column. Reads a chunk of whole lines at a time (data::ChunkSource) with the CSV
// row splitter of the data readers.
#include <charter/evaluate.hpp>
#include <charter/sla.hpp>

#include <charconv>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "data/chunks.hpp"
#include "diag/catalog.hpp"
#include "load/files.hpp"
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

// Types one cell of an event; returns an error message, or "" when `e` was set.
std::string set_cell(Col col, std::string_view text, Event& e) {
  text = trim(text);
  switch (col) {
    case Col::Record:
      if (text.empty()) return "empty record id";
      e.record.assign(text);
      return {};
    case Col::At: {
      auto t = parse_datetime(text);
      if (!t) {
        if (text.empty()) return "empty time";
        if (parse_datetime(std::string(text) + "Z"))
          return "`" + std::string(text) + "` has no offset (add Z or +01:00)";
        return "`" + std::string(text) + "` is not an RFC 3339 datetime (e.g. 2026-11-27T17:00:00+01:00)";
      }
      e.at = to_instant(*t);
      return {};
    }
    case Col::Type: {
      static const std::map<std::string, EventType, std::less<>> types{{"stage", EventType::Stage},
                                                                       {"activity", EventType::Activity},
                                                                       {"touch", EventType::Touch},
                                                                       {"deal", EventType::Deal}};
      std::string lower(text);
      for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      auto it = types.find(lower);
      if (it == types.end()) {
        std::string msg = "`" + std::string(text) + "` is not an event type (stage, activity, touch, deal)";
        std::vector<std::string> names{"stage", "activity", "touch", "deal"};
        if (auto c = detail::closest(lower, std::span<const std::string>(names))) msg += "; did you mean `" + *c + "`?";
        return msg;
      }
      e.type = it->second;
      return {};
    }
    case Col::Name:
      if (text.empty()) return "empty name";
      e.name.assign(text);
      return {};
    case Col::Value: {
      if (text.empty()) {
        e.value.reset();
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
      return {};
    }
  }
  return "unknown column";
}

}  // namespace

struct EventReader::Impl {
  std::string file;
  data::ChunkSource src;
  bool jsonl = false, failed = false, done = false;
  std::vector<Diagnostic> diags;
  std::size_t read = 0, rejected = 0, rows = 0;
  std::uint64_t line = 1;  // the line where the next chunk starts
  std::string carry;       // CSV: the start of a row that runs on into the next chunk
  int cols[5] = {-1, -1, -1, -1, -1};
  std::size_t ncols = 0;
  std::vector<std::string> header;
  // The current chunk: its events, and its diagnostics with the events before each.
  std::vector<Event> events;
  std::size_t pos = 0;
  std::vector<std::pair<std::size_t, Diagnostic>> chunk_diags;
  std::size_t k = 0;

  Impl(const fs::path& path, ReadOptions::Format format) : file(detail::display_path(path)), src(path) {
    std::string ext = path.extension().string();
    for (auto& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    jsonl = format == ReadOptions::Format::Jsonl ||
            (format == ReadOptions::Format::Auto && (ext == ".jsonl" || ext == ".ndjson"));
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      fail(0, "`" + file + "` is a directory");
    } else if (!src.is_open()) {
      fail(0, "`" + file + "` cannot be opened");
    } else if (!jsonl) {
      std::uint64_t taken = 0, header_line = 1;
      if (!data::read_csv_header(src, header, taken, header_line)) {
        fail(1, "empty event file: no header row");
        return;
      }
      line = taken + 1;
      ncols = header.size();
      std::string missing;
      for (int c = 0; c < 5; ++c) {
        for (std::size_t i = 0; i < header.size(); ++i)
          if (trim(header[i]) == kColumns[c]) cols[c] = static_cast<int>(i);
        if (cols[c] < 0 && c != static_cast<int>(Col::Value))
          missing += (missing.empty() ? "`" : ", `") + std::string(kColumns[c]) + "`";
      }
      if (!missing.empty())
        fail(header_line,
             "no column " + missing + " in the header (an event log has record, at, type, name and optionally value)");
    }
  }

  Diagnostic make(detail::Code code, std::uint64_t ln, int col, std::string msg) const {
    return data::data_diagnostic(code, file, ln, col, std::move(msg));
  }
  void fail(std::uint64_t ln, std::string msg) {
    diags.push_back(make(detail::Code::UnreadableData, ln, ln ? 1 : 0, std::move(msg)));
    failed = true;
  }
  void bad(detail::Code code, std::uint64_t ln, int col, std::string msg) {
    chunk_diags.emplace_back(events.size(), make(code, ln, col, std::move(msg)));
  }

  // Reads the next chunk into `events` and `chunk_diags`.
  void load() {
    events.clear();
    chunk_diags.clear();
    pos = k = 0;
    auto text = src.next(1 << 20);
    bool final = src.at_end();
    if (final) done = true;
    if (!carry.empty()) {
      carry += *text;
      text = std::make_shared<std::string>(std::move(carry));
      carry.clear();
    }
    if (jsonl)
      load_jsonl(*text);
    else
      load_csv(*text, final);
  }

  void load_csv(std::string_view text, bool final) {
    std::vector<std::string_view> cells;
    std::vector<std::uint64_t> lines;
    detail::Arena arena;
    std::size_t p = 0;
    while (true) {
      while (p < text.size() && (text[p] == '\n' || text[p] == '\r')) line += text[p++] == '\n';
      if (p >= text.size()) break;
      std::uint64_t row_line = line;
      std::size_t start = p;
      std::size_t end = data::csv_row(text, p, final, arena, cells, lines, line);
      if (end == std::string::npos) {  // runs on into the next chunk
        carry.assign(text.substr(start));
        line = row_line;
        break;
      }
      p = end;
      std::string n = "event " + std::to_string(++rows);
      if (cells.size() != ncols) {
        bad(detail::Code::RaggedRow, row_line, 1,
            n + " has " + std::to_string(cells.size()) + " fields; the header has " + std::to_string(ncols));
        ++rejected;
        continue;
      }
      Event e;
      bool ok = true;
      for (int c = 0; c < 5; ++c) {
        if (cols[c] < 0) continue;
        auto ci = static_cast<std::size_t>(cols[c]);
        std::string err = set_cell(static_cast<Col>(c), cells[ci], e);
        if (!err.empty()) {
          bad(detail::Code::BadCell, lines[ci], cols[c] + 1, n + ", column \"" + header[ci] + "\": " + err);
          ok = false;
        }
      }
      if (!ok) {
        ++rejected;
        continue;
      }
      events.push_back(std::move(e));
    }
  }

  void load_jsonl(std::string_view text) {
    std::size_t p = 0;
    while (p < text.size()) {
      std::size_t e = text.find('\n', p);
      if (e == std::string_view::npos) e = text.size();
      std::string_view t = text.substr(p, e - p);
      std::uint64_t row_line = line;
      if (e < text.size()) ++line;
      p = e + 1;
      if (!t.empty() && t.back() == '\r') t.remove_suffix(1);
      if (t.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      std::string n = "event " + std::to_string(++rows);
      auto j = nlohmann::json::parse(t, nullptr, false);
      if (j.is_discarded() || !j.is_object()) {
        bad(detail::Code::UnreadableData, row_line, 1, n + ": not a JSON object");
        ++rejected;
        continue;
      }
      Event ev;
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
          err = set_cell(static_cast<Col>(c), v.get_ref<const std::string&>(), ev);
        else if (c == static_cast<int>(Col::Value) && v.is_number())
          ev.value = v.get<double>();
        else if (c == static_cast<int>(Col::Value) && v.is_null())
          ev.value.reset();
        else if (c == static_cast<int>(Col::Record) && v.is_number())
          ev.record = v.dump();
        else
          err = std::string("a JSON ") + v.type_name() + " is not a " +
                (c == static_cast<int>(Col::Value) ? "number" : "string");
        if (!err.empty()) {
          bad(detail::Code::BadCell, row_line, static_cast<int>(key_no), n + ", key \"" + it.key() + "\": " + err);
          ok = false;
        }
      }
      for (int c = 0; c < 4 && ok; ++c)
        if (!seen[c]) {
          bad(detail::Code::BadCell, row_line, 1, n + ": no `" + std::string(kColumns[c]) + "` key");
          ok = false;
        }
      if (!ok) {
        ++rejected;
        continue;
      }
      events.push_back(std::move(ev));
    }
  }
};

EventReader::EventReader(const fs::path& path, ReadOptions::Format format)
    : impl_(std::make_unique<Impl>(path, format)) {}
EventReader::~EventReader() = default;

bool EventReader::next(Event& event) {
  Impl& i = *impl_;
  if (i.failed) return false;
  while (true) {
    while (i.k < i.chunk_diags.size() && i.chunk_diags[i.k].first <= i.pos)
      i.diags.push_back(std::move(i.chunk_diags[i.k++].second));
    if (i.pos < i.events.size()) {
      event = std::move(i.events[i.pos++]);
      ++i.read;
      return true;
    }
    if (i.done) return false;
    i.load();
  }
}

const std::vector<Diagnostic>& EventReader::diagnostics() const noexcept { return impl_->diags; }
std::vector<Diagnostic> EventReader::take_diagnostics() { return std::exchange(impl_->diags, {}); }
std::size_t EventReader::events_read() const noexcept { return impl_->read; }
std::size_t EventReader::events_rejected() const noexcept { return impl_->rejected; }
bool EventReader::failed() const noexcept { return impl_->failed; }
std::uint64_t EventReader::bytes_read() const noexcept { return impl_->src.consumed(); }

}  // namespace charter

// Stage events and owners from a leads export: CRMs export "date entered stage" columns
// rather than an event log (`funnel.stages[].source.<crm>` names them).
#include <date/tz.h>
#include <charter/evaluate.hpp>
#include <charter/sla.hpp>

#include <deque>
#include <map>
#include <nlohmann/json.hpp>

#include "data/chunks.hpp"
#include "diag/catalog.hpp"
#include "load/files.hpp"
#include "load/reader.hpp"
#include "util/dates.hpp"

namespace charter {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A "date entered stage" cell: a datetime with an offset, or local (a datetime without one,
// or a date at midnight) in `tz`. Returns an error message, or "" with `out` set.
std::string stage_time(std::string_view text, const std::string& tz, Instant& out) {
  if (auto t = parse_datetime(text)) {
    out = to_instant(*t);
    return {};
  }
  std::string local(text);
  Date d;
  if (detail::parse_date(text, d)) local += "T00:00:00";
  auto as_utc = parse_datetime(local + "Z");
  if (!as_utc) return "`" + std::string(text) + "` is not a date or an RFC 3339 datetime";
  if (tz.empty()) return "`" + std::string(text) + "` has no offset (add Z or +01:00, or give --timezone)";
  try {
    const date::time_zone* zone = date::locate_zone(tz);
    auto sys = zone->to_sys(date::local_seconds(std::chrono::seconds(as_utc->epoch_seconds)), date::choose::earliest);
    out = date::floor<std::chrono::seconds>(sys);
    return {};
  } catch (const std::exception&) {
    return "unknown time zone `" + tz + "`";
  }
}

// A cell: its text, its field number and its physical line.
struct Cell {
  std::string_view text;
  int column;
  std::uint64_t line;
};

}  // namespace

LeadLog read_lead_log(const Charter& charter, const std::filesystem::path& path, const ReadOptions& opt) {
  LeadLog out;
  std::string file = detail::display_path(path);
  auto diag = [&](detail::Code code, std::uint64_t line, int col, std::string msg) {
    out.diagnostics.push_back(data::data_diagnostic(code, file, line, col, std::move(msg)));
  };
  // The columns: stage id -> its "date entered" column.
  std::vector<std::pair<std::string_view, std::string>> stage_cols;
  if (!opt.crm.empty())
    for (const auto& st : charter.funnel().stages)
      if (auto it = st.source.find(opt.crm); it != st.source.end())
        stage_cols.emplace_back(st.id, std::string(it->second));
  std::string ext = path.extension().string();
  for (auto& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  bool jsonl = opt.format == ReadOptions::Format::Jsonl ||
               (opt.format == ReadOptions::Format::Auto && (ext == ".jsonl" || ext == ".ndjson"));
  std::error_code ec;
  data::ChunkSource src(path);
  if (std::filesystem::is_directory(path, ec) || !src.is_open()) {
    diag(detail::Code::UnreadableData, 0, 0, "`" + file + "` cannot be opened");
    return out;
  }
  std::size_t row_no = 0;
  // One record: its id and its cells by column name.
  auto take = [&](std::uint64_t line, const std::function<std::optional<Cell>(const std::string&)>& cell) {
    ++row_no;
    auto id = cell(opt.id_column);
    if (!id || trim(id->text).empty()) {
      diag(detail::Code::BadCell, id ? id->line : line, id ? id->column : 1,
           "lead " + std::to_string(row_no) + ": no id in column `" + opt.id_column + "`");
      ++out.rejected;
      return;
    }
    std::string record(trim(id->text));
    std::vector<Event> evs;
    bool ok = true;
    for (const auto& [stage, col] : stage_cols) {
      auto c = cell(col);
      if (!c || trim(c->text).empty()) continue;
      Event e{record, {}, EventType::Stage, std::string(stage), {}};
      std::string err = stage_time(trim(c->text), opt.timezone, e.at);
      if (!err.empty()) {
        diag(detail::Code::BadCell, c->line, c->column,
             "lead " + std::to_string(row_no) + ", column \"" + col + "\": " + err);
        ok = false;
        continue;
      }
      evs.push_back(std::move(e));
    }
    if (!ok) {
      ++out.rejected;
      return;
    }
    for (auto& e : evs) out.events.push_back(std::move(e));
    if (auto o = cell("owner"); o && !trim(o->text).empty())
      out.owners.emplace_back(record, std::string(trim(o->text)));
  };

  if (jsonl) {
    std::uint64_t line = 1;
    while (!src.at_end()) {
      auto text = src.next(1 << 20);
      std::size_t p = 0;
      while (p < text->size()) {
        std::size_t e = text->find('\n', p);
        if (e == std::string::npos) e = text->size();
        std::string_view t = std::string_view(*text).substr(p, e - p);
        std::uint64_t row_line = line;
        if (e < text->size()) ++line;
        p = e + 1;
        if (t.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        auto j = nlohmann::json::parse(t, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
          ++row_no;
          diag(detail::Code::UnreadableData, row_line, 1, "lead " + std::to_string(row_no) + ": not a JSON object");
          ++out.rejected;
          continue;
        }
        std::deque<std::string> keep;  // cell texts live while the record is taken
        take(row_line, [&](const std::string& key) -> std::optional<Cell> {
          int k = 0;
          for (auto it = j.begin(); it != j.end(); ++it) {
            ++k;
            if (it.key() != key || it->is_null()) continue;
            keep.push_back(it->is_string() ? it->get<std::string>() : it->dump());
            return Cell{keep.back(), k, row_line};
          }
          return std::nullopt;
        });
      }
    }
    return out;
  }

  std::vector<std::string> header;
  std::uint64_t taken = 0, header_line = 1;
  if (!data::read_csv_header(src, header, taken, header_line)) {
    diag(detail::Code::UnreadableData, 1, 1, "empty leads file: no header row");
    return out;
  }
  std::map<std::string, std::size_t, std::less<>> col;
  for (std::size_t i = 0; i < header.size(); ++i) col.emplace(std::string(trim(header[i])), i);
  if (!col.count(opt.id_column)) {
    diag(detail::Code::UnreadableData, header_line, 1,
         "no id column `" + opt.id_column + "` in the header (use --id to name it)");
    return out;
  }
  std::uint64_t line = taken + 1;
  std::string carry;
  std::vector<std::string_view> cells;
  std::vector<std::uint64_t> lines;
  while (true) {
    auto text = src.next(1 << 20);
    bool final = src.at_end();
    if (!carry.empty()) {
      carry += *text;
      text = std::make_shared<std::string>(std::move(carry));
      carry.clear();
    }
    detail::Arena arena;
    std::size_t p = 0;
    while (true) {
      while (p < text->size() && ((*text)[p] == '\n' || (*text)[p] == '\r')) line += (*text)[p++] == '\n';
      if (p >= text->size()) break;
      std::uint64_t row_line = line;
      std::size_t start = p;
      std::size_t end = data::csv_row(*text, p, final, arena, cells, lines, line);
      if (end == std::string::npos) {
        carry.assign(*text, start);
        line = row_line;
        break;
      }
      p = end;
      if (cells.size() != header.size()) {
        ++row_no;
        diag(detail::Code::RaggedRow, row_line, 1,
             "lead " + std::to_string(row_no) + " has " + std::to_string(cells.size()) + " fields; the header has " +
                 std::to_string(header.size()));
        ++out.rejected;
        continue;
      }
      take(row_line, [&](const std::string& name) -> std::optional<Cell> {
        auto it = col.find(name);
        if (it == col.end()) return std::nullopt;
        return Cell{cells[it->second], static_cast<int>(it->second) + 1, lines[it->second]};
      });
    }
    if (final) break;
  }
  return out;
}

}  // namespace charter

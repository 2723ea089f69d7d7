// CRM exports -> typed records: an RFC 4180 CSV reader and a JSON Lines reader, streaming,
// with every bad cell reported at file:line:column.
#include <date/tz.h>
#include <charter/records.hpp>

#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "diag/catalog.hpp"
#include "load/files.hpp"
#include "load/impl.hpp"
#include "load/reader.hpp"
#include "util/text.hpp"

namespace charter {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Parses one cell by its field's type. Returns an error message, or "" with `out` set.
// The allowed values of a field, for constant-time membership tests (empty: any value).
using ValueSet = std::unordered_set<std::string_view>;

std::string parse_cell(const Field& f, const ValueSet& allowed, std::string_view text, const std::string& tz,
                       Value& out) {
  text = trim(text);
  if (text.empty()) {
    out = std::monostate{};
    return {};
  }
  auto in_values = [&](std::string_view v) { return f.values.empty() || allowed.count(v) > 0; };
  auto not_value = [&](std::string_view v) {
    std::string msg = "\"" + std::string(v) + "\" is not one of the values of field " + f.id;
    if (auto c = detail::closest(v, std::span<const std::string_view>(f.values)))
      msg += " (did you mean \"" + *c + "\"?)";
    return msg;
  };
  switch (f.type) {
    case FieldType::Integer: {
      std::string_view t = text;
      if (!t.empty() && t[0] == '+') t.remove_prefix(1);
      std::int64_t v = 0;
      auto r = std::from_chars(t.data(), t.data() + t.size(), v);
      if (r.ec == std::errc() && r.ptr == t.data() + t.size()) {
        out = v;
        return {};
      }
      if (r.ec == std::errc::result_out_of_range) return "`" + std::string(text) + "` is too large for an integer";
      if (text.find(',') != std::string_view::npos)
        return "`" + std::string(text) + "` is not an integer (write it without thousands separators)";
      return "`" + std::string(text) + "` is not an integer";
    }
    case FieldType::Number: {
      // A decimal number: [-+]digits[.digits][e[-+]digits]; never `1,234.5`.
      std::size_t i = 0;
      if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
      std::size_t d0 = i;
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
      std::size_t digits = i - d0;
      if (i < text.size() && text[i] == '.') {
        ++i;
        std::size_t f0 = i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
        digits += i - f0;
      }
      if (digits && i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        std::size_t e = i + 1;
        if (e < text.size() && (text[e] == '-' || text[e] == '+')) ++e;
        std::size_t e0 = e;
        while (e < text.size() && std::isdigit(static_cast<unsigned char>(text[e]))) ++e;
        if (e > e0) i = e;
      }
      if (!digits || i != text.size()) {
        if (text.find(',') != std::string_view::npos)
          return "`" + std::string(text) +
                 "` is not a number (write it without thousands separators, with `.` for decimals)";
        return "`" + std::string(text) + "` is not a number";
      }
      double v = std::strtod(std::string(text).c_str(), nullptr);
      if (!std::isfinite(v)) return "`" + std::string(text) + "` is out of range";
      out = v;
      return {};
    }
    case FieldType::Boolean: {
      std::string l = lower(text);
      if (l == "true" || l == "yes" || l == "1")
        out = true;
      else if (l == "false" || l == "no" || l == "0")
        out = false;
      else
        return "`" + std::string(text) + "` is not a boolean (true/false, yes/no, 1/0)";
      return {};
    }
    case FieldType::Date: {
      Date d;
      if (!detail::parse_date(text, d)) return "`" + std::string(text) + "` is not a date (YYYY-MM-DD)";
      out = d;
      return {};
    }
    case FieldType::Datetime: {
      if (auto v = parse_datetime(text)) {
        out = *v;
        return {};
      }
      // Without an offset: local time in --timezone.
      auto as_utc = parse_datetime(std::string(text) + "Z");
      if (!as_utc) return "`" + std::string(text) + "` is not an RFC 3339 datetime (e.g. 2026-01-31T09:30:00Z)";
      if (tz.empty()) return "datetime `" + std::string(text) + "` has no offset (add Z or +01:00, or give --timezone)";
      try {
        const date::time_zone* zone = date::locate_zone(tz);
        date::local_seconds local{std::chrono::seconds(as_utc->epoch_seconds)};
        auto sys = zone->to_sys(local, date::choose::earliest);  // a gap or an overlap: the earlier instant
        DatetimeValue v;
        v.epoch_seconds = std::chrono::duration_cast<std::chrono::seconds>(sys.time_since_epoch()).count();
        v.offset_minutes = static_cast<int>((as_utc->epoch_seconds - v.epoch_seconds) / 60);
        out = v;
        return {};
      } catch (const std::exception&) {
        return "unknown time zone `" + tz + "`";
      }
    }
    case FieldType::String: {
      if (!in_values(text)) return not_value(text);
      if (auto* cur = std::get_if<std::string>(&out))
        cur->assign(text);  // reuse the buffer
      else
        out.emplace<std::string>(text);
      return {};
    }
    case FieldType::List: {
      std::vector<std::string> items;
      std::size_t b = 0;
      while (b <= text.size()) {
        std::size_t e = text.find(';', b);
        if (e == std::string_view::npos) e = text.size();
        std::string_view item = trim(text.substr(b, e - b));
        b = e + 1;
        if (item.empty()) continue;
        if (!in_values(item)) return not_value(item);
        items.emplace_back(item);
      }
      out = std::move(items);
      return {};
    }
  }
  return "unsupported field type";
}

}  // namespace

struct RecordReader::Impl {
  const Evaluator& ev;
  const Charter::Impl& m;
  ReadOptions opt;
  std::string file;  // display path
  std::ifstream in;
  bool jsonl = false;
  bool failed = false;
  bool done = false;
  std::vector<Diagnostic> diags;
  std::size_t read = 0, rejected = 0, record_no = 0;

  // buffered input with physical line tracking
  std::string buf;
  std::size_t pos = 0;
  std::uint64_t line = 1;

  std::vector<int> column_of_field;  // field index -> column index (-1 absent)
  int id_column = -1;
  std::vector<std::string> header;
  std::map<std::string, std::size_t, std::less<>> json_field_of_key;  // JSONL: key -> field index
  std::string json_id_key;

  std::vector<ValueSet> allowed;  // per field

  Impl(const Evaluator& e, ReadOptions o) : ev(e), m(LoaderAccess::impl_of_charter(e.charter())), opt(std::move(o)) {
    for (const auto& f : m.fields) allowed.emplace_back(f.values.begin(), f.values.end());
  }

  Diagnostic& add(detail::Code code, std::uint64_t ln, int col, std::string msg) {
    const CodeInfo& ci = detail::info(code);
    Diagnostic d;
    d.code = std::string(ci.code);
    d.severity = ci.severity;
    d.message = std::move(msg);
    d.span.file = file;
    d.span.line = static_cast<int>(ln);
    d.span.column = col;
    d.span.end_line = static_cast<int>(ln);
    d.span.end_column = col + 1;
    diags.push_back(std::move(d));
    return diags.back();
  }

  int get() {
    if (pos >= buf.size()) {
      consumed += buf.size();
      buf.resize(1 << 20);
      in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      buf.resize(static_cast<std::size_t>(in.gcount()));
      pos = 0;
      if (buf.empty()) return -1;
    }
    return static_cast<unsigned char>(buf[pos++]);
  }
  int peek() {
    if (pos >= buf.size()) {
      int c = get();
      if (c < 0) return -1;
      --pos;
      return c;
    }
    return static_cast<unsigned char>(buf[pos]);
  }

  std::uint64_t consumed = 0;  // bytes of the file before `buf`

  bool fill() {
    if (pos < buf.size()) return true;
    consumed += buf.size();
    buf.resize(1 << 20);
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    buf.resize(static_cast<std::size_t>(in.gcount()));
    pos = 0;
    return !buf.empty();
  }

  // One CSV row into fields[0..n): the vector keeps its strings between rows (no
  // allocation per cell), `n` is the number of fields. False at the end of input.
  bool csv_row(std::vector<std::string>& fields, std::size_t& n, std::vector<std::uint64_t>& lines,
               std::uint64_t& row_line) {
    n = 0;
    // Skip blank lines between records.
    while (fill() && (buf[pos] == '\n' || buf[pos] == '\r')) {
      if (buf[pos] == '\n') ++line;
      ++pos;
    }
    if (!fill()) return false;
    row_line = line;
    auto start_field = [&]() -> std::string& {
      if (n == fields.size()) fields.emplace_back();
      if (n == lines.size()) lines.push_back(0);
      lines[n] = line;
      std::string& f = fields[n++];
      f.clear();
      return f;
    };
    std::string* cur = &start_field();
    bool quoted = false, at_start = true;
    while (fill()) {
      const char* data = buf.data();
      std::size_t size = buf.size(), p = pos;
      if (quoted) {
        while (p < size && data[p] != '"' && data[p] != '\n') ++p;
        cur->append(data + pos, p - pos);
        pos = p;
        if (pos == size) continue;
        char c = data[pos++];
        if (c == '\n') {
          ++line;
          *cur += '\n';
        } else if (fill() && buf[pos] == '"') {  // "" inside quotes
          ++pos;
          *cur += '"';
        } else {
          quoted = false;
        }
        continue;
      }
      while (p < size && data[p] != ',' && data[p] != '\n' && data[p] != '\r' && data[p] != '"') ++p;
      if (p > pos) at_start = false;
      cur->append(data + pos, p - pos);
      pos = p;
      if (pos == size) continue;
      char c = data[pos++];
      if (c == ',') {
        cur = &start_field();
        at_start = true;
      } else if (c == '\n') {
        ++line;
        return true;
      } else if (c == '\r') {
        if (fill() && buf[pos] == '\n') continue;  // CRLF: the \n ends the row
        *cur += '\r';
      } else {  // '"'
        if (at_start && cur->empty())
          quoted = true;
        else
          *cur += '"';
        at_start = false;
      }
    }
    return true;  // the last row has no line break
  }

  bool json_line(std::string& text, std::uint64_t& row_line) {
    text.clear();
    int c = get();
    while (c == '\n' || c == '\r' || c == ' ' || c == '\t') {
      if (c == '\n') ++line;
      c = get();
    }
    if (c < 0) return false;
    row_line = line;
    while (c >= 0 && c != '\n') {
      text += static_cast<char>(c);
      c = get();
    }
    if (row_line == 1 && text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);  // a UTF-8 BOM
    if (!text.empty() && text.back() == '\r') text.pop_back();                // CRLF
    if (c == '\n') ++line;
    return true;
  }

  std::string column_name(std::size_t field) const {
    const Field& f = m.fields[field];
    if (!opt.crm.empty()) {
      auto it = f.source.find(opt.crm);
      if (it != f.source.end()) return std::string(it->second);
    }
    return std::string(f.id);
  }

  void open_csv() {
    std::vector<std::uint64_t> lines;
    std::uint64_t row_line = 0;
    std::size_t n = 0;
    bool have = csv_row(header, n, lines, row_line);
    header.resize(n);
    if (!have) {
      add(detail::Code::UnreadableData, 1, 1, "empty data file: no header row");
      failed = true;
      return;
    }
    if (!header.empty() && header[0].starts_with("\xEF\xBB\xBF")) header[0].erase(0, 3);
    std::map<std::string, int, std::less<>> col;
    for (std::size_t i = 0; i < header.size(); ++i) col.emplace(std::string(trim(header[i])), static_cast<int>(i));
    auto id = col.find(opt.id_column);
    if (id == col.end()) {
      add(detail::Code::UnreadableData, row_line, 1,
          "no id column `" + opt.id_column + "` in the header (use --id to name it)");
      failed = true;
      return;
    }
    id_column = id->second;
    column_of_field.assign(m.fields.size(), -1);
    for (std::size_t f = 0; f < m.fields.size(); ++f) {
      std::string name = column_name(f);
      auto it = col.find(name);
      if (it != col.end())
        column_of_field[f] = it->second;
      else
        add(detail::Code::MissingColumn, row_line, 1,
            "no column `" + name + "` for field " + std::string(m.fields[f].id) + ": it is null in every record");
    }
  }

  std::vector<std::string> row;
  std::vector<std::uint64_t> row_lines;

  bool next_csv(Record& r, std::string& id) {
    std::size_t n = 0;
    std::uint64_t row_line = 0;
    while (csv_row(row, n, row_lines, row_line)) {
      ++record_no;
      if (n != header.size()) {
        add(detail::Code::RaggedRow, row_line, 1,
            "record " + std::to_string(record_no) + " has " + std::to_string(n) + " fields; the header has " +
                std::to_string(header.size()));
        ++rejected;
        continue;
      }
      bool bad = false;
      // Every field with a column is written on every row (absent columns stay null), so the
      // record needs no clearing and its strings keep their buffers.
      for (std::size_t f = 0; f < m.fields.size(); ++f) {
        int c = column_of_field[f];
        if (c < 0) continue;
        std::string err =
            parse_cell(m.fields[f], allowed[f], row[static_cast<std::size_t>(c)], opt.timezone, r.values_[f]);
        if (!err.empty()) {
          add(detail::Code::BadCell, row_lines[static_cast<std::size_t>(c)], c + 1,
              "record " + std::to_string(record_no) + ", column \"" + header[static_cast<std::size_t>(c)] +
                  "\": " + err);
          r.values_[f] = std::monostate{};
          bad = true;
        }
      }
      if (bad) {
        ++rejected;
        continue;
      }
      id.assign(row[static_cast<std::size_t>(id_column)]);
      ++read;
      return true;
    }
    return false;
  }

  void open_jsonl() {
    for (std::size_t f = 0; f < m.fields.size(); ++f) json_field_of_key.emplace(column_name(f), f);
    json_id_key = opt.id_column;
  }

  bool next_jsonl(Record& r, std::string& id) {
    std::string text;
    std::uint64_t row_line = 0;
    while (json_line(text, row_line)) {
      ++record_no;
      auto j = nlohmann::json::parse(text, nullptr, false);
      if (j.is_discarded() || !j.is_object()) {
        add(detail::Code::UnreadableData, row_line, 1, "record " + std::to_string(record_no) + ": not a JSON object");
        ++rejected;
        continue;
      }
      r.clear();
      bool bad = false;
      std::size_t key_no = 0;
      for (auto it = j.begin(); it != j.end(); ++it) {
        ++key_no;
        auto fit = json_field_of_key.find(it.key());
        if (fit == json_field_of_key.end()) continue;
        const Field& f = m.fields[fit->second];
        const auto& v = it.value();
        Value out;
        std::string err;
        if (v.is_null()) {
          out = std::monostate{};
        } else if (v.is_boolean() && f.type == FieldType::Boolean) {
          out = v.get<bool>();
        } else if (v.is_number_integer() && (f.type == FieldType::Integer || f.type == FieldType::Number)) {
          if (f.type == FieldType::Integer)
            out = v.get<std::int64_t>();
          else
            out = v.get<double>();
        } else if (v.is_number() && f.type == FieldType::Number) {
          out = v.get<double>();
        } else if (v.is_array() && f.type == FieldType::List) {
          std::string joined;
          for (const auto& item : v) {
            if (!item.is_string()) {
              err = "list items must be strings";
              break;
            }
            joined += item.get<std::string>() + ";";
          }
          if (err.empty()) err = parse_cell(f, allowed[fit->second], joined, opt.timezone, out);
        } else if (v.is_string()) {
          err = parse_cell(f, allowed[fit->second], v.get<std::string>(), opt.timezone, out);
        } else {
          err = std::string("a JSON ") + v.type_name() + " is not a " + to_string(f.type);
        }
        if (!err.empty()) {
          add(detail::Code::BadCell, row_line, static_cast<int>(key_no),
              "record " + std::to_string(record_no) + ", key \"" + it.key() + "\": " + err);
          bad = true;
          continue;
        }
        r.values_[fit->second] = std::move(out);
      }
      if (bad) {
        ++rejected;
        continue;
      }
      auto idv = j.find(json_id_key);
      if (idv == j.end() || idv->is_null()) {
        add(detail::Code::UnreadableData, row_line, 1,
            "record " + std::to_string(record_no) + ": no `" + json_id_key + "` key");
        ++rejected;
        continue;
      }
      id = idv->is_string() ? idv->get<std::string>() : idv->dump();
      ++read;
      return true;
    }
    return false;
  }
};

RecordReader::RecordReader(const Evaluator& evaluator, const fs::path& path, ReadOptions options)
    : impl_(std::make_unique<Impl>(evaluator, std::move(options))) {
  auto& i = *impl_;
  i.file = detail::display_path(path);
  std::string ext = lower(path.extension().string());
  i.jsonl = i.opt.format == ReadOptions::Format::Jsonl ||
            (i.opt.format == ReadOptions::Format::Auto && (ext == ".jsonl" || ext == ".ndjson"));
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    i.add(detail::Code::UnreadableData, 0, 0, "`" + i.file + "` is a directory");
    i.failed = true;
    return;
  }
  i.in.open(path, std::ios::binary);
  if (!i.in) {
    i.add(detail::Code::UnreadableData, 0, 0, "`" + i.file + "` cannot be opened");
    i.failed = true;
    return;
  }
  if (i.jsonl)
    i.open_jsonl();
  else
    i.open_csv();
}

RecordReader::~RecordReader() = default;

bool RecordReader::next(Record& record, std::string& id) {
  auto& i = *impl_;
  if (i.failed || i.done) return false;
  bool ok = i.jsonl ? i.next_jsonl(record, id) : i.next_csv(record, id);
  if (!ok) i.done = true;
  return ok;
}

const std::vector<Diagnostic>& RecordReader::diagnostics() const noexcept { return impl_->diags; }
std::vector<Diagnostic> RecordReader::take_diagnostics() { return std::exchange(impl_->diags, {}); }
std::size_t RecordReader::records_read() const noexcept { return impl_->read; }
std::size_t RecordReader::records_rejected() const noexcept { return impl_->rejected; }
bool RecordReader::failed() const noexcept { return impl_->failed; }
std::uint64_t RecordReader::bytes_read() const noexcept { return impl_->consumed + impl_->pos; }

}  // namespace charter

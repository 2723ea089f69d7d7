// Diagnostics -> text / json / sarif / github / junit.
#include <charter/render.hpp>

#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <thread>

#include "render/report.hpp"
#include "util/cores.hpp"
#include "util/text.hpp"

namespace charter {

using nlohmann::ordered_json;

using detail::Report;

std::optional<OutputFormat> parse_output_format(std::string_view name) noexcept {
  if (name == "text") return OutputFormat::Text;
  if (name == "json") return OutputFormat::Json;
  if (name == "sarif") return OutputFormat::Sarif;
  if (name == "github") return OutputFormat::Github;
  if (name == "junit") return OutputFormat::Junit;
  return std::nullopt;
}

static bool wants_color(int fd) noexcept {
  const char* nc = std::getenv("NO_COLOR");
  if (nc && *nc) return false;
  const char* term = std::getenv("TERM");
  if (term && std::string_view(term) == "dumb") return false;
  return ::isatty(fd) == 1;
}
bool stdout_wants_color() noexcept { return wants_color(1); }
bool stderr_wants_color() noexcept { return wants_color(2); }

namespace {

struct Style {
  bool on;
  std::string bold() const { return on ? "\x1b[1m" : ""; }
  std::string reset() const { return on ? "\x1b[0m" : ""; }
  std::string sev(Severity s) const {
    if (!on) return "";
    return s == Severity::Error ? "\x1b[1;31m" : s == Severity::Warning ? "\x1b[1;33m" : "\x1b[1;36m";
  }
  std::string blue() const { return on ? "\x1b[1;34m" : ""; }
  std::string green() const { return on ? "\x1b[1;32m" : ""; }
};

// The source line as it may be shown on a terminal: tabs expanded, control characters and
// bytes that are not UTF-8 replaced by `?` (one column each, like the code point they stand for).
std::string expand_tabs(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '\t') {
      out += "    ";
      ++i;
    } else if (c < 0x20 || c == 0x7F) {
      out += '?';
      ++i;
    } else if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
    } else {
      std::size_t j = i;
      char32_t cp = detail::decode_utf8(s, j);
      if (cp == 0xFFFD && !(j - i == 3 && s.substr(i, 3) == "\xEF\xBF\xBD"))
        out += '?';
      else
        out.append(s.substr(i, j - i));
      i = j;
    }
  }
  return out;
}

// Display width of the first `cols` code points of a line (tabs count 4).
int width_upto(std::string_view line, int cols) {
  int w = 0, n = 0;
  for (std::size_t i = 0; i < line.size() && n < cols; ++n) {
    char32_t cp = detail::decode_utf8(line, i);
    w += cp == '\t' ? 4 : detail::display_width(cp);
  }
  return w;
}

// Byte offset of code point `cp` (0-based) in `line`, or line.size() past the end.
// Continues from the furthest point already found on the same line, so that many
// diagnostics on one very long line stay linear.
std::size_t byte_of(std::string_view line, int cp) {
  thread_local struct {
    const char* data = nullptr;
    std::size_t size = 0;
    int cp = 0;
    std::size_t byte = 0;
  } cache;
  std::size_t i = 0;
  int n = 0;
  if (cache.data == line.data() && cache.size == line.size()) {
    if (cache.cp <= cp) {
      i = cache.byte;
      n = cache.cp;
    } else if (cache.cp - cp < cp) {  // nearer to the cached point: step back over UTF-8
      i = cache.byte;
      for (n = cache.cp; n > cp && i > 0; --n) {
        --i;
        while (i > 0 && (static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) --i;
      }
    }
  }
  for (; n < cp && i < line.size(); ++n) detail::decode_utf8(line, i);
  if (cp > 4096) cache = {line.data(), line.size(), n, i};
  return i;
}

void snippet(std::ostream& out, const Report& r, const Span& s, const std::string& label, char mark, const Style& st,
             Severity sev, int gutter) {
  std::string_view line = r.source_line(s.file, s.line);
  int col = s.column, end_col = s.end_line == s.line ? s.end_column : -1;
  // Long lines (minified YAML, one huge flow mapping) are shown as a window around the span.
  constexpr int kContext = 40, kMaxCols = 160;
  std::string prefix, suffix;
  if (line.size() > static_cast<std::size_t>(kMaxCols)) {
    int first = std::max(0, col - 1 - kContext);
    int last = std::max(col, end_col > 0 ? std::min(end_col - 1, col - 1 + kMaxCols) : col) + kContext;
    std::size_t b = byte_of(line, first), e = byte_of(line, last);
    if (b > 0 || e < line.size()) {
      if (first > 0) prefix = "...";
      if (e < line.size()) suffix = "...";
      line = line.substr(b, e - b);
      col = col - first + static_cast<int>(prefix.size());
      if (end_col > 0) end_col = std::min(end_col - first, last - first + 1) + static_cast<int>(prefix.size());
    }
  }
  std::string shown = prefix + std::string(line) + suffix;
  std::string_view view(shown);
  std::string pad(static_cast<std::size_t>(gutter), ' ');
  std::string num = std::to_string(s.line);
  out << st.blue() << pad << " |" << st.reset() << "\n";
  out << st.blue() << std::string(static_cast<std::size_t>(gutter) - num.size(), ' ') << num << " |" << st.reset()
      << " " << expand_tabs(view) << "\n";
  int total_cols = static_cast<int>(detail::count_code_points(view)) - static_cast<int>(suffix.size());
  int start_w = width_upto(view, col - 1);
  if (end_col < 0) end_col = total_cols + 1;
  if (end_col <= col) end_col = col + 1;
  int end_w = width_upto(view, end_col - 1);
  if (end_col - 1 > total_cols) end_w = width_upto(view, total_cols) + (end_col - 1 - total_cols);
  int len = std::max(1, end_w - start_w);
  out << st.blue() << pad << " |" << st.reset() << " " << std::string(static_cast<std::size_t>(start_w), ' ')
      << (mark == '^' ? st.sev(sev) : st.blue()) << std::string(static_cast<std::size_t>(len), mark);
  if (!label.empty()) out << " " << label;
  out << st.reset() << "\n";
}

std::string loc(const Span& s) {
  if (s.file.empty()) return "";
  if (s.line == 0) return s.file;
  return s.file + ":" + std::to_string(s.line) + ":" + std::to_string(s.column);
}

void render_text(std::ostream& out, const Report& r, const RenderOptions& o) {
  Style st{o.color};
  std::size_t errors = 0, warnings = 0, notes = 0;
  for (const auto& d : r.diagnostics()) {
    (d.severity == Severity::Error ? errors : d.severity == Severity::Warning ? warnings : notes)++;
    int gutter = static_cast<int>(std::to_string(d.span.line).size());
    for (auto& rel : d.related) gutter = std::max(gutter, static_cast<int>(std::to_string(rel.span.line).size()));
    std::string pad(static_cast<std::size_t>(gutter), ' ');
    std::string where = loc(d.span);
    out << st.bold() << (where.empty() ? "" : where + ": ") << st.reset() << st.sev(d.severity) << to_string(d.severity)
        << "[" << d.code << "]" << st.reset() << st.bold() << ": " << d.message << st.reset() << "\n";
    std::string_view src = d.span.line > 0 ? r.source_line(d.span.file, d.span.line) : std::string_view();
    // Lines of binary or UTF-16 files are noise on a terminal: show the position only.
    bool has_line = !src.empty() && src.find('\0') == std::string_view::npos;
    if (has_line) snippet(out, r, d.span, d.label, '^', st, d.severity, gutter);
    for (const auto& rel : d.related) {
      if (rel.span.file.empty()) continue;
      out << st.blue() << pad << " ::: " << st.reset() << loc(rel.span) << "\n";
      if (rel.span.line > 0 && !r.source_line(rel.span.file, rel.span.line).empty())
        snippet(out, r, rel.span, rel.message, '-', st, d.severity, gutter);
      else if (!rel.message.empty())
        out << st.blue() << pad << " = " << st.reset() << "note: " << rel.message << "\n";
    }
    bool extra = !d.notes.empty() || !d.help.empty();
    if (extra && (has_line || !d.related.empty())) out << st.blue() << pad << " |" << st.reset() << "\n";
    for (const auto& n : d.notes)
      out << st.blue() << pad << " = " << st.reset() << st.bold() << "note" << st.reset() << ": " << n << "\n";
    if (!d.help.empty())
      out << st.blue() << pad << " = " << st.reset() << st.bold() << "help" << st.reset() << ": " << d.help << "\n";
    out << "\n";
  }
  auto plural = [](std::size_t n, const char* w) { return std::to_string(n) + " " + w + (n == 1 ? "" : "s"); };
  std::size_t files = r.files.size();
  if (errors == 0 && warnings == 0) {
    out << st.green() << "ok" << st.reset() << ": " << r.ok_text << (notes ? " (" + plural(notes, "note") + ")" : "")
        << "\n";
  } else {
    out << st.bold() << plural(errors, "error") << ", " << plural(warnings, "warning") << st.reset() << " in "
        << plural(files, "file") << "\n";
  }
}

// Writes `doc` with the array at the string placeholder `kSlot` produced one element at a
// time by `each(emit)`: a run with 100,000 findings is streamed, not built in memory.
constexpr const char* kSlot = "\x01items\x01";
template <class Each>
void dump_streaming(std::ostream& out, const ordered_json& doc, Each each) {
  std::string text = doc.dump(2, ' ', false, ordered_json::error_handler_t::replace);
  const std::string slot = "\"\\u0001items\\u0001\"";
  auto at = text.find(slot);
  out << text.substr(0, at) << "[";
  bool first = true;
  each([&](const ordered_json& item) {
    out << (first ? "\n" : ",\n") << item.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
    first = false;
  });
  out << (first ? "]" : "\n]") << text.substr(at + slot.size()) << "\n";
}

// A JSON string exactly as nlohmann::json::dump(-1, ' ', false, replace) writes it, without
// building a json value: valid UTF-8 as it is, `"` `\\` and control characters escaped
// (\b \f \n \r \t, else \u00xx); text that is not valid UTF-8 goes through nlohmann
// (which replaces the invalid bytes).
void json_string(std::string& out, std::string_view s) {
  static const char* hex = "0123456789abcdef";
  for (std::size_t i = 0; i < s.size();) {  // valid UTF-8? (the same rules as nlohmann's decoder)
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    bool ok = len && s.size() - i >= len;
    if (ok) {
      unsigned char lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80, hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
      const auto c1 = static_cast<unsigned char>(s[i + 1]);
      ok = c1 >= lo && c1 <= hi;
      for (std::size_t k = 2; ok && k < len; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    }
    if (!ok) {
      out += ordered_json(std::string(s)).dump(-1, ' ', false, ordered_json::error_handler_t::replace);
      return;
    }
    i += len;
  }
  out += '"';
  std::size_t run = 0;  // start of the bytes not written yet (none needs an escape)
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 15];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

// The fields of a span: file, line, column, end_line, end_column, pointer.
void span_fields(std::string& out, const Span& s) {
  out += "\"file\":";
  json_string(out, s.file);
  out += ",\"line\":" + std::to_string(s.line) + ",\"column\":" + std::to_string(s.column) +
         ",\"end_line\":" + std::to_string(s.end_line) + ",\"end_column\":" + std::to_string(s.end_column);
  out += ",\"pointer\":";
  json_string(out, s.pointer);
}

// One diagnostic of the json format, as one line (what ordered_json's dump(-1) gave).
void diagnostic_json(std::string& out, const Diagnostic& d) {
  out += "{\"code\":";
  json_string(out, d.code);
  out += ",\"severity\":\"";
  out += to_string(d.severity);
  out += "\",\"message\":";
  json_string(out, d.message);
  out += ',';
  span_fields(out, d.span);
  if (!d.label.empty()) {
    out += ",\"label\":";
    json_string(out, d.label);
  }
  out += ",\"related\":[";
  for (std::size_t i = 0; i < d.related.size(); ++i) {
    out += i ? ",{" : "{";
    span_fields(out, d.related[i].span);
    out += ",\"message\":";
    json_string(out, d.related[i].message);
    out += '}';
  }
  out += "],\"notes\":[";
  for (std::size_t i = 0; i < d.notes.size(); ++i) {
    if (i) out += ',';
    json_string(out, d.notes[i]);
  }
  out += ']';
  if (!d.help.empty()) {
    out += ",\"help\":";
    json_string(out, d.help);
  }
  out += ",\"suggestion\":";
  if (d.suggestion)
    json_string(out, *d.suggestion);
  else
    out += "null";
  out += '}';
}

void render_json(std::ostream& out, const Report& r, const RenderOptions& o) {
  ordered_json j;
  j["version"] = 1;
  j["tool"] = {{"name", "charter"}, {"version", o.tool_version.empty() ? std::string(version()) : o.tool_version}};
  std::size_t counts[3] = {0, 0, 0};
  for (const auto& d : r.diagnostics()) counts[static_cast<int>(d.severity)]++;
  j["summary"] = {{"files", r.files.size()}, {"errors", counts[2]}, {"warnings", counts[1]}, {"notes", counts[0]}};
  j["files"] = r.files;
  j["diagnostics"] = kSlot;
  // The document around the diagnostics through nlohmann; the diagnostics (there may be
  // 100,000) written directly, a buffer at a time.
  std::string text = j.dump(2, ' ', false, ordered_json::error_handler_t::replace);
  const std::string slot = "\"\\u0001items\\u0001\"";
  auto at = text.find(slot);
  out << text.substr(0, at) << "[";
  const auto& diags = r.diagnostics();
  // Slices of at most kSlice diagnostics, written in order; while one slice is written, the
  // next ones are rendered on the other cores (a lint run may have 200,000 findings).
  constexpr std::size_t kSlice = 8192;
  const std::size_t slices = (diags.size() + kSlice - 1) / kSlice;
  auto render_slice = [&](std::size_t k, std::string& buf) {
    buf.clear();
    for (std::size_t i = k * kSlice; i < std::min(diags.size(), (k + 1) * kSlice); ++i) {
      buf += i ? ",\n" : "\n";
      diagnostic_json(buf, diags[i]);
    }
  };
  const unsigned helpers = slices > 2 ? std::min(detail::usable_cores(), 4u) - 1 : 0;
  if (helpers == 0) {
    std::string buf;
    for (std::size_t k = 0; k < slices; ++k) {
      render_slice(k, buf);
      out << buf;
    }
  } else {
    // Slice k is rendered by thread k % (helpers + 1) into its own buffer; a buffer is reused
    // once the slice in it has been written.
    const std::size_t width = helpers + 1;
    std::vector<std::string> bufs(width);
    std::vector<std::size_t> ready(width, SIZE_MAX);  // the slice in each buffer
    std::mutex mu;
    std::condition_variable cv;
    std::size_t written = 0;  // slices written so far
    auto worker = [&](std::size_t t) {
      for (std::size_t k = t; k < slices; k += width) {
        {
          std::unique_lock lk(mu);
          cv.wait(lk, [&] { return written >= k - t; });  // the buffer's previous slice is out
        }
        std::string buf = std::move(bufs[t]);
        render_slice(k, buf);
        {
          std::lock_guard lk(mu);
          bufs[t] = std::move(buf);
          ready[t] = k;
        }
        cv.notify_all();
      }
    };
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < width; ++t) pool.emplace_back(worker, t);
    for (std::size_t k = 0; k < slices; ++k) {
      const std::size_t t = k % width;
      if (t == 0) {
        render_slice(k, bufs[0]);
      } else {
        std::unique_lock lk(mu);
        cv.wait(lk, [&] { return ready[t] == k; });
      }
      out << bufs[t];  // (the worker of this buffer waits for `written` to pass k)
      {
        std::lock_guard lk(mu);
        written = k + 1;
      }
      cv.notify_all();
    }
    for (auto& th : pool) th.join();
  }
  out << (diags.empty() ? "]" : "\n]") << text.substr(at + slot.size()) << "\n";
}

std::string uri_encode(std::string_view path) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/')
      out += static_cast<char>(c);
    else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string fingerprint(std::string_view a, std::string_view b, std::string_view c) {
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&](std::string_view s) {
    for (unsigned char ch : s) {
      h ^= ch;
      h *= 1099511628211ull;
    }
    h ^= 0xff;
    h *= 1099511628211ull;
  };
  mix(a);
  mix(b);
  mix(c);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

const char* sarif_level(Severity s) {
  return s == Severity::Error ? "error" : s == Severity::Warning ? "warning" : "note";
}

ordered_json sarif_location(const Span& s) {
  ordered_json pl;
  pl["artifactLocation"] = {{"uri", uri_encode(s.file)}, {"uriBaseId", "%SRCROOT%"}};
  if (s.line > 0) {
    ordered_json region;
    region["startLine"] = s.line;
    region["startColumn"] = std::max(1, s.column);
    if (s.end_line >= s.line && s.end_line > 0) {
      region["endLine"] = s.end_line;
      region["endColumn"] = std::max(1, s.end_column);
    }
    pl["region"] = region;
  }
  return pl;
}

void render_sarif(std::ostream& out, const Report& r, const RenderOptions& o) {
  ordered_json rules = ordered_json::array();
  std::map<std::string, int> rule_index;
  int i = 0;
  for (const auto& ci : all_codes()) {
    ordered_json rule;
    rule["id"] = std::string(ci.code);
    rule["name"] = std::string(ci.title);
    rule["shortDescription"] = {{"text", std::string(ci.title)}};
    rule["fullDescription"] = {{"text", std::string(ci.explanation)}};
    rule["help"] = {{"text", std::string(ci.explanation)}};
    rule["defaultConfiguration"] = {{"level", sarif_level(ci.severity)}, {"enabled", ci.enabled_by_default}};
    rule_index[std::string(ci.code)] = i++;
    rules.push_back(rule);
  }
  std::set<std::string> artifacts;
  for (const auto& d : r.diagnostics())
    if (!d.span.file.empty()) artifacts.insert(d.span.file);
  auto each = [&](auto emit) {
    for (const auto& d : r.diagnostics()) {
      ordered_json res;
      res["ruleId"] = d.code;
      if (auto it = rule_index.find(d.code); it != rule_index.end()) res["ruleIndex"] = it->second;
      res["level"] = sarif_level(d.severity);
      std::string text = d.message;
      if (!d.help.empty()) text += " (help: " + d.help + ")";
      res["message"] = {{"text", text}};
      if (!d.span.file.empty()) {
        res["locations"] = ordered_json::array({{{"physicalLocation", sarif_location(d.span)}}});
      }
      if (!d.related.empty()) {
        ordered_json rel = ordered_json::array();
        int id = 1;
        for (const auto& rl : d.related) {
          if (rl.span.file.empty()) continue;
          rel.push_back(
              {{"id", id++}, {"physicalLocation", sarif_location(rl.span)}, {"message", {{"text", rl.message}}}});
        }
        if (!rel.empty()) res["relatedLocations"] = rel;
      }
      res["partialFingerprints"] = {{"charterFingerprint/v1", fingerprint(d.code, d.span.file, d.span.pointer)}};
      if (d.suggestion && d.span.line > 0) {
        ordered_json region = sarif_location(d.span)["region"];
        res["fixes"] = ordered_json::array(
            {{{"description", {{"text", d.help.empty() ? "replace with " + *d.suggestion : d.help}}},
              {"artifactChanges",
               ordered_json::array(
                   {{{"artifactLocation", {{"uri", uri_encode(d.span.file)}, {"uriBaseId", "%SRCROOT%"}}},
                     {"replacements", ordered_json::array({{{"deletedRegion", region},
                                                            {"insertedContent", {{"text", *d.suggestion}}}}})}}})}}});
      }
      emit(res);
    }
  };
  std::string cwd = "file:///";
  if (char* c = ::getcwd(nullptr, 0)) {
    std::string p = c;
    std::free(c);
    cwd = "file://" + uri_encode(p) + (p.ends_with("/") ? "" : "/");
  }
  ordered_json driver;
  driver["name"] = "charter";
  driver["version"] = o.tool_version.empty() ? std::string(version()) : o.tool_version;
  driver["semanticVersion"] = std::string(version());
  driver["rules"] = rules;
  ordered_json run;
  run["tool"] = {{"driver", driver}};
  run["originalUriBaseIds"] = {{"%SRCROOT%", {{"uri", cwd}}}};
  ordered_json arts = ordered_json::array();
  for (const auto& a : artifacts) arts.push_back({{"location", {{"uri", uri_encode(a)}, {"uriBaseId", "%SRCROOT%"}}}});
  run["artifacts"] = arts;
  run["columnKind"] = "unicodeCodePoints";
  run["results"] = kSlot;
  ordered_json j;
  j["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  j["version"] = "2.1.0";
  j["runs"] = ordered_json::array({run});
  dump_streaming(out, j, each);
}

std::string gh_data(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else
      out += c;
  }
  return out;
}
std::string gh_prop(std::string_view s) {
  std::string out;
  for (char c : gh_data(s)) {
    if (c == ':')
      out += "%3A";
    else if (c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

void render_github(std::ostream& out, const Report& r) {
  for (const auto& d : r.diagnostics()) {
    const char* cmd = d.severity == Severity::Error ? "error" : d.severity == Severity::Warning ? "warning" : "notice";
    out << "::" << cmd;
    std::vector<std::string> props;
    if (!d.span.file.empty()) props.push_back("file=" + gh_prop(d.span.file));
    if (d.span.line > 0) {
      props.push_back("line=" + std::to_string(d.span.line));
      props.push_back("col=" + std::to_string(d.span.column));
      props.push_back("endLine=" + std::to_string(d.span.end_line));
      props.push_back("endColumn=" + std::to_string(d.span.end_column));
    }
    props.push_back("title=" + gh_prop(d.code));
    for (std::size_t i = 0; i < props.size(); ++i) out << (i ? "," : " ") << props[i];
    std::string msg = d.message;
    for (const auto& n : d.notes) msg += "\nnote: " + n;
    if (!d.help.empty()) msg += "\nhelp: " + d.help;
    out << "::" << gh_data(msg) << "\n";
  }
}

std::string xml(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r')
          out += "&#xFFFD;";
        else
          out += static_cast<char>(c);
    }
  }
  return out;
}

void render_junit(std::ostream& out, const Report& r) {
  std::vector<std::string> files = r.files;
  std::map<std::string, std::vector<const Diagnostic*>> by_file;
  for (const auto& d : r.diagnostics()) {
    std::string f = d.span.file.empty() ? std::string("charter") : d.span.file;
    if (std::find(files.begin(), files.end(), f) == files.end()) files.push_back(f);
    by_file[f].push_back(&d);
  }
  std::size_t failures = 0;
  for (auto& f : files)
    for (auto* d : by_file[f])
      if (d->severity == Severity::Error) {
        ++failures;
        break;
      }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"charter " << r.command << "\" tests=\"" << files.size() << "\" failures=\"" << failures
      << "\">\n";
  out << "  <testsuite name=\"charter\" tests=\"" << files.size() << "\" failures=\"" << failures
      << "\" errors=\"0\" skipped=\"0\">\n";
  for (const auto& f : files) {
    out << "    <testcase classname=\"charter." << r.command << "\" name=\"" << xml(f) << "\"";
    const auto& ds = by_file[f];
    if (ds.empty()) {
      out << "/>\n";
      continue;
    }
    out << ">\n";
    std::string body, first;
    std::size_t errs = 0;
    for (auto* d : ds) {
      std::string where = loc(d->span);
      std::string line = (where.empty() ? "" : where + ": ") + std::string(to_string(d->severity)) + "[" + d->code +
                         "]: " + d->message;
      if (!d->help.empty()) line += " (help: " + d->help + ")";
      body += line + "\n";
      if (d->severity == Severity::Error) {
        if (first.empty()) first = d->message;
        ++errs;
      }
    }
    if (errs)
      out << "      <failure type=\"charter\" message=\""
          << xml(std::to_string(errs) + " error" + (errs == 1 ? "" : "s") + ": " + first) << "\">" << xml(body)
          << "</failure>\n";
    else
      out << "      <system-out>" << xml(body) << "</system-out>\n";
    out << "    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
}

}  // namespace

namespace detail {

void render_report(std::ostream& out, OutputFormat format, const Report& report, const RenderOptions& options) {
  switch (format) {
    case OutputFormat::Text: render_text(out, report, options); break;
    case OutputFormat::Json: render_json(out, report, options); break;
    case OutputFormat::Sarif: render_sarif(out, report, options); break;
    case OutputFormat::Github: render_github(out, report); break;
    case OutputFormat::Junit: render_junit(out, report); break;
  }
}

bool append_summary(const std::string& path, const Report& r) {
  std::ofstream f(path, std::ios::app);
  if (!f) return false;
  auto cell = [](std::string s) {
    std::string out;
    for (char c : s) {
      if (c == '|')
        out += "\\|";
      else if (c == '\n')
        out += ' ';
      else
        out += c;
    }
    return out;
  };
  const auto& ds = r.diagnostics();
  std::size_t e = count_at_least(ds, Severity::Error), w = count_at_least(ds, Severity::Warning) - e;
  f << "### charter " << r.command << "\n\n";
  if (ds.empty()) {
    f << "No problems in " << r.files.size() << " files.\n\n";
    return static_cast<bool>(f);
  }
  f << e << " error(s), " << w << " warning(s).\n\n";
  f << "| Severity | Code | Location | Message |\n|---|---|---|---|\n";
  for (const auto& d : ds) {
    std::string m = d.message + (d.help.empty() ? "" : " (" + d.help + ")");
    f << "| " << to_string(d.severity) << " | " << d.code << " | " << cell(loc(d.span)) << " | " << cell(m) << " |\n";
  }
  f << "\n";
  return static_cast<bool>(f);
}

}  // namespace detail

namespace {

Report report_of(const LoadResult& r) {
  Report rep{r.diagnostics(), {}, {}, {}, "validate"};
  rep.files.assign(r.charter().files().begin(), r.charter().files().end());
  rep.line = [&r](std::string_view f, int l) { return r.source_line(f, l); };
  auto plural = [](std::size_t n, const char* w) { return std::to_string(n) + " " + w + (n == 1 ? "" : "s"); };
  const Charter& c = r.charter();
  rep.ok_text = plural(rep.files.size(), "file") + ", " + plural(c.glossary().size(), "term") + ", " +
                plural(c.funnel().stages.size(), "stage") + ", " + std::to_string(c.criteria().size()) + " criteria, " +
                plural(c.scores().size(), "score") + ", " + plural(c.slas().size(), "SLA") + ": no problems";
  return rep;
}

}  // namespace

void render(std::ostream& out, OutputFormat format, const LoadResult& result, const RenderOptions& options) {
  detail::render_report(out, format, report_of(result), options);
}

bool append_markdown_summary(const std::string& path, const LoadResult& result) {
  return detail::append_summary(path, report_of(result));
}

}  // namespace charter

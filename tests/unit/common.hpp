// Helpers shared by the unit tests: temporary charter folders and diagnostic queries.
//
// Assertions about library bugs that are known and not yet fixed sit in
// `#ifdef CHARTER_KNOWN_BUGS` blocks, each with a one-line reason. Build with
// `-DCMAKE_CXX_FLAGS=-DCHARTER_KNOWN_BUGS` to run them; remove the guard with the fix.
#pragma once

#include <charter/charter.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace charter {
// Lets Boost.Test print diagnostics and severities in failure messages.
inline std::ostream& operator<<(std::ostream& os, Severity s) { return os << to_string(s); }
inline std::ostream& operator<<(std::ostream& os, const Diagnostic& d) {
  return os << d.span.file << ":" << d.span.line << ":" << d.span.column << ": " << to_string(d.severity) << "["
            << d.code << "]: " << d.message;
}
}  // namespace charter

namespace test {

namespace fs = std::filesystem;
using namespace charter;

inline fs::path source_dir() { return fs::path(CHARTER_SOURCE_DIR); }
inline fs::path acme_dir() { return source_dir() / "examples" / "acme"; }

/// A fresh directory under the system temp folder, removed (with its content) on destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<unsigned> counter{0};
    std::random_device rd;
    for (int attempt = 0; attempt < 100; ++attempt) {
      fs::path p =
          fs::temp_directory_path() / ("charter-unit-" + std::to_string(rd()) + "-" + std::to_string(counter++));
      std::error_code ec;
      if (fs::create_directory(p, ec)) {
        path_ = fs::canonical(p);
        return;
      }
    }
    throw std::runtime_error("cannot create a temporary directory");
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& rel) const { return path_ / rel; }

  /// Writes `content` (bytes, as is) to `rel`, creating folders. Returns the absolute path.
  fs::path write(const std::string& rel, std::string_view content) const {
    fs::path p = path_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) throw std::runtime_error("cannot write " + p.string());
    return p;
  }

 private:
  fs::path path_;
};

/// All diagnostics with `code`.
inline std::vector<const Diagnostic*> with_code(const LoadResult& r, std::string_view code) {
  std::vector<const Diagnostic*> out;
  for (const auto& d : r.diagnostics())
    if (d.code == code) out.push_back(&d);
  return out;
}

inline std::size_t count_code(const LoadResult& r, std::string_view code) { return with_code(r, code).size(); }
inline bool has_code(const LoadResult& r, std::string_view code) { return count_code(r, code) > 0; }

/// The first diagnostic with `code`; fails the current test (and returns a dummy) when absent.
inline const Diagnostic& first(const LoadResult& r, std::string_view code) {
  static const Diagnostic none{};
  for (const auto& d : r.diagnostics())
    if (d.code == code) return d;
  BOOST_ERROR("no diagnostic " << code);
  return none;
}

/// All diagnostics as text, one per line (for failure messages).
inline std::string dump(const LoadResult& r) {
  std::ostringstream os;
  for (const auto& d : r.diagnostics()) os << "  " << d << "\n";
  return os.str();
}

/// Codes of all diagnostics at error severity.
inline std::vector<std::string> error_codes(const LoadResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics())
    if (d.severity == Severity::Error) out.push_back(d.code);
  return out;
}

/// The (1-based) column, in code points, of the first occurrence of `needle` in line `line` of `text`.
inline int column_of(std::string_view text, int line, std::string_view needle) {
  std::size_t b = 0;
  for (int l = 1; l < line; ++l) b = text.find('\n', b) + 1;
  std::size_t e = text.find('\n', b);
  std::string_view ln = text.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b);
  std::size_t pos = ln.find(needle);
  if (pos == std::string_view::npos) return -1;
  int col = 1;
  for (std::size_t i = 0; i < pos; ++i)
    if ((static_cast<unsigned char>(ln[i]) & 0xC0) != 0x80) ++col;
  return col;
}

/// Loads `yaml` from a string with a fixed name.
inline LoadResult load(std::string_view yaml, const LoadOptions& opt = {}) {
  return load_charter_from_string(yaml, "t.yaml", opt);
}

}  // namespace test

#include "load/files.hpp"

#include <algorithm>
#include <system_error>

namespace fs = std::filesystem;

namespace charter::detail {

std::vector<fs::path> walk_yaml(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    std::string name = p.filename().string();
    std::error_code ec2;
    if (it->is_directory(ec2)) {
      if (!name.empty() && name[0] == '.') it.disable_recursion_pending();
      continue;
    }
    auto ext = p.extension().string();
    if (ext == ".yaml" || ext == ".yml") out.push_back(p);
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool has_glob(std::string_view pattern) noexcept { return pattern.find_first_of("*?[") != std::string_view::npos; }

namespace {

bool match_segment(std::string_view p, std::string_view s) noexcept {
  std::size_t pi = 0, si = 0, star_p = std::string_view::npos, star_s = 0;
  while (si < s.size()) {
    if (pi < p.size() && p[pi] == '[') {
      std::size_t close = p.find(']', pi + 1);
      if (close != std::string_view::npos) {
        bool neg = pi + 1 < close && (p[pi + 1] == '!' || p[pi + 1] == '^');
        bool hit = false;
        for (std::size_t k = pi + 1 + (neg ? 1 : 0); k < close; ++k) {
          if (k + 2 < close && p[k + 1] == '-') {
            if (s[si] >= p[k] && s[si] <= p[k + 2]) hit = true;
            k += 2;
          } else if (p[k] == s[si]) {
            hit = true;
          }
        }
        if (hit != neg) {
          pi = close + 1;
          ++si;
          continue;
        }
      }
    } else if (pi < p.size() && (p[pi] == '?' || p[pi] == s[si])) {
      ++pi;
      ++si;
      continue;
    } else if (pi < p.size() && p[pi] == '*') {
      star_p = pi++;
      star_s = si;
      continue;
    }
    if (star_p == std::string_view::npos) return false;
    pi = star_p + 1;
    si = ++star_s;
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

std::vector<std::string_view> split(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t b = 0;
  while (b <= s.size()) {
    std::size_t e = s.find('/', b);
    if (e == std::string_view::npos) e = s.size();
    if (e > b) out.push_back(s.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

bool match_parts(const std::vector<std::string_view>& p, std::size_t i, const std::vector<std::string_view>& s,
                 std::size_t j) noexcept {
  if (i == p.size()) return j == s.size();
  if (p[i] == "**") {
    for (std::size_t k = j; k <= s.size(); ++k)
      if (match_parts(p, i + 1, s, k)) return true;
    return false;
  }
  if (j == s.size()) return false;
  return match_segment(p[i], s[j]) && match_parts(p, i + 1, s, j + 1);
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) noexcept {
  auto p = split(pattern);
  auto s = split(path);
  return match_parts(p, 0, s, 0);
}

std::vector<fs::path> glob_files(const fs::path& base, std::string_view pattern) {
  std::vector<fs::path> out;
  // Walk from the longest literal prefix of the pattern.
  auto parts = split(pattern);
  fs::path start = base;
  std::size_t lit = 0;
  while (lit + 1 < parts.size() && !has_glob(parts[lit])) start /= std::string(parts[lit++]);
  std::string rest;
  for (std::size_t k = lit; k < parts.size(); ++k) rest += (k > lit ? "/" : "") + std::string(parts[k]);
  std::error_code ec;
  if (!fs::is_directory(start, ec)) return out;
  bool deep = pattern.find("**") != std::string_view::npos;
  std::size_t depth = parts.size() - lit;
  fs::recursive_directory_iterator it(start, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    std::error_code ec2;
    if (!deep && static_cast<std::size_t>(it.depth()) + 1 >= depth && it->is_directory(ec2)) {
      it.disable_recursion_pending();
    }
    if (it->is_directory(ec2)) {
      std::string name = it->path().filename().string();
      if (!name.empty() && name[0] == '.') it.disable_recursion_pending();
      continue;
    }
    std::string rel = it->path().lexically_relative(start).generic_string();
    if (glob_match(rest, rel)) out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool is_within(const fs::path& root, const fs::path& p) {
  auto r = root.lexically_normal();
  auto q = p.lexically_normal();
  auto ri = r.begin(), qi = q.begin();
  for (; ri != r.end(); ++ri, ++qi) {
    if (ri->empty()) continue;  // trailing separator
    if (qi == q.end() || *ri != *qi) return false;
  }
  return true;
}

std::string display_path(const fs::path& p) {
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  fs::path abs = p.is_absolute() ? p : (cwd / p);
  abs = abs.lexically_normal();
  if (!ec) {
    // Relative to the working directory, with `../` when outside it (SARIF wants relative URIs).
    fs::path rel = abs.lexically_relative(cwd);
    if (!rel.empty()) return rel.generic_string();
  }
  return p.lexically_normal().generic_string();
}

}  // namespace charter::detail

// render_docs and write_docs (charter/docs.hpp): choose the renderer, then put the files in
// place without ever leaving a half-written site or touching files that are not ours.
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <system_error>

#include <unistd.h>

#include "docs/docs.hpp"

namespace charter {

namespace fs = std::filesystem;

std::optional<DocsFormat> parse_docs_format(std::string_view name) noexcept {
  if (name == "html") return DocsFormat::Html;
  if (name == "markdown" || name == "md") return DocsFormat::Markdown;
  return std::nullopt;
}

std::vector<DocsFile> render_docs(const Charter& charter, const DocsOptions& options) {
  docs::Site site(charter, options);
  auto files = options.format == DocsFormat::Html ? docs::render_html(site) : docs::render_markdown(site);
  std::sort(files.begin(), files.end(), [](const DocsFile& a, const DocsFile& b) { return a.path < b.path; });
  return files;
}

std::string funnel_svg(const Charter& charter, std::string_view locale) {
  DocsOptions o;
  o.locale = std::string(locale);
  return docs::render_funnel_svg(docs::Site(charter, o));
}

namespace {

// A relative '/'-separated path with no empty, "." or ".." part, no backslash, no NUL.
bool safe_relative(std::string_view p) {
  if (p.empty() || p.front() == '/' || p.find('\\') != std::string_view::npos || p.find('\0') != std::string_view::npos)
    return false;
  std::size_t b = 0;
  while (b <= p.size()) {
    auto e = p.find('/', b);
    if (e == std::string_view::npos) e = p.size();
    auto part = p.substr(b, e - b);
    if (part.empty() || part == "." || part == "..") return false;
    b = e + 1;
  }
  return true;
}

std::vector<std::string> read_manifest(const fs::path& file) {
  std::vector<std::string> out;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    if (safe_relative(line)) out.push_back(line);  // a hand-edited manifest never reaches outside
  }
  return out;
}

bool write_file(const fs::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  return static_cast<bool>(out);
}

// Whether a folder inside `root` on the way to `rel` is a symbolic link (writing through it
// would leave the folder) or a file.
std::string blocked_parent(const fs::path& root, std::string_view rel) {
  fs::path cur = root;
  fs::path r(rel);
  for (auto it = r.begin(); it != r.end(); ++it) {
    if (std::next(it) == r.end()) break;
    cur /= *it;
    std::error_code ec;
    auto st = fs::symlink_status(cur, ec);
    if (ec || st.type() == fs::file_type::not_found) return {};
    if (st.type() == fs::file_type::symlink) return cur.string() + " is a symbolic link";
    if (st.type() != fs::file_type::directory) return cur.string() + " is not a folder";
  }
  return {};
}

struct TempDir {
  fs::path path;
  ~TempDir() {
    if (path.empty()) return;
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

}  // namespace

WriteDocsResult write_docs(const std::vector<DocsFile>& files, const std::string& dir,
                           const WriteDocsOptions& options) {
  WriteDocsResult r;
  auto fail = [&](std::string msg) {
    r.error = std::move(msg);
    r.written = r.removed = 0;
    return r;
  };
  if (dir.empty()) return fail("no output folder given");
  std::set<std::string_view> names;
  for (const auto& f : files) {
    if (!safe_relative(f.path)) return fail("refusing to write `" + f.path + "`: not a plain relative path");
    if (f.path == kDocsManifest) return fail("refusing to write `" + f.path + "`: the manifest's name");
    if (!names.insert(f.path).second) return fail("two files named `" + f.path + "`");
  }
  for (auto name : names)  // `a` and `a/b` cannot both be files
    if (auto it = names.lower_bound(std::string(name) + "/");
        it != names.end() && it->substr(0, name.size() + 1) == std::string(name) + "/")
      return fail("`" + std::string(name) + "` is both a file and a folder");

  std::error_code ec;
  fs::path target = fs::absolute(fs::path(dir), ec).lexically_normal();
  if (ec) return fail("cannot resolve `" + dir + "`: " + ec.message());
  if (!target.has_filename()) target = target.parent_path();
  if (!target.has_filename() || target == target.root_path()) return fail("refusing to write into `" + dir + "`");
  fs::path parent = target.parent_path();

  auto st = fs::symlink_status(target, ec);
  bool exists = !ec && st.type() != fs::file_type::not_found;
  if (exists && st.type() == fs::file_type::symlink) st = fs::status(target, ec);
  if (exists && !fs::is_directory(st)) return fail("`" + dir + "` exists and is not a folder");
  std::vector<std::string> previous;
  if (exists) {
    bool empty = fs::is_empty(target, ec);
    if (ec) return fail("cannot read `" + dir + "`: " + ec.message());
    bool ours = fs::is_regular_file(target / std::string(kDocsManifest), ec);
    if (!empty && !ours && !options.force)
      return fail("`" + dir + "` is not empty and was not written by charter docs (it has no " +
                  std::string(kDocsManifest) + " manifest); use --force to write into it anyway (only the " +
                  std::to_string(files.size()) + " files of the site are replaced, nothing is deleted)");
    if (ours) previous = read_manifest(target / std::string(kDocsManifest));
    for (const auto& f : files) {
      if (auto why = blocked_parent(target, f.path); !why.empty()) return fail("cannot write `" + f.path + "`: " + why);
      auto fst = fs::symlink_status(target / f.path, ec);
      if (!ec && fst.type() == fs::file_type::directory)
        return fail("cannot write `" + f.path + "`: a folder of that name exists in `" + dir + "`");
    }
  } else {
    fs::create_directories(parent, ec);
    if (ec) return fail("cannot create `" + parent.string() + "`: " + ec.message());
  }

  // Everything goes to a temporary folder beside the target (same file system: renames are
  // atomic), then moves into place.
  TempDir tmp;
  static std::atomic<unsigned> counter{0};
  for (int attempt = 0; attempt < 100 && tmp.path.empty(); ++attempt) {
    fs::path p = parent / ("." + target.filename().string() + ".charter-tmp-" + std::to_string(::getpid()) + "-" +
                           std::to_string(counter++));
    if (fs::create_directory(p, ec)) tmp.path = p;
  }
  if (tmp.path.empty()) return fail("cannot create a temporary folder in `" + parent.string() + "`");
  std::string manifest = "# Files written by `charter docs`. It replaces and removes only the files listed here.\n";
  for (const auto& f : files) {
    fs::path p = tmp.path / f.path;
    fs::create_directories(p.parent_path(), ec);
    if (ec || !write_file(p, f.content)) return fail("cannot write `" + p.string() + "`");
    manifest += f.path + "\n";
  }
  if (!write_file(tmp.path / std::string(kDocsManifest), manifest))
    return fail("cannot write the manifest in `" + tmp.path.string() + "`");

  if (!exists) {
    fs::rename(tmp.path, target, ec);
    if (ec) return fail("cannot move the site into `" + dir + "`: " + ec.message());
    tmp.path.clear();
    r.written = files.size();
    return r;
  }
  for (const auto& f : files) {
    fs::path to = target / f.path;
    fs::create_directories(to.parent_path(), ec);
    if (!ec) fs::rename(tmp.path / f.path, to, ec);
    if (ec) return fail("cannot move `" + f.path + "` into `" + dir + "`: " + ec.message());
    ++r.written;
  }
  // Files of the earlier run that this one did not write: ours to remove; then their folders
  // if that left them empty.
  for (const auto& old : previous) {
    if (names.count(old)) continue;
    fs::path p = target / old;
    if (!blocked_parent(target, old).empty() || !fs::is_regular_file(fs::symlink_status(p, ec))) continue;
    if (fs::remove(p, ec)) ++r.removed;
    for (fs::path d = p.parent_path(); d != target && d.string().size() > target.string().size(); d = d.parent_path())
      if (!fs::is_empty(d, ec) || ec || !fs::remove(d, ec)) break;
  }
  fs::rename(tmp.path / std::string(kDocsManifest), target / std::string(kDocsManifest), ec);
  if (ec) return fail("cannot write the manifest in `" + dir + "`: " + ec.message());
  return r;
}

}  // namespace charter

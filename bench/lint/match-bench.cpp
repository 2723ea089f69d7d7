// bench/lint/match-bench: times charter::lint::Matcher on one file (built by bench/lint/run).
//
//   match-bench PHRASES CORPUS [--runs N] [--paragraphs] [--once] [--dense ENTRIES]
//
// Builds the matcher from PHRASES (one per line), then runs `find` over CORPUS as one text
// (or, with --paragraphs, once per blank-line separated paragraph) N times and prints one line:
//   phrases=… build_s=… scan_s_median=… scan_s_min=… mb_per_s=… hits=… digest=…
// (digest: a hash of every hit, to check that two builds of the matcher find the same).
// --once: build and scan once (for timing the whole process with hyperfine).
// --dense: the budget of dense transition entries instead of CHARTER_LINT_DENSE_ENTRIES (for tuning;
// 0: only the root is dense).
#include "lint/match.hpp"
#include "lint/match_detail.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: match-bench PHRASES CORPUS [--runs N] [--paragraphs] [--once] [--dense ENTRIES]\n");
    return 2;
  }
  int runs = 5;
  bool paragraphs = false, once = false;
  for (int k = 3; k < argc; ++k) {
    if (!std::strcmp(argv[k], "--runs") && k + 1 < argc)
      runs = std::atoi(argv[++k]);
    else if (!std::strcmp(argv[k], "--paragraphs"))
      paragraphs = true;
    else if (!std::strcmp(argv[k], "--once"))
      once = true;
    else if (!std::strcmp(argv[k], "--dense") && k + 1 < argc)
      charter::lint::detail::set_dense_entries_for_testing(std::strtoull(argv[++k], nullptr, 10));
  }
  const auto slurp = [](const char* path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  std::vector<charter::lint::Phrase> phrases;
  {
    std::istringstream in(slurp(argv[1]));
    std::string line;
    while (std::getline(in, line)) phrases.push_back({line, std::uint32_t(phrases.size())});
  }
  const std::string text = slurp(argv[2]);
  std::vector<std::string_view> parts;
  if (paragraphs) {
    std::size_t at = 0;
    while (at < text.size()) {
      std::size_t end = text.find("\n\n", at);
      if (end == std::string::npos) end = text.size();
      parts.push_back(std::string_view(text).substr(at, end - at));
      at = end + 2;
    }
  } else {
    parts.push_back(text);
  }
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  const charter::lint::Matcher m(phrases);
  const double build = std::chrono::duration<double>(clock::now() - t0).count();
  std::vector<double> times;
  std::vector<charter::lint::Hit> hits;
  for (int r = 0; r < (once ? 1 : runs); ++r) {
    hits.clear();
    const auto t = clock::now();
    for (std::string_view p : parts) m.find(p, hits);
    times.push_back(std::chrono::duration<double>(clock::now() - t).count());
  }
  std::sort(times.begin(), times.end());
  const double median = times[times.size() / 2];
  std::uint64_t digest = 14695981039346656037ull;  // FNV-1a over every hit: compares builds
  for (const charter::lint::Hit& h : hits)
    for (const std::uint64_t v : {std::uint64_t(h.begin), std::uint64_t(h.end), std::uint64_t(h.tag)})
      digest = (digest ^ v) * 1099511628211ull;
  std::printf("phrases=%zu build_s=%.3f scan_s_median=%.3f scan_s_min=%.3f mb_per_s=%.1f hits=%zu digest=%016llx\n",
              m.phrases(), build, median, times.front(), text.size() / 1e6 / median, hits.size(),
              static_cast<unsigned long long>(digest));
  return 0;
}

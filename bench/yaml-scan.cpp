// The floor of `charter validate`: yaml-cpp's event API over the same bytes.
//
//   yaml-scan FILE...
//
// Reads each file into memory, runs YAML::Parser with an EventHandler that
// only counts events (no tree, no copies kept), and prints the total number
// of events and bytes. Any YAML error is printed with its 1-based position
// and makes the exit status 1. Built by bench/validate/run with
//   g++ -O2 -std=c++20 bench/yaml-scan.cpp -lyaml-cpp -o bench/out/yaml-scan
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <streambuf>
#include <string>

namespace {

// An input buffer over bytes already in memory: no second copy of the file.
class MemoryBuf : public std::streambuf {
 public:
  explicit MemoryBuf(std::string& bytes) {
    char* begin = bytes.data();
    setg(begin, begin, begin + bytes.size());
  }
};

class CountingHandler : public YAML::EventHandler {
 public:
  std::size_t events = 0;

  void OnDocumentStart(const YAML::Mark&) override { ++events; }
  void OnDocumentEnd() override { ++events; }
  void OnNull(const YAML::Mark&, YAML::anchor_t) override { ++events; }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { ++events; }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {
    ++events;
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    ++events;
  }
  void OnSequenceEnd() override { ++events; }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    ++events;
  }
  void OnMapEnd() override { ++events; }
};

// Reads the whole file into out, sized once (no growth, no second copy).
bool read_file(const char* path, std::string& out) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return false;
  const std::streamoff size = in.tellg();
  if (size < 0) return false;
  out.resize(static_cast<std::size_t>(size));
  in.seekg(0);
  return static_cast<bool>(in.read(out.data(), size)) || size == 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: yaml-scan FILE...\n");
    return 2;
  }
  CountingHandler handler;
  std::size_t bytes = 0;
  int status = 0;
  for (int i = 1; i < argc; ++i) {
    std::string text;
    if (!read_file(argv[i], text)) {
      std::fprintf(stderr, "yaml-scan: cannot read %s\n", argv[i]);
      return 2;
    }
    bytes += text.size();
    MemoryBuf buf(text);
    std::istream stream(&buf);
    try {
      YAML::Parser parser(stream);
      while (parser.HandleNextDocument(handler)) {
      }
    } catch (const YAML::Exception& e) {
      std::fprintf(stderr, "%s:%d:%d: %s\n", argv[i], e.mark.line + 1,
                   e.mark.column + 1, e.msg.c_str());
      status = 1;
    }
  }
  std::printf("%zu events in %zu bytes\n", handler.events, bytes);
  return status;
}

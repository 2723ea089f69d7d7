// Internal: event logs parsed a chunk of whole lines at a time. EventReader hands the events
// out one by one; the streaming SLA report (stream.cpp) reads them on a thread of its own.
#pragma once

#include <charter/sla.hpp>

#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "data/chunks.hpp"
#include "eval/batch.hpp"
#include "sla/meter.hpp"

namespace charter::detail {

// One valid event of a chunk; its texts are views into the chunk's text or arena.
struct RawEvent {
  std::int64_t at = 0;
  double value = 0;
  std::string_view record, name;
  std::uint64_t line = 0;   // the row's physical line, relative to the chunk's first line
  std::uint64_t hash = 0;   // of `record`, when `code` >= 0 (see EventFile::use_names)
  int code = -1;            // Names::code of the name, when names are used
  std::uint32_t nanos = 0;  // the fraction of a second of `at`
  EventType type = EventType::Stage;
  bool has_value = false;
};

// The hash of a record id that the SLA report's record table uses.
inline std::uint64_t id_hash(std::string_view s) noexcept {
  std::uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 32;
  }
  std::uint64_t w = 0;
  std::memcpy(&w, s.data() + i, s.size() - i);
  h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
  h ^= h >> 29;
  h *= 0xFF51AFD7ED558CCDull;
  return h ^ (h >> 32);
}

// A bad row of a chunk, with relative positions.
struct EventProblem {
  detail::Code code;
  std::uint64_t line;  // relative to the chunk's first line
  int column;          // 1-based field number
  std::size_t row;     // 0-based row of the chunk
  std::string tail;    // the message after "event N"
  std::size_t before;  // valid events of the chunk before it
};

struct EventChunk {
  std::shared_ptr<const std::string> text;
  std::vector<RawEvent> events;
  std::vector<EventProblem> problems;
  std::size_t rows = 0;      // rows seen (bad ones included)
  std::size_t rejected = 0;  // rows with a problem
  std::size_t ignored = 0;   // valid events left out: nothing to measure (with names)
  std::uint64_t lines = 0;   // line breaks in the parsed part
  std::uint64_t bytes = 0;   // bytes of the file up to the end of this chunk
  Arena arena;
  // The text ended inside a quoted field: the last row starts here and runs on into the next
  // chunk (it is not in `events`).
  std::size_t runs_on = std::string::npos;
};

// An event log: its header, and the parsing of its chunks (thread-safe once the header is read).
class EventFile {
 public:
  EventFile(const std::filesystem::path& path, ReadOptions::Format format);
  // False when the file cannot be used (the problem is in `diags`).
  bool ok() const { return ok_; }
  std::vector<Diagnostic>& diags() { return diags_; }
  // Names the events with `names` (their code) as they are parsed, hashes the record ids of
  // those that have a code, and leaves out (counting them) those that no SLA uses.
  void use_names(const Names* names) { names_ = names; }
  // The next chunk of about `target` bytes with any row that ran on from the last one in
  // front of it, parsed; false at the end of the file.
  bool next(EventChunk& out, std::size_t target = 1 << 20);
  // The diagnostic of a problem of a chunk that starts at `line`, after `rows` rows.
  Diagnostic finish(const EventProblem& p, std::uint64_t line, std::size_t rows) const;
  // The line of the first chunk.
  std::uint64_t first_line() const { return first_line_; }
  std::uint64_t bytes_read() const { return src_.consumed(); }
  const std::string& name() const { return file_; }

 private:
  void parse_csv(std::string_view text, bool final, EventChunk& out) const;
  void name(RawEvent& ev) const;
  // A row parsed: `ev` into `out` when `ok`, else counted as rejected.
  void keep(bool ok, RawEvent& ev, EventChunk& out) const;
  void parse_jsonl(std::string_view text, EventChunk& out) const;

  std::string file_;
  data::ChunkSource src_;
  bool jsonl_ = false, ok_ = true;
  std::vector<Diagnostic> diags_;
  int cols_[5] = {-1, -1, -1, -1, -1};
  std::size_t ncols_ = 0;
  std::vector<std::string> header_;
  std::uint64_t first_line_ = 1;
  std::string carry_;  // a row that runs on into the next chunk
  const Names* names_ = nullptr;
};

}  // namespace charter::detail

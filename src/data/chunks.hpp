// Internal: CRM data files read in chunks of whole lines, each parsed on its own into a
// charter::Batch. RecordReader (reader.cpp) goes through the chunks one by one; scan_records
// (scan.cpp) parses them on several threads and puts them back in order.
//
// A chunk ends after a line break, but a line break may be inside a quoted CSV field. A chunk
// is parsed as if it started a record; when the previous chunk's last record turns out to run
// on (the text ended inside quotes), that record and the next chunk are parsed again together
// (`Cursor`, below). Positions in a chunk are relative: the cursor adds the lines and records
// of the chunks before it when it turns pending diagnostics into charter::Diagnostic values.
#pragma once

#include <charter/records.hpp>

#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "diag/catalog.hpp"
#include "eval/batch.hpp"

namespace charter::data {

namespace fs = std::filesystem;

// A diagnostic about a data or event file at `line`:`column` (a field number).
Diagnostic data_diagnostic(detail::Code code, const std::string& file, std::uint64_t line, int column,
                           std::string message);

// Splits one CSV row of `text` starting at `p` (not a blank line) into `cells`, with the
// relative line of each cell's start in `lines`; `line` counts the line breaks passed.
// Cells are views into `text`, or into `arena` when unescaping changed them. Returns the
// position after the row, or npos when `text` ends inside a quoted field and is not `final`
// (when it is, the field ends at the end of the text).
std::size_t csv_row(std::string_view text, std::size_t p, bool final, detail::Arena& arena,
                    std::vector<std::string_view>& cells, std::vector<std::uint64_t>& lines, std::uint64_t& line);

// Calls `row(text, line)` for each line of `text` that is not blank, without its line break
// (or the \r of a CRLF), `line` being its line relative to the start of `text`. Returns the
// line breaks passed. (JSON Lines: a record a line.)
template <class Row>
std::uint64_t for_each_line(std::string_view text, Row&& row) {
  std::uint64_t line = 0;
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
    row(t, row_line);
  }
  return line;
}

// Splits the CSV row at `p` (not a blank line) into `cells` when it has no quote, 16 bytes at
// a time, leaving `p` at its line break (or the end of `text`); a \r before the \n is not
// data. False (`p` unchanged) when the row has a quote: csv_row then reads it.
bool unquoted_row(std::string_view text, std::size_t& p, std::vector<std::string_view>& cells);

// Reads a file in pieces that end just after a line break (or at the end of the file).
class ChunkSource {
 public:
  explicit ChunkSource(const fs::path& path) : in_(path, std::ios::binary) {}
  bool is_open() const { return static_cast<bool>(in_.is_open()); }
  // At least `target` bytes, up to and including the next line break, or the rest of the
  // file; empty at the end.
  std::shared_ptr<std::string> next(std::size_t target);
  // Puts text back in front of what `next` returns.
  void unread(std::string_view text) {
    carry_.insert(0, text);
    consumed_ -= text.size();
  }
  bool at_end() const { return eof_ && carry_.empty(); }
  std::uint64_t consumed() const { return consumed_; }

 private:
  std::ifstream in_;
  std::string carry_;  // read but not yet returned
  bool eof_ = false, started_ = false;
  std::uint64_t consumed_ = 0;  // bytes returned (and the BOM)
};

// Reads the header row of a CSV file (the first row that is not blank) from `src`, leaving
// the rest to `src.next`. `lines_taken`: the line breaks up to the end of the header row;
// `header_line`: the header's line. False when the file has no row at all.
bool read_csv_header(ChunkSource& src, std::vector<std::string>& header, std::uint64_t& lines_taken,
                     std::uint64_t& header_line);

// A diagnostic of a chunk with relative positions, and the message after "record N".
struct Pending {
  detail::Code code;
  std::uint64_t line = 0;   // 0: the chunk's first line
  int column = 1;           // 1-based field number
  std::size_t record = 0;   // 0-based record of the chunk
  std::string tail;         // message after "record N"
  std::size_t rows_before;  // valid records of the chunk before it
};

// One chunk parsed.
struct Parsed {
  explicit Parsed(const Evaluator& ev) : batch(ev) {}
  Batch batch;
  BatchResult result;
  std::vector<Pending> pending;
  std::size_t records = 0;  // records seen, rejected ones included
  std::size_t rejected = 0;
  std::uint64_t lines = 0;  // line breaks in the parsed part
  // Scratch of the CSV parser: the cells of the rows (row-major), the line of each row, its
  // record; for a row whose cells start on different lines (quoted line breaks), the row and
  // where the lines of its cells start in `cell_lines`.
  std::vector<std::string_view> grid;
  std::vector<std::uint64_t> row_lines;
  std::vector<std::size_t> row_record;
  std::vector<std::pair<std::size_t, std::size_t>> multiline;
  std::vector<std::uint64_t> cell_lines;
  // The chunk ended inside a quoted field: the last record starts at this offset and runs
  // on into the next chunk (it is not in `batch`).
  std::optional<std::size_t> runs_on;
};

// How a file's columns map to the charter's fields; the parsing of chunks (thread-safe).
class Parser {
 public:
  Parser(const Evaluator& ev, const ReadOptions& opt, std::string file, bool jsonl);
  // Reads the CSV header from `src` (nothing for JSON Lines). Problems (no header, no id
  // column) and warnings (absent columns) go to `diags`; false when the file is unusable.
  bool read_header(ChunkSource& src, std::vector<Diagnostic>& diags);
  // Parses `text` into `out` (cleared first). `final`: the text ends the file, so a quoted
  // field still open at its end ends there.
  void parse(std::shared_ptr<const std::string> text, bool final, Parsed& out) const;
  // Lines taken by the header (the first chunk starts on line header_lines + 1).
  std::uint64_t header_lines() const { return header_lines_; }
  const std::string& file() const { return file_; }
  Diagnostic make(detail::Code code, std::uint64_t line, int column, std::string message) const;
  Diagnostic finish(const Pending& p, std::uint64_t base_line, std::size_t base_record) const;

 private:
  void parse_csv(std::string_view text, bool final, Parsed& out) const;
  void parse_jsonl(std::string_view text, Parsed& out) const;

  const Charter::Impl& m_;
  ReadOptions opt_;
  std::string file_;
  bool jsonl_;
  std::vector<detail::Ordinals> allowed_;  // per field: the allowed values and their positions
  std::vector<int> column_of_field_;       // CSV: field -> column (-1 absent)
  std::vector<bool> wanted_;               // per field: read it (ReadOptions::fields)
  int id_column_ = -1;
  std::vector<std::string> names_;   // the column name of each field
  std::vector<std::string> header_;  // CSV: the header's cells
  std::map<std::string, std::size_t, std::less<>> json_field_of_key_;
  std::uint64_t header_lines_ = 0;
};

// Puts parsed chunks in order: re-parses a record that ran on into the next chunk, numbers
// lines and records, and finishes the diagnostics.
class Cursor {
 public:
  Cursor(const Parser& parser, const Evaluator& ev, const DatetimeValue* now)
      : parser_(parser), ev_(ev), now_(now), line_(parser.header_lines() + 1) {}
  // Takes chunk `text` (parsed into `p` unless a record ran on into it, in which case it is
  // parsed again here). Fills `diags`, `rows` (the valid records before each) and `records`
  // (the record each is about). False when the chunk's text all went into a record that runs
  // on (nothing to hand out yet).
  bool take(const std::shared_ptr<const std::string>& text, bool final, Parsed& p, std::vector<Diagnostic>& diags,
            std::vector<std::size_t>& rows, std::vector<std::size_t>& records);

 private:
  const Parser& parser_;
  const Evaluator& ev_;
  const DatetimeValue* now_;  // evaluate re-parsed chunks at this time (null: do not evaluate)
  std::uint64_t line_;
  std::size_t record_ = 0;
  std::string run_on_;            // the start of a record that runs on
  std::size_t last_attempt_ = 0;  // size of run_on_ at the last parse that still ran on
};

}  // namespace charter::data

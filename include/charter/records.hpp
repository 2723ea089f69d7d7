// charter — read lead records from CRM exports (CSV, JSON Lines) into typed Records.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <charter/diagnostics.hpp>
#include <charter/evaluate.hpp>

namespace charter {

/// How to read a data file.
struct ReadOptions {
  enum class Format : std::uint8_t { Auto, Csv, Jsonl };
  Format format = Format::Auto;  ///< Auto: by extension (.jsonl/.ndjson = JSON Lines, else CSV)
  std::string crm;               ///< map columns through `fields[].source.<crm>` (empty: by field id)
  std::string id_column = "id";  ///< the column that holds the record id
  std::string timezone;          ///< IANA zone for datetimes written without an offset ("" = error)
};

/// Reads records one at a time from a CSV (RFC 4180) or JSON Lines file, typing every cell by
/// its field's type. A bad cell rejects its record with an error diagnostic
/// (`file:line:column`, the column being the 1-based field number) and reading goes on; a
/// field whose column is absent gets one warning and is null in every record.
class RecordReader {
 public:
  /// Opens `path` for `evaluator`'s charter. Problems opening it (missing file, no header,
  /// no id column) are reported by `diagnostics()` and `next()` then returns false.
  RecordReader(const Evaluator& evaluator, const std::filesystem::path& path, ReadOptions options = {});
  ~RecordReader();
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;

  /// Reads the next valid record into `record` (made by the same evaluator) and its id into
  /// `id`; rejected records are skipped (and reported). Returns false at the end.
  bool next(Record& record, std::string& id);

  /// Diagnostics so far: warnings for absent columns, errors for rejected records. Call
  /// `take_diagnostics()` to consume them while streaming.
  const std::vector<Diagnostic>& diagnostics() const noexcept;
  std::vector<Diagnostic> take_diagnostics();
  std::size_t records_read() const noexcept;      ///< valid records returned so far
  std::size_t records_rejected() const noexcept;  ///< records with a bad cell
  bool failed() const noexcept;                   ///< the file could not be read at all
  std::uint64_t bytes_read() const noexcept;      ///< bytes of the file consumed so far

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace charter

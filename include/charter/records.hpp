// charter — read lead records from CRM exports (CSV, JSON Lines) into typed Records.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
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
  /// Only these fields (by id) are read and checked; the others are null in every record,
  /// without a warning. Empty: every field.
  std::vector<std::string> fields;
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

/// How `scan_records` reads and evaluates.
struct ScanOptions {
  ReadOptions read;                   ///< format, CRM mapping, id column, time zone
  unsigned threads = 0;               ///< threads that parse and evaluate (0: one per core it may run on)
  std::size_t chunk_bytes = 1 << 20;  ///< about this many bytes of input per batch
  bool evaluate = true;               ///< false: only read and type the records
};

/// One batch of a scan, handed to the sink in input order.
struct ScanBatch {
  std::string_view file;      ///< the data file (display path)
  const Batch& records;       ///< its valid records, in input order
  const BatchResult& result;  ///< their evaluation (empty when `ScanOptions::evaluate` is false)
  /// Warnings (absent columns) and rejected records, in input order.
  std::span<const Diagnostic> diagnostics;
  /// For each diagnostic, how many records of `records` come before it in the input.
  std::span<const std::size_t> diagnostic_rows;
  /// For each diagnostic, the number of the record it is about (1-based, counting every
  /// record of the file), or 0 when it is about the file.
  std::span<const std::size_t> diagnostic_records;
  std::size_t rejected = 0;      ///< records of this batch rejected for a bad cell
  bool file_failed = false;      ///< the file could not be read at all (the diagnostic says why)
  std::uint64_t bytes_done = 0;  ///< bytes of all files consumed up to the end of this batch
};

/// What a scan read.
struct ScanStats {
  std::size_t records = 0;       ///< valid records
  std::size_t rejected = 0;      ///< records with a bad cell
  std::size_t failed_files = 0;  ///< files that could not be read
  std::uint64_t bytes = 0;       ///< bytes consumed
  bool stopped = false;          ///< the sink returned false
};

/// Reads `files` in order, splits each at record boundaries into chunks of about
/// `chunk_bytes`, and parses, types and evaluates the chunks on `threads` threads, then calls
/// `sink` on the calling thread with every batch in input order (records, results and
/// diagnostics exactly as `RecordReader` and `Evaluator::evaluate` give them). Memory stays
/// bounded: a few chunks per thread are in flight. `sink` returns false to stop the scan.
/// Problems in the data come back as diagnostics in the batches, never as exceptions.
///
///   charter::scan_records(ev, files, now, {}, [&](const charter::ScanBatch& b) {
///     for (std::size_t r = 0; r < b.records.size(); ++r) mqls += b.result.criteria[mql][r];
///     return true;
///   });
ScanStats scan_records(const Evaluator& evaluator, std::span<const std::filesystem::path> files,
                       const DatetimeValue& now, const ScanOptions& options,
                       const std::function<bool(const ScanBatch&)>& sink);

}  // namespace charter

// scan_records: data files split into chunks at line breaks, parsed and evaluated on a pool of
// threads, handed to the caller's sink in input order. The calling thread reads the chunks,
// keeps a bounded number in flight, and puts them in order (data::Cursor re-parses the rare
// record whose quoted field runs over a chunk boundary).
#include <charter/records.hpp>

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "data/chunks.hpp"
#include "load/files.hpp"
#include "util/cores.hpp"

namespace charter {

namespace {

struct Slot {
  explicit Slot(const Evaluator& ev) : parsed(ev) {}
  std::shared_ptr<const std::string> text;
  bool final = false;
  const data::Parser* parser = nullptr;
  std::uint64_t bytes = 0;  // bytes consumed when the chunk was read
  data::Parsed parsed;
  bool done = false;
  std::exception_ptr error;
};

void run_slot(Slot& s, const Evaluator& ev, const DatetimeValue* now) {
  try {
    s.parser->parse(s.text, s.final, s.parsed);
    if (now) ev.evaluate(s.parsed.batch, *now, s.parsed.result);
  } catch (...) {
    s.error = std::current_exception();
  }
}

// Parses (and evaluates) slots on worker threads.
class Pool {
 public:
  Pool(unsigned n, const Evaluator& ev, const DatetimeValue* now) : ev_(ev), now_(now) {
    for (unsigned i = 0; i < n; ++i) workers_.emplace_back([this] { work(); });
  }
  ~Pool() {
    {
      std::lock_guard lk(mu_);
      stop_ = true;
    }
    work_cv_.notify_all();
    for (auto& t : workers_) t.join();
  }
  void submit(Slot* s) {
    {
      std::lock_guard lk(mu_);
      s->done = false;
      queue_.push_back(s);
    }
    work_cv_.notify_one();
  }
  void wait(Slot* s) {
    std::unique_lock lk(mu_);
    done_cv_.wait(lk, [&] { return s->done; });
  }

 private:
  void work() {
    while (true) {
      Slot* s;
      {
        std::unique_lock lk(mu_);
        work_cv_.wait(lk, [&] { return stop_ || !queue_.empty(); });
        if (queue_.empty()) return;
        s = queue_.front();
        queue_.pop_front();
      }
      run_slot(*s, ev_, now_);
      {
        std::lock_guard lk(mu_);
        s->done = true;
      }
      done_cv_.notify_all();
    }
  }

  const Evaluator& ev_;
  const DatetimeValue* now_;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable work_cv_, done_cv_;
  std::deque<Slot*> queue_;
  bool stop_ = false;
};

}  // namespace

ScanStats scan_records(const Evaluator& ev, std::span<const std::filesystem::path> files, const DatetimeValue& now,
                       const ScanOptions& opt, const std::function<bool(const ScanBatch&)>& sink) {
  ScanStats stats;
  unsigned threads = opt.threads ? opt.threads : detail::usable_cores();
  const std::size_t chunk = std::max<std::size_t>(opt.chunk_bytes, 1);
  const DatetimeValue* when = opt.evaluate ? &now : nullptr;
  // One thread: parse on the calling thread. More: a pool, and enough chunks in flight to
  // keep it busy while the oldest is handed out.
  std::unique_ptr<Pool> pool;
  if (threads > 1) pool = std::make_unique<Pool>(threads, ev, when);
  const std::size_t max_in_flight = threads > 1 ? 2 * threads + 1 : 1;
  std::vector<std::unique_ptr<Slot>> slots;
  std::vector<Slot*> free_slots;
  std::deque<Slot*> in_flight;

  std::vector<Diagnostic> diags, head;
  std::vector<std::size_t> rows, records;
  Batch no_records(ev);
  BatchResult no_result;
  std::uint64_t before = 0;  // bytes of the files already read

  for (const auto& path : files) {
    std::string file = detail::display_path(path);
    std::string ext = path.extension().string();
    for (auto& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    bool jsonl = opt.read.format == ReadOptions::Format::Jsonl ||
                 (opt.read.format == ReadOptions::Format::Auto && (ext == ".jsonl" || ext == ".ndjson"));
    data::Parser parser(ev, opt.read, file, jsonl);
    data::ChunkSource src(path);
    head.clear();
    std::error_code ec;
    bool ok = true;
    if (std::filesystem::is_directory(path, ec)) {
      head.push_back(parser.make(detail::Code::UnreadableData, 0, 0, "`" + file + "` is a directory"));
      ok = false;
    } else if (!src.is_open()) {
      head.push_back(parser.make(detail::Code::UnreadableData, 0, 0, "`" + file + "` cannot be opened"));
      ok = false;
    } else {
      ok = parser.read_header(src, head);
    }
    if (!ok) {
      ++stats.failed_files;
      rows.assign(head.size(), 0);
      records.assign(head.size(), 0);
      before += src.consumed();
      ScanBatch b{file, no_records, no_result, head, rows, records, 0, true, before};
      if (!sink(b)) {
        stats.stopped = true;
        break;
      }
      continue;
    }
    data::Cursor cursor(parser, ev, when);
    bool eof = false, first = true;
    while (!stats.stopped) {
      while (!eof && in_flight.size() < max_in_flight) {
        if (free_slots.empty()) {
          slots.push_back(std::make_unique<Slot>(ev));
          free_slots.push_back(slots.back().get());
        }
        Slot* s = free_slots.back();
        free_slots.pop_back();
        s->text = src.next(chunk);
        s->final = eof = src.at_end();
        s->parser = &parser;
        s->bytes = before + src.consumed();
        s->error = nullptr;
        if (pool) {
          pool->submit(s);
        } else {
          run_slot(*s, ev, when);
        }
        in_flight.push_back(s);
      }
      if (in_flight.empty()) break;
      Slot* s = in_flight.front();
      in_flight.pop_front();
      if (pool) pool->wait(s);
      if (s->error) {
        for (Slot* t : in_flight)
          if (pool) pool->wait(t);
        std::rethrow_exception(s->error);
      }
      if (cursor.take(s->text, s->final, s->parsed, diags, rows, records)) {
        if (first) {  // the file's warnings (absent columns) come first
          diags.insert(diags.begin(), head.begin(), head.end());
          rows.insert(rows.begin(), head.size(), 0);
          records.insert(records.begin(), head.size(), 0);
          first = false;
        }
        stats.records += s->parsed.batch.size();
        stats.rejected += s->parsed.rejected;
        ScanBatch b{file, s->parsed.batch, s->parsed.result, diags, rows, records, s->parsed.rejected, false, s->bytes};
        if (!sink(b)) stats.stopped = true;
      }
      s->text.reset();
      s->parsed.batch.clear();
      free_slots.push_back(s);
    }
    // Stopped: let the chunks still being parsed finish (they use `parser`).
    for (Slot* s : in_flight) {
      if (pool) pool->wait(s);
      s->text.reset();
      free_slots.push_back(s);
    }
    in_flight.clear();
    before += src.consumed();
    if (stats.stopped) break;
  }
  stats.bytes = before;
  return stats;
}

}  // namespace charter

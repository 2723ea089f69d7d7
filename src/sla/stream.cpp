// The streaming SLA report: event logs read a chunk at a time (on a reader thread per file),
// merged by time, put in order within a window and measured by the meter as they come. A
// record is known only while one of its clocks runs or one of its events waits in the
// window. An event that lags further than the window ends the stream: the files are then
// read again and all their events sorted in memory.
#include <charter/sla.hpp>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <limits>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "data/chunks.hpp"
#include "diag/catalog.hpp"
#include "sla/event_chunk.hpp"
#include "sla/meter.hpp"

namespace charter {

namespace {

namespace fs = std::filesystem;
using detail::MeterEvent;

// Records by id while something holds them (a running clock, an event in the window), or
// for good (`keep`: the in-memory pass).
class Records : public detail::MeterRecords {
 public:
  Records(const Charter& charter, const std::function<bool(const Sla&, std::string_view)>& applies, bool keep)
      : applies_(applies), keep_(keep) {
    for (const Sla& s : charter.slas()) slas_.push_back(&s);
  }
  std::uint32_t intern(std::string_view id) { return intern(id, detail::id_hash(id)); }
  // `hash`: detail::id_hash(id).
  std::uint32_t intern(std::string_view id, std::uint64_t hash) {
    if (table_.empty()) table_.assign(1024, Entry{});
    std::size_t mask = table_.size() - 1;
    std::size_t i = hash & mask;
    std::uint64_t head = prefix(id);
    for (; table_[i].rec != kEmpty; i = (i + 1) & mask)
      if (table_[i].hash == hash && table_[i].head == head && table_[i].size == id.size() &&
          (id.size() <= 8 || slots_[table_[i].rec].id == id))
        return table_[i].rec;
    std::uint32_t rec;
    if (!free_.empty()) {
      rec = free_.back();
      free_.pop_back();
      slots_[rec] = Slot{};
      refs_[rec] = 0;
    } else {
      rec = static_cast<std::uint32_t>(slots_.size());
      slots_.emplace_back();
      refs_.push_back(0);
    }
    slots_[rec].id.assign(id);
    slots_[rec].hash = hash;
    table_[i] = Entry{hash, head, rec, static_cast<std::uint32_t>(id.size())};
    if (++used_ * 2 > table_.size()) grow();
    return rec;
  }
  void prefetch(std::uint64_t hash) const {
    if (!table_.empty()) detail::prefetch_line(&table_[hash & (table_.size() - 1)]);
  }
  // Hints that `rec` will be released soon: first (`stage` 0) its count and slot are
  // fetched, then (`stage` 1) its entry in the table when this release may forget it.
  void prefetch_release(std::uint32_t rec, int stage) const {
    if (keep_) return;
    if (stage == 0) {
      detail::prefetch_line(&refs_[rec]);
      detail::prefetch_line(&slots_[rec]);
    } else if (refs_[rec] == 1) {
      detail::prefetch_line(&table_[slots_[rec].hash & (table_.size() - 1)]);
    }
  }
  std::string_view id(std::uint32_t rec) const override { return slots_[rec].id; }
  bool applies(std::size_t sla, std::uint32_t rec) override {
    if (!applies_) return true;
    Slot& s = slots_[rec];
    if (sla >= 64) return applies_(*slas_[sla], s.id);
    std::uint64_t bit = std::uint64_t{1} << sla;
    if (!(s.known & bit)) {
      s.known |= bit;
      if (applies_(*slas_[sla], s.id)) s.holds |= bit;
    }
    return s.holds & bit;
  }
  // (Kept for good: no counts to keep, and 4 bytes a record missing the cache at random.)
  void retain(std::uint32_t rec) override {
    if (!keep_) ++refs_[rec];
  }
  void release(std::uint32_t rec) override {
    if (!keep_ && --refs_[rec] == 0) {
      erase(rec);
      slots_[rec].id.clear();
      free_.push_back(rec);
    }
  }

 private:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFF;
  // An id's first 8 bytes: ids that short are compared without their slot.
  static std::uint64_t prefix(std::string_view id) {
    std::uint64_t w = 0;
    std::memcpy(&w, id.data(), std::min<std::size_t>(8, id.size()));
    return w;
  }
  struct Entry {
    std::uint64_t hash = 0, head = 0;
    std::uint32_t rec = kEmpty, size = 0;
  };
  void grow() {
    std::vector<Entry> old(table_.size() * 2);
    old.swap(table_);
    std::size_t mask = table_.size() - 1;
    for (const Entry& e : old) {
      if (e.rec == kEmpty) continue;
      std::size_t i = e.hash & mask;
      while (table_[i].rec != kEmpty) i = (i + 1) & mask;
      table_[i] = e;
    }
  }
  // Linear probing: removes the entry and moves later ones of its run back.
  void erase(std::uint32_t rec) {
    std::size_t mask = table_.size() - 1;
    std::size_t i = slots_[rec].hash & mask;
    while (table_[i].rec != rec) i = (i + 1) & mask;
    std::size_t j = i;
    while (true) {
      j = (j + 1) & mask;
      if (table_[j].rec == kEmpty) break;
      std::size_t home = table_[j].hash & mask;
      // Entry j may move to i when its home is not in (i, j] (cyclically).
      if ((j > i && (home <= i || home > j)) || (j < i && (home <= i && home > j))) {
        table_[i] = table_[j];
        i = j;
      }
    }
    table_[i] = Entry{};
    --used_;
  }
  struct Slot {
    std::string id;
    std::uint64_t hash = 0;
    std::uint64_t known = 0, holds = 0;  // applies_to per SLA, once asked
  };
  const std::function<bool(const Sla&, std::string_view)>& applies_;
  bool keep_;
  std::vector<const Sla*> slas_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> refs_;  // per record: what holds it (apart from the slots: touched per event)
  std::vector<std::uint32_t> free_;
  std::vector<Entry> table_;  // open addressing, a power of two, at most half full
  std::size_t used_ = 0;
};

// Chunks of one event log, read and parsed ahead on a thread of their own.
class Reader {
 public:
  Reader(const fs::path& path, ReadOptions::Format format, const detail::Names& names) : file_(path, format) {
    file_.use_names(&names);
    if (file_.ok()) thread_ = std::thread([this] { run(); });
  }
  ~Reader() {
    {
      std::lock_guard lk(m_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  detail::EventFile& file() { return file_; }
  // The next chunk; null at the end.
  std::unique_ptr<detail::EventChunk> next() {
    if (!thread_.joinable()) return nullptr;
    std::unique_lock lk(m_);
    cv_.wait(lk, [&] { return !ready_.empty() || done_; });
    if (ready_.empty()) return nullptr;
    auto c = std::move(ready_.front());
    ready_.pop_front();
    cv_.notify_all();
    return c;
  }
  // A chunk to fill again.
  void recycle(std::unique_ptr<detail::EventChunk> c) {
    std::lock_guard lk(m_);
    spare_.push_back(std::move(c));
  }

 private:
  static constexpr std::size_t kAhead = 4;
  void run() {
    while (true) {
      std::unique_ptr<detail::EventChunk> c;
      {
        std::unique_lock lk(m_);
        cv_.wait(lk, [&] { return ready_.size() < kAhead || stop_; });
        if (stop_) break;
        if (!spare_.empty()) {
          c = std::move(spare_.back());
          spare_.pop_back();
        }
      }
      if (!c) c = std::make_unique<detail::EventChunk>();
      bool more = file_.next(*c);
      std::lock_guard lk(m_);
      if (!more) break;
      ready_.push_back(std::move(c));
      cv_.notify_all();
    }
    std::lock_guard lk(m_);
    done_ = true;
    cv_.notify_all();
  }

  detail::EventFile file_;
  std::thread thread_;
  std::mutex m_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<detail::EventChunk>> ready_, spare_;
  bool done_ = false, stop_ = false;
};

// A stage the funnel does not have: where it was first seen, and how often.
struct Unknown {
  std::string file, name;
  std::uint64_t line = 0;
  int column = 0;
  std::size_t count = 0;
};

struct Lagged {};

// What a pass reported of a file, so that a second pass does not report it again.
struct Reported {
  bool opened = false;   // the problems of opening it
  std::size_t rows = 0;  // the problems of its first rows
};                       // thrown when an event lags more than the window

class Pass {
 public:
  Pass(const Charter& charter, const std::vector<fs::path>& files, const SlaStreamOptions& opt, bool stream,
       std::vector<Reported>& reported, SlaStreamResult& result)
      : files_(files),
        opt_(opt),
        stream_(stream),
        reported_(reported),
        result_(result),
        names_(charter),
        records_(charter, opt.report.applies, !stream),
        meter_(charter, names_, opt.report, records_, opt.on_item),
        as_of_(opt.report.as_of.time_since_epoch().count()),
        window_(opt.window.count()) {}

  // Measures; throws Lagged (streaming) when an event lags more than the window.
  std::vector<SlaPeriod> run() {
    // The extra events, in time order.
    std::vector<MeterEvent> extra;
    for (const Event& e : opt_.extra) {
      int code = names_.code(e.type, e.name);
      std::int64_t at = e.at.time_since_epoch().count();
      if (code < 0 || at > as_of_ || (at == as_of_ && e.nanos)) continue;
      MeterEvent m =
          make(at, e.nanos, records_.intern(e.record), code, e.type, e.value.has_value(), e.value.value_or(0));
      records_.retain(m.rec);
      extra.push_back(m);
    }
    std::sort(extra.begin(), extra.end(), detail::meter_less);

    struct Source {
      std::unique_ptr<Reader> reader;
      std::unique_ptr<detail::EventChunk> chunk;
      std::size_t pos = 0;
      std::uint64_t line = 0, bytes = 0;
      std::size_t rows = 0;
      std::size_t index = 0;
    };
    std::vector<Source> sources;
    for (std::size_t i = 0; i < files_.size(); ++i) {
      Source s;
      s.reader = std::make_unique<Reader>(files_[i], opt_.format, names_);
      s.index = i;
      auto& f = s.reader->file();
      for (auto& d : f.diags())
        if (opt_.on_diagnostic && !reported_[i].opened) opt_.on_diagnostic(std::move(d));
      reported_[i].opened = true;
      if (!f.ok()) {
        result_.failed = true;
        continue;
      }
      s.line = f.first_line();
      sources.push_back(std::move(s));
    }
    // Loads the next chunk of `s`, reporting its problems; false at the end of the file.
    auto load = [&](Source& s) {
      while (true) {
        if (s.chunk) {
          s.line += s.chunk->lines;
          s.rows += s.chunk->rows;
          s.reader->recycle(std::move(s.chunk));
        }
        s.chunk = s.reader->next();
        s.pos = 0;
        if (!s.chunk) return false;
        s.bytes = s.chunk->bytes;
        result_.rejected += s.chunk->rejected;
        result_.events += s.chunk->ignored;
        for (const auto& p : s.chunk->problems)
          if (s.rows + p.row >= reported_[s.index].rows && opt_.on_diagnostic)
            opt_.on_diagnostic(s.reader->file().finish(p, s.line, s.rows));
        reported_[s.index].rows = std::max(reported_[s.index].rows, s.rows + s.chunk->rows);
        if (!s.chunk->events.empty()) return true;
      }
    };
    std::vector<Source*> live;
    for (auto& s : sources)
      if (load(s)) live.push_back(&s);

    std::size_t next_extra = 0;
    std::uint64_t since_progress = 0;
    while (!live.empty() || next_extra < extra.size()) {
      // The source whose next event is earliest.
      Source* best = nullptr;
      std::int64_t best_at = 0;
      for (Source* s : live) {
        std::int64_t at = s->chunk->events[s->pos].at;
        if (!best || at < best_at) best = s, best_at = at;
      }
      if (next_extra < extra.size() && (!best || extra[next_extra].at <= best_at)) {
        take(extra[next_extra++]);
        continue;
      }
      const detail::RawEvent& r = best->chunk->events[best->pos];
      ++result_.events;
      if (best->pos + kAhead < best->chunk->events.size()) {
        const detail::RawEvent& ahead = best->chunk->events[best->pos + kAhead];
        if (ahead.code >= 0) records_.prefetch(ahead.hash);
      }
      if (r.at < as_of_ || (r.at == as_of_ && r.nanos == 0)) {
        int code = r.code;
        if (code >= 0) {
          std::uint32_t rec = records_.intern(r.record, r.hash);
          records_.retain(rec);
          take(make(r.at, r.nanos, rec, code, r.type, r.has_value, r.value));
        } else if (code == detail::Names::kUnknownStage) {
          unknown(best->reader->file().name(), r, best->line);
        }
      }
      if (++since_progress == 65536) {
        since_progress = 0;
        progress(sources);
      }
      if (++best->pos == best->chunk->events.size() && !load(*best))
        live.erase(std::find(live.begin(), live.end(), best));
    }
    progress(sources);
    release(std::numeric_limits<std::int64_t>::max());
    for (auto& [name, u] : unknown_)
      if (opt_.on_diagnostic)
        opt_.on_diagnostic(data::data_diagnostic(detail::Code::UnknownEventStage, u.file, u.line, u.column,
                                                 "stage `" + u.name + "` is not a stage of the funnel; its " +
                                                     std::to_string(u.count) + " event" +
                                                     (u.count == 1 ? " was" : "s were") + " ignored"));
    return meter_.finish();
  }

 private:
  static MeterEvent make(std::int64_t at, std::uint32_t nanos, std::uint32_t rec, int code, EventType type,
                         bool has_value, double value) {
    MeterEvent m;
    m.at = at;
    m.nanos = nanos;
    m.rec = rec;
    m.code = static_cast<std::uint16_t>(code);
    m.type = static_cast<std::uint8_t>(type);
    m.has_value = has_value ? 1 : 0;
    m.value = has_value ? value : 0;
    return m;
  }

  // An event for the meter (its record retained): into the window, in its hour.
  void take(const MeterEvent& m) {
    // (lagging more than the window behind the latest time seen: out of order for good)
    if (stream_ && (m.at < released_ || (latest_ > m.at && latest_ - m.at > window_))) throw Lagged{};
    std::int64_t key = m.at / kBucket - (m.at % kBucket < 0);
    if ((key != last_key_ || !last_bucket_) && key == prev_key_ && prev_bucket_) {  // (rows a little out of order)
      std::swap(last_key_, prev_key_);
      std::swap(last_bucket_, prev_bucket_);
    }
    if (key != last_key_ || !last_bucket_) {
      prev_key_ = last_key_;
      prev_bucket_ = last_bucket_;
      auto [it, added] = buckets_.try_emplace(key);
      if (added && !spare_hours_.empty()) {  // (a vector of an hour already measured: no allocations)
        it->second.swap(spare_hours_.back());
        spare_hours_.pop_back();
      }
      last_bucket_ = &it->second;
      last_key_ = key;
    }
    last_bucket_->push_back(m);
    ++buffered_;
    if (m.at > latest_) latest_ = m.at;
    if (stream_ && ++since_release_ >= kBatch) {
      since_release_ = 0;
      release(latest_ - window_);
    }
  }

  // Measures the hours that end by `cutoff` (all, when streaming is over), in order.
  void release(std::int64_t cutoff) {
    result_.peak_buffered = std::max(result_.peak_buffered, buffered_);
    bool all = cutoff == std::numeric_limits<std::int64_t>::max();
    while (!buckets_.empty()) {
      auto it = buckets_.begin();
      std::int64_t end = (it->first + 1) * kBucket;
      if (!all && end > cutoff) break;
      auto& v = it->second;
      auto less = [](const MeterEvent& a, const MeterEvent& b) { return detail::meter_less(a, b); };
      if (!std::is_sorted(v.begin(), v.end(), less)) std::sort(v.begin(), v.end(), less);
      // (memory latency bounds these loops: the records and clocks of the events a little
      // ahead are fetched while one is measured)
      meter_.add_sorted(v);
      const std::size_t n = v.size();
      for (std::size_t k = 0; k < n; ++k) {
        if (k + 32 < n) records_.prefetch_release(v[k + 32].rec, 0);
        if (k + 16 < n) records_.prefetch_release(v[k + 16].rec, 1);
        records_.release(v[k].rec);
      }
      buffered_ -= v.size();
      released_ = std::max(released_, end);
      if (last_bucket_ == &v) last_bucket_ = nullptr;
      if (prev_bucket_ == &v) prev_bucket_ = nullptr;
      if (spare_hours_.size() < 4) {
        v.clear();
        spare_hours_.push_back(std::move(v));
      }
      buckets_.erase(it);
    }
    result_.peak_open = std::max(result_.peak_open, meter_.open_items());
  }

  void unknown(const std::string& file, const detail::RawEvent& r, std::uint64_t base_line) {
    std::string key(r.name);
    for (auto& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto [it, added] = unknown_.try_emplace(key);
    if (added) {
      it->second.file = file;
      it->second.name = std::string(r.name);
      it->second.line = base_line + r.line;
      it->second.column = 1;
    }
    ++it->second.count;
  }

  template <class S>
  void progress(const std::vector<S>& sources) {
    if (!opt_.on_progress) return;
    std::uint64_t bytes = 0;
    for (const auto& s : sources) bytes += s.bytes;
    opt_.on_progress(bytes, result_.events);
  }

  static constexpr std::size_t kBatch = 1 << 16;
  static constexpr std::size_t kAhead = 24;  // events: the record ids looked up ahead (prefetch)
  const std::vector<fs::path>& files_;
  const SlaStreamOptions& opt_;
  bool stream_;
  std::vector<Reported>& reported_;  // per file: what an abandoned pass reported
  SlaStreamResult& result_;
  detail::Names names_;
  Records records_;
  detail::Meter meter_;
  std::int64_t as_of_, window_;
  std::int64_t latest_ = std::numeric_limits<std::int64_t>::min();
  std::int64_t released_ = std::numeric_limits<std::int64_t>::min();  // events before this were measured
  static constexpr std::int64_t kBucket = 3600;                       // the window holds events by hour
  std::map<std::int64_t, std::vector<MeterEvent>> buckets_;           // hour -> its events, as they came
  std::int64_t last_key_ = 0;
  std::vector<MeterEvent>* last_bucket_ = nullptr;  // the hour of the last event taken
  std::int64_t prev_key_ = 0;                       // and the hour before it
  std::vector<MeterEvent>* prev_bucket_ = nullptr;
  std::vector<std::vector<MeterEvent>> spare_hours_;  // emptied hours, to fill again
  std::size_t buffered_ = 0, since_release_ = 0;
  std::map<std::string, Unknown> unknown_;
};

}  // namespace

SlaStreamResult sla_report_files(const Charter& charter, const std::vector<fs::path>& files,
                                 const SlaStreamOptions& opt) {
  std::vector<Reported> reported(files.size());
  {
    SlaStreamResult result;
    try {
      Pass pass(charter, files, opt, true, reported, result);
      result.periods = pass.run();
      return result;
    } catch (const Lagged&) {
    }
  }
  SlaStreamResult result;
  result.streamed = false;
  if (opt.on_restart) opt.on_restart();
  Pass pass(charter, files, opt, false, reported, result);
  result.periods = pass.run();
  return result;
}

}  // namespace charter

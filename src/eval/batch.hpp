// The storage of a charter::Batch, shared by the data readers (which fill it) and the column
// evaluator (which reads it).
#pragma once

#include <charter/evaluate.hpp>

#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "eval/program.hpp"

namespace charter {

namespace detail {

// Owns copies of strings; views into it stay valid until clear(), which keeps the blocks.
class Arena {
 public:
  std::string_view store(std::string_view s) {
    if (s.empty()) return {};
    if (s.size() > kBlock / 4) {  // a large string gets a block of its own
      big_.push_back(std::make_unique<char[]>(s.size()));
      std::memcpy(big_.back().get(), s.data(), s.size());
      return {big_.back().get(), s.size()};
    }
    if (in_use_ == 0 || used_ + s.size() > kBlock) {
      if (in_use_ == blocks_.size()) blocks_.push_back(std::make_unique<char[]>(kBlock));
      ++in_use_;
      used_ = 0;
    }
    char* p = blocks_[in_use_ - 1].get() + used_;
    std::memcpy(p, s.data(), s.size());
    used_ += s.size();
    return {p, s.size()};
  }
  void clear() noexcept {
    in_use_ = used_ = 0;
    big_.clear();
  }

 private:
  static constexpr std::size_t kBlock = 64 * 1024;
  std::vector<std::unique_ptr<char[]>> blocks_, big_;
  std::size_t in_use_ = 0;  // blocks of `blocks_` in use
  std::size_t used_ = 0;    // bytes used of the last one
};

// One field's values. Which vectors are used depends on the field type:
//   integer, boolean (0/1), date (day number), datetime (epoch seconds; offset in `off`): i
//   number: d;  string: s (and in i its position among the field's values, or -1);  list: items [lb[r], lb[r] + ln[r])
//   of `items`
// Vectors are sized to the batch's capacity; rows past `Batch::Impl::rows` are garbage.
struct Column {
  FieldType type = FieldType::String;
  std::vector<std::uint8_t> null;  // 1: null
  std::vector<std::int64_t> i;
  std::vector<double> d;
  std::vector<std::int32_t> off;
  std::vector<std::string_view> s;
  std::vector<std::uint32_t> lb, ln;
  std::vector<std::string_view> items;

  // Copies row `from` to row `to`.
  void move_row(std::size_t from, std::size_t to) {
    null[to] = null[from];
    if (!i.empty()) i[to] = i[from];
    if (!d.empty()) d[to] = d[from];
    if (!off.empty()) off[to] = off[from];
    if (!s.empty()) s[to] = s[from];
    if (!lb.empty()) {
      lb[to] = lb[from];
      ln[to] = ln[from];
    }
  }

  void resize(std::size_t n) {
    null.resize(n, 1);
    switch (type) {
      case FieldType::Integer:
      case FieldType::Boolean:
      case FieldType::Date: i.resize(n); break;
      case FieldType::Datetime:
        i.resize(n);
        off.resize(n);
        break;
      case FieldType::Number: d.resize(n); break;
      case FieldType::String:
        s.resize(n);
        i.resize(n);  // the value's position among the field's values, -1 if none
        break;
      case FieldType::List:
        lb.resize(n);
        ln.resize(n);
        break;
    }
  }
};

}  // namespace detail

struct Batch::Impl {
  std::shared_ptr<const Evaluator::Program> program;
  std::size_t rows = 0;
  std::size_t capacity = 0;
  std::vector<std::string_view> ids;
  std::vector<detail::Column> cols;
  detail::Arena arena;
  // Text the string views may point into (a chunk of a data file), kept alive with the batch.
  std::shared_ptr<const std::string> source;

  void reserve(std::size_t n) {
    if (n <= capacity) return;
    std::size_t cap = capacity ? capacity : 64;
    while (cap < n) cap *= 2;
    ids.resize(cap);
    for (auto& c : cols) c.resize(cap);
    capacity = cap;
  }
  // Makes row `r` (< capacity) all null.
  std::int32_t ordinal(std::size_t field, std::string_view value) const { return program->ordinals[field].find(value); }
  void null_row(std::size_t r) {
    for (auto& c : cols) c.null[r] = 1;
  }
  void clear() noexcept {
    rows = 0;
    for (auto& c : cols) c.items.clear();
    arena.clear();
    source.reset();
  }
};

// The storage behind a Batch, for the readers that fill it.
struct BatchAccess {
  static Batch::Impl& impl(Batch& b) noexcept { return *b.impl_; }
};

}  // namespace charter

// StrIndex: strings -> small non-negative integers, in one open-addressing table with a hash
// made for the short values of CRM data (country codes, industries, job titles): the length
// and at most 16 bytes loaded as two words, and every further 8 bytes of a longer string.
// Keys are views: what they point to must outlive the index.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace charter::detail {

inline std::uint64_t load64(const char* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline std::uint32_t load32(const char* p) noexcept {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

inline std::uint64_t str_hash(std::string_view s) noexcept {
  const char* p = s.data();
  const std::size_t n = s.size();
  std::uint64_t a = 0, b = 0;
  if (n >= 8) {
    a = load64(p);
    b = load64(p + n - 8);
    for (std::size_t i = 8; i + 8 < n; i += 8) a = (a ^ load64(p + i)) * 0x9E3779B97F4A7C15ull + (a >> 29);
  } else if (n >= 4) {
    a = load32(p);
    b = load32(p + n - 4);
  } else if (n > 0) {
    a = (static_cast<std::uint64_t>(static_cast<unsigned char>(p[0])) << 16) |
        (static_cast<std::uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8) | static_cast<unsigned char>(p[n - 1]);
  }
  std::uint64_t h = (a ^ (n * 0x9E3779B97F4A7C15ull)) * 0xBF58476D1CE4E5B9ull;
  h ^= (b + (h >> 31)) * 0x94D049BB133111EBull;
  h ^= h >> 29;
  h *= 0xD6E8FEB86659FD93ull;
  return h ^ (h >> 32);
}

// a == b for two strings of the same length n, without a call for short ones.
inline bool same_bytes(const char* a, const char* b, std::size_t n) noexcept {
  if (n >= 8 && n <= 16) return load64(a) == load64(b) && load64(a + n - 8) == load64(b + n - 8);
  if (n >= 4 && n < 8) return load32(a) == load32(b) && load32(a + n - 4) == load32(b + n - 4);
  if (n < 4) {
    for (std::size_t i = 0; i < n; ++i)
      if (a[i] != b[i]) return false;
    return true;
  }
  return std::memcmp(a, b, n) == 0;
}

class StrIndex {
 public:
  StrIndex() = default;
  explicit StrIndex(std::size_t expected) { rehash(expected); }

  // The value of `key`, or -1.
  std::int32_t find(std::string_view key) const noexcept {
    if (slots_.empty()) return -1;
    for (std::size_t i = str_hash(key) & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.value < 0) return -1;
      if (s.len == key.size() && same_bytes(s.p, key.data(), key.size())) return s.value;
    }
  }
  bool contains(std::string_view key) const noexcept { return find(key) >= 0; }

  // Adds `key` with `value` (>= 0) unless it is there; returns the value it has.
  std::int32_t insert(std::string_view key, std::int32_t value) {
    if ((size_ + 1) * 2 > slots_.size()) rehash(size_ + 1);
    std::size_t h = str_hash(key);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.value < 0) {
        s = {key.data(), key.size(), value};
        ++size_;
        return value;
      }
      if (s.len == key.size() && same_bytes(s.p, key.data(), key.size())) return s.value;
    }
  }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  void clear() noexcept {
    for (auto& s : slots_) s.value = -1;
    size_ = 0;
  }

 private:
  struct Slot {
    const char* p = nullptr;
    std::size_t len = 0;
    std::int32_t value = -1;  // -1: empty
  };
  void rehash(std::size_t want) {
    std::size_t cap = 16;
    while (cap < want * 2) cap *= 2;
    if (cap <= slots_.size()) return;
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
    for (const Slot& s : old) {
      if (s.value < 0) continue;
      for (std::size_t i = str_hash({s.p, s.len}) & mask_;; i = (i + 1) & mask_)
        if (slots_[i].value < 0) {
          slots_[i] = s;
          break;
        }
    }
  }
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace charter::detail

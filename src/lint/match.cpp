// charter lint: the phrase matcher (see match.hpp).
//
// How it works
// - Folding. The text is folded one normalization segment at a time (a code point and the
//   combining marks that follow it; ICU's NFKC_Casefold with hasBoundaryBefore decides) into a
//   chunk buffer, with the original byte range of every folded byte next to it. ASCII is
//   lowercased in place, CJK ideographs are copied, every other BMP code point goes through a
//   lazily filled, process-wide table of its folded form; a segment of several code points
//   (a letter and its combining accent) is normalized by ICU as a whole. Runs of white space
//   become one space; an invalid UTF-8 byte becomes 0xFF, which no phrase contains.
// - Word boundaries as bytes. A marker byte (0xFE, never in UTF-8) is written between a word
//   character (a letter, digit or mark of a non-CJK script) and anything else, on both sides
//   of every word. Phrases are folded the same way, so "hot lead" becomes
//   "\xFEhot\xFE \xFElead\xFE" and exact substring matching of marked strings is matching on
//   word boundaries: "hot leads" has no marker after "lead", `这个hot lead需要` has them.
// - Matching. One Aho–Corasick automaton over the marked phrases, on an alphabet of the byte
//   classes that occur in phrases (every other byte is class 0 and sends the automaton home).
//   The states nearest the root (breadth-first order) have complete, dense rows (a DFA); the
//   deeper ones are byte-packed records in depth-first order (sorted edge classes, searched 16
//   at a time; the first child is the next record; a failure link and an output only when
//   there is one): 4.5 MB for 50,000 phrases, where cache misses set the speed. Every match is
//   reported (an output entry per phrase, linked along the dictionary suffix links, holding
//   all a hit needs) and a small pending list picks the leftmost-longest, non-overlapping ones
//   once no later match can start earlier (a window of the longest phrase).
#include "lint/match.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <stdexcept>
#include <unordered_map>

#include "lint/match_detail.hpp"

#ifndef CHARTER_LINT_DENSE_ENTRIES
// Budget of dense transition entries (4 bytes each): 512 KB, so that the hot rows stay in
// the cache (measured in bench/lint: larger tables are slower, even for 500 phrases).
#define CHARTER_LINT_DENSE_ENTRIES (std::size_t{1} << 17)
#endif

namespace charter::lint {
namespace {

constexpr std::uint8_t kMarker = 0xFE;   // word boundary
constexpr std::uint8_t kInvalid = 0xFF;  // an invalid UTF-8 byte of the text
constexpr char32_t kBad = 0xFFFFFFFF;

// Class of a folded code point, and the state of the folder (class of the last one written).
enum : std::uint8_t { kOther = 0, kWord = 1, kSpace = 2 };

// ------------------------------------------------------------------------------ UTF-8 ----

// Decodes one code point at p (p < end); kBad and len 1 for an invalid sequence.
inline char32_t decode(const std::uint8_t* p, const std::uint8_t* end, int& len) noexcept {
  const std::uint8_t c = p[0];
  const auto cont = [&](int k) { return p + k < end && (p[k] & 0xC0) == 0x80; };
  len = 1;
  if (c < 0x80) return c;
  if (c < 0xC2) return kBad;
  if (c < 0xE0) {
    if (!cont(1)) return kBad;
    len = 2;
    return (char32_t(c & 0x1F) << 6) | (p[1] & 0x3F);
  }
  if (c < 0xF0) {
    if (!cont(1) || !cont(2)) return kBad;
    if (c == 0xE0 && p[1] < 0xA0) return kBad;   // overlong
    if (c == 0xED && p[1] >= 0xA0) return kBad;  // surrogate
    len = 3;
    return (char32_t(c & 0x0F) << 12) | (char32_t(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
  }
  if (c < 0xF5) {
    if (!cont(1) || !cont(2) || !cont(3)) return kBad;
    if (c == 0xF0 && p[1] < 0x90) return kBad;   // overlong
    if (c == 0xF4 && p[1] >= 0x90) return kBad;  // above U+10FFFF
    len = 4;
    return (char32_t(c & 0x07) << 18) | (char32_t(p[1] & 0x3F) << 12) | (char32_t(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
  }
  return kBad;
}

inline int encode(char32_t cp, std::uint8_t* out) noexcept {
  if (cp < 0x80) {
    out[0] = std::uint8_t(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = std::uint8_t(0xC0 | (cp >> 6));
    out[1] = std::uint8_t(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = std::uint8_t(0xE0 | (cp >> 12));
    out[1] = std::uint8_t(0x80 | ((cp >> 6) & 0x3F));
    out[2] = std::uint8_t(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = std::uint8_t(0xF0 | (cp >> 18));
  out[1] = std::uint8_t(0x80 | ((cp >> 12) & 0x3F));
  out[2] = std::uint8_t(0x80 | ((cp >> 6) & 0x3F));
  out[3] = std::uint8_t(0x80 | (cp & 0x3F));
  return 4;
}

inline bool is_cjk_ideograph(char32_t cp) noexcept { return cp >= 0x4E00 && cp <= 0x9FFF; }

// ------------------------------------------------------------------------- folding ----

const icu::Normalizer2& nfkc_cf() {
  static const icu::Normalizer2* const n = [] {
    UErrorCode err = U_ZERO_ERROR;
    const icu::Normalizer2* p = icu::Normalizer2::getNFKCCasefoldInstance(err);
    if (U_FAILURE(err) || p == nullptr) throw std::runtime_error("ICU: no NFKC_Casefold data");
    return p;
  }();
  return *n;
}

// Typographic apostrophes and hyphens that NFKC keeps: folded to their ASCII forms so that
// "don’t" matches "don't".
inline char32_t premap(char32_t cp) noexcept {
  switch (cp) {
    case 0x2018:
    case 0x2019:
    case 0x201B: return U'\'';
    case 0x2010:
    case 0x2011: return U'-';
    default: return cp;
  }
}

constexpr std::array<std::uint8_t, 128> kAsciiClass = [] {
  std::array<std::uint8_t, 128> a{};
  for (int c = 0; c < 128; ++c) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    a[c] = alnum ? kWord : (c == ' ' || (c >= '\t' && c <= '\r')) ? kSpace : kOther;
  }
  return a;
}();

// Class of a folded code point: white space; CJK (Han, kana, Hangul, Bopomofo, CJK symbols)
// and punctuation are "other"; letters, digits and marks of the other scripts are word.
std::uint8_t classify(char32_t cp) noexcept {
  if (cp < 0x80) return kAsciiClass[cp];
  if (u_isUWhiteSpace(UChar32(cp))) return kSpace;
  if ((cp >= 0x3000 && cp <= 0x303F) || cp == 0x30FC) return kOther;
  UErrorCode err = U_ZERO_ERROR;
  switch (uscript_getScript(UChar32(cp), &err)) {
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_KATAKANA_OR_HIRAGANA:
    case USCRIPT_HANGUL:
    case USCRIPT_BOPOMOFO: return kOther;
    default: break;
  }
  const auto mask = U_GET_GC_MASK(UChar32(cp));
  return (mask & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) ? kWord : kOther;
}

// The folded form of one code point, as cached: most fold to a few bytes of one class.
enum : std::uint8_t { kEntryOther = kOther, kEntryWord = kWord, kEntrySpace = kSpace, kEntryEmpty, kEntryComplex };
struct Entry {
  std::uint8_t kind = kEntryComplex;
  std::uint8_t len = 0;
  bool boundary_before = true;  // NFKC_Casefold has a boundary before this code point
  std::uint8_t bytes[13] = {};
};

icu::UnicodeString normalize(const icu::UnicodeString& s) {
  UErrorCode err = U_ZERO_ERROR;
  icu::UnicodeString r = nfkc_cf().normalize(s, err);
  if (U_FAILURE(err)) return s;
  return r;
}

Entry compute_entry(char32_t cp) {
  Entry e;
  e.boundary_before = nfkc_cf().hasBoundaryBefore(UChar32(cp));
  if (cp >= 0xD800 && cp <= 0xDFFF) {  // never decoded
    e.kind = kEntryOther;
    return e;
  }
  const icu::UnicodeString r = normalize(icu::UnicodeString(UChar32(premap(cp))));
  // Simple: one space, or code points of one class (no space) in at most 13 bytes.
  int count = 0;
  std::uint8_t kind = kEntryEmpty;
  std::size_t len = 0;
  for (int32_t k = 0; k < r.length(); k = r.moveIndex32(k, 1), ++count) {
    const auto c = char32_t(r.char32At(k));
    const std::uint8_t cls = classify(c);
    std::uint8_t buf[4];
    const int n = encode(c, buf);
    if ((count > 0 && cls != kind) || (count > 0 && cls == kSpace) || len + n > sizeof e.bytes) {
      kind = kEntryComplex;
      break;
    }
    kind = cls;
    std::memcpy(e.bytes + len, buf, n);
    len += n;
  }
  e.kind = kind;
  e.len = std::uint8_t(kind == kEntryComplex || kind == kEntrySpace ? 0 : len);
  return e;
}

// BMP table, filled one block of 256 code points at a time on first use; shared by all threads
// (a block is immutable once published; a lost race just deletes its copy).
struct Block {
  Entry e[256];
};
std::atomic<const Block*> g_blocks[256];

const Block* fill_block(unsigned hi) {
  auto* b = new Block;
  for (unsigned lo = 0; lo < 256; ++lo) b->e[lo] = compute_entry(char32_t(hi << 8 | lo));
  const Block* expected = nullptr;
  if (g_blocks[hi].compare_exchange_strong(expected, b, std::memory_order_acq_rel)) return b;
  delete b;
  return expected;
}

inline const Entry& bmp_entry(char32_t cp) {
  const Block* b = g_blocks[cp >> 8].load(std::memory_order_acquire);
  if (b == nullptr) b = fill_block(unsigned(cp >> 8));
  return b->e[cp & 0xFF];
}

inline bool boundary_before(char32_t cp) {
  if (cp < 0x80 || is_cjk_ideograph(cp) || cp == kBad) return true;
  if (cp < 0x10000) return bmp_entry(cp).boundary_before;
  return nfkc_cf().hasBoundaryBefore(UChar32(cp));
}

// The folded bytes with, for every byte, the original offset of the segment it comes from
// (relative to `base`; for a marker, the offset where the word starts or ends). The end of a
// segment is found again in the text when a hit needs it (`segment_end`).
struct Buffer {
  std::vector<std::uint8_t> f;
  std::vector<std::uint32_t> ob;
  std::size_t n = 0;
  void reserve(std::size_t extra) {
    if (n + extra <= f.size()) return;
    const std::size_t size = std::max<std::size_t>({n + extra, f.size() * 2, 256});
    f.resize(size);
    ob.resize(size);
  }
};

struct FoldState {
  std::uint8_t cls = kOther;  // class of the last code point written (the start counts as other)
  // The last segment, to fold it again together with a combining mark that follows it.
  bool combinable = false;
  std::size_t seg_i = 0, seg_n = 0;
  std::uint8_t seg_cls = kOther;
};

// Keeps original offsets in 32 bits: a chunk never spans more than this many original bytes.
constexpr std::size_t kMaxSpan = std::size_t{1} << 30;

// Folds text[i...] into `o` until `o.n >= stop_n` (at a segment boundary) or the end; returns
// the new i. kMarkers: write word-boundary markers and 0xFF for invalid bytes (matching); else
// U+FFFD for invalid bytes and no markers (the public `fold`).
template <bool kMarkers>
std::size_t fold_some(std::string_view text, std::size_t i, std::size_t stop_n, std::size_t base, FoldState& state,
                      Buffer& o) {
  const auto* t = reinterpret_cast<const std::uint8_t*>(text.data());
  const std::size_t len = text.size();
  const auto* end = t + len;
  FoldState st = state;  // in registers while folding
  st.combinable = false;

  // Writers, on local copies of the buffer's pointers. `a`: original offset.
  std::uint8_t* F = o.f.data();
  std::uint32_t* OB = o.ob.data();
  std::size_t n = o.n, cap = o.f.size();
  const auto reserve = [&](std::size_t extra) {
    if (n + extra <= cap) return;
    o.n = n;
    o.reserve(extra);
    F = o.f.data(), OB = o.ob.data(), cap = o.f.size();
  };
  const auto put = [&](std::uint8_t b, std::size_t a, std::size_t) {
    F[n] = b;
    OB[n] = std::uint32_t(a - base);
    ++n;
  };
  const auto open = [&](std::uint8_t cls, std::size_t a) {  // before a word or other code point
    if constexpr (kMarkers) {
      if ((cls == kWord) != (st.cls == kWord)) put(kMarker, a, a);
    }
    st.cls = cls;
  };
  const auto space = [&](std::size_t a, std::size_t z) {
    if (st.cls == kSpace) return;
    if constexpr (kMarkers) {
      if (st.cls == kWord) put(kMarker, a, a);
    }
    put(' ', a, z);
    st.cls = kSpace;
  };
  const auto write_cp = [&](char32_t cp, std::uint8_t cls, std::size_t a, std::size_t z) {
    if (cls == kSpace) return space(a, z);
    std::uint8_t buf[4];
    const int n = encode(cp, buf);
    open(cls, a);
    for (int k = 0; k < n; ++k) put(buf[k], a, z);
  };
  // Normalizes the segment [a, z) (valid UTF-8) as a whole.
  const auto write_segment = [&](std::size_t a, std::size_t z) {
    icu::UnicodeString s;
    for (std::size_t k = a; k < z;) {
      int l;
      s.append(UChar32(premap(decode(t + k, end, l))));
      k += l;
    }
    const icu::UnicodeString r = normalize(s);
    reserve(std::size_t(r.length()) * 6 + 8);
    for (int32_t k = 0; k < r.length(); k = r.moveIndex32(k, 1)) {
      const auto c = char32_t(r.char32At(k));
      write_cp(c, classify(c), a, z);
    }
  };
  const auto start_segment = [&](std::size_t at) {
    st.combinable = true;
    st.seg_i = at;
    st.seg_n = n;
    st.seg_cls = st.cls;
  };

  while (i < len) {
    if ((n >= stop_n || i - base >= kMaxSpan) && [&] {
          int l;
          return boundary_before(decode(t + i, end, l));
        }())
      break;
    reserve(32);
    const std::uint8_t c = t[i];
    if (c < 0x80 && st.cls == kWord && kAsciiClass[c] == kWord) {
      // Fast path: a run of ASCII letters and digits inside a word, on plain locals.
      std::uint8_t* const ff = F;
      std::uint32_t* const oo = OB;
      std::size_t k = i, m = n;
      const std::size_t lim = std::min(len, i + (cap - n));
      while (k < lim) {
        const std::uint8_t ch = t[k];
        if (ch >= 0x80 || kAsciiClass[ch] != kWord) break;
        ff[m] = ch >= 'A' && ch <= 'Z' ? std::uint8_t(ch + 32) : ch;
        oo[m] = std::uint32_t(k - base);
        ++k, ++m;
      }
      st.combinable = true;  // the last letter is the last segment
      st.seg_i = k - 1;
      st.seg_n = m - 1;
      st.seg_cls = kWord;
      n = m;
      i = k;
      continue;
    }
    if (c < 0x80) {  // ASCII
      start_segment(i);
      const std::uint8_t cls = kAsciiClass[c];
      if (cls == kSpace) {
        space(i, i + 1);
      } else {
        open(cls, i);
        put(c >= 'A' && c <= 'Z' ? std::uint8_t(c + 32) : c, i, i + 1);
      }
      ++i;
      continue;
    }
    int l;
    const char32_t cp = decode(t + i, end, l);
    if (cp == kBad) {
      st.combinable = false;
      open(kOther, i);
      if constexpr (kMarkers) {
        put(kInvalid, i, i + 1);
      } else {
        put(0xEF, i, i + 1), put(0xBF, i, i + 1), put(0xBD, i, i + 1);
      }
      ++i;
      continue;
    }
    if (is_cjk_ideograph(cp)) {  // unchanged by NFKC_Casefold; copied in runs
      open(kOther, i);
      std::uint8_t* const ff = F;
      std::uint32_t* const oo = OB;
      std::size_t k = i, m = n;
      const std::size_t lim = std::min(len, i + (cap - n)) - 2;  // cap - n >= 32
      do {
        ff[m] = t[k], ff[m + 1] = t[k + 1], ff[m + 2] = t[k + 2];
        oo[m] = oo[m + 1] = oo[m + 2] = std::uint32_t(k - base);
        k += 3, m += 3;
      } while (k < lim && t[k] >= 0xE4 && t[k] <= 0xE9 && (t[k + 1] & 0xC0) == 0x80 && (t[k + 2] & 0xC0) == 0x80);
      st.combinable = true;  // the last ideograph is the last segment
      st.seg_i = k - 3;
      st.seg_n = m - 3;
      st.seg_cls = kOther;
      n = m;
      i = k;
      continue;
    }
    Entry tmp;
    const Entry& e = cp < 0x10000 ? bmp_entry(cp) : (tmp = compute_entry(cp));
    if (!e.boundary_before && st.combinable) {
      // A combining mark: fold the previous segment again with every mark that follows.
      n = st.seg_n;
      st.cls = st.seg_cls;
      std::size_t z = i + l;
      while (z < len) {
        int l2;
        const char32_t next = decode(t + z, end, l2);
        if (next == kBad || boundary_before(next)) break;
        z += l2;
      }
      write_segment(st.seg_i, z);
      st.combinable = false;
      i = z;
      continue;
    }
    start_segment(i);
    switch (e.kind) {
      case kEntrySpace: space(i, i + l); break;
      case kEntryEmpty: break;
      case kEntryComplex: write_segment(i, i + l); break;
      default:
        open(e.kind, i);
        for (int k = 0; k < e.len; ++k) put(e.bytes[k], i, i + l);
    }
    i += l;
  }
  o.n = n;
  state = st;
  return i;
}

// The end of the segment that starts at `at` (a code point and the combining marks after it).
std::size_t segment_end(std::string_view text, std::size_t at) {
  const auto* t = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto* end = t + text.size();
  int l;
  if (at >= text.size()) return at;
  decode(t + at, end, l);
  std::size_t z = at + l;
  while (z < text.size()) {
    const char32_t next = decode(t + z, end, l);
    if (next == kBad || boundary_before(next)) break;
    z += l;
  }
  return z;
}

// Folds a whole string with markers (phrases) or without (the public fold), trimmed.
template <bool kMarkers>
std::string fold_all(std::string_view text) {
  Buffer o;
  FoldState st;
  std::size_t i = 0;
  std::string out;
  while (i < text.size()) {
    o.n = 0;
    const std::size_t base = i;
    i = fold_some<kMarkers>(text, i, std::size_t{1} << 20, base, st, o);
    out.append(reinterpret_cast<const char*>(o.f.data()), o.n);
  }
  if (kMarkers && st.cls == kWord) out.push_back(char(kMarker));
  const auto first = out.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  return out.substr(first, out.find_last_not_of(' ') + 1 - first);
}

// Scratch space of one thread's `find` calls.
struct Pending {
  std::uint64_t fs, fe;      // folded positions, global to the call
  std::size_t ob, oe;        // original offsets
  std::uint32_t tag, ntags;  // as in Matcher::Impl::Out
};
struct Scratch {
  Buffer buf;
  std::vector<Pending> pending;
};

std::atomic<std::size_t> g_dense_entries{CHARTER_LINT_DENSE_ENTRIES};

constexpr std::uint32_t kOut = 0x80000000u;  // the target state reports at least one match
constexpr std::uint32_t kStateMask = 0x7FFFFFFFu;

}  // namespace

std::string fold(std::string_view text) { return fold_all<false>(text); }

std::size_t detail::set_dense_entries_for_testing(std::size_t entries) { return g_dense_entries.exchange(entries); }

// --------------------------------------------------------------------------- automaton ----

struct Matcher::Impl {
  std::array<std::uint8_t, 256> cls{};  // byte -> class (0: in no phrase)
  std::uint32_t classes = 1;
  // States 0 .. ndense-1 (the shallowest, breadth-first) have complete rows: dense[s * classes + c]
  // is the next state, | kOut when it reports a match. A deeper state's id is ndense + the byte
  // offset of its record in `sparse`, laid out depth-first so that a path is contiguous:
  //   [edge count n] [flags] [failure state, unless the root] [output, if any]
  //   [n edge classes, ascending] [targets | kOut of edges 1 .. n-1, 4 bytes each, unaligned]
  // and the target of edge 0 is the record that follows (its kOut in the flags).
  std::uint32_t ndense = 0;
  std::vector<std::uint32_t> dense;
  std::vector<std::uint8_t> sparse;  // followed by kPad bytes
  // Output lists: for a state that reports (kOut), its first entry in `outs`; an entry is a
  // pattern (its folded length and tags) and the next entry of the state's suffix chain (kNone:
  // the end). All a hit needs is in one entry: the tag itself when there is one, else `ntags`
  // tags from tags[tag].
  struct Out {
    std::uint32_t next, length, tag, ntags;
  };
  std::vector<Out> outs;
  std::vector<std::uint32_t> dense_out;  // per dense state
  std::vector<std::uint32_t> tags;
  std::size_t longest = 0;
  std::size_t phrases = 0;

  // Record flags.
  static constexpr std::uint8_t kHasFail = 1, kHasOut = 2, kFirstOut = 4;
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  static constexpr std::size_t kPad = 16;

  static std::uint32_t load32(const std::uint8_t* p) noexcept {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
  }

  // The index of c in labels[0, n), or n. Reads up to 15 bytes past the end (see kPad).
  static unsigned find_label(const std::uint8_t* labels, unsigned n, std::uint8_t c) noexcept {
#if defined(__SSE2__)
    const __m128i key = _mm_set1_epi8(char(c));
    for (unsigned at = 0; at < n; at += 16) {
      const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(labels + at));
      const auto mask = unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(block, key)));
      if (mask != 0) return std::min(n, at + unsigned(__builtin_ctz(mask)));
    }
    return n;
#else
    unsigned j = 0;
    while (j < n && labels[j] != c) ++j;
    return j;
#endif
  }

  std::uint32_t step(std::uint32_t s, std::uint8_t c) const noexcept {
    while (s >= ndense) {
      const std::uint8_t* r = sparse.data() + (s - ndense);
      const unsigned n = r[0], fl = r[1];
      const std::uint8_t* labels = r + 2 + (fl & kHasFail ? 4 : 0) + (fl & kHasOut ? 4 : 0);
      const unsigned j = n == 1 ? (labels[0] == c ? 0 : 1) : find_label(labels, n, c);
      if (j < n) {
        const std::uint8_t* targets = labels + n;
        if (j > 0) return load32(targets + 4 * (j - 1));
        return (s + std::uint32_t(targets - r) + 4 * (n - 1)) | (fl & kFirstOut ? kOut : 0);
      }
      s = fl & kHasFail ? load32(r + 2) : 0;
    }
    return dense[std::size_t(s) * classes + c];
  }
  std::uint32_t out_of(std::uint32_t s) const noexcept {
    if (s < ndense) return dense_out[s];
    const std::uint8_t* r = sparse.data() + (s - ndense);
    return load32(r + 2 + (r[1] & kHasFail ? 4 : 0));
  }
  void build(const std::vector<Phrase>& phrases);
  void find(std::string_view text, std::vector<Hit>& out) const;
};

void Matcher::Impl::build(const std::vector<Phrase>& input) {
  // Unique marked phrases, each with its tags in the order given.
  std::vector<std::string> pats;
  std::vector<std::vector<std::uint32_t>> pat_tags;
  std::unordered_map<std::string, std::uint32_t> index;
  for (const Phrase& p : input) {
    std::string f = fold_all<true>(p.text);
    if (f.empty() || f.find(char(kInvalid)) != std::string::npos) continue;
    ++phrases;
    auto [it, fresh] = index.try_emplace(std::move(f), std::uint32_t(pats.size()));
    if (fresh) {
      pats.push_back(it->first);
      pat_tags.emplace_back();
    }
    pat_tags[it->second].push_back(p.tag);
  }
  index.clear();
  std::vector<Out> pat_out(pats.size());
  for (std::size_t k = 0; k < pats.size(); ++k) {
    longest = std::max(longest, pats[k].size());
    const std::vector<std::uint32_t>& t = pat_tags[k];
    pat_out[k] = Out{kNone, std::uint32_t(pats[k].size()), t.size() == 1 ? t[0] : std::uint32_t(tags.size()),
                     std::uint32_t(t.size())};
    if (t.size() > 1) tags.insert(tags.end(), t.begin(), t.end());
  }
  pat_tags.clear();

  // Byte classes, in byte order (so that sorting bytes sorts classes).
  std::array<bool, 256> seen{};
  for (const auto& s : pats)
    for (unsigned char c : s) seen[c] = true;
  classes = 1;
  for (int b = 0; b < 256; ++b) cls[b] = seen[b] ? std::uint8_t(classes++) : 0;
  if (classes > 256) throw std::logic_error("more than 255 byte classes");

  // Trie, inserting in sorted order: the child to follow is always the last one created.
  std::vector<std::uint32_t> order(pats.size());
  for (std::uint32_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return pats[a] < pats[b]; });
  std::vector<std::uint32_t> first_child{0}, last_child{0}, next_sibling{0};
  std::vector<std::uint8_t> label{0};
  std::vector<std::int32_t> tmatch{-1};
  for (std::uint32_t k : order) {
    std::uint32_t node = 0;
    for (unsigned char b : pats[k]) {
      const std::uint8_t c = cls[b];
      const std::uint32_t last = last_child[node];
      if (last != 0 && label[last] == c) {
        node = last;
        continue;
      }
      const auto child = std::uint32_t(label.size());
      first_child.push_back(0), last_child.push_back(0), next_sibling.push_back(0);
      label.push_back(c), tmatch.push_back(-1);
      if (last != 0)
        next_sibling[last] = child;
      else
        first_child[node] = child;
      last_child[node] = child;
      node = child;
    }
    tmatch[node] = std::int32_t(k);
  }
  pats.clear();
  pats.shrink_to_fit();
  last_child.clear();
  last_child.shrink_to_fit();

  // Breadth-first numbering; the edges of every state in class order.
  const std::size_t nstates = label.size();
  if (nstates >= (std::size_t{1} << 24)) throw std::length_error("too many phrases");
  std::vector<std::uint32_t> old_of, edge_begin(nstates + 1, 0), edge_to;
  std::vector<std::uint8_t> edge_cls;
  old_of.reserve(nstates);
  old_of.push_back(0);
  edge_cls.reserve(nstates);
  edge_to.reserve(nstates);
  for (std::size_t q = 0; q < old_of.size(); ++q) {
    const std::uint32_t u = old_of[q];
    edge_begin[q] = std::uint32_t(edge_cls.size());
    for (std::uint32_t v = first_child[u]; v != 0; v = next_sibling[v]) {
      edge_cls.push_back(label[v]);
      edge_to.push_back(std::uint32_t(old_of.size()));
      old_of.push_back(v);
    }
  }
  edge_begin[nstates] = std::uint32_t(edge_cls.size());
  std::vector<std::int32_t> match(nstates);
  for (std::size_t q = 0; q < nstates; ++q) match[q] = tmatch[old_of[q]];
  first_child = {}, next_sibling = {}, label = {}, tmatch = {}, old_of = {};

  // Failure links, dictionary links, output flags and the dense rows, in BFS order.
  ndense = std::uint32_t(std::min<std::size_t>(nstates, std::max<std::size_t>(1, g_dense_entries.load() / classes)));
  dense.assign(std::size_t(ndense) * classes, 0);
  std::vector<std::uint32_t> fail(nstates, 0);
  std::vector<std::uint32_t> dict(nstates, 0);
  std::vector<bool> out(nstates, false);
  const auto flagged = [&](std::uint32_t s) { return out[s] ? s | kOut : s; };
  const auto goto_ = [&](std::uint32_t s, std::uint8_t c) -> std::uint32_t {  // complete transition
    for (;;) {
      if (s < ndense) return dense[std::size_t(s) * classes + c] & kStateMask;
      for (std::uint32_t j = edge_begin[s]; j < edge_begin[s + 1]; ++j)
        if (edge_cls[j] == c) return edge_to[j];
      s = fail[s];
    }
  };
  for (std::uint32_t u = 0; u < nstates; ++u) {
    for (std::uint32_t j = edge_begin[u]; j < edge_begin[u + 1]; ++j) {
      const std::uint32_t v = edge_to[j];
      const std::uint32_t f = u == 0 ? 0 : goto_(fail[u], edge_cls[j]);
      fail[v] = f;
      dict[v] = match[f] >= 0 ? f : dict[f];
      out[v] = match[v] >= 0 || out[f];
    }
    if (u < ndense) {
      std::uint32_t* row = &dense[std::size_t(u) * classes];
      if (u == 0)
        std::fill(row, row + classes, 0u);
      else
        std::copy_n(&dense[std::size_t(fail[u]) * classes], classes, row);
      for (std::uint32_t j = edge_begin[u]; j < edge_begin[u + 1]; ++j) row[edge_cls[j]] = flagged(edge_to[j]);
    }
  }

  // Output lists: one entry per state where a pattern ends, linked along the dictionary links.
  std::vector<std::uint32_t> out_entry(nstates, kNone);
  for (std::uint32_t u = 0; u < nstates; ++u)
    if (match[u] >= 0) {
      out_entry[u] = std::uint32_t(outs.size());
      outs.push_back(pat_out[std::size_t(match[u])]);
    }
  for (std::uint32_t u = 0; u < nstates; ++u)
    if (match[u] >= 0 && dict[u] != 0) outs[out_entry[u]].next = out_entry[dict[u]];
  const auto first_out = [&](std::uint32_t u) {
    if (!out[u]) return kNone;
    return match[u] >= 0 ? out_entry[u] : out_entry[dict[u]];
  };
  dense_out.resize(ndense);
  for (std::uint32_t u = 0; u < ndense; ++u) dense_out[u] = first_out(u);

  // Final ids: dense states keep theirs; the others get records, depth-first, so that a path is
  // contiguous (the first child of a state is the record that follows it). Measured: ordering
  // by depth or by word (first words of the phrases first) misses the cache more often.
  std::vector<std::uint32_t> preorder;
  {
    std::vector<std::uint32_t> stack{0};
    while (!stack.empty()) {
      const std::uint32_t u = stack.back();
      stack.pop_back();
      if (u >= ndense) preorder.push_back(u);
      for (std::uint32_t j = edge_begin[u + 1]; j-- > edge_begin[u];) stack.push_back(edge_to[j]);
    }
  }
  std::vector<std::uint32_t> id(nstates);
  std::size_t bytes = 0;
  for (std::uint32_t u = 0; u < ndense; ++u) id[u] = u;
  for (std::size_t k = 0; k < preorder.size(); ++k) {
    const std::uint32_t u = preorder[k];
    const std::uint32_t n = edge_begin[u + 1] - edge_begin[u];
    if (n > 0 && (k + 1 == preorder.size() || preorder[k + 1] != edge_to[edge_begin[u]]))
      throw std::logic_error("lint: a first child is not the next record");
    id[u] = std::uint32_t(ndense + bytes);
    bytes += 2 + (fail[u] != 0 ? 4 : 0) + (out[u] ? 4 : 0) + n + (n > 0 ? 4 * (n - 1) : 0);
    if (ndense + bytes >= kStateMask) throw std::length_error("too many phrases");
  }
  const auto final_ref = [&](std::uint32_t s) { return id[s & kStateMask] | (s & kOut); };
  for (auto& t : dense) t = final_ref(t);
  sparse.assign(bytes + kPad, 0);
  for (std::uint32_t u : preorder) {
    std::uint8_t* r = &sparse[id[u] - ndense];
    const std::uint32_t n = edge_begin[u + 1] - edge_begin[u];
    std::uint8_t* p = r + 2;
    r[0] = std::uint8_t(n);
    r[1] = 0;
    if (fail[u] != 0) {
      r[1] |= kHasFail;
      const std::uint32_t f = id[fail[u]];
      std::memcpy(p, &f, 4);
      p += 4;
    }
    if (out[u]) {
      r[1] |= kHasOut;
      const std::uint32_t e = first_out(u);
      std::memcpy(p, &e, 4);
      p += 4;
    }
    for (std::uint32_t j = 0; j < n; ++j) p[j] = edge_cls[edge_begin[u] + j];
    p += n;
    for (std::uint32_t j = 0; j < n; ++j) {
      const std::uint32_t v = edge_to[edge_begin[u] + j];
      if (j == 0) {
        if (out[v]) r[1] |= kFirstOut;
        continue;
      }
      const std::uint32_t t = id[v] | (out[v] ? kOut : 0);
      std::memcpy(p, &t, 4);
      p += 4;
    }
  }
}

void Matcher::Impl::find(std::string_view text, std::vector<Hit>& out) const {
  if (outs.empty() || text.empty()) return;
  thread_local Scratch scratch;
  Buffer& o = scratch.buf;
  std::vector<Pending>& pending = scratch.pending;
  pending.clear();
  o.n = 0;

  constexpr std::size_t kChunk = 1 << 15;
  FoldState st;
  std::size_t i = 0, base = 0;
  std::uint64_t g0 = 0;  // folded position of o.f[0]
  std::uint64_t next_free = 0;
  std::uint32_t s = 0;

  // Emits the pending matches that no later match can beat (all of them when `final`).
  const auto settle = [&](std::uint64_t p, bool final) {
    for (;;) {
      const Pending* best = nullptr;
      for (const Pending& m : pending)
        if (m.fs >= next_free && (!best || m.fs < best->fs || (m.fs == best->fs && m.fe > best->fe))) best = &m;
      if (best == nullptr) {
        pending.clear();
        return;
      }
      if (!final && best->fs + longest > p) return;
      if (best->ntags == 1)
        out.push_back(Hit{best->ob, best->oe, best->tag});
      else
        for (std::uint32_t k = 0; k < best->ntags; ++k) out.push_back(Hit{best->ob, best->oe, tags[best->tag + k]});
      next_free = best->fe;
      std::erase_if(pending, [&](const Pending& m) { return m.fs < next_free; });
    }
  };
  const auto report = [&](std::size_t k, std::uint32_t state) {  // a match ends at o.f[k]
    for (std::uint32_t e = out_of(state); e != kNone; e = outs[e].next) {
      const Out& x = outs[e];
      if (k + 1 < x.length) continue;  // starts in bytes no longer kept (see kMaxSpan)
      const std::size_t from = k + 1 - x.length;
      const std::size_t last = base + o.ob[k];
      pending.push_back(Pending{g0 + from, g0 + k + 1, base + o.ob[from],
                                o.f[k] == kMarker ? last : segment_end(text, last), x.tag, x.ntags});
    }
    settle(g0 + k + 1, false);
  };
  const auto scan = [&](std::size_t from) {
    const std::uint8_t* f = o.f.data();
    for (std::size_t k = from; k < o.n; ++k) {
      const std::uint8_t c = cls[f[k]];
      if (c == 0) {
        s = 0;
        continue;
      }
      const std::uint32_t t = step(s, c);
      s = t & kStateMask;
      if (t & kOut) report(k, s);
    }
  };

  while (i < text.size()) {
    const std::size_t from = o.n;
    i = fold_some<true>(text, i, from + kChunk, base, st, o);
    if (i == text.size() && st.cls == kWord) {
      o.reserve(1);
      o.f[o.n] = kMarker;
      o.ob[o.n] = std::uint32_t(text.size() - base);
      ++o.n;
    }
    scan(from);
    settle(g0 + o.n, false);
    // Keep the last `longest` bytes: a match ending in the next chunk may start there.
    // (A match that would span more than kMaxSpan / 2 original bytes is given up.)
    std::size_t keep = std::min(o.n, longest);
    while (keep > 0 && base + o.ob[o.n - keep] + kMaxSpan / 2 < i) --keep;
    const std::size_t drop = o.n - keep;
    const std::uint32_t shift = keep ? o.ob[drop] : std::uint32_t(i - base);
    for (std::size_t k = 0; k < keep; ++k) {
      o.f[k] = o.f[drop + k];
      o.ob[k] = o.ob[drop + k] - shift;
    }
    g0 += drop;
    base += shift;
    o.n = keep;
  }
  settle(g0 + o.n, true);
}

Matcher::Matcher(const std::vector<Phrase>& phrases) : impl_(std::make_unique<Impl>()) { impl_->build(phrases); }
Matcher::~Matcher() = default;
Matcher::Matcher(Matcher&&) noexcept = default;
Matcher& Matcher::operator=(Matcher&&) noexcept = default;

void Matcher::find(std::string_view text, std::vector<Hit>& out) const { impl_->find(text, out); }

std::size_t Matcher::phrases() const noexcept { return impl_->phrases; }

}  // namespace charter::lint

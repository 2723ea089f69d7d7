// charter lint: finding glossary phrases in prose, all at once, whatever their number.
//
// Text is folded for matching (NFKC, Unicode case folding, full-width forms to ASCII) while
// every hit keeps the exact byte offsets of the original text.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace charter::lint {

/// One phrase to find, with the caller's tag (returned with every hit).
struct Phrase {
  std::string text;
  std::uint32_t tag = 0;
};

/// A phrase found in a text: byte offsets [begin, end) into the text given to `find`.
struct Hit {
  std::size_t begin = 0, end = 0;
  std::uint32_t tag = 0;
};

/// The folded form used for matching: NFKC + case folding + full-width/half-width folding,
/// whitespace runs as one space, trimmed. "ＭＱＬ" and "mql" fold alike; "Straße" folds like
/// "strasse"; the Turkish dotless ı stays distinct from i.
std::string fold(std::string_view text);

/// An automaton over every phrase. Immutable after construction: `find` may run on many
/// threads at once.
class Matcher {
 public:
  /// Phrases that fold to the same text keep every tag (a hit is reported once per phrase, in
  /// the order given). Empty phrases are ignored.
  explicit Matcher(const std::vector<Phrase>& phrases);
  ~Matcher();
  Matcher(Matcher&&) noexcept;
  Matcher& operator=(Matcher&&) noexcept;

  /// Appends to `out` the hits in `text` (one lintable range of a document), in order:
  /// - leftmost-longest, non-overlapping: "Marketing Qualified Lead" is one hit, not also "Lead";
  /// - a phrase that starts (ends) with a letter or digit of a non-CJK script matches only on
  ///   a word boundary there: the neighbour is not a letter, digit or combining mark of such a
  ///   script (a CJK character, punctuation, space, an apostrophe or a hyphen is a boundary,
  ///   so `这个hot lead需要` contains "hot lead" but "hot leads" does not);
  ///   phrases of CJK characters match as substrings;
  /// - a space in a phrase matches any run of spaces, tabs and line breaks in the text (a
  ///   phrase wrapped over two lines of a paragraph is found);
  /// - invalid UTF-8 in the text never matches and never stops the search.
  void find(std::string_view text, std::vector<Hit>& out) const;

  std::size_t phrases() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace charter::lint

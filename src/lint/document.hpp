// charter lint: which parts of a document are prose to check, and its suppression comments.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace charter::lint {

enum class DocKind : std::uint8_t { Markdown, Html, Text };

/// By extension: .md .markdown .mdx -> Markdown; .html .htm -> Html; anything else -> Text.
DocKind kind_of_path(std::string_view path) noexcept;

/// A range of prose to lint: byte offsets [begin, end) into the document.
struct TextRange {
  std::size_t begin = 0, end = 0;
  /// The language of this range: from the document's `lang` when it has one, else detected per
  /// paragraph from its script ("zh" when it is mostly Han characters, else "" = the default
  /// locale). Set by `scan_document`.
  std::string locale;
};

/// A suppression comment (`<!-- charter-disable-next-line [WHAT...] -->` and friends; in
/// Text files the same words after `#` or `//` are not recognised, only the HTML comment form).
struct Suppression {
  enum class Kind : std::uint8_t { NextLine, Disable, Enable, File };
  Kind kind = Kind::NextLine;
  std::size_t offset = 0;  ///< byte offset of the comment
  std::size_t line = 0;    ///< 1-based line of the comment
  /// What it names (rule codes such as CH1101, term ids or phrases), empty = everything.
  std::vector<std::string> what;
};

/// Something wrong with the document itself (not with its wording).
struct DocumentProblem {
  std::size_t offset = 0;
  std::string message;  ///< e.g. "invalid UTF-8 (byte 0xFF)"
};

struct Document {
  DocKind kind = DocKind::Text;
  std::string lang;                       ///< from YAML front matter `lang:` or `<html lang>`; may be empty
  std::vector<TextRange> ranges;          ///< sorted, non-overlapping
  std::vector<Suppression> suppressions;  ///< in document order
  std::vector<DocumentProblem> problems;  ///< invalid UTF-8 (each bad sequence, by offset), ...
};

/// Finds the prose of `bytes`:
/// - Markdown (parsed with cmark-gfm for structure; offsets are our own): fenced and indented
///   code blocks, inline code, URLs and autolinks, link and image destinations (the link text
///   is prose), raw HTML and HTML comments, YAML front matter are never prose; a paragraph,
///   heading, list item, table cell or block quote text is one range per stretch between
///   skipped parts (so a phrase wrapped over two lines of a paragraph stays in one range);
/// - HTML: text nodes only (not tags, attributes, comments, <script>, <style>); entities are
///   left as written;
/// - Text: every paragraph (blank-line separated) is a range.
/// A UTF-8 BOM is skipped; CRLF works. Invalid UTF-8 is reported in `problems` and the
/// rest of the document is still scanned. Never throws on any input.
Document scan_document(std::string_view bytes, DocKind kind);

/// 1-based line and column (in code points) of `offset` in `bytes`, and the line's bytes.
/// Lines end at LF (CRLF counts once; `line_end` excludes the CR LF). A column counts the code
/// points before `offset` on its line: a leading UTF-8 BOM is not one, each byte of an invalid
/// sequence is one. An `offset` past the end is taken as the end.
struct Position {
  std::size_t line = 1, column = 1;
  std::size_t line_begin = 0, line_end = 0;
};
/// One look-up: time linear in `offset` (use `LineIndex` for many look-ups in one document).
Position position_of(std::string_view bytes, std::size_t offset) noexcept;

/// The lines of a document, for many `position_of` look-ups: O(log lines) plus at most a few
/// KB of counting per look-up, however long the line. Keeps a view of `bytes` (which must
/// outlive it). Immutable after construction: look-ups may run on many threads at once.
class LineIndex {
 public:
  explicit LineIndex(std::string_view bytes);
  Position position_of(std::size_t offset) const noexcept;
  std::size_t lines() const noexcept { return starts_.size(); }

 private:
  std::size_t code_points_before(std::size_t offset) const noexcept;  // since the start, BOM excluded
  std::string_view bytes_;
  std::vector<std::size_t> starts_;      // offset of each line's first byte
  std::vector<std::size_t> checkpoint_;  // code points before each multiple of kStride
  static constexpr std::size_t kStride = 4096;
};

}  // namespace charter::lint

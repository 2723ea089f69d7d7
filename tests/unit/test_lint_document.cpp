// charter lint: which parts of a document are prose (Markdown, HTML, text), their language,
// suppression comments, invalid UTF-8 and positions.
#define BOOST_TEST_MODULE lint_document
#include "lint/document.hpp"

#include <boost/test/unit_test.hpp>

#include <random>
#include <string>
#include <string_view>
#include <vector>

using namespace charter::lint;
using Texts = std::vector<std::string>;

namespace {

// The text of every range of `doc`, in order.
Texts texts(std::string_view bytes, const Document& doc) {
  Texts out;
  for (const TextRange& r : doc.ranges) {
    BOOST_REQUIRE(r.begin < r.end && r.end <= bytes.size());
    out.emplace_back(bytes.substr(r.begin, r.end - r.begin));
  }
  for (std::size_t i = 1; i < doc.ranges.size(); ++i) BOOST_REQUIRE(doc.ranges[i - 1].end <= doc.ranges[i].begin);
  return out;
}
Texts md(std::string_view bytes) { return texts(bytes, scan_document(bytes, DocKind::Markdown)); }
Texts html(std::string_view bytes) { return texts(bytes, scan_document(bytes, DocKind::Html)); }
Texts text(std::string_view bytes) { return texts(bytes, scan_document(bytes, DocKind::Text)); }

}  // namespace

BOOST_AUTO_TEST_CASE(kind_by_extension) {
  BOOST_TEST((kind_of_path("docs/a.md") == DocKind::Markdown));
  BOOST_TEST((kind_of_path("A.MARKDOWN") == DocKind::Markdown));
  BOOST_TEST((kind_of_path("x.mdx") == DocKind::Markdown));
  BOOST_TEST((kind_of_path("site/index.html") == DocKind::Html));
  BOOST_TEST((kind_of_path("a.htm") == DocKind::Html));
  BOOST_TEST((kind_of_path("notes.txt") == DocKind::Text));
  BOOST_TEST((kind_of_path("md/README") == DocKind::Text));
}

BOOST_AUTO_TEST_CASE(code_blocks_are_skipped) {
  const std::string doc =
      "before\n\n```\nhot lead\n```\n\n~~~ yaml\nhot: lead\n~~~\n\n    indented hot lead\n\nafter\n";
  BOOST_TEST(md(doc) == (Texts{"before", "after"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(unterminated_fence_runs_to_the_end) {
  BOOST_TEST(md("a\n\n```\nhot lead\n\nmore\n") == Texts{"a"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(inline_code_is_skipped) {
  BOOST_TEST(md("say ``a ` b`` and `c` then\n") == (Texts{"say", "and", "then"}), boost::test_tools::per_element());
  // An unmatched run is literal text; a longer run is not a closer.
  BOOST_TEST(md("a ``` b `` c\n") == Texts{"a ``` b `` c"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(urls_are_skipped) {
  BOOST_TEST(md("see <https://a.example/x> or <me@example.com> now\n") == (Texts{"see", "or", "now"}),
             boost::test_tools::per_element());
  BOOST_TEST(md("see https://a.example/p?q=1. And (www.example.com/x) ok\n") == (Texts{"see", ". And (", ") ok"}),
             boost::test_tools::per_element());
  // Chinese text right after a URL stays prose.
  BOOST_TEST(md("见https://a.example/x线索\n") == (Texts{"见", "线索"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(link_destinations_are_skipped_text_is_kept) {
  BOOST_TEST(md("a [hot lead](https://x/y_(z) \"title\") b\n") == (Texts{"a [hot lead]", "b"}),
             boost::test_tools::per_element());
  BOOST_TEST(md("an ![alt text](img/hot-lead.png) here\n") == (Texts{"an ![alt text]", "here"}),
             boost::test_tools::per_element());
  BOOST_TEST(md("[text][hot-lead] and [x][]\n") == (Texts{"[text]", "and [x]"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(reference_definitions_are_skipped) {
  BOOST_TEST(md("[hot]: https://x/hot-lead \"Hot lead\"\n[b]:\n  <https://y>\nprose\n") == Texts{"prose"},
             boost::test_tools::per_element());
  BOOST_TEST(md("[a]: /u\n'title'\nprose\n") == Texts{"prose"}, boost::test_tools::per_element());
  // Not at the start of a paragraph: prose.
  BOOST_TEST(md("prose\n[a]: /u\n") == Texts{"prose\n[a]: /u"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(html_in_markdown_is_skipped) {
  BOOST_TEST(md("a <!-- hot\nlead --> b <span class=\"hot lead\">c</span> d\n") == (Texts{"a", "b", "c", "d"}),
             boost::test_tools::per_element());
  BOOST_TEST(md("x\n\n<div>\nhot lead\n</div>\n\n<!--\nhot lead\n-->\ny\n") == (Texts{"x", "y"}),
             boost::test_tools::per_element());
  // `a < b` is not a tag.
  BOOST_TEST(md("a < b and c<d\n") == Texts{"a < b and c<d"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(front_matter_is_skipped_and_gives_the_language) {
  const std::string doc = "---\ntitle: hot lead\nlang: \"zh-CN\" # main\n---\n# 标题\n";
  const Document d = scan_document(doc, DocKind::Markdown);
  BOOST_TEST(texts(doc, d) == Texts{"标题"}, boost::test_tools::per_element());
  BOOST_TEST(d.lang == "zh-CN");
  BOOST_TEST(d.ranges.at(0).locale == "zh-CN");
  // Not closed: not front matter (a thematic break and a paragraph).
  BOOST_TEST(md("---\nhot lead\n") == Texts{"hot lead"}, boost::test_tools::per_element());
  // TOML front matter.
  const Document t = scan_document("+++\nlang = 'en'\n+++\ntext\n", DocKind::Markdown);
  BOOST_TEST(t.lang == "en");
  BOOST_TEST(t.ranges.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_wrapped_phrase_stays_in_one_range) {
  BOOST_TEST(md("We call it a hot\nlead and\n  more\n") == Texts{"We call it a hot\nlead and\n  more"},
             boost::test_tools::per_element());
  BOOST_TEST(md("- item hot\n  lead\n- two\n") == (Texts{"item hot\n  lead", "two"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(headings_lists_quotes_tables_are_prose) {
  BOOST_TEST(md("# Hot lead #\n\nSetext hot\nlead\n===\n") == (Texts{"Hot lead", "Setext hot\nlead"}),
             boost::test_tools::per_element());
  BOOST_TEST(md("1. first\n2. second\n   * nested\n") == (Texts{"first", "second", "nested"}),
             boost::test_tools::per_element());
  // The `>` of a continuation line is not prose, so a quote line break splits the range.
  BOOST_TEST(md("> hot\n> lead\n>\n> > deep\n") == (Texts{"hot", "lead", "deep"}), boost::test_tools::per_element());
  BOOST_TEST(md("| Term | Say `x\\|y` |\n|---|:-:|\n| hot lead | a \\| b |\n") ==
                 (Texts{"Term", "Say", "hot lead", "a \\| b"}),
             boost::test_tools::per_element());
  BOOST_TEST(md("> | q | r |\n> |---|---|\n> | s | t |\n") == (Texts{"q", "r", "s", "t"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(html_text_nodes_only) {
  const std::string doc =
      "<!DOCTYPE html>\n<html lang=\"zh\"><head><title>Hot lead</title>\n"
      "<style>p::after { content: \"hot lead\" }</style><script>if (a<b) x = \"</p>hot lead\";</script></head>\n"
      "<body><!-- hot lead --><p class=\"hot lead\" title='a>b'>这是\nhot lead</p>"
      "<pre>hot <b>lead</b></pre><code>x</code><P>after &amp; more</P></body></html>\n";
  const Document d = scan_document(doc, DocKind::Html);
  BOOST_TEST(texts(doc, d) == (Texts{"Hot lead", "这是\nhot lead", "after &amp; more"}),
             boost::test_tools::per_element());
  BOOST_TEST(d.lang == "zh");
  BOOST_TEST(d.ranges.at(2).locale == "zh");
}

BOOST_AUTO_TEST_CASE(html_without_lang_detects_per_paragraph) {
  const std::string doc = "<p>这个hot lead需要跟进</p><p>An English <b>sentence</b> about 线索.</p>";
  const Document d = scan_document(doc, DocKind::Html);
  BOOST_TEST(texts(doc, d) == (Texts{"这个hot lead需要跟进", "An English", "sentence", "about 线索."}),
             boost::test_tools::per_element());
  BOOST_TEST(d.lang.empty());
  BOOST_TEST(d.ranges.at(0).locale == "zh");
  BOOST_TEST(d.ranges.at(1).locale == "");
  BOOST_TEST(d.ranges.at(3).locale == "");
}

BOOST_AUTO_TEST_CASE(han_detection_per_paragraph) {
  const std::string doc = "这个潜在客户需要跟进\n\nThe 线索 is a lead.\n\n# 标题 Title\n";
  const Document d = scan_document(doc, DocKind::Markdown);
  BOOST_REQUIRE(d.ranges.size() == 3u);
  BOOST_TEST(d.ranges[0].locale == "zh");
  BOOST_TEST(d.ranges[1].locale == "");
  BOOST_TEST(d.ranges[2].locale == "zh");  // two Han characters against one word
  // Japanese (kana) is not Chinese.
  BOOST_TEST(scan_document("これは線索です", DocKind::Text).ranges.at(0).locale == "");
}

BOOST_AUTO_TEST_CASE(suppression_comments_markdown) {
  const std::string doc =
      "<!-- charter-disable-file -->\n\n"
      "text <!-- charter-disable-next-line CH1101, hot  lead -- reason -->\n"
      "line\n\n"
      "<!-- charter-disable hot lead -->\n\n"
      "para\n\n"
      "<!-- charter-enable -->\n"
      "<!-- not a suppression -->\n\n"
      "```\n<!-- charter-disable -->\n```\n";
  const Document d = scan_document(doc, DocKind::Markdown);
  BOOST_REQUIRE(d.suppressions.size() == 4u);
  BOOST_TEST((d.suppressions[0].kind == Suppression::Kind::File));
  BOOST_TEST(d.suppressions[0].line == 1u);
  BOOST_TEST(d.suppressions[0].offset == 0u);
  BOOST_TEST(d.suppressions[0].what.empty());
  BOOST_TEST((d.suppressions[1].kind == Suppression::Kind::NextLine));
  BOOST_TEST(d.suppressions[1].line == 3u);
  BOOST_TEST(d.suppressions[1].offset == doc.find("<!-- charter-disable-next"));
  BOOST_TEST(d.suppressions[1].what == (std::vector<std::string>{"CH1101", "hot lead"}),
             boost::test_tools::per_element());
  BOOST_TEST((d.suppressions[2].kind == Suppression::Kind::Disable));
  BOOST_TEST(d.suppressions[2].line == 6u);
  BOOST_TEST(d.suppressions[2].what == std::vector<std::string>{"hot lead"}, boost::test_tools::per_element());
  BOOST_TEST((d.suppressions[3].kind == Suppression::Kind::Enable));
  BOOST_TEST(d.suppressions[3].line == 10u);
  BOOST_TEST(texts(doc, d) == (Texts{"text", "line", "para"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(suppression_comments_html_and_text) {
  const std::string page = "<p>a</p>\n<!-- charter-disable-next-line hot lead -->\n<p>b</p>";
  const Document h = scan_document(page, DocKind::Html);
  BOOST_REQUIRE(h.suppressions.size() == 1u);
  BOOST_TEST(h.suppressions[0].line == 2u);
  BOOST_TEST(h.suppressions[0].what == std::vector<std::string>{"hot lead"}, boost::test_tools::per_element());
  BOOST_TEST(html(page) == (Texts{"a", "b"}), boost::test_tools::per_element());

  // In text files the comment is recognised and is not prose (its phrase would match).
  const std::string txt = "one\n# charter-disable\nhot lead <!-- charter-disable-next-line hot lead -->\n\nthree\n";
  const Document t = scan_document(txt, DocKind::Text);
  BOOST_REQUIRE(t.suppressions.size() == 1u);
  BOOST_TEST((t.suppressions[0].kind == Suppression::Kind::NextLine));
  BOOST_TEST(t.suppressions[0].line == 3u);
  BOOST_TEST(texts(txt, t) == (Texts{"one\n# charter-disable\nhot lead", "three"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(crlf_and_bom) {
  const std::string doc = "\xEF\xBB\xBF# Title\r\n\r\nhot\r\nlead `x`\r\n\r\n> q\r\n> r\r\n";
  const Document d = scan_document(doc, DocKind::Markdown);
  BOOST_TEST(texts(doc, d) == (Texts{"Title", "hot\r\nlead", "q", "r"}), boost::test_tools::per_element());
  const Position p = position_of(doc, doc.find("lead"));
  BOOST_TEST(p.line == 4u);
  BOOST_TEST(p.column == 1u);
  BOOST_TEST(doc.substr(p.line_begin, p.line_end - p.line_begin) == "lead `x`");
  BOOST_TEST(position_of(doc, 3).column == 1u);  // the BOM is not a column
  const std::string fm = "\xEF\xBB\xBF---\r\nlang: zh\r\n---\r\ntext\r\n";
  const Document f = scan_document(fm, DocKind::Markdown);
  BOOST_TEST(f.lang == "zh");
  BOOST_TEST(texts(fm, f) == Texts{"text"}, boost::test_tools::per_element());
  BOOST_TEST(text("\xEF\xBB\xBFone\r\n\r\ntwo") == (Texts{"one", "two"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_reported_and_the_rest_scanned) {
  const std::string doc = "good hot lead\n\nbad \xFF\xC3 here\xE2\x82 and\n\nafter `code` 线索\n";
  for (DocKind kind : {DocKind::Markdown, DocKind::Text}) {
    const Document d = scan_document(doc, kind);
    BOOST_REQUIRE(d.problems.size() == 3u);
    BOOST_TEST(d.problems[0].offset == doc.find('\xFF'));
    BOOST_TEST(d.problems[0].message == "invalid UTF-8 (byte 0xFF)");
    BOOST_TEST(d.problems[1].offset == doc.find('\xC3'));
    BOOST_TEST(d.problems[2].offset == doc.find('\xE2'));  // one problem for the truncated sequence
    const Texts t = texts(doc, d);
    BOOST_TEST(t.front() == "good hot lead");
    BOOST_TEST(t.back() == (kind == DocKind::Markdown ? "线索" : "after `code` 线索"));
  }
  // Columns count each invalid byte once and a valid character once.
  const std::string line =
      "a\xFF\xE7\xBA\xBF"
      "b";
  BOOST_TEST(position_of(line, line.find('b')).column == 4u);
  BOOST_TEST(LineIndex(line).position_of(line.find('b')).column == 4u);
}

BOOST_AUTO_TEST_CASE(positions) {
  const std::string doc = "ab\n线索 x\r\n\nlast";
  const LineIndex index(doc);
  BOOST_TEST(index.lines() == 4u);
  for (std::size_t off = 0; off <= doc.size(); ++off) {
    const Position a = position_of(doc, off), b = index.position_of(off);
    BOOST_TEST(a.line == b.line);
    BOOST_TEST(a.column == b.column);
    BOOST_TEST(a.line_begin == b.line_begin);
    BOOST_TEST(a.line_end == b.line_end);
  }
  const Position x = index.position_of(doc.find('x'));
  BOOST_TEST(x.line == 2u);
  BOOST_TEST(x.column == 4u);
  BOOST_TEST(doc.substr(x.line_begin, x.line_end - x.line_begin) == "线索 x");
  BOOST_TEST(index.position_of(doc.size() + 10).line == 4u);
}

#if defined(__SANITIZE_ADDRESS__)
constexpr std::size_t kHugeLine = 30'000'000;
#else
constexpr std::size_t kHugeLine = 100'000'000;
#endif

BOOST_AUTO_TEST_CASE(huge_single_line) {
  // 100 MB on one line (30 MB under AddressSanitizer, which is 20 times slower): prose with
  // code, links, tags and Chinese; the scan must stay linear
  // (time is not asserted here; bench/ measures it), and positions on the line stay cheap.
  const std::string unit = "a hot lead `code` [t](http://u/v) <b>x</b> 线索 ";
  std::string doc;
  doc.reserve(kHugeLine);
  while (doc.size() + unit.size() <= kHugeLine) doc += unit;
  const std::size_t units = doc.size() / unit.size();
  const Document d = scan_document(doc, DocKind::Markdown);
  // "a hot lead", then per unit "[t]", "x" and "线索 a hot lead" (the next unit's start).
  BOOST_REQUIRE(d.ranges.size() == 3 * units + 1);
  BOOST_TEST(doc.substr(d.ranges[0].begin, d.ranges[0].end - d.ranges[0].begin) == "a hot lead");
  const TextRange& last = d.ranges.back();
  BOOST_TEST(doc.substr(last.begin, last.end - last.begin) == "线索");
  const LineIndex index(doc);
  const Position p = index.position_of(last.begin);
  BOOST_TEST(p.line == 1u);
  auto code_points = [](std::string_view s) {
    std::size_t n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
  };
  BOOST_TEST(p.column == (units - 1) * code_points(unit) + code_points(unit.substr(0, unit.find("线索"))) + 1);
  // Hostile shapes of the same size finish too.
  for (std::string_view piece : {"](", "[", "<a x=\"", "`a", "> ", "*a_", "&#"}) {
    std::string bad;
    while (bad.size() < kHugeLine) bad += piece;
    const Document b = scan_document(bad, DocKind::Markdown);
    BOOST_TEST(b.problems.empty());
  }
}

namespace {

// The rule for columns, byte by byte (the definition the counting walks must agree with): a
// byte starts a code point unless it continues a valid sequence that started before it.
std::size_t ref_valid(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  std::size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  if (!len || s.size() - i < len) return 0;
  unsigned char lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80, hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
  const auto c1 = static_cast<unsigned char>(s[i + 1]);
  if (c1 < lo || c1 > hi) return 0;
  for (std::size_t k = 2; k < len; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  return len;
}
bool ref_starts(std::string_view s, std::size_t i) {
  if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) return true;
  for (std::size_t k = 1; k <= 3 && k <= i; ++k) {
    if ((static_cast<unsigned char>(s[i - k]) & 0xC0) == 0x80) continue;
    return ref_valid(s, i - k) <= k;
  }
  return true;
}

}  // namespace

BOOST_AUTO_TEST_CASE(columns_of_random_valid_and_invalid_utf8_follow_the_byte_rule) {
  std::mt19937 rng(7);
  const std::vector<std::string> pieces = {
      "a",    "bc d",     "\n",   "\r\n",     "\xC3\xA9",     "\xE7\xBA\xBF",     "\xF0\x9F\x98\x80", "\xFF",
      "\xC3", "\xE2\x82", "\x80", "\xBF\xBF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE0\x80\xAF",     "        "};
  for (int round = 0; round < 4; ++round) {
    std::string doc;
    while (doc.size() < 10000) doc += pieces[rng() % pieces.size()];
    const LineIndex index(doc);
    std::size_t line_begin = 0, column = 1;
    for (std::size_t off = 0; off <= doc.size(); ++off) {
      if (off > 0 && doc[off - 1] == '\n') {
        line_begin = off;
        column = 1;
      } else if (off > line_begin && ref_starts(doc, off - 1)) {
        ++column;
      }
      const Position a = position_of(doc, off), b = index.position_of(off);
      BOOST_TEST_REQUIRE(a.column == column, "offset " << off);
      BOOST_TEST_REQUIRE(b.column == column, "offset " << off);
    }
  }
}

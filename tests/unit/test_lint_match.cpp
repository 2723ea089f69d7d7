// charter lint: the phrase matcher (src/lint/match.hpp): folding, boundaries, leftmost-longest,
// exact offsets, invalid UTF-8, a differential test against a brute-force reference, and a
// large single-line text.
#define BOOST_TEST_MODULE lint_match
#include <boost/test/unit_test.hpp>

#include "lint/match.hpp"
#include "lint/match_detail.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <ostream>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <vector>

using charter::lint::fold;
using charter::lint::Hit;
using charter::lint::Matcher;
using charter::lint::Phrase;

namespace charter::lint {
inline bool operator==(const Hit& a, const Hit& b) {
  return std::tie(a.begin, a.end, a.tag) == std::tie(b.begin, b.end, b.tag);
}
inline std::ostream& operator<<(std::ostream& os, const Hit& h) {
  return os << "[" << h.begin << "," << h.end << ")#" << h.tag;
}
}  // namespace charter::lint

namespace {

// Phrases tagged 0, 1, 2... in order.
Matcher matcher(std::vector<std::string> texts) {
  std::vector<Phrase> phrases;
  for (std::size_t k = 0; k < texts.size(); ++k) phrases.push_back({texts[k], std::uint32_t(k)});
  return Matcher(phrases);
}

std::vector<Hit> find(const Matcher& m, std::string_view text) {
  std::vector<Hit> hits;
  m.find(text, hits);
  return hits;
}

// The text of every hit, "tag:text".
std::vector<std::string> found(const Matcher& m, std::string_view text) {
  std::vector<std::string> out;
  for (const Hit& h : find(m, text))
    out.push_back(std::to_string(h.tag) + ":" + std::string(text.substr(h.begin, h.end - h.begin)));
  return out;
}

using Strings = std::vector<std::string>;

// Runs a test body twice: with the default automaton (all dense for small phrase sets) and
// with only the root dense, so that the sparse states and failure links are exercised too.
struct BothLayouts {
  template <typename F>
  static void run(F body) {
    body();
    const std::size_t old = charter::lint::detail::set_dense_entries_for_testing(0);
    body();
    charter::lint::detail::set_dense_entries_for_testing(old);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(folding)

BOOST_AUTO_TEST_CASE(fold_is_nfkc_casefold_with_collapsed_trimmed_space) {
  BOOST_TEST(fold("  ＭＱＬ \t Straße\r\n") == "mql strasse");
  BOOST_TEST(fold("Hot\u00A0Lead\u3000Ｘ") == "hot lead x");  // NBSP and the ideographic space
  BOOST_TEST(fold("café") == "café");                         // accents are kept
  BOOST_TEST(fold("cafe\u0301") == "café");                   // a combining accent composes
  BOOST_TEST(fold("ı") == "ı");                               // dotless i stays itself
  BOOST_TEST(fold("İ") == "i\u0307");                         // dotted capital I: i + combining dot
  BOOST_TEST(fold("ﾘｰﾄﾞ") == "リード");                       // half-width katakana, voiced mark composed
  BOOST_TEST(fold("don’t") == "don't");
  BOOST_TEST(fold("a\xFF"
                  "b") == "a\uFFFDb");
  BOOST_TEST(fold(" \n ") == "");
}

BOOST_AUTO_TEST_CASE(full_width_and_case) {
  const Matcher m = matcher({"MQL"});
  BOOST_TEST(find(m, "ＭＱＬ") == (std::vector<Hit>{{0, 9, 0}}));
  BOOST_TEST(found(m, "an mql, an Mql and an ＭqＬ.") == (Strings{"0:mql", "0:Mql", "0:ＭqＬ"}));
  BOOST_TEST(found(matcher({"ＭＱＬ"}), "MQL") == (Strings{"0:MQL"}));
}

BOOST_AUTO_TEST_CASE(turkish_i) {
  const Matcher dotless = matcher({"kırmızı"});
  BOOST_TEST(found(dotless, "kırmızı KIRMIZI kirmizi") == (Strings{"0:kırmızı"}));
  const Matcher dotted = matcher({"İstanbul"});
  // Default (not Turkish) case folding: İ is i + U+0307, I is i.
  BOOST_TEST(found(dotted, "İSTANBUL i\u0307stanbul istanbul ISTANBUL") == (Strings{"0:İSTANBUL", "0:i\u0307stanbul"}));
  BOOST_TEST(found(matcher({"istanbul"}), "İstanbul ISTANBUL") == (Strings{"0:ISTANBUL"}));
}

BOOST_AUTO_TEST_CASE(sharp_s) {
  BOOST_TEST(found(matcher({"Straße"}), "STRASSE strasse Straße STRAẞE Strase") ==
             (Strings{"0:STRASSE", "0:strasse", "0:Straße", "0:STRAẞE"}));
  BOOST_TEST(found(matcher({"STRASSE"}), "straße") == (Strings{"0:straße"}));
}

BOOST_AUTO_TEST_CASE(accents_are_not_removed) {
  BOOST_TEST(found(matcher({"café"}), "cafe CAFÉ café cafe\u0301 cafés") ==
             (Strings{"0:CAFÉ", "0:café", "0:cafe\u0301"}));
  BOOST_TEST(found(matcher({"cafe"}), "café cafe\u0301 Cafe") == (Strings{"0:Cafe"}));
}

BOOST_AUTO_TEST_CASE(half_width_katakana) {
  const std::string text = "ﾘｰﾄﾞを追う";
  BOOST_TEST(find(matcher({"リード"}), text) == (std::vector<Hit>{{0, 12, 0}}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(boundaries)

BOOST_AUTO_TEST_CASE(latin_next_to_cjk) {
  const std::string text = "这个hot lead需要跟进";
  BOOST_TEST(find(matcher({"hot lead"}), text) == (std::vector<Hit>{{6, 14, 0}}));
  BOOST_TEST(found(matcher({"lead"}), "线索lead线索 mislead leader") == (Strings{"0:lead"}));
}

BOOST_AUTO_TEST_CASE(cjk_phrases_match_as_substrings) {
  const Matcher m = matcher({"线索", "潜在客户"});
  const std::string text = "这是线索吗？abc潜在客户def";
  BOOST_TEST(find(m, text) == (std::vector<Hit>{{6, 12, 0}, {21, 33, 1}}));
}

BOOST_AUTO_TEST_CASE(apostrophes_and_hyphens_are_boundaries) {
  const Matcher m = matcher({"lead"});
  BOOST_TEST(found(m, "lead's re-lead lead-gen (lead) lead. ‘lead’ lead’s") ==
             (Strings{"0:lead", "0:lead", "0:lead", "0:lead", "0:lead", "0:lead", "0:lead"}));
  BOOST_TEST(found(matcher({"don't"}), "Don’t DON'T dont don t") == (Strings{"0:Don’t", "0:DON'T"}));
  BOOST_TEST(found(matcher({"follow-up"}), "a follow-up, follow up, follow-ups") == (Strings{"0:follow-up"}));
}

BOOST_AUTO_TEST_CASE(plurals_and_longer_words_do_not_match) {
  BOOST_TEST(found(matcher({"hot lead"}), "hot leads, hot leader, shot lead, hot lead.") == (Strings{"0:hot lead"}));
  BOOST_TEST(found(matcher({"hot lead", "hot leads"}), "hot leads") == (Strings{"1:hot leads"}));
}

BOOST_AUTO_TEST_CASE(digits_are_word_characters) {
  const Matcher m = matcher({"B2B", "lead"});
  BOOST_TEST(found(m, "B2B b2b2 2b2b lead2 2lead b2b.") == (Strings{"0:B2B", "0:b2b"}));
}

BOOST_AUTO_TEST_CASE(punctuation_at_the_ends_of_a_phrase) {
  const Matcher m = matcher({"C++", ".net"});
  // A phrase that ends with punctuation needs no boundary there; one that starts with a letter does.
  BOOST_TEST(found(m, "C++11, abc++, c++ and .NET asp.net .network") ==
             (Strings{"0:C++", "0:c++", "1:.NET", "1:.net"}));
}

BOOST_AUTO_TEST_CASE(start_and_end_of_text) {
  const Matcher m = matcher({"lead"});
  BOOST_TEST(find(m, "lead") == (std::vector<Hit>{{0, 4, 0}}));
  BOOST_TEST(find(m, "lead x lead") == (std::vector<Hit>{{0, 4, 0}, {7, 11, 0}}));
  BOOST_TEST(find(m, "leads").empty());
  BOOST_TEST(find(m, "").empty());
  BOOST_TEST(find(matcher({"线索"}), "线索") == (std::vector<Hit>{{0, 6, 0}}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(spaces)

BOOST_AUTO_TEST_CASE(soft_wrapped_and_repeated_spaces) {
  const Matcher m = matcher({"hot lead"});
  const std::string text = "a hot\n  lead and a hot \t lead";
  BOOST_TEST(find(m, text) == (std::vector<Hit>{{2, 12, 0}, {19, 29, 0}}));
  BOOST_TEST(found(matcher({"  hot   lead "}), "hot lead") == (Strings{"0:hot lead"}));
  BOOST_TEST(found(m, "hotlead hot-lead") == Strings{});
}

BOOST_AUTO_TEST_CASE(crlf) {
  const Matcher m = matcher({"hot lead", "lead"});
  const std::string text = "the hot\r\nlead\r\nlead\r\n";
  BOOST_TEST(find(m, text) == (std::vector<Hit>{{4, 13, 0}, {15, 19, 1}}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(selection)

BOOST_AUTO_TEST_CASE(leftmost_longest) {
  const Matcher m = matcher({"Lead", "Marketing Qualified Lead", "Qualified"});
  BOOST_TEST(found(m, "a Marketing Qualified Lead, a Qualified Lead") ==
             (Strings{"1:Marketing Qualified Lead", "2:Qualified", "0:Lead"}));
}

BOOST_AUTO_TEST_CASE(overlapping_phrases) {
  BOOST_TEST(found(matcher({"a b", "b c"}), "a b c") == (Strings{"0:a b"}));
  BOOST_TEST(found(matcher({"b c", "a b"}), "x b c") == (Strings{"0:b c"}));
  // The longer phrase that starts earlier fails: the shorter one inside it is still found.
  BOOST_TEST(found(matcher({"a b c d", "b c"}), "a b c x") == (Strings{"1:b c"}));
  BOOST_TEST(found(matcher({"abcd", "bc"}), "abcx") == Strings{});  // bc is not a word there
  BOOST_TEST(found(matcher({"线索跟进", "索跟"}), "线索跟X") == (Strings{"1:索跟"}));
  BOOST_TEST(found(matcher({"线索跟进", "索跟", "线索"}), "线索跟进 线索跟") == (Strings{"0:线索跟进", "2:线索"}));
}

BOOST_AUTO_TEST_CASE(a_failed_longer_phrase_does_not_hide_a_shorter_one) {
  // "lead gen" fails its end boundary in "lead generation": "lead" is found instead.
  BOOST_TEST(found(matcher({"lead gen", "lead"}), "lead generation") == (Strings{"1:lead"}));
}

BOOST_AUTO_TEST_CASE(same_folded_phrase_keeps_every_tag) {
  const Matcher m = matcher({"MQL", "x", "ｍｑｌ", "mql"});
  BOOST_TEST(find(m, "an MQL") == (std::vector<Hit>{{3, 6, 0}, {3, 6, 2}, {3, 6, 3}}));
  BOOST_TEST(m.phrases() == 4u);
}

BOOST_AUTO_TEST_CASE(empty_phrases_are_ignored) {
  const Matcher m = matcher({"", "  \n", "lead"});
  BOOST_TEST(m.phrases() == 1u);
  BOOST_TEST(found(m, "a lead") == (Strings{"2:lead"}));
  BOOST_TEST(find(matcher({}), "anything").empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(bytes)

BOOST_AUTO_TEST_CASE(invalid_utf8_never_matches_and_never_stops_the_search) {
  const Matcher m = matcher({"hot lead", "lead"});
  const std::string text = "hot lead \xFF\xC3 lead\xE4\xB8hot lead \xF0\x9F\x98 lead";
  const std::vector<Hit> expected{{0, 8, 0}, {12, 16, 1}, {18, 26, 0}, {31, 35, 1}};
  BOOST_TEST(find(m, text) == expected);
  // An invalid byte inside a phrase breaks it.
  BOOST_TEST(find(m, "hot\xFFlead") == (std::vector<Hit>{{4, 8, 1}}));
}

BOOST_AUTO_TEST_CASE(offsets_are_exact_in_multibyte_text) {
  const Matcher m = matcher({"ünïcödé", "线索", "hot lead"});
  const std::string text = "ÜNÏCÖDÉ — 线索 « hot\u3000LEAD » ＨＯＴ ｌｅａｄ";
  std::vector<Hit> expected;
  const auto at = [&](std::string_view s, std::size_t from = 0) { return text.find(s, from); };
  expected.push_back({0, std::string_view("ÜNÏCÖDÉ").size(), 0});
  expected.push_back({at("线索"), at("线索") + 6, 1});
  expected.push_back({at("hot"), at("LEAD") + 4, 2});
  expected.push_back({at("ＨＯＴ"), text.size(), 2});
  BOOST_TEST(find(m, text) == expected);
}

BOOST_AUTO_TEST_CASE(hits_across_chunks_of_a_long_text) {
  BothLayouts::run([] {
    // Phrases at every alignment around the matcher's internal chunk sizes.
    const Matcher m = matcher({"hot lead", "线索跟进"});
    std::string text;
    std::vector<Hit> expected;
    std::mt19937 rng(7);
    while (text.size() < 300'000) {
      text.append(rng() % 7, 'x');
      text += ' ';
      if (rng() % 3 == 0) text += "线索\n跟进 ";  // not a match: the phrase has no space
      expected.push_back({text.size(), text.size() + 9, 0});
      text += rng() % 2 ? "hot\n lead" : "HOT  LEAD";
      text += ' ';
      if (rng() % 2) {
        expected.push_back({text.size(), text.size() + 12, 1});
        text += "线索跟进";
      }
    }
    BOOST_TEST(find(m, text) == expected);
  });
}

BOOST_AUTO_TEST_SUITE_END()

// ----------------------------------------------------------------- differential test ----

namespace {

// A brute-force matcher with the documented rules, over code points folded one at a time.
struct Unit {
  std::string folded;
  std::size_t begin, end;
  int cls;  // 0 other, 1 word, 2 space
};

int class_of(std::string_view cp) {
  if (cp == " " || cp == "\n" || cp == "\t" || cp == "\r" || cp == "\u3000") return 2;
  if (cp.size() == 1) return std::isalnum(static_cast<unsigned char>(cp[0])) ? 1 : 0;
  if (cp == "中" || cp == "文" || cp == "\xFF") return 0;
  return 1;  // é É ß ı ａ
}

std::vector<Unit> units(std::string_view text) {
  std::vector<Unit> out;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = c < 0x80 ? 1 : c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    const std::string_view cp = c == 0xFF ? text.substr(i, 1) : text.substr(i, n);
    const int cls = class_of(cp);
    if (cls == 2) {
      if (out.empty() || out.back().cls != 2) out.push_back({" ", i, i + cp.size(), 2});
    } else {
      out.push_back({c == 0xFF ? std::string(cp) : fold(cp), i, i + cp.size(), cls});
    }
    i += cp.size();
  }
  return out;
}

std::vector<Hit> reference(const std::vector<std::string>& phrases, std::string_view text) {
  std::string f;
  std::vector<const Unit*> owner;  // per folded byte
  const std::vector<Unit> us = units(text);
  for (const Unit& u : us) {
    f += u.folded;
    owner.insert(owner.end(), u.folded.size(), &u);
  }
  struct Candidate {
    std::size_t s, e, phrase;
  };
  std::vector<Candidate> all;
  for (std::size_t p = 0; p < phrases.size(); ++p) {
    const std::string fp = fold(phrases[p]);
    if (fp.empty()) continue;
    const std::vector<Unit> pu = units(fp);
    const bool word_start = pu.front().cls == 1, word_end = pu.back().cls == 1;
    for (std::size_t s = 0; s + fp.size() <= f.size(); ++s) {
      if (f.compare(s, fp.size(), fp) != 0) continue;
      const std::size_t e = s + fp.size();
      if (word_start && s > 0 && owner[s - 1]->cls == 1) continue;
      if (word_end && e < f.size() && owner[e]->cls == 1) continue;
      all.push_back({s, e, p});
    }
  }
  std::stable_sort(all.begin(), all.end(), [](const Candidate& a, const Candidate& b) {
    return a.s != b.s ? a.s < b.s : a.e > b.e;  // leftmost, then longest, then phrase order
  });
  std::vector<Hit> hits;
  std::size_t free = 0, last_s = SIZE_MAX, last_e = 0;
  for (const Candidate& c : all) {
    if (c.s == last_s && c.e == last_e) {
      hits.push_back({owner[c.s]->begin, owner[c.e - 1]->end, std::uint32_t(c.phrase)});
      continue;
    }
    if (c.s < free) continue;
    hits.push_back({owner[c.s]->begin, owner[c.e - 1]->end, std::uint32_t(c.phrase)});
    free = c.e, last_s = c.s, last_e = c.e;
  }
  return hits;
}

}  // namespace

BOOST_AUTO_TEST_CASE(differential_against_a_brute_force_reference) {
  BothLayouts::run([] {
    const std::vector<std::string> words{"a", "b", "A", "é", "É", "ß", "ss", "中", "文", "ａ", "1", "ı", "x", "ab"};
    const std::vector<std::string> glue{" ", "\n", "  ", "-", "'", "\xFF", "", "\r\n", "\u3000"};
    std::mt19937 rng(20240601);
    const auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
    int compared = 0, with_hits = 0;
    for (int round = 0; round < 400; ++round) {
      std::vector<std::string> phrases;
      const int np = 1 + int(rng() % 12);
      for (int k = 0; k < np; ++k) {
        std::string p = pick(words);
        for (int w = int(rng() % 4); w > 0; --w) {
          const std::string g = pick(glue);
          p += (g == "\xFF" ? std::string(" ") : g) + pick(words);
        }
        phrases.push_back(p);
      }
      std::string text;
      for (int w = int(rng() % 80); w > 0; --w) text += pick(words) + (rng() % 3 ? pick(glue) : "");
      const std::vector<Hit> expected = reference(phrases, text);
      const std::vector<Hit> got = find(matcher(phrases), text);
      BOOST_TEST_CONTEXT("round " << round << " text [" << text << "]") { BOOST_TEST(got == expected); }
      ++compared;
      with_hits += !expected.empty();
    }
    BOOST_TEST(with_hits > compared / 2);  // the test exercises matches, not just their absence
  });
}

// States with many edges (more than the 16 labels compared at once in the sparse path):
// many phrases over a wide alphabet that share their first letters.
BOOST_AUTO_TEST_CASE(differential_with_states_of_many_edges) {
  BothLayouts::run([] {
    std::vector<std::string> letters;
    for (char c = 'a'; c <= 'z'; ++c) letters.emplace_back(1, c);
    for (char c = '0'; c <= '9'; ++c) letters.emplace_back(1, c);
    letters.insert(letters.end(), {"é", "中", "文", "ß"});
    const std::vector<std::string> glue{" ", "\n", "-", ", ", ""};
    std::mt19937 rng(20261203);
    const auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
    int with_hits = 0;
    for (int round = 0; round < 60; ++round) {
      std::vector<std::string> phrases;
      const int np = 40 + int(rng() % 160);
      for (int k = 0; k < np; ++k) {
        std::string p = rng() % 2 ? "a" : pick(letters);
        for (int len = 1 + int(rng() % 4); len > 0; --len) p += pick(letters);
        if (rng() % 4 == 0) p += " " + pick(letters) + pick(letters);
        phrases.push_back(p);
      }
      std::string text;
      for (int w = 100 + int(rng() % 200); w > 0; --w) {
        if (rng() % 3) {  // a prefix of a phrase, cut between characters
          const std::string& p = phrases[rng() % phrases.size()];
          std::size_t cut = std::min<std::size_t>(p.size(), 1 + rng() % 6);
          while (cut < p.size() && (static_cast<unsigned char>(p[cut]) & 0xC0) == 0x80) ++cut;
          text += p.substr(0, cut);
        } else {
          text += pick(letters);
        }
        text += pick(glue);
      }
      const std::vector<Hit> expected = reference(phrases, text);
      const std::vector<Hit> got = find(matcher(phrases), text);
      BOOST_TEST_CONTEXT("round " << round) { BOOST_TEST(got == expected); }
      with_hits += !expected.empty();
    }
    BOOST_TEST(with_hits > 30);
  });
}

BOOST_AUTO_TEST_CASE(thirty_mb_single_line_in_linear_time) {
  // A 30 MB line of near-misses with a few hits; quadratic behaviour would time the test out.
  std::vector<Phrase> phrases{{"hot lead", 1}, {"线索跟进", 2}};
  for (int k = 0; k < 1000; ++k) phrases.push_back({"hot lead x" + std::to_string(k), 3});
  const Matcher m(phrases);
  const std::string unit = "hot leads hot lea hot 线索跟 ";
  std::string text;
  text.reserve(30u << 20);
  std::size_t expected = 0;
  while (text.size() < (30u << 20)) {
    text += unit;
    if (text.size() % 1001 < unit.size()) {
      text += "Hot Lead 线索跟进 ";
      expected += 2;
    }
  }
  std::vector<Hit> hits;
  m.find(text, hits);
  BOOST_TEST(hits.size() == expected);
  BOOST_TEST(text.substr(hits.back().begin, hits.back().end - hits.back().begin) == "线索跟进");
}

BOOST_AUTO_TEST_CASE(find_runs_on_many_threads_at_once) {
  const Matcher m = matcher({"hot lead", "MQL", "线索", "Straße"});
  std::string text;
  for (int k = 0; k < 2000; ++k) text += "a hot\nlead, ＭＱＬ 线索 STRASSE ñ\u0303 ";
  const std::vector<Hit> expected = find(m, text);
  BOOST_TEST(expected.size() == 8000u);
  std::vector<std::vector<Hit>> results(4);
  std::vector<std::thread> threads;
  for (auto& r : results)
    threads.emplace_back([&] {
      for (int k = 0; k < 5; ++k) {
        r.clear();
        m.find(text, r);
      }
    });
  for (auto& t : threads) t.join();
  for (const auto& r : results) BOOST_TEST((r == expected));
}

// Reading CRM exports: RFC 4180 CSV edge cases, JSON Lines, typing of every cell, and the
// diagnostics for bad cells (file:line:column with the physical line and field number).
#define BOOST_TEST_MODULE charter_records
#include <charter/records.hpp>

#include <charconv>
#include <cstring>

#include "common.hpp"

using namespace charter;

namespace {

const char* kCharter = R"(charter: 1
fields:
  - { id: company_size, type: integer, source: { hubspot: numberofemployees } }
  - { id: revenue, type: number }
  - { id: country, type: string, values: [US, DE], source: { hubspot: Country } }
  - { id: title, type: string, source: { hubspot: Job Title } }
  - { id: demo, type: boolean }
  - { id: trial, type: date }
  - { id: seen, type: datetime }
  - { id: products, type: list, values: [crm, cms] }
criteria:
  - { id: big, when: company_size >= 100 }
)";

struct Data {
  Data() : loaded(test::load(kCharter)), ev(loaded.charter()) { BOOST_TEST_REQUIRE(loaded.ok(), test::dump(loaded)); }
  // Reads `content` as file `name`; returns (id, record) pairs.
  std::vector<std::pair<std::string, Record>> read(const std::string& name, const std::string& content,
                                                   ReadOptions opt = {}) {
    auto path = dir.write(name, content);
    RecordReader reader(ev, path, std::move(opt));
    std::vector<std::pair<std::string, Record>> out;
    Record r = ev.record();
    std::string id;
    while (reader.next(r, id)) out.emplace_back(id, r);
    diags = reader.diagnostics();
    rejected = reader.records_rejected();
    return out;
  }
  const Diagnostic* diag(std::string_view code) const {
    for (const auto& d : diags)
      if (d.code == code) return &d;
    return nullptr;
  }
  test::TempDir dir;
  LoadResult loaded;
  Evaluator ev;
  std::vector<Diagnostic> diags;
  std::size_t rejected = 0;
};

}  // namespace

BOOST_AUTO_TEST_CASE(csv_quotes_commas_newlines_crlf_bom_and_blank_lines) {
  Data d;
  std::string csv =
      "\xEF\xBB\xBFid,title,company_size\r\n"
      "a,\"Head of Sales, EMEA\",10\r\n"
      "\r\n"
      "b,\"She said \"\"hi\"\"\nand left\",20\r\n"
      "c,,30";  // no final line break
  auto rows = d.read("x.csv", csv);
  BOOST_TEST_REQUIRE(rows.size() == 3u);
  BOOST_TEST(rows[0].first == "a");
  BOOST_TEST(std::get<std::string>(rows[0].second.get("title")) == "Head of Sales, EMEA");
  BOOST_TEST(std::get<std::string>(rows[1].second.get("title")) == "She said \"hi\"\nand left");
  BOOST_TEST(std::get<std::int64_t>(rows[2].second.get("company_size")) == 30);
  BOOST_TEST(std::holds_alternative<std::monostate>(rows[2].second.get("title")));
  BOOST_TEST(d.rejected == 0u);
}

BOOST_AUTO_TEST_CASE(a_ten_megabyte_field_is_read_whole_and_lines_after_it_stay_right) {
  // 10 MB of title over 100,001 lines, crossing every 1 MB chunk the reader cuts: the
  // record comes back whole, and a bad cell after it is reported on its physical line.
  Data d;
  std::string big;
  for (int i = 0; i < 100000; ++i) big += std::string(99, static_cast<char>('a' + i % 26)) + "\n";
  big += "end \"\"quoted\"\"";
  std::string csv = "id,title,company_size\nfirst,x,1\nhuge,\"" + big + "\",2\nafter,y,many\nlast,z,3\n";
  auto rows = d.read("big.csv", csv);
  BOOST_TEST_REQUIRE(rows.size() == 3u);
  BOOST_TEST(rows[1].first == "huge");
  const auto& title = std::get<std::string>(rows[1].second.get("title"));
  BOOST_TEST(title.size() == big.size() - 2);
  BOOST_TEST(title.ends_with("end \"quoted\""));
  BOOST_TEST(title.substr(0, 100) == std::string(99, 'a') + "\n");
  BOOST_TEST(std::get<std::int64_t>(rows[1].second.get("company_size")) == 2);
  BOOST_TEST(rows[2].first == "last");
  const Diagnostic* bad = d.diag("CH1001");
  BOOST_TEST_REQUIRE(bad);
  BOOST_TEST(bad->span.line == 3 + 100000 + 1);  // header, first, 100,001 lines of "huge"
  BOOST_TEST(bad->span.column == 3);
  BOOST_TEST(bad->message.starts_with("record 3, column \"company_size\""));
}

BOOST_AUTO_TEST_CASE(every_type_is_parsed_strictly) {
  Data d;
  auto rows = d.read("t.csv",
                     "id,company_size,revenue,country,demo,trial,seen,products\n"
                     "a,12,1234.5,DE,YES,2026-02-28,2026-01-01T09:00:00+01:00,crm; cms\n"
                     "b,1,234,5,US,no,,,\n");
  // row b has 9 fields: ragged
  BOOST_TEST_REQUIRE(rows.size() == 1u);
  const Record& r = rows[0].second;
  BOOST_TEST(std::get<std::int64_t>(r.get("company_size")) == 12);
  BOOST_TEST(std::get<double>(r.get("revenue")) == 1234.5);
  BOOST_TEST(std::get<bool>(r.get("demo")));
  BOOST_TEST((std::get<Date>(r.get("trial")) == Date{2026, 2, 28}));
  BOOST_TEST(std::get<DatetimeValue>(r.get("seen")).epoch_seconds == 1767254400);
  BOOST_TEST((std::get<std::vector<std::string>>(r.get("products")) == std::vector<std::string>{"crm", "cms"}));
  const Diagnostic* ragged = d.diag("CH1003");
  BOOST_TEST_REQUIRE(ragged);
  BOOST_TEST(ragged->span.line == 3);
  BOOST_TEST(ragged->message.find("record 2 has 9 fields; the header has 8") != std::string::npos, ragged->message);
}

BOOST_AUTO_TEST_CASE(bad_cells_reject_the_record_and_point_at_line_and_field) {
  Data d;
  auto rows = d.read("bad.csv",
                     "id,title,company_size,revenue,country,demo,trial,seen,products\n"
                     "a,\"two\nlines\",1x,\"1,234.5\",Germany,maybe,2026-02-30,2026-01-01T09:00:00,erp\n"
                     "b,ok,5,1.5,US,true,2026-01-01,2026-01-01T09:00:00Z,crm\n");
  BOOST_TEST_REQUIRE(rows.size() == 1u);
  BOOST_TEST(rows[0].first == "b");
  BOOST_TEST(d.rejected == 1u);
  std::vector<std::string> where;
  for (const auto& dg : d.diags)
    if (dg.code == "CH1001") where.push_back(std::to_string(dg.span.line) + ":" + std::to_string(dg.span.column));
  // The bad cells start on line 3 (after the quoted newline), fields 3..9.
  std::vector<std::string> expected{"3:3", "3:4", "3:5", "3:6", "3:7", "3:8", "3:9"};
  BOOST_TEST(where == expected, boost::test_tools::per_element());
  bool thousands = false;
  for (const auto& dg : d.diags)
    if (dg.message.find("\"revenue\"") != std::string::npos && dg.message.find("thousands") != std::string::npos)
      thousands = true;
  BOOST_TEST(thousands);
  BOOST_TEST(d.diags.front().message.find("record 1") != std::string::npos, d.diags.front().message);
}

BOOST_AUTO_TEST_CASE(crm_headers_map_through_source_and_absent_columns_warn_once) {
  Data d;
  ReadOptions opt;
  opt.crm = "hubspot";
  opt.id_column = "Record ID";
  auto rows =
      d.read("hs.csv", "Record ID,Job Title,numberofemployees,Country,Extra\n7,VP,250,US,x\n8,CEO,3,DE,y\n", opt);
  BOOST_TEST_REQUIRE(rows.size() == 2u);
  BOOST_TEST(rows[0].first == "7");
  BOOST_TEST(std::get<std::string>(rows[0].second.get("title")) == "VP");
  BOOST_TEST(std::get<std::int64_t>(rows[1].second.get("company_size")) == 3);
  std::size_t missing = 0;
  for (const auto& dg : d.diags) missing += dg.code == "CH1002";
  BOOST_TEST(missing == 5u);  // revenue, demo, trial, seen, products: one warning each
}

BOOST_AUTO_TEST_CASE(missing_id_column_and_empty_files_are_reported) {
  Data d;
  auto rows = d.read("noid.csv", "name,company_size\nx,1\n");
  BOOST_TEST(rows.empty());
  BOOST_TEST(d.diag("CH1004"));
  rows = d.read("empty.csv", "");
  BOOST_TEST(rows.empty());
  BOOST_TEST(d.diag("CH1004"));
}

BOOST_AUTO_TEST_CASE(datetimes_without_offset_need_a_time_zone) {
  Data d;
  ReadOptions opt;
  opt.timezone = "Europe/Berlin";
  auto rows = d.read("tz.csv", "id,seen\na,2026-07-01T12:00:00\nb,2026-01-01T12:00:00\n", opt);
  BOOST_TEST_REQUIRE(rows.size() == 2u);
  BOOST_TEST(std::get<DatetimeValue>(rows[0].second.get("seen")).epoch_seconds ==
             parse_datetime("2026-07-01T10:00:00Z")->epoch_seconds);  // CEST, +02:00
  BOOST_TEST(std::get<DatetimeValue>(rows[1].second.get("seen")).epoch_seconds ==
             parse_datetime("2026-01-01T11:00:00Z")->epoch_seconds);  // CET, +01:00
}

BOOST_AUTO_TEST_CASE(json_lines_are_typed_like_csv) {
  Data d;
  auto rows = d.read("x.jsonl",
                     "{\"id\": \"a\", \"company_size\": 250, \"revenue\": 3, \"products\": [\"crm\"], \"demo\": true}\n"
                     "\n"
                     "{\"id\": 2, \"company_size\": \"12\", \"trial\": \"2026-01-02\"}\n"
                     "{\"id\": \"c\", \"company_size\": 1.5}\n"
                     "[1, 2]\n");
  BOOST_TEST_REQUIRE(rows.size() == 2u);
  BOOST_TEST(rows[0].first == "a");
  BOOST_TEST(std::get<double>(rows[0].second.get("revenue")) == 3.0);
  BOOST_TEST(rows[1].first == "2");
  BOOST_TEST(std::get<std::int64_t>(rows[1].second.get("company_size")) == 12);
  BOOST_TEST(d.rejected == 2u);
  const Diagnostic* bad = d.diag("CH1001");
  BOOST_TEST_REQUIRE(bad);
  BOOST_TEST(bad->span.line == 4);
  BOOST_TEST(d.diag("CH1004"));
}

BOOST_AUTO_TEST_CASE(json_lines_with_a_bom_and_crlf) {
  Data d;
  auto rows = d.read("bom.jsonl", "\xEF\xBB\xBF{\"id\": \"a\", \"company_size\": 5}\r\n{\"id\": \"b\"}\r\n");
  BOOST_TEST_REQUIRE(rows.size() == 2u);
  BOOST_TEST(std::get<std::int64_t>(rows[0].second.get("company_size")) == 5);
  BOOST_TEST(d.rejected == 0u);
}

// ReadOptions::fields: only those fields are read and checked; the others are null, a bad
// cell in their columns rejects nothing, and their absent columns are not warned about.
BOOST_AUTO_TEST_CASE(only_the_fields_asked_for_are_read) {
  Data d;
  ReadOptions opt;
  opt.fields = {"title"};
  auto rows = d.read("some.csv", "id,title,company_size\na,CTO,many\nb,CEO,12\n", opt);
  BOOST_TEST_REQUIRE(rows.size() == 2u);
  BOOST_TEST(d.rejected == 0u);
  BOOST_TEST(d.diags.empty());
  BOOST_TEST(std::get<std::string>(rows[0].second.get("title")) == "CTO");
  BOOST_TEST(std::holds_alternative<std::monostate>(rows[1].second.get("company_size")));

  opt.fields = {"company_size"};
  rows = d.read("some.csv", "id,title,company_size\na,CTO,many\nb,CEO,12\n", opt);
  BOOST_TEST(rows.size() == 1u);
  BOOST_TEST(d.rejected == 1u);
  BOOST_TEST(std::get<std::int64_t>(rows[0].second.get("company_size")) == 12);

  opt.fields = {"title"};
  rows = d.read("some.jsonl", "{\"id\": \"a\", \"title\": \"CTO\", \"company_size\": \"many\"}\n", opt);
  BOOST_TEST(rows.size() == 1u);
  BOOST_TEST(d.diags.empty());
}

// The reader types the common spellings of numbers, integers and booleans on a fast path and
// the rest through the general rules: both must give the same values (std::from_chars's
// correctly rounded double, the integer, the boolean), whatever the spelling.
BOOST_AUTO_TEST_CASE(fast_and_general_typing_agree_on_random_spellings) {
  Data d;
  std::mt19937_64 rng(42);
  auto digits = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += static_cast<char>('0' + rng() % 10);
    return s;
  };
  std::string csv = "id,company_size,revenue,demo\n";
  std::vector<std::string> numbers, integers, booleans;
  const char* words[] = {"true", "TRUE", "True", "false", "FaLsE", "yes", "YES", "no", "No", "1", "0", " true "};
  for (int i = 0; i < 3000; ++i) {
    std::string num = (rng() % 4 == 0 ? "-" : "") + digits(1 + static_cast<int>(rng() % 17));
    if (rng() % 3) num += "." + digits(1 + static_cast<int>(rng() % 20));
    if (rng() % 20 == 0) num += "e" + std::to_string(static_cast<int>(rng() % 40) - 20);
    if (rng() % 25 == 0 && num.front() != '-') num = "+" + num;
    std::string in = (rng() % 3 == 0 ? "-" : "") + digits(1 + static_cast<int>(rng() % 18));
    if (rng() % 25 == 0) in = "+" + digits(3);
    numbers.push_back(num);
    integers.push_back(in);
    booleans.push_back(words[rng() % std::size(words)]);
    csv += "r" + std::to_string(i) + "," + in + "," + num + "," + booleans.back() + "\n";
  }
  auto rows = d.read("typed.csv", csv);
  BOOST_TEST_REQUIRE(rows.size() == numbers.size(), (d.diags.size() < 2 ? "" : d.diags.back().message));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::string_view t = numbers[i];
    if (t.front() == '+') t.remove_prefix(1);
    double want = 0;
    std::from_chars(t.data(), t.data() + t.size(), want);
    double got = std::get<double>(rows[i].second.get("revenue"));
    BOOST_TEST(std::memcmp(&got, &want, sizeof got) == 0, numbers[i] << ": " << got << " != " << want);
    std::string_view u = integers[i];
    if (u.front() == '+') u.remove_prefix(1);
    std::int64_t iwant = 0;
    std::from_chars(u.data(), u.data() + u.size(), iwant);
    BOOST_TEST(std::get<std::int64_t>(rows[i].second.get("company_size")) == iwant, integers[i]);
    std::string b = booleans[i];
    for (auto& ch : b) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    bool bwant = b.find("true") != std::string::npos || b == "yes" || b == "1";
    BOOST_TEST(std::get<bool>(rows[i].second.get("demo")) == bwant, booleans[i]);
  }
}

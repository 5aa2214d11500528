#include "data/json_line_writer.h"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

namespace graphfake::data {
namespace {

using namespace std::chrono;

constexpr std::array<Column, 3> kColumns{{{"Name", true}, {"Amount", false}, {"When", true}}};

LineLayout writer_test_layout(model::AttributeSet set, const LineFormat& format) {
  return make_line_layout(kColumns, documented_columns(kColumns), true, set, format);
}

std::string line_of(model::AttributeSet set, const LineFormat& format, Decimal amount) {
  std::string out;
  const LineLayout layout = writer_test_layout(set, format);
  JsonLineWriter w(out, kColumns, layout);
  w.text("Name", "Contoso");
  w.number("Amount", amount);
  w.date("When", Timestamp{sys_days{2025y / June / 3}, 13 * 3600 + 5 * 60 + 9});
  w.finish();
  return out;
}

TEST(JsonLineWriter, WritesEveryColumnInTableOrder) {
  EXPECT_EQ(line_of(model::AttributeSet::full, {}, {1210, 2}),
            R"({"Name":"Contoso","Amount":12.1,"When":"2025-06-03T13:05:09Z"})" "\n");
}

TEST(JsonLineWriter, BasicLineSkipsColumnsOutsideTheBasicSet) {
  EXPECT_EQ(line_of(model::AttributeSet::basic, {}, {1210, 2}),
            R"({"Name":"Contoso","When":"2025-06-03T13:05:09Z"})" "\n");
}

TEST(JsonLineWriter, NumbersAreShortestExactDecimals) {
  const auto amount_of = [](Decimal value) {
    const std::string line = line_of(model::AttributeSet::full, {}, value);
    const auto from = line.find("\"Amount\":") + 9;
    return line.substr(from, line.find(',', from) - from);
  };
  EXPECT_EQ(amount_of({-5, 2}), "-0.05");
  EXPECT_EQ(amount_of({1'000'000'000, 9}), "1");
  EXPECT_EQ(amount_of({123, 8}), "0.00000123");
  EXPECT_EQ(amount_of({0, 8}), "0");
}

TEST(JsonLineWriter, NumbersAsStringsAreQuoted) {
  const std::string line =
      line_of(model::AttributeSet::full, {.numbers = Dialect::Numbers::strings}, {-1230, 2});
  EXPECT_NE(line.find(R"("Amount":"-12.3")"), std::string::npos) << line;
}

TEST(JsonLineWriter, RejectsAColumnWrittenOutOfOrder) {
  std::string out;
  const LineLayout layout = writer_test_layout(model::AttributeSet::full, {});
  JsonLineWriter w(out, kColumns, layout);
  EXPECT_THROW(w.number("Amount", {1, 0}), std::logic_error);
}

TEST(JsonLineWriter, RejectsALineMissingAColumn) {
  std::string out;
  const LineLayout layout = writer_test_layout(model::AttributeSet::full, {});
  JsonLineWriter w(out, kColumns, layout);
  w.text("Name", "Contoso");
  EXPECT_THROW(w.finish(), std::logic_error);
}

TEST(AppendGuid, WritesALowerCaseVersion4Guid) {
  std::string out;
  append_guid(out, Guid{0xffffffffffffffffULL, 0xffffffffffffffffULL});
  EXPECT_EQ(out, "ffffffff-ffff-4fff-bfff-ffffffffffff");
  out.clear();
  append_guid(out, Guid{0, 0});
  EXPECT_EQ(out, "00000000-0000-4000-8000-000000000000");
}

}  // namespace
}  // namespace graphfake::data

#include "bench/variants.h"

#include <gtest/gtest.h>

#include "bench/matrix.h"
#include "common/errors.h"

namespace netbench {
namespace {

std::string None(const std::string&, const std::string&) { return ""; }

std::vector<std::string> Names(const std::vector<CaseName>& cases) {
  std::vector<std::string> out;
  for (const auto& c : cases) out.push_back(FormatCaseName(c));
  return out;
}

TEST(Variants, ParallelStreamsAreTcpStreamsOwnAndBusyPollingTheRoundTripsOwn) {
  const Variant four{4, proto::Poll::kBlocking};
  const Variant busy{1, proto::Poll::kBusy};
  EXPECT_TRUE(Accepts(*FindTest("tcp_stream"), four));
  EXPECT_FALSE(Accepts(*FindTest("tcp_stream_reverse"), four));
  EXPECT_FALSE(Accepts(*FindTest("tcp_rr"), four));
  EXPECT_TRUE(Accepts(*FindTest("tcp_rr"), busy));
  EXPECT_TRUE(Accepts(*FindTest("udp_rr"), busy));
  EXPECT_FALSE(Accepts(*FindTest("tcp_crr"), busy));
  EXPECT_FALSE(Accepts(*FindTest("tcp_stream"), busy));
  EXPECT_FALSE(Accepts(*FindTest("start"), busy)) << "start runs no agent loop";
  for (const TestSpec& t : AllTests()) EXPECT_TRUE(Accepts(t, Variant{})) << t.name;
}

TEST(Variants, NamesAreTheGrammarsParametersAndParseBack) {
  for (const Variant& v : {Variant{}, Variant{4, proto::Poll::kBlocking},
                           Variant{1, proto::Poll::kBusy}, Variant{64, proto::Poll::kBlocking}}) {
    std::string error;
    const auto back = ParseVariant(VariantParams(v), &error);
    ASSERT_TRUE(back) << error;
    EXPECT_EQ(*back, v);
  }
  EXPECT_TRUE(VariantParams(Variant{}).empty()) << "the default keeps the study's names";
  std::string error;
  EXPECT_FALSE(ParseVariant({{"streams", "0"}}, &error));
  EXPECT_FALSE(ParseVariant({{"streams", "65"}}, &error));
  EXPECT_FALSE(ParseVariant({{"poll", "lazy"}}, &error));
  EXPECT_FALSE(ParseVariant({{"flows", "2"}}, &error));
  EXPECT_NE(error.find("flows:2"), std::string::npos) << error;
}

TEST(Variants, TheMatrixCarriesEachVariantAsItsOwnCaseAndBusyPollingIdleOnly) {
  VariantChoices choices;
  choices.streams = {1, 4};
  choices.polls = {proto::Poll::kBlocking, proto::Poll::kBusy};
  const Matrix m = BuildMatrix({"runc"}, {"macvlan"}, {"tcp_rr", "tcp_stream", "udp_rr"},
                               {"idle", "stress"}, {}, None, choices);
  EXPECT_EQ(
      Names(m.cases),
      (std::vector<std::string>{
          "runc/macvlan/tcp_rr", "runc/macvlan/tcp_rr/stress", "runc/macvlan/tcp_rr/poll:busy",
          "runc/macvlan/tcp_stream", "runc/macvlan/tcp_stream/stress",
          "runc/macvlan/tcp_stream/streams:4", "runc/macvlan/tcp_stream/stress/streams:4",
          "runc/macvlan/udp_rr", "runc/macvlan/udp_rr/stress", "runc/macvlan/udp_rr/poll:busy"}));
  ASSERT_EQ(m.skipped.size(), 2u);
  EXPECT_EQ(m.skipped[0].first, "runc/macvlan/tcp_rr/stress/poll:busy");
  EXPECT_NE(m.skipped[0].second.find("idle only"), std::string::npos);
}

TEST(Variants, WithoutChoicesTheMatrixIsTheStudys) {
  const Matrix m = BuildMatrix({"runc"}, {"bridge"}, {"tcp_rr", "tcp_stream"}, {"idle"}, {}, None);
  EXPECT_EQ(Names(m.cases),
            (std::vector<std::string>{"runc/bridge/tcp_rr", "runc/bridge/tcp_stream"}));
}

TEST(Variants, OnlyTheVariantAskedForRuns) {
  VariantChoices choices;
  choices.streams = {8};
  choices.polls = {proto::Poll::kBusy};
  const Matrix m = BuildMatrix({"runc"}, {"bridge"}, {"tcp_rr", "tcp_stream", "tcp_crr"}, {"idle"},
                               {}, None, choices);
  EXPECT_EQ(Names(m.cases),
            (std::vector<std::string>{"runc/bridge/tcp_rr/poll:busy",
                                      "runc/bridge/tcp_stream/streams:8", "runc/bridge/tcp_crr"}));
}

TEST(Variants, StreamCountsAreCheckedAndFoundInAFilter) {
  EXPECT_EQ(ParseStreams("1,4,4,16"), (std::vector<uint32_t>{1, 4, 16}));
  EXPECT_THROW(ParseStreams("0"), UsageError);
  EXPECT_THROW(ParseStreams("65"), UsageError);
  EXPECT_THROW(ParseStreams("four"), UsageError);
  EXPECT_THROW(ParseStreams(""), UsageError);
  EXPECT_EQ(StreamsNamedIn("runc/bridge/tcp_stream/streams:4|streams:16$"),
            (std::vector<uint32_t>{4, 16}));
  EXPECT_TRUE(StreamsNamedIn("tcp_stream").empty());
}

TEST(Variants, ABusyCasesLabelSaysWhetherTheKernelSpinsToo) {
  proto::DataConfig d;
  EXPECT_EQ(BusyPollLabel(d, 0, 0), "");
  d.poll = proto::Poll::kBusy;
  EXPECT_NE(BusyPollLabel(d, 0, 0).find("napi_id 0 (no NAPI"), std::string::npos);
  EXPECT_NE(BusyPollLabel(d, 8193, 50).find("SO_BUSY_POLL 50 us"), std::string::npos);
  EXPECT_NE(BusyPollLabel(d, 8193, 0).find("refused"), std::string::npos);
}

}  // namespace
}  // namespace netbench

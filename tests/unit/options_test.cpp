#include "bench/options.h"

#include <gtest/gtest.h>

#include "common/errors.h"

namespace netbench {
namespace {

Options Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "netbench");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return ParseOptions(static_cast<int>(argv.size()), argv.data());
}

TEST(Options, DefaultsComeBeforeTheUsersFlags) {
  Options o = Parse({"--benchmark_repetitions=3", "--drivers", "macvlan"});
  ASSERT_GE(o.benchmark_args.size(), 4u);
  EXPECT_EQ(o.benchmark_args[1], "--benchmark_repetitions=15");
  EXPECT_EQ(o.benchmark_args.back(), "--benchmark_repetitions=3");  // later wins
  EXPECT_EQ(o.drivers, std::vector<std::string>{"macvlan"});
  EXPECT_EQ(o.command, "run");
}

TEST(Options, SizesWithSuffixes) {
  Options o = Parse({"--write-size", "64K", "--chunk-size", "2M", "--msg-size", "1k"});
  EXPECT_EQ(o.write_size, 64u * 1024);
  EXPECT_EQ(o.chunk_size, 2u * 1024 * 1024);
  EXPECT_EQ(o.msg_size, 1024u);
}

TEST(Options, StreamWarmupIsASecondByDefaultAndMayBeOff) {
  EXPECT_EQ(Parse({}).stream_warmup_s, 1.0);
  EXPECT_EQ(Parse({"--stream-warmup", "0.5"}).stream_warmup_s, 0.5);
  EXPECT_EQ(Parse({"--stream-warmup", "0"}).stream_warmup_s, 0.0);
}

TEST(Options, BadInputIsAUsageError) {
  EXPECT_THROW(Parse({"--runtimes", "gvisor"}), UsageError);
  EXPECT_THROW(Parse({"--drivers", "ipvlan"}), UsageError);
  EXPECT_THROW(Parse({"--msg-size", "0"}), UsageError);
  EXPECT_THROW(Parse({"--msg-size", "1M"}), UsageError);
  EXPECT_THROW(Parse({"--chunk-size", "1000"}), UsageError);
  EXPECT_THROW(Parse({"--stream-warmup", "-1"}), UsageError);
  EXPECT_THROW(Parse({"--stream-warmup", "61"}), UsageError);
  EXPECT_THROW(Parse({"--client-cpu", "1", "--server-cpu", "1"}), UsageError);
  EXPECT_THROW(Parse({"--backend", "docker2"}), UsageError);
  EXPECT_THROW(Parse({"--no-such-flag"}), UsageError);
  EXPECT_THROW(Parse({"--benchmark_enable_random_interleaving=true"}), UsageError);
}

TEST(Options, VariantsComeFromTheirOptionsOrFromAFilterThatNamesThem) {
  Options o = Parse({});
  EXPECT_EQ(o.variants.streams, std::vector<uint32_t>{1});
  EXPECT_EQ(o.variants.polls, std::vector<proto::Poll>{proto::Poll::kBlocking});
  o = Parse({"--streams", "1,4", "--poll", "blocking,busy"});
  EXPECT_EQ(o.variants.streams, (std::vector<uint32_t>{1, 4}));
  EXPECT_EQ(o.variants.polls,
            (std::vector<proto::Poll>{proto::Poll::kBlocking, proto::Poll::kBusy}));
  o = Parse({"--benchmark_filter=tcp_stream/streams:4|tcp_rr/poll:busy"});
  EXPECT_EQ(o.variants.streams, (std::vector<uint32_t>{1, 4}));
  EXPECT_EQ(o.variants.polls,
            (std::vector<proto::Poll>{proto::Poll::kBlocking, proto::Poll::kBusy}));
  EXPECT_THROW(Parse({"--streams", "0"}), UsageError);
  EXPECT_THROW(Parse({"--poll", "lazy"}), UsageError);
}

TEST(Options, RunSettingsNetbenchMustKnowAreReadFromTheBenchmarkFlags) {
  Options o = Parse({"--benchmark_repetitions=3", "--benchmark_min_time=0.05", "-q"});
  EXPECT_EQ(o.repetitions, 3);
  EXPECT_DOUBLE_EQ(o.min_time_s, 0.05);
  EXPECT_TRUE(o.quiet);
  EXPECT_FALSE(o.runtimes_given);
  EXPECT_TRUE(Parse({"--runtimes", "runc"}).runtimes_given);
  EXPECT_EQ(Parse({"--benchmark_out=/tmp/r.json"}).out_path, "/tmp/r.json");
}

TEST(Options, Subcommands) {
  Options o = Parse({"up", "runc/bridge", "--json"});
  EXPECT_EQ(o.command, "up");
  EXPECT_EQ(o.up_case, "runc/bridge");
  EXPECT_TRUE(o.json);
  EXPECT_EQ(Parse({"down"}).command, "down");
  EXPECT_EQ(Parse({"down", "nb-123456"}).down_run, "nb-123456");
  EXPECT_EQ(Parse({"gc"}).command, "gc");
  Options i = Parse({"inspect", "nb-123456-s", "--verify", "--json"});
  EXPECT_EQ(i.command, "inspect");
  EXPECT_EQ(i.inspect_netns, "nb-123456-s");
  EXPECT_TRUE(i.verify);
  EXPECT_TRUE(i.json);
}

}  // namespace
}  // namespace netbench

// Bad input: one clear line, exit 2, nothing set up.

#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/integration/traces.h"

namespace netbench {
namespace {

using testing::Sh;

const std::string kNetbench = NETBENCH_BIN;

struct BadInput {
  std::string name;
  std::string args;
  std::string says;
};

class CliTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(CliTest, OneLineExitTwoNothingMade) {
  auto before = testing::SnapshotTraces();
  auto r = Sh(kNetbench + " " + GetParam().args + " 2>&1 >/dev/null");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find(GetParam().says), std::string::npos) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  auto leaked = testing::NewTraces(before, testing::SnapshotTraces());
  EXPECT_TRUE(leaked.empty()) << testing::Join(leaked);
}

INSTANTIATE_TEST_SUITE_P(
    BadInputs, CliTest,
    ::testing::Values(BadInput{"UnknownRuntime", "--runtimes runx", "unknown runtime 'runx'"},
                      BadInput{"UnknownDriver", "--drivers ipvlan", "unknown driver 'ipvlan'"},
                      BadInput{"ZeroMessage", "--msg-size 0", "--msg-size"},
                      BadInput{"ChunkBelowWrite", "--chunk-size 1000", "--chunk-size"},
                      BadInput{"MissingRunc", "--runc /nonexistent/runc", "runc not found"},
                      BadInput{"MissingAgent", "--agent /nonexistent/nb-agent", "agent binary"},
                      BadInput{"NoSuchCpu", "--server-cpu 4096", "online CPUs"},
                      BadInput{"UpUnknownDriver", "up runc/wifi", "unknown driver 'wifi'"},
                      BadInput{"UpKataHost", "up kata/host", "cannot use the host network driver"},
                      BadInput{"DownBadRun", "down not-a-run", "not a netbench run id"},
                      BadInput{"AttachBadRun", "--attach not-a-run", "not a netbench run id"},
                      BadInput{"AttachNothingUp", "--attach nb-000000", "no testbed is up"},
                      BadInput{"UnknownFlag", "--frobnicate", "see netbench --help"}),
    [](const ::testing::TestParamInfo<BadInput>& i) { return i.param.name; });

TEST(Cli, NotRootIsOneLineExitTwo) {
  auto r = Sh("setpriv --reuid=65534 --regid=65534 --clear-groups " + kNetbench + " 2>&1");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("needs root"), std::string::npos) << r.out;
}

TEST(Cli, ListsTheEightRuncCasesWithoutRoot) {
  auto r = Sh("setpriv --reuid=65534 --regid=65534 --clear-groups " + kNetbench +
              " --runtimes runc --loads idle --benchmark_list_tests 2>&1");
  EXPECT_EQ(r.code, 0) << r.out;
  for (const char* d : {"bridge", "host", "macvlan", "overlay"})
    for (const char* t : {"tcp_rr", "tcp_stream"})
      EXPECT_NE(r.out.find(std::string("runc/") + d + "/" + t), std::string::npos) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 8) << r.out;
}

TEST(Cli, KataHostIsListedAsSkippedWithTheReason) {
  auto r = Sh(kNetbench + " --benchmark_list_tests 2>&1 >/dev/null");
  EXPECT_NE(r.out.find("skipped kata/host/tcp_rr: Kata Containers cannot use the host network"),
            std::string::npos)
      << r.out;
  auto listed = Sh(kNetbench + " --benchmark_list_tests 2>/dev/null");
  // runc: 4 drivers x 2 tests x 2 loads; kata: 3 drivers x 2 x 2.
  EXPECT_EQ(std::count(listed.out.begin(), listed.out.end(), '\n'), 28) << listed.out;
  EXPECT_EQ(listed.out.find("kata/host"), std::string::npos);
}

TEST(Cli, FilterSelectsOnlyMacvlan) {
  auto r = Sh(kNetbench + " --benchmark_filter=runc/macvlan --benchmark_list_tests 2>/dev/null");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out,
            "runc/macvlan/tcp_rr/manual_time\nrunc/macvlan/tcp_stream/manual_time\n"
            "runc/macvlan/tcp_rr/stress/manual_time\nrunc/macvlan/tcp_stream/stress/manual_time\n");
}

TEST(Cli, HelpShowsBothFlagSets) {
  auto r = Sh(kNetbench + " --help 2>&1");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("--msg-size"), std::string::npos);
  EXPECT_NE(r.out.find("--benchmark_filter"), std::string::npos);
  EXPECT_NE(r.out.find("--benchmark_repetitions=15"), std::string::npos);
}

}  // namespace
}  // namespace netbench

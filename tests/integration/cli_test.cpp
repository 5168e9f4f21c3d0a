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
  std::string env = "";  // prefix of the command line, e.g. "env PATH=..."
};

class CliTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(CliTest, OneLineExitTwoNothingMade) {
  auto before = testing::SnapshotTraces();
  auto r = Sh(GetParam().env + kNetbench + " " + GetParam().args + " 2>&1 >/dev/null");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find(GetParam().says), std::string::npos) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  auto leaked = testing::NewTraces(before, testing::SnapshotTraces());
  EXPECT_TRUE(leaked.empty()) << testing::Join(leaked);
}

// Each bad invocation: what it is, the arguments, and what its one line must say.
INSTANTIATE_TEST_SUITE_P(
    BadInputs, CliTest,
    ::testing::Values(
        BadInput{"UnknownRuntime", "--runtimes runx", "unknown runtime 'runx'"},
        BadInput{"UnknownDriver", "--drivers ipvlan", "unknown driver 'ipvlan'"},
        BadInput{"UnknownTest", "--tests udp_nope", "unknown test 'udp_nope'"},
        BadInput{"UnknownLoad", "--loads heavy", "unknown load 'heavy'"},
        BadInput{"UnknownBackend", "--backend docker2", "unknown backend 'docker2'"},
        BadInput{"ZeroMessage", "--msg-size 0", "--msg-size"},
        BadInput{"HugeMessage", "--msg-size 1M", "--msg-size"},
        BadInput{"ZeroWrite", "--write-size 0", "--write-size"},
        BadInput{"ZeroStreams", "--streams 0", "--streams: '0' is not a number of connections"},
        BadInput{"TooManyStreams", "--streams 1,65", "(1..64"},
        BadInput{"UnknownPollMode", "--poll lazy", "unknown poll mode 'lazy'"},
        BadInput{"ChunkBelowWrite", "--chunk-size 1000", "--chunk-size"},
        BadInput{"StressLoadZero", "--stress-load 0", "see netbench --help"},
        BadInput{"SameCpuTwice", "--client-cpu 1 --server-cpu 1", "must differ"},
        BadInput{"NoSuchCpu", "--server-cpu 4096", "online CPUs"},
        BadInput{"MissingRunc", "--runc /nonexistent/runc", "runc not found"},
        BadInput{"MissingAgent", "--agent /nonexistent/nb-agent", "agent binary"},
        BadInput{"ZeroRepetitions", "--benchmark_repetitions=0", "--benchmark_repetitions=0"},
        BadInput{"NegativeRepetitions", "--benchmark_repetitions=-3", "at least 1"},
        BadInput{"WordRepetitions", "--benchmark_repetitions=many", "whole number"},
        BadInput{"NegativeMinTime", "--benchmark_min_time=-1", "above 0"},
        BadInput{"ZeroMinTime", "--benchmark_min_time=0", "above 0"},
        BadInput{"MinTimeWithUnit", "--benchmark_min_time=0.5s", "plain seconds"},
        BadInput{"OutInMissingDirectory", "--benchmark_out=/nonexistent/dir/r.json",
                 "no directory /nonexistent/dir"},
        BadInput{"OutIsADirectory", "--benchmark_out=/tmp", "is a directory"},
        BadInput{"OutAsCsv", "--benchmark_out=/tmp/x.csv --benchmark_out_format=csv", "JSON only"},
        BadInput{"FilterSelectsNothing", "--benchmark_filter=no_such_case", "selects no case"},
        BadInput{"FilterSelectsOnlyUnsupported", "--benchmark_filter=kata/host", "selects no case"},
        BadInput{"FilterDoesNotCompile", "--benchmark_filter='\\d'", "Could not compile"},
        BadInput{"RandomInterleaving", "--benchmark_enable_random_interleaving=true",
                 "not supported"},
        BadInput{"UnknownBenchmarkFlag", "--benchmark_frobnicate=1", "unrecognized"},
        // No QEMU on this PATH: kata, named, cannot run.
        BadInput{"NamedRuntimeCannotRun", "--runtimes kata --drivers bridge --loads idle",
                 "--runtimes kata: it cannot run here", "env PATH=/usr/sbin:/sbin "},
        BadInput{"UpNotATopology", "up runc", "is not runtime/driver"},
        BadInput{"UpUnknownDriver", "up runc/wifi", "unknown driver 'wifi'"},
        BadInput{"UpKataHost", "up kata/host", "cannot use the host network driver"},
        BadInput{"DownBadRun", "down not-a-run", "not a netbench run id"},
        BadInput{"InspectNoNamespace", "inspect nb-000000-s", "no network namespace"},
        BadInput{"AttachBadRun", "--attach not-a-run", "not a netbench run id"},
        BadInput{"AttachNothingUp", "--attach nb-000000", "no testbed is up"},
        BadInput{"DockerRuntimeMapWithoutEquals", "--backend docker --runtime kata",
                 "expected NAME=ENGINE_RUNTIME"},
        BadInput{"RuntimeMapOnNetns", "--runtime kata=kata-runtime",
                 "use it with --backend docker"},
        BadInput{"DockerRuntimeNotAName", "--backend docker --runtimes 'Run/C'",
                 "is not a runtime name"},
        BadInput{"DockerTcpEngineWithoutPort", "--backend docker --docker-host tcp://198.18.0.9",
                 "is not tcp://host:port"},
        BadInput{"DockerSshEngine", "--backend docker --docker-host ssh://me@198.18.0.9",
                 "neither unix:///path/to/docker.sock nor tcp://host:port"},
        BadInput{"DockerNoEngine", "--backend docker --docker-host unix:///run/nb-no-engine.sock",
                 "cannot reach the Docker engine at unix:///run/nb-no-engine.sock"},
        BadInput{"DockerAttach", "--backend docker --attach nb-000000", "--backend netns only"},
        BadInput{"DockerHostIpWithoutASecondEngine",
                 "--backend docker --docker-host-ip 198.18.40.1", "add --server-docker-host"},
        BadInput{"DockerServerEngineIsTheClients",
                 "--backend docker --docker-host unix:///run/nb-x.sock --server-docker-host "
                 "unix:///run/nb-x.sock",
                 "is the client's engine too"},
        BadInput{"DockerServerEngineWithoutPort",
                 "--backend docker --server-docker-host tcp://198.18.40.2",
                 "is not tcp://host:port"},
        BadInput{"DockerUp", "--backend docker up runc/bridge", "not available on the docker"},
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
            "runc/macvlan/tcp_rr/manual_time\nrunc/macvlan/tcp_rr/stress/manual_time\n"
            "runc/macvlan/tcp_stream/manual_time\nrunc/macvlan/tcp_stream/stress/manual_time\n");
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

// netbench --attach measures on a testbed `netbench up` left, and leaves it exactly as it was:
// after a normal run, after Ctrl-C mid-run, and (swept by the next attach) after SIGKILL.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>
#include <utility>

#include "common/subprocess.h"
#include "tests/integration/testbed_checks.h"
#include "tests/integration/traces.h"

namespace netbench {
namespace {

namespace fs = std::filesystem;
using testing::Sh;

const std::string kNetbench = NETBENCH_BIN;

// How often every nb-agent thread in the network namespace at `netns` has slept waiting
// (voluntary context switches), read from /proc.
uint64_t AgentSleeps(const std::string& netns) {
  struct stat want {};
  if (::stat(netns.c_str(), &want) != 0) return 0;
  uint64_t sum = 0;
  std::error_code ec;
  for (const auto& p : fs::directory_iterator("/proc", ec)) {
    struct stat ns {};
    if (::stat((p.path() / "ns/net").c_str(), &ns) != 0 || ns.st_ino != want.st_ino ||
        ns.st_dev != want.st_dev)
      continue;
    std::string comm;
    std::getline(std::ifstream(p.path() / "comm"), comm);
    if (comm != "nb-agent") continue;
    for (const auto& t : fs::directory_iterator(p.path() / "task", ec)) {
      std::ifstream status(t.path() / "status");
      for (std::string line; std::getline(status, line);)
        if (line.rfind("voluntary_ctxt_switches:", 0) == 0)
          sum += std::stoull(line.substr(line.find(':') + 1));
    }
  }
  return sum;
}

class AttachTest : public testing::TestbedTest<> {
 protected:
  void SetUp() override {
    TestbedTest::SetUp();
    auto up = Sh(kNetbench + " up runc/bridge --json");
    ASSERT_EQ(up.code, 0) << up.out;
    up_ = nlohmann::json::parse(up.out);
    run_ = up_["run_id"];
    // attach.lock is the one file an attach adds to the run's state, on purpose.
    std::ofstream(fs::path("/run/netbench") / run_ / "attach.lock");
    up_traces_ = UpTraces();
  }
  void TearDown() override {
    auto down = Sh(kNetbench + " down " + run_ + " 2>&1");
    EXPECT_EQ(down.code, 0) << down.out;
    ExpectNothingLeft();
  }
  // The machine's traces plus every file in the run's state directory.
  std::set<std::string> UpTraces() const {
    auto t = testing::SnapshotTraces();
    std::error_code ec;
    for (const auto& e : fs::recursive_directory_iterator(fs::path("/run/netbench") / run_, ec))
      t.insert("file " + e.path().string());
    return t;
  }
  void ExpectTheUpTestbedAsItWas() const {
    auto now = UpTraces();
    auto added = testing::NewTraces(up_traces_, now);
    auto removed = testing::NewTraces(now, up_traces_);
    EXPECT_TRUE(added.empty()) << "left behind:" << testing::Join(added);
    EXPECT_TRUE(removed.empty()) << "removed from the up testbed:" << testing::Join(removed);
  }
  // An attach that runs long, stopped once its stressor runs.
  pid_t StartStressedAttach() {
    pid_t pid = Spawn({kNetbench, "--attach", run_, "--benchmark_filter=tcp_rr/stress",
                       "--benchmark_repetitions=1000", "--benchmark_min_time=0.2"},
                      WithStdio(-1, -1, -1));
    for (int i = 0; i < 600; ++i) {
      for (const auto& t : testing::NewTraces(up_traces_, testing::SnapshotTraces()))
        if (t.rfind("process stress-ng", 0) == 0) {
          std::this_thread::sleep_for(std::chrono::milliseconds(300));
          return pid;
        }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ::kill(pid, SIGKILL);
    WaitFor(pid, -1);
    ADD_FAILURE() << "the attached run never started its stressor";
    return -1;
  }
  // netbench --attach <run> ARGS with a result file: its exit status and output, and the
  // file's contents (read and removed; null when there is none).
  struct Attached {
    testing::Shell shell;
    nlohmann::json result;
    // The result's repetitions (not its aggregates), each expected not to have errored.
    std::vector<nlohmann::json> Repetitions() const {
      std::vector<nlohmann::json> reps;
      if (!result.is_object()) return reps;
      for (const auto& b : result["benchmarks"]) {
        if (b.value("run_type", "") != "iteration") continue;
        EXPECT_FALSE(b.value("error_occurred", false)) << b.dump();
        reps.push_back(b);
      }
      return reps;
    }
  };
  Attached RunAttached(const std::string& args, const std::string& what) const {
    const std::string out = "/tmp/" + run_ + "-" + what + ".json";
    Attached a{
        Sh(kNetbench + " --attach " + run_ + " " + args + " --benchmark_out=" + out + " 2>&1",
           120000),
        nullptr};
    if (std::ifstream f(out); f) a.result = nlohmann::json::parse(f, nullptr, false);
    fs::remove(out);
    return a;
  }
  nlohmann::json up_;
  std::string run_;
  std::set<std::string> up_traces_;
};

TEST_F(AttachTest, MeasuresOnTheUpTestbedAndLeavesItAsItWas) {
  auto a = RunAttached(
      "--benchmark_filter=tcp_rr --benchmark_repetitions=2 --benchmark_min_time=0.05", "attach");
  ASSERT_EQ(a.shell.code, 0) << a.shell.out;
  auto& j = a.result;
  EXPECT_EQ(j["context"]["attached_to"].get<std::string>().rfind(run_, 0), 0u);
  // The congestion control and qdisc every stream number is measured with, as sysctl says.
  const std::string cc = Sh("sysctl -n net.ipv4.tcp_congestion_control").out;
  EXPECT_EQ(j["context"]["tcp_congestion_control"].get<std::string>().rfind(
                cc.substr(0, cc.find('\n')) + " (this machine's", 0),
            0u)
      << j["context"]["tcp_congestion_control"];
  const std::string qdisc = Sh("sysctl -n net.core.default_qdisc").out;
  EXPECT_EQ(j["context"]["default_qdisc"], qdisc.substr(0, qdisc.find('\n')));
  std::set<std::string> names;
  for (const auto& b : j["benchmarks"]) {
    EXPECT_FALSE(b.value("error_occurred", false)) << b.dump();
    names.insert(b["run_name"].get<std::string>());
  }
  EXPECT_EQ(names, (std::set<std::string>{"runc/bridge/tcp_rr/manual_time",
                                          "runc/bridge/tcp_rr/stress/manual_time"}));
  ExpectTheUpTestbedAsItWas();
}

TEST_F(AttachTest, TheRunsTimeBreakdownHoldsItsRepetitionsSamplesWithinItsWallTime) {
  const auto t0 = std::chrono::steady_clock::now();
  auto a = RunAttached("--tests tcp_rr --benchmark_repetitions=3 --benchmark_min_time=0.05",
                       "breakdown");
  const double outside =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(a.shell.code, 0) << a.shell.out;
  EXPECT_NE(a.shell.out.find("netbench: time: "), std::string::npos) << a.shell.out;
  const auto& ctx = a.result["context"];
  const auto part = [&](const std::string& name) {
    return std::stod(ctx.at("time_" + name + "_s").get<std::string>());
  };
  // Measuring is exactly what the file says was measured: iterations x time per iteration.
  double measured_s = 0;
  int stressed_with_bogo = 0;
  for (const auto& b : a.Repetitions()) {
    measured_s += b["iterations"].get<double>() * b["real_time"].get<double>() * 1e-6;  // us
    if (b["run_name"].get<std::string>().find("/stress/") != std::string::npos)
      stressed_with_bogo += b.contains("stress_bogo_ops_per_s");
  }
  EXPECT_NEAR(part("measuring"), measured_s, 0.01 * measured_s + 0.001);
  // The parts fit in netbench's wall time, which fits in the time seen around the command.
  double parts = 0;
  for (const char* p : {"measuring", "repetition_overhead", "iteration_search", "warmup", "stress",
                        "testbed_up", "testbed_down", "vm_boot", "retries", "prepare", "other"})
    parts += part(p);
  EXPECT_NEAR(parts, part("wall"), 0.01 * part("wall") + 0.002);
  EXPECT_LE(part("wall"), outside);
  EXPECT_GT(part("stress"), 0) << "the stress case started and stopped its stressor";
  // One stressor for the case's three repetitions: its bogo-ops on the last one only.
  EXPECT_EQ(stressed_with_bogo, 1);
}

TEST_F(AttachTest, AUdpDatagramAnNftRuleDropsIsCountedLostNotTimed) {
  // In the server container's namespace: drop one UDP datagram to the published ports in 300.
  const std::string server = up_["server_netns"];
  auto add = Sh("nsenter --net=" + server +
                " nft -f - <<'EOF'\n"
                "table inet nbtest_drop {\n"
                "  chain in { type filter hook input priority 0; udp dport 7000-7031 numgen inc "
                "mod 300 == 0 counter drop; }\n"
                "}\nEOF\n");
  ASSERT_EQ(add.code, 0) << add.out;
  auto a = RunAttached(
      "--tests udp_rr --loads idle --benchmark_repetitions=2 --benchmark_min_time=0.3", "udp");
  auto dropped =
      Sh("nsenter --net=" + server + " nft list table inet nbtest_drop | grep -o 'packets [0-9]*'");
  Sh("nsenter --net=" + server + " nft delete table inet nbtest_drop");
  ASSERT_EQ(a.shell.code, 0) << a.shell.out;
  uint64_t lost = 0;
  for (const auto& b : a.Repetitions()) {
    lost += b["lost"].get<uint64_t>();
    // A lost datagram waits kUdpAnswerTimeoutMs (200 ms) before it is sent again: none of
    // that is in the round trips.
    EXPECT_LT(b["max_us"].get<double>(), 100'000) << b.dump();
  }
  EXPECT_GT(lost, 0u) << "the rule dropped " << dropped.out;
  const uint64_t drops = std::stoull(dropped.out.substr(dropped.out.rfind(' ') + 1));
  EXPECT_LE(lost, drops) << "a counted loss is a dropped datagram";
  ExpectTheUpTestbedAsItWas();
}

TEST_F(AttachTest, TcpCrrOnBridgeGoesThroughTheDnatRuleOnceATransaction) {
  // A nat chain sees only a connection's first packet: a counter ahead of host B's DNAT rule
  // counts the connections that rule translates.
  const std::string host_b = up_["host_b_netns"];
  const std::string target = up_["target_ip"];
  auto add = Sh("nsenter --net=" + host_b + " nft insert rule ip nb_nat prerouting ip daddr " +
                target + " tcp dport 7012 counter 2>&1");
  ASSERT_EQ(add.code, 0) << add.out;
  auto a = RunAttached(
      "--tests tcp_crr --loads idle --benchmark_repetitions=2 --benchmark_min_time=0.2", "crr");
  auto counted = Sh("nsenter --net=" + host_b +
                    " nft list chain ip nb_nat prerouting | grep 'dport 7012 counter' | "
                    "grep -o 'packets [0-9]*'");
  ASSERT_EQ(a.shell.code, 0) << a.shell.out;
  uint64_t transactions = 0;
  for (const auto& b : a.Repetitions()) {
    EXPECT_GT(b["connect_us"].get<double>(), 0) << b.dump();
    transactions += b["iterations"].get<uint64_t>();
  }
  ASSERT_GT(transactions, 0u);
  ASSERT_NE(counted.out.find("packets "), std::string::npos) << counted.out;
  const uint64_t connections = std::stoull(counted.out.substr(counted.out.rfind(' ') + 1));
  // The reported transactions, and the warm-up's and Google Benchmark's iteration search's.
  EXPECT_GE(connections, transactions);
  // The rule stays for `down` to remove with host B's namespace; nothing else was added.
}

TEST_F(AttachTest, ParallelStreamsOpenTheirConnectionsTogetherAndCarryTheReportedBytes) {
  // In the server container's namespace: the connections opened to the attached agent's stream
  // port (7008 + 1), and every byte that arrived on it.
  const std::string server = up_["server_netns"];
  auto add = Sh("nsenter --net=" + server +
                " nft -f - <<'EOF'\n"
                "table inet nbtest_streams {\n"
                "  chain in { type filter hook input priority 0;\n"
                "    tcp dport 7009 tcp flags & (syn | ack) == syn counter;\n"
                "    tcp dport 7009 counter; }\n"
                "}\nEOF\n");
  ASSERT_EQ(add.code, 0) << add.out;
  auto a = RunAttached(
      "--benchmark_filter=tcp_stream/streams:4 --loads idle --benchmark_repetitions=2 "
      "--benchmark_min_time=0.2",
      "streams");
  // "packets P bytes B" of the SYN rule, then of the every-segment rule.
  auto counted = Sh("nsenter --net=" + server +
                    " nft list table inet nbtest_streams | grep -o 'packets [0-9]* bytes [0-9]*'");
  Sh("nsenter --net=" + server + " nft delete table inet nbtest_streams");
  ASSERT_EQ(a.shell.code, 0) << a.shell.out;
  uint64_t chunks = 0;
  for (const auto& b : a.Repetitions()) {
    EXPECT_EQ(b["run_name"], "runc/bridge/tcp_stream/streams:4/manual_time");
    EXPECT_GT(b["stream_min_gbit_per_s"].get<double>(), 0) << "a stream carried data";
    EXPECT_GE(b["iterations"].get<uint64_t>(), 4u) << "a chunk at least for every stream";
    EXPECT_LE(b["stream_min_gbit_per_s"].get<double>(), b["stream_max_gbit_per_s"].get<double>());
    chunks += b["iterations"].get<uint64_t>();
  }
  ASSERT_GT(chunks, 0u);
  uint64_t syn = 0, all_bytes = 0;
  ASSERT_EQ(std::sscanf(counted.out.c_str(), "packets %lu bytes %*u packets %*u bytes %lu", &syn,
                        &all_bytes),
            2)
      << counted.out;
  EXPECT_EQ(syn, 4u) << "one connection per stream, opened once for the case (a SYN sent again "
                        "on a lossy path would also count)";
  EXPECT_GE(all_bytes, chunks * (1u << 20)) << "every reported chunk crossed to the server";
}

TEST_F(AttachTest, ABusyPollingServerAnswersWithoutSleepingWhereABlockingOneSleepsEachTime) {
  // Requests arriving at the attached agent's round-trip port (7008), counted by nft in the
  // server's namespace over the same second as the server's sleeps.
  const std::string server = up_["server_netns"];
  auto add = Sh("nsenter --net=" + server +
                " nft -f - <<'EOF'\n"
                "table inet nbtest_rr {\n"
                "  chain in { type filter hook input priority 0; tcp dport 7008 counter; }\n"
                "}\nEOF\n");
  ASSERT_EQ(add.code, 0) << add.out;
  auto requests = [&] {
    auto r =
        Sh("nsenter --net=" + server + " nft list table inet nbtest_rr | grep -o 'packets [0-9]*'");
    return r.out.empty() ? uint64_t{0} : std::stoull(r.out.substr(r.out.rfind(' ') + 1));
  };
  for (const std::string poll : {"blocking", "busy"}) {
    pid_t pid = Spawn({kNetbench, "--attach", run_, "--tests", "tcp_rr", "--poll", poll, "--loads",
                       "idle", "--benchmark_repetitions=8", "--benchmark_min_time=0.3"},
                      WithStdio(-1, -1, -1));
    // The window opens once requests flow (the agents started and connected).
    uint64_t r0 = requests();
    for (int i = 0; i < 100; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      const uint64_t r = std::exchange(r0, requests());
      if (r0 > r + 100) break;
    }
    const uint64_t sleeps0 = AgentSleeps(server);
    r0 = requests();
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const uint64_t sleeps1 = AgentSleeps(server);
    const uint64_t r1 = requests();
    ASSERT_EQ(WaitFor(pid, 120'000), 0) << poll;
    ASSERT_GE(sleeps1, sleeps0) << poll << ": an agent thread ended inside the window";
    ASSERT_GT(r1, r0 + 1000) << poll << ": too few requests in the window";
    const double per_request =
        static_cast<double>(sleeps1 - sleeps0) / static_cast<double>(r1 - r0);
    std::printf("%s: %.3f server sleeps per request packet\n", poll.c_str(), per_request);
    if (poll == "busy")
      EXPECT_LT(per_request, 0.05) << sleeps1 - sleeps0 << " sleeps, " << r1 - r0 << " requests";
    else
      EXPECT_GT(per_request, 0.3) << sleeps1 - sleeps0 << " sleeps, " << r1 - r0 << " requests";
  }
  Sh("nsenter --net=" + server + " nft delete table inet nbtest_rr");
  ExpectTheUpTestbedAsItWas();
}

TEST_F(AttachTest, CtrlCRemovesOnlyWhatItStartedAndOneAttachAtATime) {
  // A user's own process in the server container's cgroups (as bench_vs_peers.sh puts its
  // peers there) is not netbench's to remove.
  pid_t users = Spawn({"/bin/sh", "-c",
                       "for d in /sys/fs/cgroup/*/netbench/" + run_ +
                           "-s; do echo $$ > $d/cgroup.procs; done; exec sleep 600"},
                      WithStdio(-1, -1, -1));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  pid_t pid = StartStressedAttach();
  ASSERT_GT(pid, 0);
  auto second = Sh(kNetbench + " --attach " + run_ + " 2>&1");
  EXPECT_EQ(second.code, 2) << second.out;
  EXPECT_NE(second.out.find("another netbench"), std::string::npos) << second.out;
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  auto code = WaitFor(pid, 60000);
  ASSERT_TRUE(code.has_value()) << "netbench --attach did not exit after SIGINT";
  EXPECT_EQ(*code, 128 + SIGINT);
  EXPECT_FALSE(WaitFor(users, 0).has_value()) << "the user's process was killed";
  ::kill(users, SIGKILL);
  WaitFor(users, -1);
  ExpectTheUpTestbedAsItWas();
}

TEST_F(AttachTest, AfterSigkillTheNextAttachSweepsWhatWasLeft) {
  pid_t pid = StartStressedAttach();
  ASSERT_GT(pid, 0);
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  WaitFor(pid, -1);
  auto r = Sh(kNetbench + " --attach " + run_ +
                  " --benchmark_filter=tcp_rr/manual --benchmark_repetitions=1 "
                  "--benchmark_min_time=0.05 2>&1",
              120000);
  EXPECT_EQ(r.code, 0) << r.out;
  ExpectTheUpTestbedAsItWas();
}

}  // namespace
}  // namespace netbench

// The agent's own view of CPU time (for sandboxes whose cgroup netbench cannot read).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "agent/cpu_usage.h"

namespace netbench::agent {
namespace {
namespace fs = std::filesystem;

struct FakeRoot {
  fs::path dir = fs::temp_directory_path() / ("nb-root-" + std::to_string(::getpid()));
  FakeRoot() { fs::create_directories(dir); }
  ~FakeRoot() { fs::remove_all(dir); }
  void Write(const std::string& rel, const std::string& text) const {
    fs::create_directories((dir / rel).parent_path());
    std::ofstream(dir / rel) << text;
  }
};

void Burn() {
  volatile uint64_t x = 0;
  for (int i = 0; i < 3'000'000; ++i) x = x + static_cast<uint64_t>(i);
}

TEST(AgentCpuUsage, TheRestOfTheSandboxIsItsCgroupTotalLessTheAgentsOwnTime) {
  Burn();
  FakeRoot root;
  root.Write("sys/fs/cgroup/cpuacct/cpuacct.usage", "500000000000\n");  // 500 s
  const auto u = ReadCpuUsage(root.dir.string());
  ASSERT_TRUE(u);
  EXPECT_STREQ(u->source, "cgroup");
  EXPECT_GT(u->self_ns, 0u);
  EXPECT_EQ(u->self_ns + u->others_ns, 500'000'000'000u);
}

TEST(AgentCpuUsage, ReadsCgroupV2CpuStat) {
  FakeRoot root;
  root.Write("sys/fs/cgroup/cpu.stat", "usage_usec 7000000\nuser_usec 5\nsystem_usec 2\n");
  const auto u = ReadCpuUsage(root.dir.string());
  ASSERT_TRUE(u);
  EXPECT_STREQ(u->source, "cgroup");
  EXPECT_EQ(u->self_ns + u->others_ns, 7'000'000'000u);
  EXPECT_EQ(CpuStatUsageNs("user_usec 1\n"), std::nullopt);
}

TEST(AgentCpuUsage, WithoutACgroupTheOtherProcessesAreSummedFromProc) {
  FakeRoot root;
  const std::string self = std::to_string(::getpid());
  root.Write("proc/" + self + "/task/" + self + "/schedstat", "999999 1 1\n");  // not counted
  root.Write("proc/42/task/42/schedstat", "7000 5000 12\n");                    // the stressor
  root.Write("proc/43/task/43/schedstat", "3000 5000 12\n");                    // its worker
  root.Write("proc/self/x", "");                                                // not a pid
  const auto u = ReadCpuUsage(root.dir.string());
  ASSERT_TRUE(u);
  EXPECT_STREQ(u->source, "proc");
  EXPECT_EQ(u->others_ns, 10000u);
}

}  // namespace
}  // namespace netbench::agent

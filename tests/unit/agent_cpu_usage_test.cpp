// The agent's own view of CPU time (for sandboxes whose cgroup netbench cannot read).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "agent/cpu_usage.h"

namespace netbench::agent {
namespace {
namespace fs = std::filesystem;

void Thread(const fs::path& proc, const std::string& pid, const std::string& tid, uint64_t ns) {
  fs::create_directories(proc / pid / "task" / tid);
  std::ofstream(proc / pid / "task" / tid / "schedstat") << ns << " 5000 12\n";
}

TEST(AgentCpuUsage, SumsItsOwnThreadsApartFromEveryOtherProcess) {
  const fs::path proc = fs::temp_directory_path() / ("nb-proc-" + std::to_string(::getpid()));
  const std::string self = std::to_string(::getpid());
  Thread(proc, self, self, 1000);
  Thread(proc, self, "999999", 500);      // a second thread of the agent
  Thread(proc, "42", "42", 7000);         // the stressor
  Thread(proc, "43", "43", 3000);         // its worker
  fs::create_directories(proc / "self");  // not a pid
  const CpuUsage u = ReadCpuUsage(proc.string());
  fs::remove_all(proc);
  EXPECT_EQ(u.self_ns, 1500u);
  EXPECT_EQ(u.others_ns, 10000u);
}

TEST(AgentCpuUsage, ReadsThisProcessFromTheRealProc) {
  volatile uint64_t x = 0;
  for (int i = 0; i < 2'000'000; ++i) x = x + static_cast<uint64_t>(i);
  EXPECT_GT(ReadCpuUsage().self_ns, 0u);
}

}  // namespace
}  // namespace netbench::agent

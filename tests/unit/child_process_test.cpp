#include "common/child_process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>

#include "common/fd.h"

namespace netbench {
namespace {

bool Alive(pid_t pid) { return ::kill(pid, 0) == 0; }

TEST(ChildProcess, WaitReturnsTheExitStatusOnceItExits) {
  ChildProcess p = ChildProcess::Start({"sh", "-c", "exit 3"}, SpawnOptions{});
  EXPECT_EQ(p.Wait(5000), 3);
  EXPECT_FALSE(p.running());
}

TEST(ChildProcess, StopKillsWhatDoesNotExitWithinTheGracePeriodAndReapsIt) {
  ChildProcess p = ChildProcess::Start({"sleep", "30"}, SpawnOptions{});
  const pid_t pid = p.pid();
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(p.Stop(100), 128 + SIGKILL);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  EXPECT_FALSE(Alive(pid));  // reaped: no zombie left
}

// Dead, or a zombie waiting for whoever reaps orphans here (not our child to reap).
bool Dead(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(f, stat)) return true;
  const auto paren = stat.rfind(')');
  return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] == 'Z';
}

TEST(ChildProcess, StopKillsItsWholeProcessGroup) {
  // sh starts a grandchild in its group, says its pid, and waits for it.
  Pipe out = Pipe::Make();
  ChildProcess p = ChildProcess::Start({"sh", "-c", "sleep 30 & echo $!; wait"},
                                       WithStdio(-1, out.write.get(), -1));
  out.write.Reset();
  char buf[32] = {};
  ASSERT_GT(::read(out.read.get(), buf, sizeof buf - 1), 0);
  const pid_t grandchild = std::atoi(buf);
  ASSERT_GT(grandchild, 0);
  p.Stop(50);
  bool dead = false;
  for (int i = 0; i < 100 && !dead; ++i, ::usleep(10'000)) dead = Dead(grandchild);
  EXPECT_TRUE(dead) << "the grandchild in the group survived";
}

TEST(ChildProcess, DestroyingOneThatRunsKillsAndReapsIt) {
  pid_t pid;
  {
    ChildProcess p = ChildProcess::Start({"sleep", "30"}, SpawnOptions{});
    pid = p.pid();
  }
  EXPECT_FALSE(Alive(pid));
}

TEST(ChildProcess, ReleaseLeavesItRunning) {
  pid_t pid;
  {
    ChildProcess p = ChildProcess::Start({"sleep", "30"}, SpawnOptions{});
    pid = p.Release();
  }
  EXPECT_TRUE(Alive(pid));
  ::kill(pid, SIGKILL);
  WaitFor(pid, -1);
}

}  // namespace
}  // namespace netbench

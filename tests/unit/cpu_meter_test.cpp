#include "fixtures/cpu_meter.h"

#include <gtest/gtest.h>

namespace netbench {
namespace {

constexpr char kHybridMountinfo[] =
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
    "33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";

// Where a process's CPU time is kept, from its /proc/<pid>/cgroup and the mount table.
struct Layout {
  const char* what;
  const char* proc_pid_cgroup;
  const char* mountinfo;
  const char* dir;
  int version;
};

TEST(CpuMeter, FindsWhereEachCgroupLayoutAccountsAProcess) {
  const Layout layouts[] = {
      {"v1 cpuacct on a hybrid host (this machine)",
       "2:cpuacct:/netbench/nb-1a2b3c-s\n1:cpu:/\n0::/\n", kHybridMountinfo,
       "/sys/fs/cgroup/cpuacct/netbench/nb-1a2b3c-s", 1},
      {"cpuacct mounted together with cpu", "4:cpu,cpuacct:/docker/abc\n",
       "30 25 0:27 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n",
       "/sys/fs/cgroup/cpu,cpuacct/docker/abc", 1},
      {"cgroup v2 only (systemd driver)", "0::/system.slice/docker-abc.scope\n",
       "25 22 0:23 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n",
       "/sys/fs/cgroup/system.slice/docker-abc.scope", 2},
      {"a bind-mounted subtree of the hierarchy", "2:cpuacct:/netbench/nb-x-c\n",
       "40 30 0:30 /netbench /mnt/acct rw - cgroup cgroup rw,cpuacct\n", "/mnt/acct/nb-x-c", 1},
  };
  for (const Layout& l : layouts) {
    auto where = LocateCpuCgroup(l.proc_pid_cgroup, l.mountinfo);
    ASSERT_TRUE(where) << l.what;
    EXPECT_EQ(where->dir, l.dir) << l.what;
    EXPECT_EQ(where->version, l.version) << l.what;
  }
}

TEST(CpuMeter, FindsNothingWithoutACgroupMount) {
  EXPECT_FALSE(LocateCpuCgroup("2:cpuacct:/x\n0::/x\n", "22 1 0:5 / /proc rw - proc proc rw\n"));
}

TEST(CpuMeter, ReadsUsageUsecFromCpuStatAsNanoseconds) {
  EXPECT_EQ(ParseCpuStatUsageNs("usage_usec 1234\nuser_usec 1000\nsystem_usec 234\n"), 1'234'000u);
  EXPECT_FALSE(ParseCpuStatUsageNs("user_usec 1000\n"));
  EXPECT_FALSE(ParseCpuStatUsageNs("usage_usec x\n"));
}

TEST(CpuMeter, SumsEveryThreadsSchedstatRunTime) {
  EXPECT_EQ(SumSchedstatNs({"1000 5 3\n", "250 1 1\n", ""}), 1250u);
}

}  // namespace
}  // namespace netbench

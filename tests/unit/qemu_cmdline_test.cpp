#include "fixtures/netns/kata/qemu_cmdline.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace netbench {
namespace {

std::string After(const std::vector<std::string>& a, const std::string& flag, int nth = 0) {
  for (size_t i = 0; i + 1 < a.size(); ++i)
    if (a[i] == flag && nth-- == 0) return a[i + 1];
  return "";
}

TEST(QemuCmdline, KataShapedVm) {
  QemuSpec q;
  q.kernel = "/k";
  q.initrd = "/i";
  q.console_path = "/run/netbench/nb-1/c.console";
  q.tap = "tap0_kata";
  q.mac = "02:00:00:00:00:01";
  q.control_socket = "/run/netbench/nb-1/c.ctl";
  q.guest_params = {"nb.ip=198.18.1.2/24", "nb.mtu=1500"};
  auto a = QemuArgs(q);
  EXPECT_EQ(a[0], "qemu-system-x86_64");
  EXPECT_EQ(After(a, "-machine"), "q35");
  EXPECT_EQ(After(a, "-accel"), "tcg,thread=multi");
  EXPECT_EQ(After(a, "-smp"), "1");
  EXPECT_EQ(After(a, "-netdev"), "tap,id=n0,ifname=tap0_kata,script=no,downscript=no");
  EXPECT_EQ(After(a, "-device"), "virtio-net-pci,netdev=n0,mac=02:00:00:00:00:01");
  EXPECT_EQ(After(a, "-device", 2), "virtserialport,chardev=ctl,name=nb.ctl");
  EXPECT_NE(After(a, "-chardev").find("path=/run/netbench/nb-1/c.ctl,server=on,wait=off"),
            std::string::npos);
  std::string append = After(a, "-append");
  EXPECT_NE(append.find("console=ttyS0"), std::string::npos);
  EXPECT_NE(append.find(" nb.ip=198.18.1.2/24 nb.mtu=1500"), std::string::npos);
  EXPECT_NE(std::find(a.begin(), a.end(), "-no-reboot"), a.end());
}

TEST(QemuCmdline, KvmAndVhostWhenAvailable) {
  QemuSpec q;
  q.accel = "kvm";
  q.tap = "tap0_kata";
  q.vhost = true;
  auto a = QemuArgs(q);
  EXPECT_EQ(After(a, "-accel"), "kvm");
  EXPECT_NE(After(a, "-netdev").find(",vhost=on"), std::string::npos);
}

TEST(QemuCmdline, ProbeHasNoNicAndNoControlPort) {
  QemuSpec q;
  auto a = QemuArgs(q);
  EXPECT_EQ(std::find(a.begin(), a.end(), "-netdev"), a.end());
  EXPECT_EQ(std::find(a.begin(), a.end(), "-chardev"), a.end());
}

}  // namespace
}  // namespace netbench

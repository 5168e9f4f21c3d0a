#pragma once
// Checks shared by the integration tests that bring a testbed up.

#include <gtest/gtest.h>
#include <unistd.h>

#include <set>
#include <string>

#include "fixtures/address_plan.h"
#include "fixtures/run_context.h"
#include "fixtures/testbed.h"
#include "tests/integration/traces.h"

namespace netbench::testing {

// Both data paths work end to end: the client agent reaches the server agent through the
// testbed's plumbing for `rr` round trips and `chunks` stream chunks.
inline void ExpectBothPathsWork(Testbed& bed, uint64_t rr, uint64_t chunks) {
  const AddressPlan& p = bed.topology().plan();
  proto::ConnectCmd c;
  c.ipv4 = ParseIpv4(p.target_ip);
  c.port = p.port;
  bed.client().agent().Connect(c);
  EXPECT_EQ(bed.client().agent().RunRR(rr).samples_ns.size(), rr);
  c.mode = proto::Mode::kStream;
  bed.client().agent().Connect(c);
  EXPECT_EQ(bed.client().agent().RunStream(chunks).samples_ns.size(), chunks);
}

// A test that builds testbeds as root: a fresh run context, and a snapshot of the machine's
// traces to compare against at the end.
template <typename Base = ::testing::Test>
class TestbedTest : public Base {
 protected:
  void SetUp() override {
    ASSERT_EQ(::geteuid(), 0u) << "integration tests run as root";
    before_ = SnapshotTraces();
    ctx_.run_id = NewRunId();
    ctx_.agent_path = NETBENCH_AGENT;
  }
  void ExpectNothingLeft() const {
    auto leaked = NewTraces(before_, SnapshotTraces());
    EXPECT_TRUE(leaked.empty()) << "left behind:" << Join(leaked);
  }
  std::set<std::string> before_;
  RunContext ctx_;
};

}  // namespace netbench::testing

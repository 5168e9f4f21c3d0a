#pragma once
// Checks shared by the integration tests that bring a testbed up.

#include <gtest/gtest.h>
#include <unistd.h>

#include <set>
#include <string>

#include "fixtures/backend.h"
#include "fixtures/netns/address_plan.h"
#include "fixtures/netns/run_context.h"
#include "fixtures/netns/testbed.h"
#include "tests/integration/traces.h"

namespace netbench::testing {

// Both data paths work end to end: the client agent reaches the server agent through the
// testbed's plumbing for `rr` round trips and `chunks` stream chunks.
inline void ExpectBothPathsWork(Testbed& bed, uint64_t rr, uint64_t chunks) {
  const Endpoint target = bed.target();
  for (auto [mode, n] :
       {std::pair{proto::Mode::kRR, rr}, std::pair{proto::Mode::kStream, chunks}}) {
    proto::DataConfig data;
    data.mode = mode;
    const uint16_t port = target.PortFor(mode);
    bed.server().agent().Serve(proto::ServeCmd{port, data});
    bed.client().agent().Connect(proto::ConnectCmd{target.ipv4, port, data});
    EXPECT_EQ(bed.client().agent().Run(n, 60'000).samples_ns.size(), n);
  }
}

// The netns backend's testbeds on a test's own run context (its run id, its programs), for
// tests that drive a CaseSession without the rest of a netbench run.
class ContextBackend : public Backend {
 public:
  explicit ContextBackend(const RunContext& ctx) : ctx_(ctx) {}
  std::string name() const override { return "netns"; }
  std::vector<std::string> Runtimes() const override { return {"runc", "kata"}; }
  std::vector<std::string> Drivers() const override {
    return {"bridge", "host", "macvlan", "overlay"};
  }
  std::string UnsupportedReason(const std::string&, const std::string&) const override {
    return "";
  }
  void Check() override {}
  Unavailable Prepare(const std::vector<std::string>&) override { return {}; }
  ContextFacts Context(const std::vector<std::string>&) const override { return {}; }
  std::unique_ptr<Testbed> Open(const TopologyKey& key) override {
    return NetnsTestbed::Up(ctx_, key);
  }
  void Up(const TopologyKey&, bool, std::ostream&) override {}
  int Down(const std::string&, std::ostream&, std::ostream&) override { return 0; }
  int CollectGarbage(std::ostream&, std::ostream&) override { return 0; }
  int Inspect(const std::string&, bool, bool, std::ostream&, std::ostream&) override { return 0; }

 private:
  const RunContext& ctx_;
};

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

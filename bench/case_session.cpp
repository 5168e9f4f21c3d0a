#include "bench/case_session.h"

#include <mutex>

#include "common/errors.h"
#include "fixtures/address_plan.h"
#include "fixtures/cleanup.h"

namespace netbench {
namespace {
constexpr uint64_t kWarmupRoundTrips = 200;
constexpr uint64_t kWarmupChunks = 8;
}  // namespace

void CaseSession::Prepare(const CaseName& c) {
  std::lock_guard lock(FixtureMutex());
  TopologyKey key{c.runtime, c.driver};
  if (auto it = failed_.find(key.str()); it != failed_.end()) throw SetupError(it->second);
  if (!bed_ || !(bed_->key() == key)) {
    Teardown();
    try {
      bed_ = Testbed::Up(ctx_, key);
    } catch (const std::exception& e) {
      failed_[key.str()] = std::string("setting up ") + key.str() + ": " + e.what();
      throw SetupError(failed_[key.str()]);
    }
  }
  if (connected_test_ != c.test) Connect(c.test);
}

void CaseSession::Connect(const std::string& test) {
  connected_test_.clear();
  const AddressPlan& plan = bed_->topology().plan();
  proto::ConnectCmd cmd;
  cmd.ipv4 = ParseIpv4(plan.target_ip);
  cmd.port = plan.port;
  cmd.mode = test == "tcp_rr" ? proto::Mode::kRR : proto::Mode::kStream;
  cmd.msg_size = cfg_.msg_size;
  cmd.write_size = cfg_.write_size;
  cmd.chunk_size = cfg_.chunk_size;
  AgentChannel& agent = client();
  agent.Connect(cmd);
  // Warm the path (ARP, conntrack, TCP window) before anything is measured.
  if (cmd.mode == proto::Mode::kRR)
    agent.RunRR(kWarmupRoundTrips);
  else
    agent.RunStream(kWarmupChunks);
  connected_test_ = test;
}

void CaseSession::Discard() {
  std::lock_guard lock(FixtureMutex());
  Teardown();
}

void CaseSession::Teardown() {
  std::lock_guard lock(FixtureMutex());
  connected_test_.clear();
  bed_.reset();
}

}  // namespace netbench

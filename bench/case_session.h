#pragma once
// Which testbed is up. A case's first call brings its testbed up; consecutive cases of the
// same runtime and driver (both tests, every repetition) reuse it; it is torn down when a
// case of another topology starts, and at the end of the run. A testbed that failed to come
// up is not retried for every repetition: its error is remembered.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/case_name.h"
#include "common/protocol.h"
#include "fixtures/run_context.h"
#include "fixtures/testbed.h"

namespace netbench {

struct MeasureConfig {
  uint32_t msg_size = 64;
  uint32_t write_size = 128 * 1024;
  uint32_t chunk_size = 1024 * 1024;
  proto::StressCmd stress{1, 100};  // stress-ng --cpu N --cpu-load P in the server
};

// One measured run and the CPU it cost, read from cgroups immediately around it.
struct Measurement {
  RunReport report;
  uint64_t client_cpu_ns = 0;
  uint64_t server_cpu_ns = 0;  // the whole server sandbox (stress included)
  uint64_t stress_cpu_ns = 0;  // the stress child cgroup, when it can be separated
  bool stress_separated = false;
  std::optional<StressReport> stress;  // set for the stress load
  double wall_s = 0;
};

class CaseSession {
 public:
  CaseSession(RunContext ctx, MeasureConfig cfg) : ctx_(std::move(ctx)), cfg_(cfg) {}
  ~CaseSession() { Teardown(); }

  // What a prepared case reports besides its measurement.
  struct Facts {
    std::string label;
    std::vector<std::pair<std::string, double>> counters;
  };
  // Makes the testbed and the client's data connection ready for case c, and checks what
  // must hold before measuring. Throws SetupError or AgentError with what went wrong.
  Facts Prepare(const CaseName& c);
  // Runs case c's measurement of n iterations (after Prepare), with the stressor around it
  // for the stress load, and reads the sandboxes' CPU time around the run.
  Measurement Measure(const CaseName& c, uint64_t n);
  AgentChannel& client() { return bed_->client().agent(); }
  Testbed& testbed() { return *bed_; }
  const MeasureConfig& config() const { return cfg_; }
  // After a failed measurement: the next case starts from a fresh testbed.
  void Discard();
  void Teardown();

 private:
  void Connect(const std::string& test);

  RunContext ctx_;
  MeasureConfig cfg_;
  std::unique_ptr<Testbed> bed_;
  std::string connected_test_;
  std::map<std::string, std::string> failed_;  // topology -> error
};

}  // namespace netbench

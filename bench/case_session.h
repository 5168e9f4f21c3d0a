#pragma once
// Which testbed is up. A case's first call brings its testbed up; consecutive cases of the
// same runtime and driver (both tests, every repetition) reuse it; it is torn down when a
// case of another topology starts, and at the end of the run. A testbed that failed to come
// up is not retried for every repetition: its error is remembered.

#include <map>
#include <memory>
#include <string>

#include "common/case_name.h"
#include "common/protocol.h"
#include "fixtures/run_context.h"
#include "fixtures/testbed.h"

namespace netbench {

struct MeasureConfig {
  uint32_t msg_size = 64;
  uint32_t write_size = 128 * 1024;
  uint32_t chunk_size = 1024 * 1024;
};

class CaseSession {
 public:
  CaseSession(RunContext ctx, MeasureConfig cfg) : ctx_(std::move(ctx)), cfg_(cfg) {}
  ~CaseSession() { Teardown(); }

  // Makes the testbed and the client's data connection ready for case c. Throws SetupError
  // or AgentError with what went wrong.
  void Prepare(const CaseName& c);
  AgentChannel& client() { return bed_->client().agent(); }
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

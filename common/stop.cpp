#include "common/stop.h"

#include <atomic>

#include "common/errors.h"

namespace netbench {
namespace {
std::atomic<bool> g_stop{false};
}  // namespace

void RequestStop() { g_stop.store(true); }
bool StopRequested() { return g_stop.load(); }
void ThrowIfStopping() {
  if (StopRequested()) throw SetupError("netbench is stopping");
}

}  // namespace netbench

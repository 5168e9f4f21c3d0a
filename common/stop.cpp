#include "common/stop.h"

#include <atomic>

#include "common/errors.h"

namespace netbench {
namespace {
std::atomic<bool> g_stop{false};
thread_local bool t_exempt = false;
}  // namespace

void ExemptThisThreadFromStop() { t_exempt = true; }

void RequestStop() { g_stop.store(true); }
bool StopRequested() { return g_stop.load(); }
void ThrowIfStopping() {
  if (StopRequested() && !t_exempt) throw SetupError("netbench is stopping");
}

}  // namespace netbench

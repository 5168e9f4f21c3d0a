// netbench: Google Benchmark cases for container network paths. See README.md.

#include <csignal>
#include <cstdio>

#include "bench/commands.h"
#include "bench/options.h"
#include "common/errors.h"

int main(int argc, char** argv) {
  using namespace netbench;
  // A write to an agent that died must fail with EPIPE and be reported, not end netbench
  // before it can clean up.
  ::signal(SIGPIPE, SIG_IGN);
  try {
    Options o = ParseOptions(argc, argv);
    if (o.command == "up") return Up(o);
    if (o.command == "down") return Down(o);
    if (o.command == "gc") return Gc(o);
    if (o.command == "inspect") return Inspect(o);
    return RunBenchmarks(o);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "netbench: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "netbench: %s\n", e.what());
    return 1;
  }
}

#pragma once
// netbench's sub-commands: run (the benchmark), up, down, gc.

#include "bench/options.h"

namespace netbench {

int RunBenchmarks(const Options& o);
int Up(const Options& o);
int Down(const Options& o);
int Gc(const Options& o);
int Inspect(const Options& o);

}  // namespace netbench

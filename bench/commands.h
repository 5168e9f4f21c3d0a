#pragma once
// netbench's subcommands, one file each: run (the benchmark, cmd_run.cpp), up, down, gc,
// inspect. Each asks the chosen backend; none names one.

#include <memory>
#include <string>

#include "bench/options.h"
#include "fixtures/backend.h"

namespace netbench {

int RunBenchmarks(const Options& o);
int Up(const Options& o);
int Down(const Options& o);
int Gc(const Options& o);
int Inspect(const Options& o);

// Shared by the subcommands.
void RequireRoot(const std::string& what);  // UsageError when not root
std::unique_ptr<Backend> BackendFor(const Options& o);

}  // namespace netbench

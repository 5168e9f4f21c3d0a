// The subcommands for people: up, down, gc, inspect. The backend does the work.

#include <iostream>

#include "bench/commands.h"
#include "common/errors.h"
#include "common/system_info.h"

namespace netbench {

void RequireRoot(const std::string& what) {
  if (!IsRoot())
    throw UsageError(what + " needs root (network namespaces, runc): run it with sudo");
}

std::unique_ptr<Backend> BackendFor(const Options& o) {
  BackendConfig cfg;
  cfg.agent = o.agent;
  cfg.client_cpu = o.client_cpu;
  cfg.server_cpu = o.server_cpu;
  cfg.runc = o.runc;
  cfg.attach = o.attach;
  cfg.count_stray = o.count_stray;
  cfg.docker_host = o.docker_host;
  cfg.runtime_map = o.runtime_map;
  cfg.docker_swarm_init = o.docker_swarm_init;
  cfg.gc_images = o.gc_images;
  cfg.two_engines = o.two_engines;
  return MakeBackend(o.backend, cfg);
}

int Up(const Options& o) {
  RequireRoot("netbench up");
  auto backend = BackendFor(o);
  std::string error;
  auto key = ParseTopologyKey(o.up_case, &error);
  if (!key) throw UsageError(error);
  for (const auto& e : {UnknownError(key->runtime, backend->Runtimes(), "runtime"),
                        UnknownError(key->driver, backend->Drivers(), "driver")})
    if (!e.empty()) throw UsageError(e);
  backend->Up(*key, o.json, std::cout);
  return 0;
}

int Down(const Options& o) {
  RequireRoot("netbench down");
  return BackendFor(o)->Down(o.down_run, std::cout, std::cerr);
}

int Gc(const Options& o) {
  RequireRoot("netbench gc");
  // Every backend's leftovers, whichever --backend says: a crash leaves what it leaves. Docker
  // first: its crash records live in the run directories the netns sweep removes.
  int status = 0;
  for (const auto& name : {"docker", "netns"}) {
    Options each = o;
    each.backend = name;
    status |= BackendFor(each)->CollectGarbage(std::cout, std::cerr);
  }
  return status;
}

int Inspect(const Options& o) {
  RequireRoot("netbench inspect");
  return BackendFor(o)->Inspect(o.inspect_netns, o.json, o.verify, std::cout, std::cerr);
}

}  // namespace netbench

#include "bench/commands.h"

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>

#include "bench/case_session.h"
#include "bench/cases.h"
#include "bench/matrix.h"
#include "common/errors.h"
#include "common/subprocess.h"
#include "common/system_info.h"
#include "fixtures/attach.h"
#include "fixtures/cleanup.h"
#include "fixtures/gc.h"
#include "fixtures/guest_image.h"
#include "fixtures/kata_vm.h"
#include "fixtures/runc_exec.h"
#include "fixtures/testbed.h"
#include "fixtures/vm_accel.h"
#include "netns/netns.h"
#include "netns/nl_socket.h"
#include "netns/tc_inspect.h"
#include "version.h"

namespace netbench {
namespace fs = std::filesystem;

namespace {

std::string SelfDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? "." : exe.parent_path().string();
}

void RequireRoot(const std::string& what) {
  if (!IsRoot())
    throw UsageError(what + " needs root (network namespaces, runc): run it with sudo");
}

// Resolves the programs a run needs; UsageError naming what is missing and how to get it.
RunContext MakeContext(const Options& o, bool need_runc) {
  RunContext ctx;
  ctx.run_id = NewRunId();
  ctx.client_cpu = o.client_cpu;
  ctx.server_cpu = o.server_cpu;
  const int cpus = OnlineCpus();
  if (o.client_cpu >= cpus || o.server_cpu >= cpus)
    throw UsageError(fmt::format("--client-cpu/--server-cpu must be below {} (online CPUs)", cpus));
  ctx.agent_path = o.agent.empty() ? SelfDir() + "/nb-agent" : o.agent;
  if (::access(ctx.agent_path.c_str(), X_OK) != 0)
    throw UsageError("agent binary " + ctx.agent_path +
                     " not found: build it (cmake --build) or pass --agent PATH");
  if (need_runc) {
    auto runc = FindInPath(o.runc);
    if (!runc)
      throw UsageError("runc not found ('" + o.runc + "'): apt-get install runc, or --runc PATH");
    ctx.runc = *runc;
  }
  if (auto s = FindInPath("stress-ng")) ctx.stress_ng = *s;
  return ctx;
}

void AddContext(const Options& o, const RunContext& ctx, const Matrix& m) {
  using benchmark::AddCustomContext;
  AddCustomContext("netbench_version", kVersion);
  AddCustomContext("netbench_commit", kGitCommit);
  AddCustomContext("netbench_run_id", ctx.run_id);
  AddCustomContext("kernel", KernelRelease());
  AddCustomContext("backend", o.backend);
  AddCustomContext("runc_version", ctx.runc.empty() ? "" : ToolVersion(ctx.runc));
  AddCustomContext("placement", fmt::format("host A (client) cpu {}, host B (server) cpu {}; "
                                            "netbench itself unpinned",
                                            ctx.client_cpu, ctx.server_cpu));
  AddCustomContext("tcp_rr_msg_size", std::to_string(o.msg_size));
  AddCustomContext("tcp_stream_write_size", std::to_string(o.write_size));
  AddCustomContext("tcp_stream_chunk_size", std::to_string(o.chunk_size));
  AddCustomContext("address_range", "198.18.0.0/15 (RFC 2544)");
  AddCustomContext("stress",
                   fmt::format("stress-ng --cpu {} --cpu-load {} in the server sandbox, started "
                               "before and stopped after every measured repetition; runc: in a "
                               "child cgroup, excluded from server cpu cost",
                               o.stress_cpus, o.stress_load));
  AddCustomContext("stress_ng_version",
                   ctx.stress_ng.empty() ? "absent" : ToolVersion(ctx.stress_ng));
  AddCustomContext("cpu_cost",
                   "cgroup v1 cpuacct.usage around each run: *_cpu_us_per_tx (tcp_rr), "
                   "*_cpu_s_per_gb (tcp_stream); kata: the QEMU process");
  for (const auto& d : o.drivers) AddCustomContext("address_plan:" + d, PlanFor(d).Describe());
  for (const auto& [name, why] : m.skipped) AddCustomContext("skipped:" + name, why);
}

}  // namespace

namespace {

std::vector<char*> Argv(const std::vector<std::string>& args) {
  std::vector<char*> v;
  for (const auto& a : args) v.push_back(const_cast<char*>(a.c_str()));
  return v;
}

// Whether Google Benchmark's filter selects any case of `runtime` (the same regex search it
// does; a leading '-' negates).
bool FilterSelectsRuntime(const Matrix& all, const std::string& runtime) {
  const std::string f = benchmark::GetBenchmarkFilter();
  const bool negate = f.rfind('-', 0) == 0;
  const std::string pattern = negate ? f.substr(1) : f;
  std::regex re(pattern.empty() || pattern == "all" ? std::string(".") : pattern);
  for (const auto& c : all.cases) {
    if (c.runtime != runtime) continue;
    bool hit = std::regex_search(FormatCaseName(c) + "/manual_time", re);
    if (hit != negate) return true;
  }
  return false;
}

// Why kata cannot run here ("" when it can); prepares the guest and the accelerator.
std::string PrepareKata(RunContext* ctx) {
  if (!FindInPath("qemu-system-x86_64"))
    return "qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)";
  try {
    std::fprintf(stderr, "netbench: preparing the kata guest (first time: download and build)\n");
    KataEnv env;
    env.image = EnsureGuestImage(ctx->agent_path);
    env.accel = DetectVmAccel(env.image);
    ctx->kata = env;
  } catch (const std::exception& e) {
    return std::string("the kata guest could not be prepared: ") + e.what();
  }
  return "";
}

void AddKataContext(const KataEnv& k) {
  using benchmark::AddCustomContext;
  AddCustomContext("vm_accel", k.accel.accel);
  if (!k.accel.why.empty()) AddCustomContext("vm_accel_note", k.accel.why);
  AddCustomContext("vhost_net", k.accel.vhost_net ? "yes" : "no");
  if (!k.accel.vhost_why.empty()) AddCustomContext("vhost_net_note", k.accel.vhost_why);
  AddCustomContext("qemu_version", k.accel.qemu_version);
  AddCustomContext("guest_kernel", k.image.kernel_release);
  AddCustomContext("kata_model",
                   "netns backend: Kata's tcfilter wiring (TAP + tc mirred, verified) and a QEMU "
                   "VM per side running nb-agent; no kata-runtime, shim or kata-agent");
}

}  // namespace

int RunBenchmarks(const Options& o) {
  if (o.list_only) {
    Matrix m = BuildMatrix(o.runtimes, o.drivers, o.tests, o.loads, {});
    auto args = Argv(o.benchmark_args);
    int argc = static_cast<int>(args.size());
    benchmark::Initialize(&argc, args.data());
    for (const auto& [name, why] : m.skipped)
      std::fprintf(stderr, "netbench: skipped %s: %s\n", name.c_str(), why.c_str());
    RegisterCases(m, nullptr);
    benchmark::RunSpecifiedBenchmarks();
    return 0;
  }
  RequireRoot("netbench");
  // --attach: the testbed decides the runtime, driver and CPUs.
  Options eff = o;
  std::optional<UpState> up;
  std::unique_ptr<AttachLock> attach_lock;
  if (!o.attach.empty()) {
    up = ReadUpState(o.attach);
    eff.runtimes = {up->key.runtime};
    eff.drivers = {up->key.driver};
    eff.client_cpu = up->client_cpu;
    eff.server_cpu = up->server_cpu;
    attach_lock = std::make_unique<AttachLock>(up->run_id);
  }
  RunContext ctx = MakeContext(eff, /*need_runc=*/true);
  if (up) {
    ctx.run_id = up->run_id;
    ctx.attached = true;
    std::fprintf(stderr,
                 "netbench: attached to %s (%s, left up by `netbench up`): its cases only\n",
                 ctx.run_id.c_str(), up->key.str().c_str());
  }
  InstallSignalCleanup(ctx);
  if (ctx.attached) StopExecAgents(ctx.runc, ctx.run_id);  // what a crashed attach left
  std::optional<RunDirectory> run_dir;
  if (!ctx.attached) run_dir.emplace(ctx);

  auto args = Argv(o.benchmark_args);
  int argc = static_cast<int>(args.size());
  benchmark::Initialize(&argc, args.data());
  if (benchmark::ReportUnrecognizedArguments(argc, args.data())) return 2;

  Unavailable unavailable;
  const bool wants_kata =
      std::find(eff.runtimes.begin(), eff.runtimes.end(), "kata") != eff.runtimes.end() &&
      FilterSelectsRuntime(BuildMatrix({"kata"}, eff.drivers, eff.tests, eff.loads, {}), "kata");
  if (wants_kata) {
    if (std::string why = PrepareKata(&ctx); !why.empty()) unavailable["kata"] = why;
  }
  Matrix m = BuildMatrix(eff.runtimes, eff.drivers, eff.tests, eff.loads, unavailable);
  for (const auto& [name, why] : m.skipped)
    std::fprintf(stderr, "netbench: skipped %s: %s\n", name.c_str(), why.c_str());
  AddContext(eff, ctx, m);
  if (up)
    benchmark::AddCustomContext("attached_to",
                                ctx.run_id + " (" + up->key.str() +
                                    ", left up by netbench up; agents started with runc exec)");
  if (ctx.kata) {
    AddKataContext(*ctx.kata);
    if (ctx.kata->accel.accel != "kvm")
      std::fprintf(stderr,
                   "netbench: kata VMs run under %s: %s. Their numbers mostly measure "
                   "the CPU emulator, not Kata on KVM.\n",
                   ctx.kata->accel.accel.c_str(), ctx.kata->accel.why.c_str());
  }
  CaseSession session(ctx, MeasureConfig{o.msg_size, o.write_size, o.chunk_size,
                                         proto::StressCmd{o.stress_cpus, o.stress_load}});
  RegisterCases(m, &session);
  benchmark::RunSpecifiedBenchmarks();
  session.Teardown();
  benchmark::Shutdown();
  return 0;
}

int Up(const Options& o) {
  RequireRoot("netbench up");
  std::string error;
  auto key = ParseTopologyKey(o.up_case, &error);
  if (!key) throw UsageError(error);
  if (auto why = UnsupportedReason(key->runtime, key->driver); !why.empty())
    throw UsageError(key->str() + ": " + why);
  RunContext ctx = MakeContext(o, true);
  InstallSignalCleanup(ctx);
  if (key->runtime == "kata") {
    if (std::string why = PrepareKata(&ctx); !why.empty()) throw SetupError(why);
  }
  RunDirectory run_dir(ctx);
  std::unique_ptr<Testbed> bed;
  {
    std::lock_guard lock(FixtureMutex());
    bed = Testbed::Up(ctx, *key, /*detached=*/true);
  }
  const Topology& t = bed->topology();
  const AddressPlan& p = t.plan();
  nlohmann::json j = {
      {"run_id", ctx.run_id},
      {"case", key->str()},
      {"client_netns", t.client_netns_path()},
      {"server_netns", t.server_netns_path()},
      {"host_a_netns", t.host_a_netns_path()},
      {"host_b_netns", t.host_b_netns_path()},
      {"client_ip", p.client.empty() ? HostPart(p.wire_a) : HostPart(p.client)},
      {"server_ip", HostPart(p.server)},
      {"target_ip", p.target_ip},
      {"port", p.port},
      {"port_range_end", p.port_range_end},
      {"client_cpu", ctx.client_cpu},
      {"server_cpu", ctx.server_cpu},
      {"plan", p.Describe()},
  };
  {
    std::ofstream f(ctx.StateDir() + "/up.json");
    f << j.dump(2) << "\n";
  }
  bed->Release();
  run_dir.Release();
  if (o.json) {
    std::cout << j.dump(2) << std::endl;
    return 0;
  }
  std::cout << fmt::format(
      "netbench: {} is up as run {}\n"
      "  {}\n"
      "  client netns {} (cpu {}), server netns {} (cpu {})\n"
      "  the server agent serves {}:{} (ports {}-{} are published/reachable)\n"
      "  enter the client side: nsenter --net={} -- taskset -c {} bash\n"
      "  enter the server side: nsenter --net={} -- taskset -c {} bash\n"
      "  remove it:             netbench down {}\n",
      key->str(), ctx.run_id, p.Describe(), t.client_netns_path(), ctx.client_cpu,
      t.server_netns_path(), ctx.server_cpu, p.target_ip, p.port, p.port, p.port_range_end,
      t.client_netns_path(), ctx.client_cpu, t.server_netns_path(), ctx.server_cpu, ctx.run_id);
  return 0;
}

int Down(const Options& o) {
  RequireRoot("netbench down");
  std::vector<std::string> runs;
  if (!o.down_run.empty()) {
    if (o.down_run.rfind(kObjectPrefix, 0) != 0)
      throw UsageError("'" + o.down_run + "' is not a netbench run id (nb-xxxxxx)");
    runs.push_back(o.down_run);
  } else {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(kStateRoot, ec))
      if (fs::exists(e.path() / "up.json")) runs.push_back(e.path().filename().string());
  }
  const std::string runc = FindInPath(o.runc).value_or(o.runc);
  int errors = 0;
  for (const auto& run : runs) {
    GcReport r = CollectGarbage(runc, run);
    std::cout << "netbench: removed run " << run << " (" << r.removed.size() << " objects)\n";
    for (const auto& e : r.errors) std::cerr << "netbench: " << e << "\n";
    errors += static_cast<int>(r.errors.size());
  }
  if (runs.empty()) std::cout << "netbench: nothing is up\n";
  return errors ? 1 : 0;
}

int Inspect(const Options& o) {
  RequireRoot("netbench inspect");
  std::string path = o.inspect_netns;
  if (path.find('/') == std::string::npos) path = std::string(netns::kNetnsDir) + "/" + path;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw UsageError("no network namespace " + path + " (see `ip netns list`)");
  netns::TcReport r;
  {
    netns::NlSocket s(fd);
    r = netns::InspectKataWiring(s, "eth0", kKataTap);
  }
  ::close(fd);
  if (o.json)
    std::cout << netns::ToJson(r).dump(2) << std::endl;
  else
    std::cout << netns::ToText(r);
  if (o.verify && !r.ok()) {
    for (const auto& m : r.missing) std::cerr << "netbench: missing " << m << "\n";
    return 1;
  }
  return 0;
}

int Gc(const Options& o) {
  RequireRoot("netbench gc");
  const std::string runc = FindInPath(o.runc).value_or(o.runc);
  GcReport r = CollectGarbage(runc, kObjectPrefix);
  for (const auto& x : r.removed) std::cout << "removed " << x << "\n";
  for (const auto& e : r.errors) std::cerr << "netbench: gc: " << e << "\n";
  if (r.removed.empty() && r.errors.empty()) std::cout << "netbench: nothing to remove\n";
  return r.errors.empty() ? 0 : 1;
}

}  // namespace netbench

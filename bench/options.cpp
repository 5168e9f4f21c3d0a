#include "bench/options.h"

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "bench/test_registry.h"
#include "common/case_name.h"
#include "common/errors.h"
#include "common/protocol.h"
#include "common/text.h"
#include "fixtures/backend.h"

namespace netbench {

std::vector<std::string> DefaultBenchmarkFlags() {
  // 15 repetitions: the paper's. The console shows the aggregates; the JSON keeps every
  // repetition (compare tools need them).
  return {"--benchmark_repetitions=15", "--benchmark_display_aggregates_only=true"};
}

std::optional<std::string> BenchmarkFlag(const std::vector<std::string>& args,
                                         const std::string& name) {
  const std::string prefix = "--benchmark_" + name + "=";
  std::optional<std::string> value;
  for (const auto& a : args)
    if (a.rfind(prefix, 0) == 0) value = a.substr(prefix.size());
  return value;
}

namespace {

// The Google Benchmark flags netbench must understand too, checked before anything is made:
// Google Benchmark 1.7.1 would accept them and then measure nothing useful.
void CheckBenchmarkFlags(Options* o) {
  const auto& args = o->benchmark_args;
  if (auto r = BenchmarkFlag(args, "repetitions")) {
    char* end = nullptr;
    const long n = std::strtol(r->c_str(), &end, 10);
    if (r->empty() || *end != '\0' || n < 1 || n > 100000)
      throw UsageError("--benchmark_repetitions=" + *r + ": give a whole number of at least 1");
    o->repetitions = static_cast<int>(n);
  }
  if (auto t = BenchmarkFlag(args, "min_time")) {
    char* end = nullptr;
    const double s = std::strtod(t->c_str(), &end);
    if (!t->empty() && *end == 's')
      throw UsageError("--benchmark_min_time=" + *t +
                       ": Google Benchmark 1.7.1 takes plain seconds (0.5, not 0.5s)");
    if (t->empty() || *end != '\0' || !(s > 0))
      throw UsageError("--benchmark_min_time=" + *t + ": give a number of seconds above 0");
    o->min_time_s = s;
  }
  if (auto f = BenchmarkFlag(args, "out_format"); f && *f != "json")
    throw UsageError("--benchmark_out_format=" + *f +
                     ": netbench writes --benchmark_out as JSON only (the format compare.py "
                     "reads)");
  if (auto out = BenchmarkFlag(args, "out")) {
    if (out->empty()) throw UsageError("--benchmark_out= needs a file name");
    namespace fs = std::filesystem;
    const fs::path p(*out);
    const fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
      throw UsageError("--benchmark_out=" + *out + ": no directory " + dir.string() +
                       " (create it first)");
    if (fs::is_directory(p, ec))
      throw UsageError("--benchmark_out=" + *out + " is a directory; give a file name");
    if (::access(dir.c_str(), W_OK) != 0)
      throw UsageError("--benchmark_out=" + *out + ": cannot write in " + dir.string());
    o->out_path = *out;
  }
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

void CheckSizes(const Options& o) {
  proto::DataConfig rr{proto::Mode::kRR, o.msg_size, o.write_size, o.chunk_size};
  if (auto e = proto::Validate(rr)) throw UsageError("--msg-size: " + *e);
  proto::DataConfig st = rr;
  st.mode = proto::Mode::kStream;
  if (auto e = proto::Validate(st)) throw UsageError("--write-size/--chunk-size: " + *e);
  proto::DataConfig udp = rr;
  udp.mode = proto::Mode::kUdpRR;
  if (std::find(o.tests.begin(), o.tests.end(), "udp_rr") != o.tests.end())
    if (auto e = proto::Validate(udp)) throw UsageError("--msg-size: " + *e);
}

}  // namespace

Options ParseOptions(int argc, char** argv) {
  Options o;
  o.benchmark_args.push_back(argc > 0 ? argv[0] : "netbench");
  for (const auto& f : DefaultBenchmarkFlags()) o.benchmark_args.push_back(f);
  std::vector<std::string> mine;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("--benchmark_", 0) != 0) {
      mine.push_back(a);
      continue;
    }
    const bool off = a.find("=false") != std::string::npos;
    if (a.rfind("--benchmark_enable_random_interleaving", 0) == 0 && !off)
      throw UsageError(
          "--benchmark_enable_random_interleaving is not supported: netbench keeps one "
          "topology up across a case's repetitions");
    if (a.rfind("--benchmark_list_tests", 0) == 0 && !off) o.list_only = true;
    o.benchmark_args.push_back(a);
  }
  std::reverse(mine.begin(), mine.end());  // CLI11 parses a reversed vector

  CLI::App app{
      "netbench: what a container runtime and a Docker network driver cost the network.\n"
      "Cases are named runtime/driver/test[/stress]; select them with --benchmark_filter."};
  app.set_help_flag("-h,--help", "Print this help (netbench's and Google Benchmark's flags)");
  // Runtimes and drivers are the backend's; the default backend's are shown.
  const auto default_backend = MakeBackend(o.backend, {});
  std::string runtimes = Join(default_backend->Runtimes()),
              drivers = Join(default_backend->Drivers()), tests = Join(DefaultTestNames()),
              loads = Join(o.loads);
  app.add_option("--backend", o.backend,
                 "Where cases run: " + Join(BackendNames()) + " (embedded namespaces + runc/QEMU)")
      ->capture_default_str();
  app.add_option("--runtimes", runtimes,
                 "Runtimes to register, comma separated (the backend's; netns: runc, and kata, "
                 "a QEMU VM per side)")
      ->capture_default_str();
  app.add_option("--drivers", drivers, "Network drivers (bridge, host, macvlan, overlay)")
      ->capture_default_str();
  app.add_option("--tests", tests, "Tests (" + Join(TestNames()) + "; by default the study's)")
      ->capture_default_str();
  app.add_option("--loads", loads, "Server loads (idle, stress)")->capture_default_str();
  std::string streams = "1";
  app.add_option("--streams", streams,
                 "tcp_stream's parallel connections, comma separated (N > 1 is the case "
                 ".../tcp_stream/streams:N)")
      ->capture_default_str();
  std::string polls = "blocking";
  app.add_option("--poll", polls,
                 "How tcp_rr and udp_rr wait for data: blocking, busy (both ends spinning; idle "
                 "load only; the case .../poll:busy), comma separated")
      ->capture_default_str();
  app.add_option("--stress-cpus", o.stress_cpus,
                 "stress-ng --cpu N in the server (default: the server side's CPUs, 1)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--stress-load", o.stress_load, "stress-ng --cpu-load percentage")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  app.add_option("--msg-size", o.msg_size, "tcp_rr message size in bytes (K/M suffixes)")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  app.add_option("--write-size", o.write_size, "tcp_stream bytes per send()")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  app.add_option("--chunk-size", o.chunk_size, "tcp_stream bytes per iteration")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  app.add_option("--stream-warmup", o.stream_warmup_s,
                 "Seconds a stream test's connection carries data before anything is measured "
                 "(as iperf3's -O; four streams here ran slower in their first second)")
      ->check(CLI::Range(0.0, 60.0))
      ->capture_default_str();
  app.add_option("--client-cpu", o.client_cpu, "CPU of host A (the client side)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--server-cpu", o.server_cpu, "CPU of host B (the server side)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--attach", o.attach,
                 "Measure on the runc testbed `netbench up` left as RUN (nb-xxxxxx), with "
                 "agents exec'd into its containers; only that runtime/driver's cases run")
      ->type_name("RUN");
  app.add_option("--runc", o.runc, "runc binary")->capture_default_str();
  std::vector<std::string> runtime_maps;
  app.add_option("--docker-host", o.docker_host,
                 "docker: the engine, unix:///path or tcp://host:port (default: DOCKER_HOST, "
                 "else unix:///var/run/docker.sock); tcp:// uses TLS when DOCKER_TLS_VERIFY is "
                 "set, with DOCKER_CERT_PATH's ca.pem, cert.pem, key.pem");
  app.add_option("--runtime", runtime_maps,
                 "docker: run netbench runtime NAME with the engine's runtime ENGINE_RUNTIME "
                 "(repeatable), e.g. kata=io.containerd.kata.v2")
      ->type_name("NAME=ENGINE_RUNTIME");
  app.add_flag("--docker-swarm-init", o.docker_swarm_init,
               "docker: for overlay, make the engine a single-node swarm (in 198.18.0.0/15), "
               "or with two engines a swarm of both (init on the server's, join from the "
               "client's), and leave it after; without it overlay needs engines in a swarm");
  TwoEngineConfig& two = o.two_engines;
  app.add_option("--server-docker-host", two.server_docker_host,
                 "docker: the server side's engine, on a second host (as --docker-host; "
                 "default: --docker-host's engine for both sides)")
      ->type_name("ADDR");
  app.add_option("--server-docker-cert-path", two.server_cert_path,
                 "docker: ca.pem, cert.pem, key.pem for --server-docker-host (default: "
                 "DOCKER_CERT_PATH)")
      ->type_name("DIR");
  app.add_option("--docker-host-ip", two.client_host_ip,
                 "docker, two engines: the client host's address on the link to the server's, "
                 "in 198.18.0.0/15 (default: this machine's source address toward the server "
                 "host, when the client's engine is on this machine)")
      ->type_name("IP");
  app.add_option("--server-docker-host-ip", two.server_host_ip,
                 "docker, two engines: the server host's address on that link, in "
                 "198.18.0.0/15; its published ports and swarm are there (default: the "
                 "address in --server-docker-host)")
      ->type_name("IP");
  app.add_option("--docker-macvlan-parent", two.client_macvlan_parent,
                 "docker, two engines: the client host's interface on that link, macvlan's "
                 "parent (default: the one holding --docker-host-ip, on this machine)")
      ->type_name("IF");
  app.add_option("--server-docker-macvlan-parent", two.server_macvlan_parent,
                 "docker, two engines: the server host's interface on that link (without it "
                 "macvlan is skipped)")
      ->type_name("IF");
  app.add_flag("-q,--quiet", o.quiet, "No progress lines on stderr (the results still print)");
  app.add_flag("--count-stray-traffic", o.count_stray,
               "Count, in every namespace netbench makes, packets with an address outside "
               "198.18.0.0/15 and loopback (counter stray_packets)");
  app.add_option("--agent", o.agent, "nb-agent binary (default: next to netbench)");

  CLI::App* up = app.add_subcommand(
      "up", "Bring one topology up and leave it, for debugging a path: runtime/driver");
  up->add_option("case", o.up_case, "runtime/driver, e.g. runc/bridge")->required();
  up->add_flag("--json", o.json, "Print what was made as JSON");
  CLI::App* down = app.add_subcommand("down", "Remove topologies left by `netbench up`");
  down->add_option("run", o.down_run, "The run id `up` printed (default: all of them)");
  CLI::App* gc = app.add_subcommand("gc", "Remove everything netbench left behind (after a crash)");
  gc->add_flag("--images", o.gc_images,
               "Also remove netbench's cached Docker image (netbench-agent:<hash>)");
  CLI::App* inspect = app.add_subcommand(
      "inspect", "Show the Kata tc wiring (qdiscs, u32 filters, mirred actions) of a namespace");
  inspect->add_option("netns", o.inspect_netns, "namespace name (/run/netns/NAME) or path")
      ->required();
  inspect->add_flag("--json", o.json, "Print as JSON");
  inspect->add_flag("--verify", o.verify, "Exit 1 naming each direction that is not wired");

  try {
    app.parse(mine);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help()
              << "\nGoogle Benchmark flags (netbench's defaults come first, "
                 "yours win):\n  ";
    for (const auto& f : DefaultBenchmarkFlags()) std::cout << f << " ";
    std::cout << "\n";
    benchmark::PrintDefaultHelp();
    std::exit(0);
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    throw UsageError(what + " (see netbench --help)");
  }
  if (up->parsed())
    o.command = "up";
  else if (down->parsed())
    o.command = "down";
  else if (app.got_subcommand("gc"))
    o.command = "gc";
  else if (inspect->parsed())
    o.command = "inspect";

  const auto backend = MakeBackend(o.backend, {});  // UsageError naming the known ones
  // Unless given, a backend's own runtimes and drivers.
  o.runtimes_given = app.count("--runtimes") > 0;
  for (const auto& m : runtime_maps) {
    const auto eq = m.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == m.size())
      throw UsageError("--runtime " + m +
                       ": expected NAME=ENGINE_RUNTIME (e.g. kata=kata-runtime)");
    o.runtime_map[m.substr(0, eq)] = m.substr(eq + 1);
  }
  if (!o.runtime_map.empty() && !backend->AnyRuntime())
    throw UsageError("--runtime maps runtimes to a Docker engine's: use it with --backend docker");
  // A Docker engine's runtimes are its own: any well-formed name, checked against the engine
  // once it answers.
  std::vector<std::string> known = backend->Runtimes();
  if (backend->AnyRuntime())
    for (std::string_view v : SplitView(runtimes, ',')) {
      const std::string r(v);
      if (r.empty() ||
          r.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789._-") != std::string::npos)
        throw UsageError("--runtimes: '" + r +
                         "' is not a runtime name (lower-case letters, digits, '.', '_', '-')");
      if (std::find(known.begin(), known.end(), r) == known.end()) known.push_back(r);
    }
  o.runtimes =
      ParseList(app.count("--runtimes") ? runtimes : Join(backend->Runtimes()), known, "runtime");
  o.drivers = ParseList(app.count("--drivers") ? drivers : Join(backend->Drivers()),
                        backend->Drivers(), "driver");
  o.tests = ParseList(tests, TestNames(), "test");
  // A test outside the default set runs when --tests names it, or when the filter does
  // (--benchmark_filter=runc/bridge/start), so a filter alone can select it.
  if (!app.count("--tests"))
    if (auto f = BenchmarkFlag(o.benchmark_args, "filter"))
      for (const auto& t : TestNames())
        if (f->find(t) != std::string::npos &&
            std::find(o.tests.begin(), o.tests.end(), t) == o.tests.end())
          o.tests.push_back(t);
  o.loads = ParseList(loads, kLoads, "load");
  o.variants.streams = ParseStreams(streams);
  o.variants.polls.clear();
  for (const auto& p : ParseList(polls, kPollModes, "poll mode"))
    o.variants.polls.push_back(PollFromName(p));
  // A variant named by the filter alone runs too (--benchmark_filter=tcp_stream/streams:4).
  if (auto f = BenchmarkFlag(o.benchmark_args, "filter")) {
    if (!app.count("--streams"))
      for (uint32_t n : StreamsNamedIn(*f))
        if (std::find(o.variants.streams.begin(), o.variants.streams.end(), n) ==
            o.variants.streams.end())
          o.variants.streams.push_back(n);
    if (!app.count("--poll") && f->find("poll:busy") != std::string::npos &&
        std::find(o.variants.polls.begin(), o.variants.polls.end(), proto::Poll::kBusy) ==
            o.variants.polls.end())
      o.variants.polls.push_back(proto::Poll::kBusy);
  }
  CheckSizes(o);
  CheckBenchmarkFlags(&o);
  if (o.client_cpu == o.server_cpu)
    throw UsageError("--client-cpu and --server-cpu must differ (two emulated hosts)");
  return o;
}

}  // namespace netbench

// The Docker backend against a live engine: DOCKER_HOST's (tools/docker_engine.sh start makes a
// private one). Every test is skipped when DOCKER_HOST is unset or its engine does not answer
// /_ping. What the engine and the machine hold is read with the system's own tools (curl on
// the engine's socket, ip -j link, /run/netbench, cgroupfs), never with netbench's code, except
// where that code is what a test is about.

#include "fixtures/docker/docker_backend.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include "bench/case_session.h"
#include "bench/test_registry.h"
#include "common/text.h"
#include "fixtures/docker/agent_image.h"
#include "fixtures/docker/engine_api.h"
#include "fixtures/docker/engine_client.h"
#include "fixtures/rootfs.h"
#include "fixtures/run_state.h"
#include "tests/integration/traces.h"

namespace netbench {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::Sh;
using Clock = std::chrono::steady_clock;

const std::string kNetbench = NETBENCH_BIN;
const std::string kAgent = NETBENCH_AGENT;
constexpr const char* kRunLabel = "io.netbench.run";
constexpr const char* kImageLabel = "io.netbench.image";

double Since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string DockerHost() {
  const char* h = std::getenv("DOCKER_HOST");
  return h ? h : "";
}

// The engine's socket from DOCKER_HOST ("unix:///path"); "" when it names none.
std::string EngineSocket() {
  const std::string h = DockerHost();
  if (h.rfind("unix://", 0) == 0) return h.substr(7);
  return h.rfind('/', 0) == 0 ? h : "";
}

// One shell word. (common/subprocess.h has ShellQuote, Spawn and WaitFor, but its RunResult
// clashes with bench/test_registry.h's, which the CPU meter test needs: plain POSIX here.)
std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string StressNg() {
  auto r = Sh("command -v stress-ng");
  return r.code == 0 ? r.out.substr(0, r.out.find('\n')) : "";
}

// curl on the engine's socket: a call of Engine API v1.41. `filters` (JSON) is URL-encoded by
// curl. The answer parsed as JSON (discarded when it is not JSON).
json Api(const std::string& method, const std::string& path, const std::string& filters = "") {
  std::string cmd = "curl -s --max-time 30 --unix-socket " + Quote(EngineSocket()) + " -X " +
                    method +
                    (filters.empty() ? "" : " -G --data-urlencode " + Quote("filters=" + filters)) +
                    " " + Quote("http://docker/v1.41" + path);
  return json::parse(Sh(cmd + " 2>/dev/null", 40000).out, nullptr, false);
}
// A GET whose answer must be JSON (a failure, and null, when it is not).
json Get(const std::string& path, const std::string& filters = "") {
  json j = Api("GET", path, filters);
  if (!j.is_discarded()) return j;
  ADD_FAILURE() << "GET " << path << " " << filters << ": no JSON from the engine";
  return nullptr;
}

// HTTP status of a GET (curl's own view), e.g. 404 for a missing container.
int StatusOf(const std::string& path) {
  auto r = Sh("curl -s -o /dev/null -w '%{http_code}' --max-time 30 --unix-socket " +
              Quote(EngineSocket()) + " " + Quote("http://docker/v1.41" + path) + " 2>/dev/null");
  return std::atoi(r.out.c_str());
}

// The string at a JSON pointer ("/Config/Labels/io.netbench.run"); "" when absent.
std::string At(const json& j, const std::string& pointer) {
  const json::json_pointer p(pointer);
  return j.is_object() && j.contains(p) && j[p].is_string() ? j[p].get<std::string>() : "";
}

std::string LabelFilter(const std::string& label, const std::string& value = "") {
  return json{{"label", {value.empty() ? label : label + "=" + value}}}.dump();
}

// What a Docker run may leave on the machine.
struct MachineState {
  std::vector<std::string> containers;  // labelled io.netbench.run: "name (state)"
  std::vector<std::string> networks;    // labelled io.netbench.run
  std::string swarm;                    // Swarm.LocalNodeState
  bool gwbridge = false;                // a network named docker_gwbridge
  std::vector<std::string> links;       // host links named nb-*
  bool run_root = false;                // /run/netbench exists
  std::vector<std::string> run_files;   // everything under it

  bool Clean() const {
    return containers.empty() && networks.empty() && swarm == "inactive" && !gwbridge &&
           links.empty() && !run_root;
  }
  std::string Describe() const {
    std::ostringstream s;
    s << "containers [" << testing::Join(containers) << " ], networks [" << testing::Join(networks)
      << " ], swarm " << swarm << ", docker_gwbridge " << (gwbridge ? "present" : "absent")
      << ", links [" << testing::Join(links) << " ], /run/netbench "
      << (run_root ? "present [" + testing::Join(run_files) + " ]" : "absent");
    return s.str();
  }
};

MachineState ReadMachine() {
  MachineState m;
  for (const auto& c : Get("/containers/json?all=1", LabelFilter(kRunLabel))) {
    const json names = c.value("Names", json::array());
    const std::string name = names.empty() ? c.value("Id", "?") : names[0].get<std::string>();
    m.containers.push_back(name + " (" + c.value("State", "?") + ")");
  }
  for (const auto& n : Get("/networks", LabelFilter(kRunLabel)))
    m.networks.push_back(n.value("Name", "?"));
  m.swarm = Get("/info").value("Swarm", json::object()).value("LocalNodeState", "?");
  m.gwbridge = StatusOf("/networks/docker_gwbridge") == 200;
  // A dump taken while links come and go can be cut short ("Dump was interrupted"): again.
  json links;
  for (int i = 0; i < 5 && !links.is_array(); ++i)
    links = json::parse(Sh("ip -j link 2>/dev/null").out, nullptr, false);
  if (!links.is_array()) ADD_FAILURE() << "ip -j link printed no JSON";
  for (const auto& l : links.is_array() ? links : json::array()) {
    const std::string name = l.value("ifname", "");
    if (name.rfind("nb-", 0) == 0) m.links.push_back(name);
  }
  std::error_code ec;
  m.run_root = fs::exists("/run/netbench", ec);
  if (m.run_root)
    for (const auto& e : fs::recursive_directory_iterator("/run/netbench", ec))
      m.run_files.push_back(e.path().string());
  return m;
}

// The id of the container named `name` that carries run's label ("" when there is none).
std::string ContainerId(const std::string& run, const std::string& name) {
  for (const auto& c : Get("/containers/json?all=1", LabelFilter(kRunLabel, run)))
    for (const auto& n : c.value("Names", json::array()))
      if (n.get<std::string>() == "/" + name) return c.value("Id", "");
  return "";
}

// The labelled netbench images (id -> tags), read with curl.
std::map<std::string, std::string> NetbenchImages() {
  std::map<std::string, std::string> out;
  for (const auto& i : Get("/images/json", LabelFilter(kImageLabel)))
    out[i.value("Id", "")] = i.value("RepoTags", json::array()).dump();
  return out;
}

void RemoveImageWithCurl(const std::string& ref) {
  Sh("curl -s --max-time 60 --unix-socket " + Quote(EngineSocket()) + " -X DELETE " +
     Quote("http://docker/v1.41/images/" + ref + "?force=1"));
}

// A netbench process started in the background, its stdout and stderr in a file.
class NetbenchProcess {
 public:
  explicit NetbenchProcess(const std::vector<std::string>& args) {
    char dir[] = "/tmp/nb-docker-test.XXXXXX";
    dir_ = ::mkdtemp(dir);
    out_path_ = dir_ + "/output";
    std::vector<std::string> argv = {kNetbench};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    const int out = ::open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    pid_ = ::fork();
    if (pid_ == 0) {
      sigset_t none;  // a test that made a backend blocked SIGINT in its thread: not here
      sigemptyset(&none);
      ::sigprocmask(SIG_SETMASK, &none, nullptr);
      ::setpgid(0, 0);  // its own group, as a terminal's job: signals reach netbench only
      ::dup2(in, 0);
      ::dup2(out, 1);
      ::dup2(out, 2);
      ::execv(cargv[0], cargv.data());
      ::_exit(127);
    }
    ::close(out);
    ::close(in);
  }
  // One still running when a test gives up is stopped as Ctrl-C would (it then removes what
  // it made), and killed only if that does not end it.
  ~NetbenchProcess() {
    if (!code_ && pid_ > 0) {
      ::kill(pid_, SIGINT);
      if (!Wait(60000)) {
        ::kill(pid_, SIGKILL);
        Wait(-1);
      }
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  pid_t pid() const { return pid_; }
  bool running() { return !Wait(0); }
  // Its exit status (128+signal when killed), or nullopt while it runs after timeout_ms
  // (-1: wait for it).
  std::optional<int> Wait(int timeout_ms) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    while (!code_ && pid_ > 0) {
      int status = 0;
      const pid_t r = ::waitpid(pid_, &status, timeout_ms < 0 ? 0 : WNOHANG);
      if (r == pid_)
        code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      else if (r < 0 || (timeout_ms >= 0 && Clock::now() >= deadline))
        break;
      else
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return code_;
  }
  std::string Output() const { return ReadWholeFile(out_path_).value_or(""); }
  // Polls the machine every ~150 ms while netbench runs, until `done` holds for what is read
  // (true) or netbench exits or time runs out (false). `seen` gets every state read.
  bool PollUntil(const std::function<bool(const MachineState&)>& done, int timeout_ms,
                 const std::function<void(const MachineState&)>& seen = nullptr) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    while (running() && Clock::now() < deadline) {
      const MachineState m = ReadMachine();
      if (seen) seen(m);
      if (done(m)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(150));
    }
    return false;
  }

 private:
  std::string dir_, out_path_;
  pid_t pid_ = -1;
  std::optional<int> code_;
};

class DockerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (EngineSocket().empty())
      GTEST_SKIP() << "DOCKER_HOST is unset (or not unix://): start one with "
                      "tools/docker_engine.sh start";
    auto ping =
        Sh("curl -s --max-time 5 --unix-socket " + Quote(EngineSocket()) + " http://docker/_ping");
    if (ping.out != "OK")
      GTEST_SKIP() << "the engine at " << DockerHost()
                   << " does not answer /_ping: start one with tools/docker_engine.sh start";
    ASSERT_EQ(::geteuid(), 0u) << "docker tests run as root";
  }
  // The run's leak checks can only tell something if the machine is clean before it.
  void AssertCleanBefore() {
    const MachineState m = ReadMachine();
    ASSERT_TRUE(m.Clean()) << "the machine is not clean before the test (netbench gc?): "
                           << m.Describe();
  }
  void ExpectClean(const std::string& when) {
    const MachineState m = ReadMachine();
    EXPECT_TRUE(m.Clean()) << when << ": " << m.Describe();
  }
  // After a failed test that ran netbench, what it left is removed, so the next test starts
  // clean (this one has failed already).
  void TearDown() override {
    if (!HasFailure() || IsSkipped() || ReadMachine().Clean()) return;
    auto gc = Sh(kNetbench + " gc 2>&1", 120000);
    std::printf("after the failure, netbench gc (exit %d):\n%s", gc.code, gc.out.c_str());
  }
};

// --- 1. The Engine API client against the live engine ---------------------------------------

class EngineApi : public DockerTest {
 protected:
  void SetUp() override {
    DockerTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    engine_ = std::make_unique<docker::EngineClient>(
        docker::ParseEngineAddress(DockerHost(), docker::ProcessEngineEnv()));
    run_ = NewRunId();
  }
  void TearDown() override {
    if (run_.empty()) return;
    for (const auto& c : Get("/containers/json?all=1", LabelFilter(kRunLabel, run_)))
      Api("DELETE", "/containers/" + c.value("Id", "") + "?force=1&v=1");
  }
  // A container of the netbench image, labelled with this test's run; its agent waits on its
  // open stdin, so it keeps running once started.
  std::string CreateAgentContainer(const std::string& name) {
    const docker::AgentImage img =
        docker::EnsureAgentImage(*engine_, RootfsSpec{"", kAgent, StressNg()});
    return docker::CreateContainer(*engine_, name,
                                   {{"Image", img.ref},
                                    {"Cmd", {"/nb-agent"}},
                                    {"OpenStdin", true},
                                    {"Labels", {{kRunLabel, run_}}},
                                    {"HostConfig", {{"Runtime", "runc"}}}});
  }
  std::unique_ptr<docker::EngineClient> engine_;
  std::string run_;
};

TEST_F(EngineApi, NegotiateReportsTheVersionAnApiOfAtLeast1_41AndCrun) {
  const docker::EngineFacts f = docker::Negotiate(*engine_);
  const json version = Get("/version");
  EXPECT_FALSE(f.version.empty());
  EXPECT_EQ(f.version, version.value("Version", "?"));
  EXPECT_EQ(f.api_version, version.value("ApiVersion", "?"));
  int major = 0, minor = 0;
  ASSERT_EQ(std::sscanf(f.api_version.c_str(), "%d.%d", &major, &minor), 2) << f.api_version;
  EXPECT_TRUE(major > 1 || (major == 1 && minor >= 41)) << f.api_version;
  EXPECT_TRUE(f.runtimes.count("crun")) << "the test engine registers crun";
  EXPECT_TRUE(f.runtimes.count("runc"));
  EXPECT_EQ(f.cgroup_driver, Get("/info").value("CgroupDriver", "?"));
  std::printf("engine %s, API %s, runtimes:", f.version.c_str(), f.api_version.c_str());
  for (const auto& [name, path] : f.runtimes) std::printf(" %s", name.c_str());
  std::printf("\n");
}

TEST_F(EngineApi, AContainerOfTheNetbenchImageIsCreatedInspectedAndRemoved) {
  const std::string name = run_ + "-api";
  const std::string id = CreateAgentContainer(name);
  ASSERT_EQ(id.size(), 64u) << id;
  const json inspect = docker::InspectContainer(*engine_, id);
  EXPECT_EQ(inspect.value("Id", ""), id);
  EXPECT_EQ(inspect.value("Name", ""), "/" + name);
  EXPECT_EQ(At(inspect, "/Config/Labels/io.netbench.run"), run_);
  EXPECT_EQ(At(inspect, "/HostConfig/Runtime"), "runc");
  // curl sees the same container, with the same label.
  EXPECT_EQ(ContainerId(run_, name), id);
  docker::RemoveContainer(*engine_, id);
  EXPECT_EQ(StatusOf("/containers/" + id + "/json"), 404);
  EXPECT_NO_THROW(docker::RemoveContainer(*engine_, id)) << "removing a missing one is fine";
}

TEST_F(EngineApi, InspectingAMissingContainerIs404WithTheEnginesMessage) {
  try {
    docker::InspectContainer(*engine_, run_ + "-missing");
    ADD_FAILURE() << "inspecting a missing container did not throw";
  } catch (const docker::EngineError& e) {
    EXPECT_EQ(e.status(), 404) << e.what();
    EXPECT_TRUE(e.not_found());
    EXPECT_NE(std::string(e.what()).find("No such container"), std::string::npos) << e.what();
  }
}

TEST_F(EngineApi, ACallTheEngineCannotAnswerInTimeIsStatus0WithinASecond) {
  const std::string id = CreateAgentContainer(run_ + "-wait");
  docker::StartContainer(*engine_, id);
  ASSERT_EQ(At(Get("/containers/" + id + "/json"), "/State/Status"), "running");
  // wait answers only when the container stops; it does not within 300 ms.
  const auto t0 = Clock::now();
  try {
    engine_->Call("POST", "/containers/" + id + "/wait", nullptr, 300);
    ADD_FAILURE() << "wait on a running container answered within 300 ms";
  } catch (const docker::EngineError& e) {
    EXPECT_EQ(e.status(), 0) << e.what();
    EXPECT_NE(std::string(e.what()).find("no answer from the Docker engine"), std::string::npos)
        << e.what();
  }
  const double took = Since(t0);
  EXPECT_GE(took, 0.29);
  EXPECT_LT(took, 1.0) << "a 300 ms timeout took " << took << " s";
  // The client goes on working after a timed-out call (a fresh connection).
  EXPECT_EQ(At(docker::InspectContainer(*engine_, id), "/State/Status"), "running");
  std::printf("a 300 ms call timed out after %.3f s\n", took);
}

// --- 2. The image cache ----------------------------------------------------------------------

class AgentImage : public DockerTest {
 protected:
  void TearDown() override {
    for (const auto& ref : made_) RemoveImageWithCurl(ref);
    if (!copy_.empty()) ::unlink(copy_.c_str());
  }
  std::vector<std::string> made_;
  std::string copy_;
};

TEST_F(AgentImage, IsImportedOnlyWhenItsContentsChange) {
  for (const auto& [id, tags] : NetbenchImages()) RemoveImageWithCurl(id);
  ASSERT_TRUE(NetbenchImages().empty()) << "netbench images left after removing them";
  docker::EngineClient engine(docker::ParseEngineAddress(DockerHost(), docker::ProcessEngineEnv()));
  const std::string stress_ng = StressNg();

  auto t0 = Clock::now();
  const docker::AgentImage first = docker::EnsureAgentImage(engine, {"", kAgent, stress_ng});
  const double import_s = Since(t0);
  made_.push_back(first.ref);
  EXPECT_TRUE(first.imported);
  EXPECT_EQ(first.ref, "netbench-agent:" + first.hash);
  // The engine has it, with its hash as the label.
  const json inspect = Get("/images/" + first.ref + "/json");
  EXPECT_EQ(At(inspect, "/Config/Labels/io.netbench.image"), first.hash) << inspect.dump();

  t0 = Clock::now();
  const docker::AgentImage again = docker::EnsureAgentImage(engine, {"", kAgent, stress_ng});
  const double cached_s = Since(t0);
  EXPECT_FALSE(again.imported);
  EXPECT_EQ(again.ref, first.ref);
  EXPECT_EQ(NetbenchImages().size(), 1u);

  // One byte more in the agent: another image.
  char path[] = "/tmp/nb-agent-copy.XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  copy_ = path;
  fs::copy_file(kAgent, copy_, fs::copy_options::overwrite_existing);
  std::ofstream(copy_, std::ios::binary | std::ios::app) << '\n';
  fs::permissions(copy_, fs::perms::owner_all);
  const docker::AgentImage changed = docker::EnsureAgentImage(engine, {"", copy_, stress_ng});
  made_.push_back(changed.ref);
  EXPECT_TRUE(changed.imported);
  EXPECT_NE(changed.hash, first.hash);
  EXPECT_NE(changed.ref, first.ref);
  EXPECT_EQ(NetbenchImages().size(), 2u);
  std::printf("import %.2f s, cached check %.3f s; hashes %s, %s\n", import_s, cached_s,
              first.hash.c_str(), changed.hash.c_str());
}

// --- 3, 4. netbench --backend docker: bad input, runtimes -----------------------------------

class DockerRun : public DockerTest {};

TEST_F(DockerRun, AnUnreachableEngineIsOneLineExit2AndLeavesNothing) {
  ASSERT_NO_FATAL_FAILURE(AssertCleanBefore());
  auto r = Sh(kNetbench +
              " --backend docker --docker-host unix:///run/nb-no-engine.sock 2>&1 >/dev/null");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  EXPECT_NE(r.out.find("cannot reach the Docker engine at unix:///run/nb-no-engine.sock"),
            std::string::npos)
      << r.out;
  ExpectClean("after a run that could not reach its engine");
}

// The filter is searched in Google Benchmark's instance name, which ends in /manual_time.
const std::string kBridgeRR = "--benchmark_filter=/bridge/tcp_rr/manual_time$";

TEST_F(DockerRun, ARuntimeTheEngineLacksIsSkippedNamingThoseItHas) {
  ASSERT_NO_FATAL_FAILURE(AssertCleanBefore());
  const std::string out = fs::temp_directory_path() / ("nb-docker-" + NewRunId() + ".json");
  auto r = Sh(kNetbench + " --backend docker " + kBridgeRR +
                  " --benchmark_repetitions=1 --benchmark_min_time=0.05 --benchmark_out=" + out +
                  " 2>&1",
              300000);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(
      std::regex_search(r.out, std::regex("skipped kata/bridge/tcp_rr: [^\n]*has no runtime "
                                          "for 'kata' \\(it has: [^\n]*crun[^\n]*runc")))
      << r.out;
  EXPECT_EQ(r.out.find("ERROR"), std::string::npos) << r.out;
  std::ifstream f(out);
  const json result = json::parse(f, nullptr, false);
  ::unlink(out.c_str());
  ASSERT_TRUE(result.is_object()) << "no JSON result in " << out;
  const json ctx = result.value("context", json::object());
  for (const char* key :
       {"skipped:kata/bridge/tcp_rr", "docker_engines", "docker_version", "runtime:runc"})
    EXPECT_TRUE(ctx.contains(key)) << key << " missing from the context: " << ctx.dump(1);
  EXPECT_EQ(ctx.value("docker_version", ""), Get("/version").value("Version", "?"));
  std::vector<std::string> measured;
  for (const auto& b : result.value("benchmarks", json::array())) {
    measured.push_back(b.value("name", ""));
    EXPECT_FALSE(b.value("error_occurred", false)) << b.dump();
  }
  EXPECT_EQ(measured, std::vector<std::string>{"runc/bridge/tcp_rr/manual_time"});
  ExpectClean("after the run");
}

TEST_F(DockerRun, ARuntimeTheEngineLacksNamedWithRuntimesIsExit2) {
  ASSERT_NO_FATAL_FAILURE(AssertCleanBefore());
  auto r = Sh(kNetbench + " --backend docker --runtimes kata " + kBridgeRR + " 2>&1 >/dev/null");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("--runtimes kata: it cannot run here"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("has no runtime for 'kata'"), std::string::npos) << r.out;
  ExpectClean("after the refused run");
}

// --- 5. Nothing left behind ------------------------------------------------------------------

class Cleanup : public DockerTest {
 protected:
  // What was seen while a run went on.
  struct Seen {
    std::set<std::string> containers, networks, links;
    bool swarm_active = false, gwbridge = false;
    void Add(const MachineState& m) {
      for (const auto& c : m.containers) containers.insert(c.substr(0, c.find(' ')));
      networks.insert(m.networks.begin(), m.networks.end());
      links.insert(m.links.begin(), m.links.end());
      swarm_active |= m.swarm == "active";
      gwbridge |= m.gwbridge;
    }
  };
  // A long overlay run, signalled once its swarm is up and both containers run.
  std::unique_ptr<NetbenchProcess> StartOverlayRun(MachineState* at_signal) {
    auto p = std::make_unique<NetbenchProcess>(std::vector<std::string>{
        "--backend", "docker", "--docker-host", DockerHost(), "--docker-swarm-init",
        "--benchmark_filter=^runc/overlay/tcp_rr/manual_time$", "--benchmark_repetitions=1000",
        "--benchmark_min_time=0.2"});
    const bool up = p->PollUntil(
        [](const MachineState& m) {
          int running = 0;
          for (const auto& c : m.containers) running += c.ends_with("(running)");
          return m.swarm == "active" && running == 2;
        },
        120000);
    if (!up) {
      ADD_FAILURE() << "the overlay case never came up: " << ReadMachine().Describe() << "\n"
                    << p->Output();
      return nullptr;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // mid-measurement
    *at_signal = ReadMachine();
    return p;
  }
};

TEST_F(Cleanup, ANormalRunOnAllFourDriversLeavesNothing) {
  ASSERT_NO_FATAL_FAILURE(AssertCleanBefore());
  NetbenchProcess p({"--backend", "docker", "--docker-host", DockerHost(), "--runtimes", "runc",
                     "--docker-swarm-init", "--tests", "tcp_rr", "--benchmark_repetitions=1",
                     "--benchmark_min_time=0.05"});
  Seen seen;
  p.PollUntil([](const MachineState&) { return false; }, 540000,
              [&](const MachineState& m) { seen.Add(m); });
  auto code = p.Wait(0);
  ASSERT_TRUE(code.has_value()) << "netbench did not finish";
  EXPECT_EQ(*code, 0) << p.Output();
  EXPECT_EQ(p.Output().find("ERROR"), std::string::npos) << p.Output();
  // The run made what its cleanup must remove: every driver's network, the macvlan parent and
  // the swarm's advertise link, a swarm and its docker_gwbridge, containers.
  std::set<std::string> drivers;
  for (const auto& n : seen.networks) drivers.insert(n.substr(n.rfind('-') + 1));
  EXPECT_EQ(drivers, (std::set<std::string>{"bridge", "host", "macvlan", "overlay"}));
  std::set<std::string> link_kinds;
  for (const auto& l : seen.links) link_kinds.insert(l.substr(l.rfind('-') + 1));
  EXPECT_TRUE(link_kinds.count("mv") && link_kinds.count("sw"))
      << testing::Join({seen.links.begin(), seen.links.end()});
  EXPECT_TRUE(seen.swarm_active);
  EXPECT_TRUE(seen.gwbridge);
  EXPECT_GE(seen.containers.size(), 2u);
  std::printf("seen during the run: containers [%s ], networks [%s ], links [%s ]\n",
              testing::Join({seen.containers.begin(), seen.containers.end()}).c_str(),
              testing::Join({seen.networks.begin(), seen.networks.end()}).c_str(),
              testing::Join({seen.links.begin(), seen.links.end()}).c_str());
  ExpectClean("after a normal run");
}

TEST_F(Cleanup, CtrlCDuringAnOverlayCaseLeavesNothing) {
  ASSERT_NO_FATAL_FAILURE(AssertCleanBefore());
  MachineState at_signal;
  auto p = StartOverlayRun(&at_signal);
  ASSERT_TRUE(p);
  EXPECT_FALSE(at_signal.Clean());
  ASSERT_EQ(::kill(p->pid(), SIGINT), 0);
  auto code = p->Wait(60000);
  ASSERT_TRUE(code.has_value()) << "netbench did not exit after SIGINT";
  EXPECT_EQ(*code, 128 + SIGINT) << p->Output();
  ExpectClean("after Ctrl-C");
}

TEST_F(Cleanup, SigkillDuringAnOverlayCaseLeavesObjectsThatGcRemoves) {
  ASSERT_NO_FATAL_FAILURE(AssertCleanBefore());
  MachineState at_signal;
  auto p = StartOverlayRun(&at_signal);
  ASSERT_TRUE(p);
  ASSERT_EQ(::kill(p->pid(), SIGKILL), 0);
  auto code = p->Wait(10000);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 128 + SIGKILL);
  const MachineState left = ReadMachine();
  EXPECT_EQ(left.containers.size(), 2u) << left.Describe();
  EXPECT_EQ(left.swarm, "active") << left.Describe();
  EXPECT_TRUE(left.gwbridge) << left.Describe();
  EXPECT_FALSE(left.networks.empty()) << left.Describe();
  EXPECT_FALSE(left.links.empty()) << "the swarm's advertise link: " << left.Describe();
  // The record of the engines and the swarm it made, which gc reads (in the run's state dir).
  bool record = false;
  for (const auto& f : left.run_files) record |= f.ends_with("/docker-engines.json");
  EXPECT_TRUE(record) << "no swarm record for gc: " << left.Describe();
  auto gc = Sh(kNetbench + " gc 2>&1", 120000);
  EXPECT_EQ(gc.code, 0) << gc.out;
  ExpectClean("after netbench gc");
  std::printf("netbench gc:\n%s", gc.out.c_str());
}

// --- 6. The CPU meter against the engine host's cgroup --------------------------------------

// cgroup v1 cpuacct of a container under dockerd's cgroupfs driver, in seconds (read here, not
// by netbench's code).
double CgroupUsageS(const std::string& id) {
  std::ifstream f("/sys/fs/cgroup/cpuacct/docker/" + id + "/cpuacct.usage");
  uint64_t ns = 0;
  f >> ns;
  EXPECT_TRUE(f) << "no cpuacct.usage for container " << id;
  return static_cast<double>(ns) * 1e-9;
}

// A process's CPU as the host sees it: utime + stime of /proc/<pid>/stat (its whole thread
// group, ended threads included), in seconds; clock ticks, so within 10 ms.
double ProcessCpuS(int pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::istringstream rest(text.substr(text.rfind(')') + 2));  // from field 3, the state
  std::vector<std::string> fields{std::istream_iterator<std::string>(rest), {}};
  EXPECT_GE(fields.size(), 13u) << "no /proc/" << pid << "/stat";
  if (fields.size() < 13) return 0;
  const double ticks = std::stod(fields[11]) + std::stod(fields[12]);  // fields 14 and 15
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

class CpuMeter : public DockerTest {};

// The docker meter asks each container's agent for its CPU: its own, and the rest of its
// container apart (the stressor). Here both are checked against what the engine's host says:
// the container's cgroup, and the server agent's own process (its host pid from the engine),
// read immediately before and after Measure.
//
// The windows differ, and the tolerances follow from how:
//  - The meter's windows lie inside Measure: the server's is read when the loop ends, the
//    client's once the client's agent answers again after the run, so it includes the upload
//    of its samples (8000 x 8 bytes here) just as the cgroup read after Measure does (a meter
//    read when the loop ends would miss it). So the meter never counts more than the cgroup
//    (2% + 2 ms for the reads' own timing), and what only the cgroup counts happened outside
//    the loop: at most (Measure's time - the loop's) x 1 CPU, each container being pinned to
//    one CPU.
//  - Idle, nothing runs outside the loop but the agents answering: within 5%.
//  - Under stress the server's cgroup also holds the stressor's 200 ms of settling and its
//    stop, so it is larger by about that; the stressor fills the server's CPU inside the
//    window and out, so both read about one CPU per second of their windows (within 0.1 CPU).
//  - The split: the agent's own part (server - stress) is what the host counts for the agent
//    process around Measure, within 5% + 30 ms (clock ticks, and its answers to the start,
//    stop and CPU commands outside the window). The stressor counted as the agent's would be
//    off by seconds.
//  (The agent's own CPU per round trip is no yardstick: idle, it varies 35-155 us from run to
//  run here with the VM's wakeup costs, and a stressed CPU wakes it cheaper.)
TEST_F(CpuMeter, AgreesWithTheContainersCgroupIdleAndUnderStress) {
  const json info = Get("/info");
  if (info.value("CgroupDriver", "") != "cgroupfs" || info.value("CgroupVersion", "") != "1")
    GTEST_SKIP() << "the engine's cgroups are not cgroupfs on cgroup v1 here";
  BackendConfig cfg;
  cfg.agent = kAgent;
  cfg.docker_host = DockerHost();
  std::string run;
  {
    docker::DockerBackend backend(cfg);
    backend.Check();
    ASSERT_TRUE(backend.Prepare({"runc"}).empty());
    for (const auto& [k, v] : backend.Context({"bridge"}))
      if (k == "netbench_run_id") run = v;
    ASSERT_FALSE(run.empty());
    CaseSession session(backend, MeasureConfig{});
    const TestSpec& test = *FindTest("tcp_rr");
    const uint64_t n = 8000;  // about a second each here
    for (const char* load : {"idle", "stress"}) {
      SCOPED_TRACE(load);
      const bool stressed = std::string(load) == "stress";
      CaseName c{"runc", "bridge", "tcp_rr", load, {}};
      session.Prepare(c, test);
      const std::string client = ContainerId(run, run + "-c");
      const std::string server = ContainerId(run, run + "-s");
      ASSERT_FALSE(client.empty() || server.empty()) << ReadMachine().Describe();
      const int agent_pid =
          Get("/containers/" + server + "/json").value("State", json::object()).value("Pid", 0);
      ASSERT_GT(agent_pid, 0);
      const double c0 = CgroupUsageS(client), s0 = CgroupUsageS(server);
      const double a0 = ProcessCpuS(agent_pid);
      const auto t0 = Clock::now();
      const Measurement m = session.Measure(c, test, n);
      const double around = Since(t0);
      const double cg_client = CgroupUsageS(client) - c0, cg_server = CgroupUsageS(server) - s0;
      const double host_agent = ProcessCpuS(agent_pid) - a0;
      ASSERT_EQ(m.report.samples_ns.size(), n);
      const double client_s = static_cast<double>(m.client_cpu_ns) * 1e-9;
      const double server_s = static_cast<double>(m.server_cpu_ns) * 1e-9;
      const double stress_s = static_cast<double>(m.stress_cpu_ns) * 1e-9;
      const double agent_s = server_s - stress_s;
      const double outside = around - m.wall_s;  // Measure's time outside the loop
      std::printf(
          "%s: %lu round trips, loop %.3f s, Measure %.3f s\n"
          "  client: meter %.4f s, cgroup %.4f s (meter/cgroup %.3f)\n"
          "  server: meter %.4f s, cgroup %.4f s (meter/cgroup %.3f)\n"
          "  server's split: agent %.4f s (the host: %.4f s), stress %.4f s\n",
          load, static_cast<unsigned long>(n), m.wall_s, around, client_s, cg_client,
          client_s / cg_client, server_s, cg_server, server_s / cg_server, agent_s, host_agent,
          stress_s);
      for (auto [side, meter, cgroup] :
           {std::tuple{"client", client_s, cg_client}, std::tuple{"server", server_s, cg_server}}) {
        EXPECT_GT(meter, 0) << side;
        EXPECT_LE(meter, cgroup * 1.02 + 0.002)
            << side << ": the meter counted more than the cgroup";
        EXPECT_LE(cgroup - meter, outside + 0.005)
            << side << ": the cgroup counted more than fits outside the loop (" << outside << " s)";
      }
      EXPECT_NEAR(client_s / cg_client, 1.0, 0.05) << "the client is never stressed";
      EXPECT_NEAR(agent_s, host_agent, 0.05 * host_agent + 0.03)
          << "the server agent's own CPU, against the host's view of its process";
      if (!stressed) {
        EXPECT_NEAR(server_s / cg_server, 1.0, 0.05);
        // Nothing but the agent runs in the idle server: "the rest" is only the moment
        // between the agent's two reads (tens of us).
        EXPECT_LT(stress_s, 0.01 * server_s + 0.001) << "stress CPU in the idle server";
        continue;
      }
      const auto report = session.EndStress();
      ASSERT_TRUE(report.has_value());
      EXPECT_GT(report->bogo_ops, 0u);
      EXPECT_NEAR(server_s / m.wall_s, cg_server / around, 0.1)
          << "the stressed server's CPU, per second of each window";
      EXPECT_GT(stress_s, 0.3 * m.wall_s) << "the stressor ran on the server's CPU";
    }
  }
  // The backend gone, nothing of its run is left.
  EXPECT_TRUE(Get("/containers/json?all=1", LabelFilter(kRunLabel, run)).empty());
  EXPECT_TRUE(Get("/networks", LabelFilter(kRunLabel, run)).empty());
  EXPECT_FALSE(fs::exists(StateDirOf(run)));
}

}  // namespace
}  // namespace netbench

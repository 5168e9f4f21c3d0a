// The Docker backend's pure parts: no engine needed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/errors.h"
#include "common/subprocess.h"
#include "common/text.h"
#include "fixtures/docker/docker_backend.h"
#include "fixtures/docker/docker_plan.h"
#include "fixtures/docker/docker_sandbox.h"
#include "fixtures/docker/engine_address.h"
#include "fixtures/docker/engine_api.h"
#include "fixtures/docker/image_tar.h"
#include "fixtures/docker/run_record.h"
#include "fixtures/docker/stream_demux.h"
#include "fixtures/docker/two_hosts.h"

namespace netbench::docker {
namespace {

std::vector<uint8_t> Framed(int stream, const std::string& payload) {
  std::vector<uint8_t> out(8);
  EncodeStreamHeader(stream, static_cast<uint32_t>(payload.size()), out.data());
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

// What GNU tar lists in an archive.
std::string TarListing(const std::string& archive) {
  char path[] = "/tmp/nb-tar-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) return "mkstemp failed";
  const bool ok =
      ::write(fd, archive.data(), archive.size()) == static_cast<ssize_t>(archive.size());
  ::close(fd);
  RunResult r = RunCommand({"tar", "-tf", path});
  std::remove(path);
  return ok && r.ok() ? r.output : "tar failed: " + r.output;
}

TEST(StreamDemux, SeparatesStdoutFromStderrAcrossAnySplit) {
  std::vector<uint8_t> wire = Framed(1, "hello");
  auto err = Framed(2, "oops");
  auto more = Framed(1, " world");
  wire.insert(wire.end(), err.begin(), err.end());
  wire.insert(wire.end(), more.begin(), more.end());
  for (size_t step = 1; step <= wire.size(); ++step) {
    std::string out, errs;
    StreamDemux d([&](int s, std::span<const uint8_t> p) {
      (s == 1 ? out : errs).append(reinterpret_cast<const char*>(p.data()), p.size());
    });
    for (size_t i = 0; i < wire.size(); i += step)
      ASSERT_TRUE(d.Feed({wire.data() + i, std::min(step, wire.size() - i)}));
    EXPECT_EQ(out, "hello world") << "step " << step;
    EXPECT_EQ(errs, "oops");
  }
}

TEST(StreamDemux, RefusesAStreamThatIsNotMultiplexed) {
  StreamDemux d([](int, std::span<const uint8_t>) {});
  const std::string raw = "NBv1 frames";  // what a TTY stream (no headers) would carry
  EXPECT_FALSE(d.Feed({reinterpret_cast<const uint8_t*>(raw.data()), raw.size()}));
  EXPECT_NE(d.error().find("out of step"), std::string::npos);
}

TEST(ImageTar, TarListsEveryFileAndParentDirectoryAndIsTheSameForTheSameContents) {
  std::vector<TarEntry> e = {{"/usr/lib/x86_64-linux-gnu/libz.so.1", false, 0755, "zz"},
                             {"/nb-agent", false, 0755, std::string(1000, 'a')},
                             {"/tmp", true, 0755, ""}};
  const std::string a = MakeTar(e);
  std::swap(e[0], e[1]);
  EXPECT_EQ(MakeTar(e), a) << "entry order must not matter";
  EXPECT_EQ(ContentHash(MakeTar(e)), ContentHash(a));
  e[1].content = "changed";
  EXPECT_NE(ContentHash(MakeTar(e)), ContentHash(a));
  // GNU tar reads it back.
  EXPECT_EQ(TarListing(a),
            "tmp/\nusr/\nusr/lib/\nusr/lib/x86_64-linux-gnu/\nnb-agent\n"
            "usr/lib/x86_64-linux-gnu/libz.so.1\n");
}

TEST(ImageTar, LongPathsUseTheUstarPrefix) {
  const std::string dir = std::string(60, 'd') + "/" + std::string(60, 'e');
  const std::string a = MakeTar({{dir + "/file", false, 0644, "x"}});
  EXPECT_EQ(TarListing(a), std::string(60, 'd') + "/\n" + dir + "/\n" + dir + "/file\n");
  EXPECT_THROW(MakeTar({{std::string(300, 'x'), false, 0644, ""}}), SetupError);
}

TEST(EngineAddress, UnixSocketsFromTheFlagThenDockerHostThenTheDefault) {
  EXPECT_EQ(ResolveEngineAddress("", {}).socket_path, "/var/run/docker.sock");
  EXPECT_EQ(ResolveEngineAddress("", {.docker_host = "unix:///run/x.sock"}).socket_path,
            "/run/x.sock");
  EXPECT_EQ(ResolveEngineAddress("unix:///a.sock", {.docker_host = "unix:///b.sock"}).socket_path,
            "/a.sock");
  EXPECT_EQ(ResolveEngineAddress("/c.sock", {}).Describe(), "unix:///c.sock");
  EXPECT_THROW(ParseEngineAddress("unix://relative"), UsageError);
  EXPECT_THROW(ParseEngineAddress("ssh://me@host"), UsageError);
}

TEST(EngineAddress, TcpIsTlsWhenDockerTlsVerifyIsSetWithDockersCertificateLayout) {
  const EngineAddress plain = ParseEngineAddress("tcp://198.18.0.9:2375");
  EXPECT_FALSE(plain.is_unix());
  EXPECT_EQ(plain.host, "198.18.0.9");
  EXPECT_EQ(plain.port, 2375);
  EXPECT_FALSE(plain.tls);
  EXPECT_EQ(plain.Describe(), "tcp://198.18.0.9:2375");
  EXPECT_THROW(ParseEngineAddress("tcp://198.18.0.9"), UsageError);
  EXPECT_THROW(ParseEngineAddress("tcp://198.18.0.9:http"), UsageError);
  // Docker's layout: ca.pem, cert.pem, key.pem in DOCKER_CERT_PATH; a missing one is bad input.
  const std::string dir = "/tmp/nb-certs-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  for (const char* f : {"ca.pem", "cert.pem"}) std::ofstream(dir + "/" + f) << "x";
  const EngineEnv env{.tls_verify = "1", .cert_path = dir.c_str()};
  try {
    ParseEngineAddress("tcp://127.0.0.1:2376", env);
    ADD_FAILURE() << "a missing key.pem was accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find(dir + "/key.pem"), std::string::npos) << e.what();
  }
  std::ofstream(dir + "/key.pem") << "x";
  const EngineAddress tls = ParseEngineAddress("tcp://127.0.0.1:2376", env);
  EXPECT_TRUE(tls.tls);
  EXPECT_EQ(tls.ca, dir + "/ca.pem");
  EXPECT_EQ(tls.Describe(), "tcp://127.0.0.1:2376 (TLS)");
  EXPECT_TRUE(tls.local());
  EXPECT_FALSE(plain.local()) << "another machine's pids and links are not netbench's";
  EXPECT_TRUE(ParseEngineAddress("/run/docker.sock").local());
  EXPECT_FALSE(ParseEngineAddress("tcp://127.0.0.1:2376", {.tls_verify = ""}).tls);
  std::filesystem::remove_all(dir);
}

TEST(EngineApi, VersionsCompareNumerically) {
  EXPECT_TRUE(ApiAtLeast("1.41", "1.41"));
  EXPECT_TRUE(ApiAtLeast("1.43", "1.41"));
  EXPECT_TRUE(ApiAtLeast("2.0", "1.41"));
  EXPECT_FALSE(ApiAtLeast("1.40", "1.41"));
  EXPECT_FALSE(ApiAtLeast("1.9", "1.41"));
  EXPECT_FALSE(ApiAtLeast("", "1.41"));
}

TEST(EngineApi, ErrorsCarryTheEnginesOwnMessage) {
  EXPECT_EQ(EngineMessage(R"({"message":"No such container: x"})"), "No such container: x");
  EXPECT_EQ(EngineMessage("  page not found\n"), "page not found");
  EXPECT_EQ(LabelFilter("io.netbench.run", "nb-123456"),
            "%7B%22label%22%3A%5B%22io.netbench.run%3Dnb-123456%22%5D%7D");
}

// As dockerd 20.10 answers GET /networks/<id>?verbose=true for an attachable overlay on the
// client's node once the swarm has told it of the server's container on the other.
TEST(EngineApi, AnEndpointIsKnownOnceTheVerboseNetworkListsItsAddressOnAnyNode) {
  const auto view = nlohmann::json::parse(R"({
    "Peers": [{"Name": "38e22fbb6502", "IP": "198.18.40.2"}],
    "Services": {"": {"VIP": "<nil>", "Tasks": [
      {"Name": "nb-1-s", "EndpointIP": "198.18.35.2", "Info": {"Host IP": "198.18.40.2"}},
      {"Name": "nb-1-c", "EndpointIP": "198.18.35.4", "Info": {"Host IP": "198.18.40.1"}}]}}})");
  EXPECT_TRUE(KnowsEndpoint(view, "198.18.35.2"));
  EXPECT_TRUE(KnowsEndpoint(view, "198.18.35.4"));
  EXPECT_FALSE(KnowsEndpoint(view, "198.18.35.3"));
  // Before the gossip: only the client's own endpoint, or no Services at all.
  EXPECT_FALSE(KnowsEndpoint(nlohmann::json::parse(R"({"Services": {"": {"Tasks": [
    {"EndpointIP": "198.18.35.4"}]}}})"),
                             "198.18.35.2"));
  EXPECT_FALSE(KnowsEndpoint(nlohmann::json::parse(R"({"Services": null})"), "198.18.35.2"));
  EXPECT_FALSE(KnowsEndpoint(nlohmann::json::parse(R"({"Name": "x"})"), "198.18.35.2"));
}

TEST(EngineApi, TheGossipPeersOfAVerboseNetworkAreItsPeersHostAddresses) {
  EXPECT_EQ(GossipPeerIps(nlohmann::json::parse(R"({"Peers": [
    {"Name": "38e22fbb6502", "IP": "198.18.40.2"}, {"Name": "a1", "IP": "198.18.40.1"}]})")),
            (std::vector<std::string>{"198.18.40.2", "198.18.40.1"}));
  // A node that has not joined the others' gossip lists only itself; a local network none.
  EXPECT_EQ(GossipPeerIps(nlohmann::json::parse(R"({"Peers": [{"IP": "198.18.40.1"}]})")),
            std::vector<std::string>{"198.18.40.1"});
  EXPECT_TRUE(GossipPeerIps(nlohmann::json::parse(R"({"Name": "x"})")).empty());
  EXPECT_TRUE(GossipPeerIps(nlohmann::json::parse(R"({"Peers": null})")).empty());
}

TEST(Runtimes, KataIsFoundUnderItsRegisteredNamesAndOverridesWin) {
  const std::map<std::string, std::string> engine = {
      {"runc", "runc"}, {"crun", "/usr/bin/crun"}, {"io.containerd.kata.v2", ""}};
  EXPECT_EQ(EngineRuntimeFor("runc", engine, {}), "runc");
  EXPECT_EQ(EngineRuntimeFor("crun", engine, {}), "crun");
  EXPECT_EQ(EngineRuntimeFor("kata", engine, {}), "io.containerd.kata.v2");
  EXPECT_EQ(EngineRuntimeFor("runsc", engine, {}), "");
  EXPECT_EQ(EngineRuntimeFor("fast", engine, {{"fast", "crun"}}), "crun");
  EXPECT_EQ(EngineRuntimeFor("kata", engine, {{"kata", "kata-fc"}}), "");
}

TEST(DockerPlan, EveryDriverStaysInTheBenchmarkingRangeAndSaysItIsOneHost) {
  for (const char* d : {"bridge", "host", "macvlan", "overlay"}) {
    const DockerPlan p = PlanFor(d, "nb-abcdef");
    EXPECT_TRUE(p.network.subnet.starts_with("198.18.")) << d;
    if (std::string(d) != "overlay") {  // there the swarm assigns the server's address
      EXPECT_TRUE(p.target_ip.starts_with("198.18.")) << d;
    }
    EXPECT_TRUE(p.path.starts_with("one host")) << d;
    EXPECT_EQ(p.network.name, std::string("nb-abcdef-") + d);
  }
  EXPECT_TRUE(PlanFor("host", "nb-1").client_on_host);
  EXPECT_EQ(PlanFor("bridge", "nb-1").target_ip, PlanFor("bridge", "nb-1").network.gateway);
  EXPECT_EQ(PlanFor("macvlan", "nb-1").network.options["parent"], "nb-1-mv");
  EXPECT_TRUE(PlanFor("overlay", "nb-1").network.attachable);
  EXPECT_THROW(PlanFor("ipvlan", "nb-1"), UsageError);
}

TEST(DockerPlan, TheServerPublishesItsDataPortsOnTheGatewayOnly) {
  const DockerPlan p = PlanFor("bridge", "nb-1");
  DockerRun run;
  run.run_id = "nb-1";
  run.image = "netbench-agent:x";
  run.engine_runtime = {{"runc", "runc"}};
  const auto req = ContainerCreateRequest(SideSpec(run, p, "runc", true));
  const auto& b = req["HostConfig"]["PortBindings"]["7000/tcp"][0];
  EXPECT_EQ(b["HostIp"], p.network.gateway);
  EXPECT_EQ(b["HostPort"], "7000");
  EXPECT_TRUE(req["HostConfig"]["PortBindings"].contains("7001/udp"));
  EXPECT_EQ(req["Labels"]["io.netbench.run"], "nb-1");
  EXPECT_EQ(req["Tty"], false);
  EXPECT_EQ(req["OpenStdin"], true);
  const auto client = ContainerCreateRequest(SideSpec(run, p, "runc", false));
  EXPECT_FALSE(client["HostConfig"].contains("PortBindings"));
  EXPECT_EQ(client["HostConfig"]["CpusetCpus"], "0");
  EXPECT_EQ(
      client["NetworkingConfig"]["EndpointsConfig"]["nb-1-bridge"]["IPAMConfig"]["IPv4Address"],
      p.client_ip);
}

// --- Two engines (two hosts) ----------------------------------------------------------------

TwoHosts TestHosts() { return {"198.18.40.1", "198.18.40.2", "eth-a", "eth-b"}; }

TEST(TwoHostsPlan, TheClientReachesThePublishedPortAtTheServerHostsAddress) {
  const TwoHosts h = TestHosts();
  for (const char* d : {"bridge", "host"}) {
    const DockerPlan p = PlanFor(d, "nb-1", &h);
    EXPECT_TRUE(p.two_hosts) << d;
    EXPECT_TRUE(p.publish) << d;
    EXPECT_EQ(p.publish_on, "198.18.40.2") << d;
    EXPECT_EQ(p.target_ip, "198.18.40.2") << d;
    EXPECT_TRUE(p.path.starts_with("two hosts")) << d;
  }
  const DockerPlan b = PlanFor("bridge", "nb-1", &h);
  EXPECT_TRUE(b.create_client_network);
  EXPECT_NE(b.client_network.subnet, b.network.subnet);
  EXPECT_EQ(b.client_ip, "198.18.37.2");
  EXPECT_TRUE(PlanFor("host", "nb-1", &h).client_on_host);
  DockerRun run;
  run.run_id = "nb-1";
  run.two_hosts = true;
  run.engine_runtime = {{"runc", "runc"}};
  run.server_engine_runtime = {{"runc", "runc-b"}};
  const auto server = ContainerCreateRequest(SideSpec(run, b, "runc", true));
  EXPECT_EQ(server["HostConfig"]["PortBindings"]["7000/tcp"][0]["HostIp"], "198.18.40.2");
  EXPECT_EQ(server["HostConfig"]["Runtime"], "runc-b");
  const auto client = ContainerCreateRequest(SideSpec(run, b, "runc", false));
  EXPECT_TRUE(client["NetworkingConfig"]["EndpointsConfig"].contains("nb-1-bridge"));
  EXPECT_EQ(client["HostConfig"]["Runtime"], "runc");
}

TEST(TwoHostsPlan, MacvlanUsesEachHostsParentAndADistinctRangeEach) {
  const TwoHosts h = TestHosts();
  const DockerPlan p = PlanFor("macvlan", "nb-1", &h);
  EXPECT_EQ(p.network.options["parent"], "eth-b");
  EXPECT_EQ(p.client_network.options["parent"], "eth-a");
  EXPECT_EQ(p.network.subnet, p.client_network.subnet);
  EXPECT_NE(p.network.ip_range, p.client_network.ip_range);
  EXPECT_TRUE(p.macvlan_parent.empty()) << "netbench makes no veth on two hosts";
  const auto req = NetworkCreateRequest(p.network, "nb-1");
  EXPECT_EQ(req["IPAM"]["Config"][0]["IPRange"], "198.18.34.128/25");
  EXPECT_EQ(req["IPAM"]["Config"][0]["Subnet"], "198.18.34.0/24");
  EXPECT_FALSE(NetworkCreateRequest(PlanFor("macvlan", "nb-1").network, "nb-1")["IPAM"]["Config"][0]
                   .contains("IPRange"));
  EXPECT_EQ(p.server_ip, "198.18.34.130");  // inside the server's range
  EXPECT_EQ(p.client_ip, "198.18.34.2");    // inside the client's
}

TEST(TwoHostsPlan, OverlayIsOneSwarmNetworkJoinedFromTheClientsEngine) {
  const TwoHosts h = TestHosts();
  const DockerPlan p = PlanFor("overlay", "nb-1", &h);
  EXPECT_TRUE(p.needs_swarm);
  EXPECT_TRUE(p.network.attachable);
  EXPECT_FALSE(p.create_client_network);
  EXPECT_EQ(p.client_network.name, p.network.name);
  EXPECT_NE(p.path.find("VXLAN"), std::string::npos);
}

HostLookup FakeMachine() {
  HostLookup l;
  l.source_address = [](const std::string& ip) {
    return ip.starts_with("198.18.40.") ? "198.18.40.1" : "10.0.0.5";
  };
  l.interface_of = [](const std::string& ip) { return ip == "198.18.40.1" ? "veth-a" : ""; };
  return l;
}

TEST(TwoHostsResolve, TheServerAddressComesFromItsTcpAddressAndTheClientsFromTheRoute) {
  const EngineAddress client = ParseEngineAddress("unix:///run/d.sock");
  const EngineAddress server = ParseEngineAddress("tcp://198.18.40.2:2376");
  const TwoHosts h = ResolveTwoHosts({}, client, server, FakeMachine());
  EXPECT_EQ(h.server_ip, "198.18.40.2");
  EXPECT_EQ(h.client_ip, "198.18.40.1");
  EXPECT_EQ(h.client_parent, "veth-a");
  EXPECT_EQ(h.server_parent, "");
  EXPECT_NE(TwoHostsGap("macvlan", h, false).find("--server-docker-macvlan-parent"),
            std::string::npos);
  EXPECT_EQ(TwoHostsGap("bridge", h, false), "");
  EXPECT_EQ(TwoHostsGap("overlay", h, false), "");
}

TEST(TwoHostsResolve, AddressesOutsideTheBenchmarkingRangeAreRefusedOrLeftOut) {
  const EngineAddress client = ParseEngineAddress("unix:///run/d.sock");
  const EngineAddress server = ParseEngineAddress("tcp://10.1.2.3:2376");
  TwoHosts h = ResolveTwoHosts({}, client, server, FakeMachine());
  EXPECT_EQ(h.server_ip, "") << "a management address outside 198.18/15 is not a target";
  EXPECT_NE(TwoHostsGap("bridge", h, false).find("--server-docker-host-ip"), std::string::npos);
  EXPECT_EQ(TwoHostsGap("overlay", h, true), "") << "engines already in one swarm need no ip";
  TwoEngineConfig c;
  c.server_host_ip = "10.1.2.3";
  EXPECT_THROW(ResolveTwoHosts(c, client, server, FakeMachine()), UsageError);
  c.server_host_ip = "not-an-ip";
  EXPECT_THROW(ResolveTwoHosts(c, client, server, FakeMachine()), UsageError);
  c.server_host_ip = "198.18.50.2";
  h = ResolveTwoHosts(c, client, server, FakeMachine());
  EXPECT_EQ(h.client_ip, "") << "a derived source address outside the range is left out";
  EXPECT_NE(TwoHostsGap("overlay", h, false).find("--docker-host-ip"), std::string::npos);
}

TEST(RunRecord, RoundTripsEveryEngineAndWhatWasDoneToIt) {
  RunRecord r;
  r.run_id = "nb-abc123";
  EngineRecord a;
  a.role = "client";
  a.address = ParseEngineAddress("unix:///run/a.sock");
  a.swarm_before = "inactive";
  a.joined_swarm = true;
  a.node_id = "n1";
  a.made_gwbridge = true;
  EngineRecord b;
  b.role = "server";
  b.address.host = "198.18.40.2";
  b.address.port = 2376;
  b.address.tls = true;
  b.address.ca = "/c/ca.pem";
  b.address.cert = "/c/cert.pem";
  b.address.key = "/c/key.pem";
  b.swarm_before = "active";
  b.remove_node = "n1";
  a.joined_manager = "198.18.40.2:2377";
  r.engines = {a, b};
  RunRecord back = RunRecordFromJson(ToJson(r));
  ASSERT_EQ(back.run_id, r.run_id);
  ASSERT_EQ(back.engines.size(), 2u);
  EXPECT_EQ(back.engines[0].address.Describe(), a.address.Describe());
  EXPECT_TRUE(back.engines[0].joined_swarm);
  EXPECT_TRUE(back.engines[0].Changed());
  EXPECT_EQ(back.engines[0].node_id, "n1");
  EXPECT_EQ(back.engines[1].address.Describe(), b.address.Describe());
  EXPECT_EQ(back.engines[1].address.key, "/c/key.pem");
  EXPECT_EQ(back.engines[1].swarm_before, "active");
  EXPECT_EQ(back.engines[0].joined_manager, "198.18.40.2:2377");
  EXPECT_EQ(back.engines[1].remove_node, "n1");
  EXPECT_TRUE(back.engines[1].Changed()) << "a node to remove from its swarm is a change";
  back.engines[1].remove_node.clear();
  EXPECT_FALSE(back.engines[1].Changed());
  EXPECT_TRUE(RunRecordFromJson("{\"engines\": 3}").run_id.empty());
  EXPECT_TRUE(
      RunRecordFromJson("{\"run\":\"x\",\"engines\":[{\"made_swarm\":\"yes\"}]}").run_id.empty());
  EXPECT_TRUE(RunRecordFromJson("not json").run_id.empty());
}

}  // namespace
}  // namespace netbench::docker

#pragma once
// UDP request/response: one datagram each way per iteration, numbered so that a late answer
// is never taken for the current one. A datagram not answered in time is lost: counted, sent
// again under a new number, and left out of the round-trip times, so every sample is one
// answered round trip.

#include <cstdint>
#include <span>
#include <string>

namespace netbench::agent {

// How long the client waits for an answer before it counts the datagram lost. Far above any
// round trip seen here (kata under TCG: p999 a few ms), and far below the agent's watchdog, so
// a lost datagram costs little of a run.
inline constexpr int kUdpAnswerTimeoutMs = 200;

// The most datagrams a run of n iterations may lose before it fails (1%, at least 10): a path
// that drops more is broken, not slow, and would otherwise loop on.
uint64_t MaxUdpLosses(uint64_t n);

// The sequence number's place in a datagram: its first 8 bytes (little endian). Pure.
void PutSequence(std::span<uint8_t> msg, uint64_t seq);
uint64_t GetSequence(std::span<const uint8_t> msg);

// Performs exactly out.size() answered round trips on a connected UDP socket; *lost counts the
// datagrams that went unanswered. Fails when more than MaxUdpLosses are lost. spin: wait for
// each answer spinning on non-blocking recv (busy polling) instead of a blocking recv.
bool RunUdpRoundTrips(int fd, std::span<uint8_t> msg, std::span<uint64_t> out, bool spin,
                      uint64_t* lost, std::string* error);

// Echoes every datagram (of any size) to its sender until the socket is shut down; spin: waits
// for each spinning, and sleeps only after kIdleSpinNs without one.
void UdpEchoLoop(int fd, bool spin);

}  // namespace netbench::agent

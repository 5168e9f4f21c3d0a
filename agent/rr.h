#pragma once
// TCP request/response: the measuring loop (client) and the echo (server).

#include <cstdint>
#include <span>
#include <string>

namespace netbench::agent {

// Performs exactly out.size() round trips of msg.size() bytes on a connected blocking socket;
// out[i] is the i-th round trip in nanoseconds. Nothing but the socket calls and the clock
// runs between the two timestamps.
bool RunRoundTrips(int fd, std::span<uint8_t> msg, std::span<uint64_t> out, std::string* error);

// Echoes msg_size-byte messages until the peer closes or an error occurs.
void EchoLoop(int fd, uint32_t msg_size);

// Busy polling (agent/busy_poll.h): the same round trips and echo, each end spinning on
// non-blocking recv for its answer instead of sleeping in the kernel.
bool RunRoundTripsSpinning(int fd, std::span<uint8_t> msg, std::span<uint64_t> out,
                           std::string* error);
void SpinningEchoLoop(int fd, uint32_t msg_size);

}  // namespace netbench::agent

// libFuzzer: what the agent decodes, the controller's commands (serve, connect, run,
// stress_start, and the payload-less ones), from an arbitrary control stream.

#include "fuzz/fuzz_frames.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  netbench::fuzz::DecodeFrames(
      data, size, [](netbench::proto::Type t) { return netbench::proto::SentByController(t); });
  return 0;
}

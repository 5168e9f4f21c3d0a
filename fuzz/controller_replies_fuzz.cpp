// libFuzzer: what netbench decodes, the agent's replies (ok, error, samples, done,
// loop_done), from an arbitrary control stream.

#include "fuzz/fuzz_frames.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  netbench::fuzz::DecodeFrames(
      data, size, [](netbench::proto::Type t) { return !netbench::proto::SentByController(t); });
  return 0;
}

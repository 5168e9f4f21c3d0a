#include "common/text.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace netbench {
namespace {

namespace fs = std::filesystem;

TEST(ReadWholeFile, ReturnsEveryByteNulsAndAMissingLastNewlineIncluded) {
  const fs::path p = fs::temp_directory_path() / ("nb-text-" + std::to_string(::getpid()));
  const std::string bytes("a\0b\nlast", 8);
  std::ofstream(p, std::ios::binary) << bytes;
  EXPECT_EQ(ReadWholeFile(p.string()), bytes);
  fs::remove(p);
}

TEST(ReadWholeFile, AFileThatCannotBeOpenedIsNoAnswerNotAnEmptyOne) {
  EXPECT_EQ(ReadWholeFile("/nonexistent/netbench/file"), std::nullopt);
  const fs::path p = fs::temp_directory_path() / ("nb-text-empty-" + std::to_string(::getpid()));
  std::ofstream{p};
  EXPECT_EQ(ReadWholeFile(p.string()), std::string());
  fs::remove(p);
}

}  // namespace
}  // namespace netbench

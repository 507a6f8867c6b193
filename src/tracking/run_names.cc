#include "tracking/run_names.h"

#include <array>
#include <random>

namespace kiln::tracking {

std::string GenerateRunName() {
  static constexpr std::array<const char*, 24> kAdjectives = {
      "amber", "bold",  "brave", "calm",   "clever", "crisp",  "eager", "gentle",
      "glad",  "keen",  "lucid", "merry",  "nimble", "placid", "proud", "quick",
      "quiet", "rapid", "sharp", "silent", "steady", "sunny",  "swift", "witty"};
  static constexpr std::array<const char*, 24> kNouns = {
      "ant",  "bass", "bear",  "crane", "deer",  "dove", "eel",   "finch",
      "fox",  "gull", "hare",  "hawk",  "heron", "lark", "lynx",  "mole",
      "moth", "newt", "otter", "owl",   "robin", "seal", "stoat", "wren"};
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_int_distribution<size_t> word(0, kAdjectives.size() - 1);
  std::uniform_int_distribution<int> number(0, 999);
  return std::string(kAdjectives[word(rng)]) + "-" + kNouns[word(rng)] + "-" +
         std::to_string(number(rng));
}

}  // namespace kiln::tracking

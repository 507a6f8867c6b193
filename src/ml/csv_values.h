// Value parsing and the missing-value set for the CSV reader. Internal to ml/.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kiln::ml::csv {

// True and sets `out` if all of `s` is a decimal int64 (optional leading '+' or '-').
bool ParseInt(std::string_view s, int64_t& out);
// True and sets `out` if all of `s` is a decimal number (e.g. "1", "-2.5", ".5", "1e-3");
// "inf", "+inf" and "-inf" are infinities; other words such as "nan" are not numbers.
bool ParseDouble(std::string_view s, double& out);
// True and sets `out` to 1/0 if `s` is "true" or "false" in any case.
bool ParseBool(std::string_view s, uint8_t& out);

// A small set of strings read as missing values. Immutable after construction; thread-safe.
class MissingSet {
 public:
  explicit MissingSet(const std::vector<std::string>& values);
  // False when no missing value starts with byte `c`, so a field starting with it is present.
  bool MayStartWith(char c) const { return first_[static_cast<unsigned char>(c)]; }
  // Whether `content` (a field without its quotes) is a missing value.
  bool Contains(std::string_view content) const;

 private:
  std::vector<std::string> values_;
  std::array<bool, 256> first_{};
  bool has_empty_ = false;
};

}  // namespace kiln::ml::csv

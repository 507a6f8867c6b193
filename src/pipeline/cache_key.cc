#include "pipeline/cache_key.h"

#include <variant>

#include "artifacts/artifact_store.h"

namespace kiln::pipeline {
namespace {

// Length-prefixed fields, so no two different field lists encode to the same text.
class KeyText {
 public:
  void Add(std::string_view field) {
    text_ += std::to_string(field.size());
    text_ += ':';
    text_ += field;
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// The value with its type, so 1 (int), 1.0 (float) and "1" (string) differ.
void AddValue(KeyText& key, const ParamValue& value) {
  std::visit(
      [&key](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, int64_t>) {
          key.Add("i");
          key.Add(std::to_string(v));
        } else if constexpr (std::is_same_v<T, double>) {
          key.Add("f");
          key.Add(ToString(ParamValue{v}));
        } else if constexpr (std::is_same_v<T, bool>) {
          key.Add(v ? "true" : "false");
        } else if constexpr (std::is_same_v<T, std::string>) {
          key.Add("s");
          key.Add(v);
        } else {
          key.Add("list" + std::to_string(v.size()));
          for (const ParamValue& item : v) AddValue(key, item);
        }
      },
      value.value);
}

}  // namespace

std::string StepCacheKey(const ResolvedStep& step,
                         const std::map<std::string, std::string>& input_digests,
                         const std::string& deps_digest) {
  KeyText key;
  key.Add("kiln-step-cache-v1");
  key.Add(step.module_ref);
  key.Add(step.files_digest);
  key.Add(step.builtin);
  key.Add("command" + std::to_string(step.command.size()));
  for (const std::string& arg : step.command) key.Add(arg);
  key.Add("env" + std::to_string(step.env.size()));
  for (const auto& [name, value] : step.env) {
    key.Add(name);
    key.Add(value);
  }
  key.Add("params" + std::to_string(step.params.size()));
  for (const auto& [name, value] : step.params) {
    key.Add(name);
    AddValue(key, value);
  }
  key.Add("inputs" + std::to_string(input_digests.size()));
  for (const auto& [name, digest] : input_digests) {
    key.Add(name);
    key.Add(digest);
  }
  key.Add("outputs" + std::to_string(step.outputs.size()));
  for (const auto& [name, type] : step.outputs) {
    key.Add(name);
    key.Add(ArtifactTypeName(type));
  }
  if (!deps_digest.empty()) {  // last and optional: keys of steps that name no files stay valid
    key.Add("deps");
    key.Add(deps_digest);
  }
  return artifacts::Sha256Hex(key.text());
}

}  // namespace kiln::pipeline

// kiln_bench_auth: what authenticating one request costs (src/auth/auth_service.h), over a real
// SQLite store in a temporary folder. p50_us/p99_us are per call (LatencyRecorder).
//   AuthBearerToken      "Bearer kiln_..." : a prefix lookup, a SHA-256, the user's row.
//   AuthBasicToken       Basic user:kiln_... (how the mlflow client sends a token as password).
//   AuthBasicPassword    Basic user:password after the first call (the checked-password cache).
//   AuthBasicPasswordKdf the first call's cost: one scrypt at the default parameters.
//   AuthAnonymous        no header.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "auth/auth_service.h"
#include "auth/password_hash.h"
#include "common/base64.h"
#include "latency.h"
#include "store/meta_store.h"

namespace {

using kiln::auth::AuthService;

struct AuthFixture {
  std::string dir;
  std::unique_ptr<kiln::store::MetaStore> store;
  std::unique_ptr<AuthService> auth;
  std::string token;

  AuthFixture() {
    dir = (std::filesystem::temp_directory_path() / "kiln_auth_bench_XXXXXX").string();
    if (::mkdtemp(dir.data()) == nullptr) std::abort();
    auto opened = kiln::store::OpenSqliteStore(dir + "/kiln.db");
    if (!opened.ok()) std::abort();
    store = std::move(*opened);
    auto made = AuthService::Make(*store);  // default (production) scrypt parameters
    if (!made.ok()) std::abort();
    auth = std::move(*made);
    if (!auth->AddUser("ann", "ann-password", false).ok()) std::abort();
    // Other users' tokens, so the lookup is not in an empty table.
    for (int i = 0; i < 1000; ++i) {
      if (!auth->CreateToken({"ann", "t" + std::to_string(i), "", "", std::nullopt}).ok()) {
        std::abort();
      }
    }
    auto created = auth->CreateToken({"ann", "bench", "", "", std::nullopt});
    if (!created.ok()) std::abort();
    token = created->secret;
  }
  ~AuthFixture() {
    auth.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
};

AuthFixture& Fixture() {
  static AuthFixture fixture;
  return fixture;
}

std::string Basic(const std::string& user, const std::string& secret) {
  return "Basic " + kiln::EncodeBase64(user + ":" + secret);
}

void Run(benchmark::State& state, const std::string& header) {
  AuthService& auth = *Fixture().auth;
  if (!auth.Authenticate(header, "127.0.0.1").ok()) std::abort();  // warm (and fill the cache)
  kiln::bench::LatencyRecorder latency(state);
  for (auto _ : state) {
    latency.Time([&] {
      auto who = auth.Authenticate(header, "127.0.0.1");
      benchmark::DoNotOptimize(who);
    });
  }
  latency.Report();
}

void AuthBearerToken(benchmark::State& state) { Run(state, "Bearer " + Fixture().token); }
void AuthBasicToken(benchmark::State& state) { Run(state, Basic("ann", Fixture().token)); }
void AuthBasicPassword(benchmark::State& state) { Run(state, Basic("ann", "ann-password")); }
void AuthAnonymous(benchmark::State& state) { Run(state, ""); }

void AuthBasicPasswordKdf(benchmark::State& state) {
  auto hash = kiln::auth::HashPassword("ann-password");
  if (!hash.ok()) std::abort();
  for (auto _ : state) {
    auto ok = kiln::auth::VerifyPassword("ann-password", *hash);
    benchmark::DoNotOptimize(ok);
  }
}

BENCHMARK(AuthBearerToken)->UseManualTime();
BENCHMARK(AuthBasicToken)->UseManualTime();
BENCHMARK(AuthBasicPassword)->UseManualTime();
BENCHMARK(AuthAnonymous)->UseManualTime();
BENCHMARK(AuthBasicPasswordKdf)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace

# Benchmarks (Google Benchmark). Included from the top-level CMakeLists.txt when
# KILN_BUILD_BENCH=ON. Run them with bench/run_tracking_bench.sh; figures go to
# docs/benchmarks.md.
find_package(benchmark QUIET)
if(NOT benchmark_FOUND)
  message(STATUS "Google Benchmark not found (libbenchmark-dev); skipping benchmarks")
  return()
endif()

add_executable(kiln_bench_tracking
  ${CMAKE_SOURCE_DIR}/bench/bench_main.cc
  ${CMAKE_SOURCE_DIR}/bench/bench_env.cc
  ${CMAKE_SOURCE_DIR}/bench/latency.cc
  ${CMAKE_SOURCE_DIR}/bench/server_process.cc
  ${CMAKE_SOURCE_DIR}/bench/search_dataset.cc
  ${CMAKE_SOURCE_DIR}/bench/tracking_write_bench.cc
  ${CMAKE_SOURCE_DIR}/bench/tracking_search_bench.cc
  ${CMAKE_SOURCE_DIR}/bench/raw_sqlite_bench.cc)
target_link_libraries(kiln_bench_tracking PRIVATE kiln_core benchmark::benchmark)
# The HTTP benchmarks start the real `kiln server` binary as a child process.
add_dependencies(kiln_bench_tracking kiln)
target_compile_definitions(kiln_bench_tracking PRIVATE
  KILN_BINARY_PATH="$<TARGET_FILE:kiln>")

# kiln_bench_ml: CSV reading throughput of the ml module (bench/run_csv_bench.sh).
add_executable(kiln_bench_ml ${CMAKE_SOURCE_DIR}/bench/csv_read_bench.cc)
target_link_libraries(kiln_bench_ml PRIVATE kiln_core benchmark::benchmark
  benchmark::benchmark_main)

# kiln_bench_serving_log: Append latency and replay speed of the serving request log.
add_executable(kiln_bench_serving_log ${CMAKE_SOURCE_DIR}/bench/request_log_bench.cc
  ${CMAKE_SOURCE_DIR}/bench/latency.cc)
target_link_libraries(kiln_bench_serving_log PRIVATE kiln_core benchmark::benchmark
  benchmark::benchmark_main)

# kiln_bench_serving: serving metrics, drift counting and training profiles.
add_executable(kiln_bench_serving ${CMAKE_SOURCE_DIR}/bench/serving_metrics_bench.cc)
target_link_libraries(kiln_bench_serving PRIVATE kiln_core benchmark::benchmark
  benchmark::benchmark_main)

# kiln_bench_rows: native request bodies to tables, fast path against DOM + TableFromRecords.
add_executable(kiln_bench_rows ${CMAKE_SOURCE_DIR}/bench/rows_parse_bench.cc)
target_link_libraries(kiln_bench_rows PRIVATE kiln_core benchmark::benchmark)

# kiln_bench_auth: authenticating one request (token, Basic, cached password, scrypt).
add_executable(kiln_bench_auth ${CMAKE_SOURCE_DIR}/bench/auth_bench.cc
  ${CMAKE_SOURCE_DIR}/bench/latency.cc)
target_link_libraries(kiln_bench_auth PRIVATE kiln_auth benchmark::benchmark
  benchmark::benchmark_main)

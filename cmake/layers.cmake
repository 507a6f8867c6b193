# One static library per layer folder of src/ (kiln_<folder>), linked only to the folders
# cmake/layers.txt lets it use, so code that reaches up or sideways fails to link; and one
# unit-test binary per folder holding *_test.cc (<folder>_test, e.g. api_v1_test), linked to
# its layer's library. Sources are globbed: a new .cc in a folder joins its layer's library.
# scripts/check_layers.py reads the same table and names any #include that crosses a layer.

file(STRINGS ${CMAKE_SOURCE_DIR}/cmake/layers.txt KILN_LAYER_LINES REGEX "^[a-z]")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  ${CMAKE_SOURCE_DIR}/cmake/layers.txt)

set(KILN_LAYERS "")
foreach(line ${KILN_LAYER_LINES})
  string(REGEX REPLACE "[ \t]+" ";" fields "${line}")
  list(POP_FRONT fields layer tier)
  list(APPEND KILN_LAYERS ${layer})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/${layer}/*.cc)
  list(FILTER sources EXCLUDE REGEX "_test\\.cc$")
  if(NOT sources)
    message(FATAL_ERROR "src/${layer}/ has no .cc file; cmake/layers.txt expects a library")
  endif()
  add_library(kiln_${layer} STATIC ${sources})
  list(TRANSFORM fields PREPEND kiln_)
  # PUBLIC: a layer's headers include the headers of the layers it uses.
  target_link_libraries(kiln_${layer} PUBLIC ${fields})
endforeach()

# Every folder of src/ must have its line, so none escapes the layering.
file(GLOB KILN_SRC_ENTRIES LIST_DIRECTORIES true ${CMAKE_SOURCE_DIR}/src/*)
foreach(entry ${KILN_SRC_ENTRIES})
  get_filename_component(name ${entry} NAME)
  if(IS_DIRECTORY ${entry} AND NOT name IN_LIST KILN_LAYERS)
    message(FATAL_ERROR "src/${name}/ has no line in cmake/layers.txt")
  endif()
endforeach()

# Include paths are rooted at src/; the Beast option must be the same in every translation unit.
target_include_directories(kiln_common PUBLIC ${CMAKE_SOURCE_DIR}/src)
target_compile_definitions(kiln_common PUBLIC BOOST_BEAST_USE_STD_STRING_VIEW)
# Third-party libraries at the lowest layer that uses them.
target_link_libraries(kiln_common PUBLIC
  Threads::Threads OpenSSL::Crypto nlohmann_json::nlohmann_json spdlog::spdlog fmt::fmt)
target_link_libraries(kiln_store PUBLIC SQLite::SQLite3)
target_link_libraries(kiln_http PUBLIC Boost::system)
target_link_libraries(kiln_pipeline PUBLIC yaml-cpp)
target_link_libraries(kiln_ml PUBLIC ${XGBOOST_LIBRARY} Eigen3::Eigen)
target_include_directories(kiln_ml SYSTEM PUBLIC ${XGBOOST_INCLUDE_DIR})

# Everything, for the benchmarks and tools that use several layers.
add_library(kiln_core INTERFACE)
target_link_libraries(kiln_core INTERFACE kiln_cli)

if(KILN_BUILD_TESTS)
  enable_testing()
  find_package(GTest REQUIRED)
  file(GLOB_RECURSE KILN_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/*_test.cc)
  set(KILN_TEST_DIRS "")
  foreach(test_file ${KILN_TESTS})
    get_filename_component(dir ${test_file} DIRECTORY)
    list(APPEND KILN_TEST_DIRS ${dir})
  endforeach()
  list(REMOVE_DUPLICATES KILN_TEST_DIRS)
  foreach(dir ${KILN_TEST_DIRS})
    file(RELATIVE_PATH rel ${CMAKE_SOURCE_DIR}/src ${dir})
    string(REPLACE "/" "_" name ${rel})
    string(REGEX REPLACE "/.*" "" layer ${rel})
    file(GLOB dir_tests ${dir}/*_test.cc)
    add_executable(${name}_test ${dir_tests})
    target_link_libraries(${name}_test PRIVATE kiln_${layer} GTest::gtest GTest::gtest_main)
    add_test(NAME unit_${name} COMMAND ${name}_test)
  endforeach()
endif()

# Integration tests: python3 (standard library only) drives the real `kiln server` binary
# over HTTP. One CTest test per tests/integration/test_*.py file so `ctest -j` runs them in
# parallel; each file starts its own servers on ephemeral ports in temporary data dirs.
find_package(Python3 COMPONENTS Interpreter QUIET)
if(NOT Python3_Interpreter_FOUND)
  message(STATUS "python3 not found: integration tests are not registered")
  return()
endif()

set(KILN_INTEGRATION_DIR ${CMAKE_SOURCE_DIR}/tests/integration)
file(GLOB KILN_INTEGRATION_TESTS CONFIGURE_DEPENDS ${KILN_INTEGRATION_DIR}/test_*.py)
foreach(test_file ${KILN_INTEGRATION_TESTS})
  get_filename_component(module ${test_file} NAME_WE)
  string(REGEX REPLACE "^test_" "" short ${module})
  add_test(NAME integration_${short}
           COMMAND ${Python3_EXECUTABLE} -m unittest -v ${module}
           WORKING_DIRECTORY ${KILN_INTEGRATION_DIR})
  set_tests_properties(integration_${short} PROPERTIES
    ENVIRONMENT "KILN_BIN=$<TARGET_FILE:kiln>;PYTHONDONTWRITEBYTECODE=1;PYTHONUNBUFFERED=1"
    LABELS integration
    TIMEOUT 300)
endforeach()

# The web UI's end-to-end tests: web/e2e/run.mjs starts the real server with the built UI and
# drives Debian's Chromium through playwright-core. scripts/build_web.sh must have built web/.
find_program(KILN_NODE node)
if(KILN_NODE)
  add_test(NAME e2e_ui
           COMMAND ${KILN_NODE} e2e/run.mjs
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}/web)
  set_tests_properties(e2e_ui PROPERTIES
    ENVIRONMENT "KILN_BIN=$<TARGET_FILE:kiln>"
    LABELS e2e
    TIMEOUT 1200)
  # The UI's unit tests (web/test/*.test.ts under node --test, after typechecking them).
  find_program(KILN_NPM npm)
  if(KILN_NPM)
    add_test(NAME web_unit
             COMMAND ${KILN_NPM} test --silent
             WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}/web)
    set_tests_properties(web_unit PROPERTIES LABELS web TIMEOUT 300)
  endif()
  # The same UI in Debian's firefox-esr, driven over WebDriver BiDi (web/e2e/firefox.mjs).
  find_program(KILN_FIREFOX firefox-esr)
  if(KILN_FIREFOX)
    add_test(NAME e2e_firefox
             COMMAND ${KILN_NODE} e2e/firefox.mjs
             WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}/web)
    set_tests_properties(e2e_firefox PROPERTIES
      ENVIRONMENT "KILN_BIN=$<TARGET_FILE:kiln>;FIREFOX=${KILN_FIREFOX}"
      LABELS e2e
      TIMEOUT 600)
  else()
    message(STATUS "firefox-esr not found: the web UI's Firefox test (e2e_firefox) is not registered")
  endif()
else()
  message(STATUS "node not found: the web UI's end-to-end tests are not registered")
endif()

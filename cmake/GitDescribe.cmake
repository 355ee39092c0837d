# cmake -DSOURCE_DIR=... -DOUTPUT=... -P GitDescribe.cmake
# Writes OUTPUT (a header defining BRAMBLE_GIT_DESCRIBE) from `git describe`
# of SOURCE_DIR, rewriting it only when the text changes, so a build from git
# always names its commit and nothing recompiles when it did not move. Outside
# a git checkout (a source tarball) the macro is empty.
find_package(Git QUIET)
set(describe "")
if(GIT_EXECUTABLE AND EXISTS "${SOURCE_DIR}/.git")
  execute_process(COMMAND "${GIT_EXECUTABLE}" describe --tags --always --dirty
                  WORKING_DIRECTORY "${SOURCE_DIR}"
                  OUTPUT_VARIABLE describe OUTPUT_STRIP_TRAILING_WHITESPACE
                  ERROR_QUIET RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    set(describe "")
  endif()
endif()
set(text "#pragma once\n#define BRAMBLE_GIT_DESCRIBE \"${describe}\"\n")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
  if(old STREQUAL text)
    return()
  endif()
endif()
file(WRITE "${OUTPUT}" "${text}")

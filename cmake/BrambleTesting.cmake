# bramble_add_test(<source> LABEL unit|gui|integration [LIBS ...] [TIMEOUT s])
#
# One QtTest executable per file. The ctest name mirrors the tree:
# tests/services/kube/tst_kubeconfigloader.cpp -> services.kube.kubeconfigloader.
# Tests run offscreen, in UTC, in the C.UTF-8 locale, and know where the
# source tree, the test data and the built programs are.
set(BRAMBLE_TESTS_ROOT "${CMAKE_CURRENT_LIST_DIR}/../tests")

function(bramble_add_test source)
  cmake_parse_arguments(T "" "LABEL;TIMEOUT" "LIBS" ${ARGN})
  if(NOT T_LABEL MATCHES "^(unit|gui|integration)$")
    message(FATAL_ERROR "bramble_add_test(${source}): LABEL must be unit, gui or integration")
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  get_filename_component(root "${BRAMBLE_TESTS_ROOT}" ABSOLUTE)
  file(RELATIVE_PATH rel "${root}" "${CMAKE_CURRENT_SOURCE_DIR}/${source}")
  get_filename_component(dir "${rel}" DIRECTORY)
  get_filename_component(stem "${source}" NAME_WE)
  string(REGEX REPLACE "^tst_" "" stem "${stem}")
  if(dir)
    string(REPLACE "/" "." name "${dir}.${stem}")
  else()
    set(name "${stem}")
  endif()
  string(REPLACE "." "_" target "tst_${name}")

  add_executable(${target} ${source})
  target_link_libraries(${target} PRIVATE bramble_options bramble_testsupport Qt6::Test ${T_LIBS})
  add_test(NAME ${name} COMMAND ${target})
  set_tests_properties(${name} PROPERTIES
    LABELS "${T_LABEL}"
    TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;LC_ALL=C.UTF-8;TZ=UTC;QT_LOGGING_RULES=qt.qpa.*=false")
endfunction()

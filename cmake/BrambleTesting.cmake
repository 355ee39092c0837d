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
  bramble_test_pch(${target} "${T_LIBS}")
  add_test(NAME ${name} COMMAND ${target})
  set_tests_properties(${name} PROPERTIES
    LABELS "${T_LABEL}"
    TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;LC_ALL=C.UTF-8;TZ=UTC;QT_LOGGING_RULES=qt.qpa.*=false")
endfunction()

# The test programs of one directory share one precompiled header per level
# (core, gui, widgets). Per directory, because Qt6::Test defines
# QT_TESTCASE_BUILDDIR and QT_TESTCASE_SOURCEDIR as the target's directories,
# and GCC uses a precompiled header only where every macro matches.
function(bramble_test_pch target libs)
  if(NOT BRAMBLE_PCH)
    return()
  endif()
  set(level core)
  if(libs MATCHES "bramble_ui|Qt6::Widgets")
    set(level widgets)
  elseif(libs MATCHES "bramble_models|Qt6::Gui")
    set(level gui)
  endif()
  file(RELATIVE_PATH rel "${PROJECT_SOURCE_DIR}" "${CMAKE_CURRENT_SOURCE_DIR}")
  string(MAKE_C_IDENTIFIER "${rel}" dir)
  set(holder bramble_pch_${dir}_${level})
  if(NOT TARGET ${holder})
    file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/${holder}.cpp" "// holds the precompiled header of ${rel}'s tests\n")
    add_library(${holder} OBJECT "${CMAKE_CURRENT_BINARY_DIR}/${holder}.cpp")
    set(qt Qt6::Core Qt6::Network Qt6::Test)
    if(level STREQUAL "gui")
      list(APPEND qt Qt6::Gui)
    elseif(level STREQUAL "widgets")
      list(APPEND qt Qt6::Gui Qt6::Widgets)
    endif()
    target_link_libraries(${holder} PRIVATE bramble_options ${qt})
    target_precompile_headers(${holder} PRIVATE "${BRAMBLE_PCH_DIR}/bramble_pch_${level}.h")
  endif()
  target_precompile_headers(${target} REUSE_FROM ${holder})
endfunction()

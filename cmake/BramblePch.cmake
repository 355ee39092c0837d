# Precompiled headers: most of a Bramble compile is parsing Qt's headers
# (7 s of an 8 s file on the 2-core CI machine). Each library and program
# precompiles the Qt headers of its level (core, gui, widgets); the many
# one-file test programs reuse one per directory and level instead of
# building their own (bramble_test_pch). Turn off with -DBRAMBLE_PCH=OFF.
option(BRAMBLE_PCH "Precompile the Qt headers every target includes" ON)

set(BRAMBLE_PCH_DIR "${CMAKE_CURRENT_LIST_DIR}/pch")

function(_bramble_collect_targets dir out)
  get_property(_targets DIRECTORY "${dir}" PROPERTY BUILDSYSTEM_TARGETS)
  get_property(_subdirs DIRECTORY "${dir}" PROPERTY SUBDIRECTORIES)
  foreach(_sub IN LISTS _subdirs)
    _bramble_collect_targets("${_sub}" _more)
    list(APPEND _targets ${_more})
  endforeach()
  set(${out} ${_targets} PARENT_SCOPE)
endfunction()

# The level a target needs, from what it links directly.
function(_bramble_pch_level target out)
  get_target_property(_links ${target} LINK_LIBRARIES)
  set(_level core)
  if(_links MATCHES "Qt6::Widgets|bramble_ui|Qt6::Charts")
    set(_level widgets)
  elseif(_links MATCHES "Qt6::Gui|bramble_models")
    set(_level gui)
  endif()
  set(${out} ${_level} PARENT_SCOPE)
endfunction()

function(bramble_apply_pch)
  if(NOT BRAMBLE_PCH)
    return()
  endif()
  _bramble_collect_targets("${PROJECT_SOURCE_DIR}" _all)
  foreach(_t IN LISTS _all)
    get_target_property(_type ${_t} TYPE)
    if(NOT _type MATCHES "^(STATIC_LIBRARY|EXECUTABLE|OBJECT_LIBRARY)$")
      continue()
    endif()
    get_target_property(_links ${_t} LINK_LIBRARIES)
    if(NOT _links MATCHES "bramble_options")
      continue()
    endif()
    if(_t MATCHES "^(tst_|bramble_pch_)")
      continue() # test programs: bramble_test_pch() in BrambleTesting.cmake
    endif()
    _bramble_pch_level(${_t} _level)
    target_precompile_headers(${_t} PRIVATE "${BRAMBLE_PCH_DIR}/bramble_pch_${_level}.h")
  endforeach()
endfunction()

# One INTERFACE target carries the language standard, warnings and Qt
# strictness defines. Every Bramble target links it.
add_library(bramble_options INTERFACE)
target_compile_features(bramble_options INTERFACE cxx_std_20)
set_target_properties(bramble_options PROPERTIES CXX_EXTENSIONS OFF)
target_compile_definitions(bramble_options INTERFACE
  QT_NO_CAST_FROM_ASCII
  QT_NO_CAST_TO_ASCII
  QT_USE_QSTRINGBUILDER
  QT_NO_KEYWORDS
  QT_NO_URL_CAST_FROM_STRING
  QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
  QT_DISABLE_DEPRECATED_BEFORE=0x060400
  BRAMBLE_VERSION="${PROJECT_VERSION}")
target_compile_options(bramble_options INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang,AppleClang>:-Wall -Wextra -Wpedantic -Wnon-virtual-dtor -Wcast-qual -Wformat=2>
  $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local>)

# bramble_layer(<target> services|models|ui|app): records the target's layer
# for the layering test (tests/layering), which checks that arrows point down.
function(bramble_layer target layer)
  set_property(TARGET ${target} PROPERTY BRAMBLE_LAYER ${layer})
  set_property(GLOBAL APPEND PROPERTY BRAMBLE_LAYERED_TARGETS ${target})
endfunction()

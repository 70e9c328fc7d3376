# Build time (issue 16: a first result in under 150 s on a fresh 2-core machine).
# The presets `release` (make run) and `asan` (make test) turn on CMake unity builds
# (CMAKE_UNITY_BUILD, CMAKE_UNITY_BUILD_BATCH_SIZE 16): the .cpp files of a library or of the guestmem
# executable are compiled 16 at a time in one translation unit, so the heavy headers (nlohmann/json,
# SimGrid's s4u, CLI11, Eigen) are parsed and their inline code compiled once per batch, not per file.
#
# A unity batch puts several files' anonymous namespaces and static functions into one translation
# unit. Two files that each define a helper of the same name (say `namespace { struct Line; }`) then
# clash. Such files are listed below and compiled on their own. A new .cpp file needs nothing, unless
# a unity build fails with "redefinition of gm::{anonymous}::..." : then give the helper a distinct
# name, or add the file here. Check with all files of a target in one batch (finds every clash):
#   cmake --preset asan -DCMAKE_UNITY_BUILD_BATCH_SIZE=0
set(GUESTMEM_UNITY_SKIP
    models/kconfig_rules.cpp
    analysis/iomem_report.cpp analysis/plots.cpp analysis/report_plots.cpp
    sim/actors/memory_pressure.cpp sim/report/report_builder.cpp sim/run/runner.cpp
    sim/cli/e820.cpp sim/cli/iomem.cpp sim/cli/run.cpp)

# The tests are not unity-built: nearly every test file has its own small helpers (R(), flat_config(),
# `using json`) in an anonymous namespace, new test files keep arriving, and each test file compiled
# on its own keeps ccache hits for the files that did not change.

# Source properties are per directory: set it in every directory that may compile the file.
# (Included at the end of the top-level CMakeLists.txt, once every directory exists.)
set(_gm_dirs ${CMAKE_SOURCE_DIR})
set(_gm_i 0)
list(LENGTH _gm_dirs _gm_n)
while(_gm_i LESS _gm_n)
  list(GET _gm_dirs ${_gm_i} _gm_d)
  get_property(_gm_sub DIRECTORY ${_gm_d} PROPERTY SUBDIRECTORIES)
  list(APPEND _gm_dirs ${_gm_sub})
  list(LENGTH _gm_dirs _gm_n)
  math(EXPR _gm_i "${_gm_i} + 1")
endwhile()
foreach(_gm_f ${GUESTMEM_UNITY_SKIP})
  set_source_files_properties(${CMAKE_SOURCE_DIR}/${_gm_f} DIRECTORY ${_gm_dirs}
                              PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
endforeach()
foreach(_gm_d ${_gm_dirs})
  if(_gm_d MATCHES "^${CMAKE_SOURCE_DIR}/tests(/|$)")
    get_property(_gm_targets DIRECTORY ${_gm_d} PROPERTY BUILDSYSTEM_TARGETS)
    foreach(_gm_t ${_gm_targets})
      get_target_property(_gm_type ${_gm_t} TYPE)
      if(NOT _gm_type STREQUAL "INTERFACE_LIBRARY" AND NOT _gm_type STREQUAL "UTILITY")
        set_target_properties(${_gm_t} PROPERTIES UNITY_BUILD OFF)
      endif()
    endforeach()
  endif()
endforeach()

# The four fixed dependencies, as Debian packages them (see ../shared notes: SimGrid ships only a .pc file).
find_package(CLI11 2.1 CONFIG REQUIRED)
find_package(nlohmann_json 3.11 CONFIG REQUIRED)
find_package(Eigen3 3.4 CONFIG REQUIRED)

find_path(SimGrid_INCLUDE_DIR NAMES simgrid/s4u.hpp REQUIRED)
find_library(SimGrid_LIBRARY NAMES simgrid REQUIRED)
if(NOT TARGET SimGrid::SimGrid)
  add_library(SimGrid::SimGrid UNKNOWN IMPORTED)
  set_target_properties(SimGrid::SimGrid PROPERTIES IMPORTED_LOCATION "${SimGrid_LIBRARY}"
                                                    INTERFACE_INCLUDE_DIRECTORIES "${SimGrid_INCLUDE_DIR}")
endif()

# Optional real Xen backend: libxenctrl + libxencall (Debian libxen-dev).
set(GUESTMEM_HAVE_XEN OFF)
if(NOT GUESTMEM_WITH_XEN STREQUAL "OFF")
  find_path(XEN_INCLUDE_DIR NAMES xenctrl.h xencall.h)
  find_library(XENCTRL_LIBRARY NAMES xenctrl)
  find_library(XENCALL_LIBRARY NAMES xencall)
  if(XEN_INCLUDE_DIR AND XENCTRL_LIBRARY AND XENCALL_LIBRARY)
    set(GUESTMEM_HAVE_XEN ON)
  elseif(GUESTMEM_WITH_XEN STREQUAL "ON")
    message(FATAL_ERROR "GUESTMEM_WITH_XEN=ON but libxenctrl/libxencall were not found (apt-get install libxen-dev)")
  endif()
endif()
message(STATUS "guestmem: real Xen backend ${GUESTMEM_HAVE_XEN}")

function(guestmem_set_warnings target)
  target_compile_options(${target} INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
  if(GUESTMEM_WERROR)
    target_compile_options(${target} INTERFACE -Werror)
  endif()
endfunction()

# guestmem_library(NAME DIR [DEPS...]): one static library per folder, sources found by glob so that
# a new file needs no CMake edit (helpers add files in parallel without touching this list).
function(guestmem_library name dir)
  file(GLOB _srcs CONFIGURE_DEPENDS ${dir}/*.cpp)
  if(_srcs)
    add_library(${name} STATIC ${_srcs})
    target_link_libraries(${name} PUBLIC guestmem_options)
  else()  # a folder with headers only (so far)
    add_library(${name} INTERFACE)
    target_link_libraries(${name} INTERFACE guestmem_options)
  endif()
endfunction()

# Precompiled headers: every C++ target of the project parses the standard
# library, fmt and Value's headers once instead of once per file.
#
# Why: measured on the 2-core machine (gcc 12, -O2), a typical engine file
# spends 1.5 s of its 2.3 s in those headers, and a unit test file about 1 s
# more in Catch2's single header. Over ~380 files and two builds (gcc, then
# clang with the sanitizers) that was most of `make test`'s build time.
#
# A precompiled header only speeds parsing: every file still includes what it
# uses (the module border check reads the #include lines, not this list), and
# -DBORA_PCH=OFF builds without it (compile_commands.json tools, include
# hygiene checks).
option(BORA_PCH "Precompile common headers per target (faster builds)" ON)

set(BORA_PCH_STD
  <algorithm> <chrono> <cstdint> <functional> <map> <memory> <mutex> <optional>
  <set> <string> <string_view> <unordered_map> <utility> <vector>)
set(BORA_PCH_PROJECT
  <fmt/format.h>
  ${PROJECT_SOURCE_DIR}/include/bora/core/value.h
  ${PROJECT_SOURCE_DIR}/include/bora/core/error.h
  ${PROJECT_SOURCE_DIR}/include/bora/core/json.h
  ${PROJECT_SOURCE_DIR}/include/bora/core/log.h)

# Does target `t` see the project's include/ folder (itself or through a
# bora_ library it links)? Only those get the project's headers precompiled.
function(_bora_pch_uses_core t out)
  set(${out} FALSE PARENT_SCOPE)
  if(t MATCHES "^bora_")
    set(${out} TRUE PARENT_SCOPE)
    return()
  endif()
  get_target_property(libs ${t} LINK_LIBRARIES)
  foreach(l IN LISTS libs)
    if(l MATCHES "^bora_")
      set(${out} TRUE PARENT_SCOPE)
      return()
    endif()
  endforeach()
endfunction()

# Applied once, after every target exists (CMakeLists.txt calls it last), so
# that a new library or test gets it without a line of its own.
function(bora_precompile_headers dir)
  if(NOT BORA_PCH)
    return()
  endif()
  bora_compiled_targets(targets ${dir})
  foreach(t IN LISTS targets)
    get_target_property(sources ${t} SOURCES)
    set(c_sources ${sources})
    list(FILTER sources INCLUDE REGEX "\\.(cpp|cc|cxx)$")
    list(FILTER c_sources INCLUDE REGEX "\\.c$")
    list(LENGTH sources n)
    # One file: compiling the header first would only add work. C files
    # (the test packs, the example pack) would get the C++ headers too.
    if(n LESS 2 OR c_sources)
      continue()
    endif()
    set(headers ${BORA_PCH_STD})
    _bora_pch_uses_core(${t} uses_core)
    if(uses_core)
      list(APPEND headers ${BORA_PCH_PROJECT})
    endif()
    # Catch2's single header, for the test programs (not their shared main,
    # which defines CATCH_CONFIG_MAIN before including it).
    get_target_property(libs ${t} LINK_LIBRARIES)
    if(libs AND "bora_catch_main" IN_LIST libs)
      list(APPEND headers <catch2/catch.hpp>)
    endif()
    target_precompile_headers(${t} PRIVATE ${headers})
  endforeach()
endfunction()

# BORA_SANITIZE: every library, test and the `bora` binary built with
# AddressSanitizer + UndefinedBehaviorSanitizer, UB fatal (a report must fail
# the test that caused it, not scroll by). BORA_FUZZ adds libFuzzer's coverage
# instrumentation (-fsanitize=fuzzer-no-link) to the modules' objects, so one
# build directory serves both the sanitizer test run and the fuzz targets
# (test/fuzz, linked with -fsanitize=fuzzer); the unit tests and `bora` link
# without libFuzzer and keep their own main().
if(NOT BORA_SANITIZE)
  return()
endif()
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "BORA_SANITIZE/BORA_FUZZ need clang (libFuzzer and the sanitizer runtimes are "
    "clang's), but the C++ compiler is ${CMAKE_CXX_COMPILER_ID}: use a fresh build directory and "
    "-DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang (Debian: apt-get install clang libclang-rt-14-dev)")
endif()

set(BORA_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
add_compile_options(${BORA_SANITIZER_FLAGS})
# Third-party defects we cannot fix at their root, each with its reason.
add_compile_options(-fsanitize-ignorelist=${CMAKE_CURRENT_LIST_DIR}/sanitizer-ignorelist.txt)
set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  ${CMAKE_CURRENT_LIST_DIR}/sanitizer-ignorelist.txt)
add_link_options(-fsanitize=address,undefined)
# BORA_FUZZ's coverage instrumentation is per target (cmake/BuildModes.cmake).

# -O1 with line tables: what the sanitizers' documentation recommends, about
# half the compile time of -O2 -g, and stacks that still name file:line.
# NDEBUG is left out on purpose: assertions are one more oracle under test.
foreach(lang C CXX)
  set(CMAKE_${lang}_FLAGS_RELWITHDEBINFO "-O1 -gline-tables-only" CACHE STRING "" FORCE)
endforeach()

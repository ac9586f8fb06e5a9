# bora_module(NAME SOURCES... DEPS ...): one static library per module, with
# the project's public headers and the module's private folder on its path.
function(bora_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS" ${ARGN})
  add_library(bora_${name} STATIC ${M_SOURCES})
  target_include_directories(bora_${name}
    PUBLIC ${PROJECT_SOURCE_DIR}/include
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(bora_${name} PUBLIC ${M_DEPS})
endfunction()

# bora_unit_test(NAME SOURCES... DEPS ...): one Catch2 executable per module,
# sharing one compiled Catch2 main, registered with CTest.
function(bora_unit_test name)
  cmake_parse_arguments(T "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE bora_catch_main ${T_DEPS})
  target_compile_definitions(${name} PRIVATE
    BORA_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_test(NAME ${name} COMMAND ${name})
  # A guard against a hang, not a time bound: under the sanitizers (test
  # code at -O0, `make san-test` running 2 per core) bora_unit_engine took
  # 176 s beside one other test and passed 300 s beside three.
  if(BORA_SANITIZE)
    set_tests_properties(${name} PROPERTIES TIMEOUT 900)
  else()
    set_tests_properties(${name} PROPERTIES TIMEOUT 300)
  endif()
endfunction()
